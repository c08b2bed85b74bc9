// The price of a wallet-paid launch: a quote from POST /quotes for exactly the
// body about to be sent (wallet mode, the signed-in wallet paying), binding until it expires. A quote belongs to one body:
// any change to the draft drops it. `now` ticks every second while one is shown,
// for the countdown and to notice the expiry.
import { useEffect, useRef, useState } from "preact/hooks";
import { asApiError, createQuote, type ApiError, type LaunchBody, type Quote } from "../../api";

/** A quote this close to its expiry is not offered for paying any more (the launch request needs time to arrive). */
export const QUOTE_MARGIN_MS = 3_000;

export type QuoteState = {
  quote: Quote | null;
  /** Why the quote on screen was replaced or dropped, shown beside it. */
  note: string | null;
  loading: boolean;
  error: ApiError | null;
  now: number;
  /** The quote is there and still good for paying. */
  valid: boolean;
  request: (note?: string | null) => Promise<Quote | null>;
  clear: () => void;
};

export function useQuote(body: LaunchBody, enabled: boolean): QuoteState {
  const [quote, setQuote] = useState<Quote | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [now, setNow] = useState(Date.now);
  const quotedFor = useRef<string | null>(null);
  const key = JSON.stringify(body);

  // A different body (or leaving wallet mode) makes the quote worthless.
  useEffect(() => {
    if (quotedFor.current !== null && (quotedFor.current !== key || !enabled)) clear();
  }, [key, enabled]);

  useEffect(() => {
    if (!quote) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [quote]);

  function clear() {
    quotedFor.current = null;
    setQuote(null);
    setNote(null);
    setError(null);
  }

  async function request(why: string | null = null): Promise<Quote | null> {
    setLoading(true);
    setError(null);
    try {
      const q = await createQuote(body, { mode: "wallet" });
      quotedFor.current = key;
      setQuote(q);
      setNote(why);
      setNow(Date.now());
      return q;
    } catch (e) {
      setError(asApiError(e));
      setQuote(null);
      quotedFor.current = null;
      return null;
    } finally {
      setLoading(false);
    }
  }

  const valid = !!quote && expiresAt(quote) - QUOTE_MARGIN_MS > now;
  return { quote, note, loading, error, now, valid, request, clear };
}

export const expiresAt = (q: Quote) => Date.parse(q.expiresAt);
