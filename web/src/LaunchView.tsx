// The status of one launch: GET /api/v1/launches/:id every second until it is
// "confirmed" or "failed".
import { useEffect, useState } from "preact/hooks";
import { ApiError, getLaunch, isFinal, type Chain, type Launch } from "./api";

const POLL_MS = 1000;

type Props = {
  id: string;
  /** The 202 answer when this page just created the launch (shown until the first poll answers). */
  initial: Launch | null;
  chains: Chain[] | null;
  onNew: () => void;
};

export function LaunchView({ id, initial, chains, onNew }: Props) {
  const [launch, setLaunch] = useState<Launch | null>(initial);
  const [pollError, setPollError] = useState<ApiError | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      let delay = POLL_MS;
      try {
        const next = await getLaunch(id, ctl.signal);
        setLaunch(next);
        setPollError(null);
        if (isFinal(next.status)) return;
      } catch (e) {
        if (ctl.signal.aborted) return;
        const err = e instanceof ApiError ? e : new ApiError(0, "Something went wrong", String(e), []);
        setPollError(err);
        if (err.status === 404 || err.status === 400) return; // no such launch: nothing to wait for
        if (err.retryAfter) delay = err.retryAfter * 1000;
      }
      if (!ctl.signal.aborted) timer = setTimeout(tick, delay);
    };
    tick();
    return () => {
      ctl.abort();
      clearTimeout(timer);
    };
  }, [id]);

  const status = launch?.status;
  const chain = chains?.find((c) => c.id === launch?.chain);
  const solana = chain ? chain.family === "solana" : launch ? "signature" in launch || "slot" in launch : false;
  const tx = launch?.txHash ?? launch?.signature ?? null;
  const block = launch?.blockNumber ?? launch?.slot ?? null;
  const explorer = launch?.explorer;

  return (
    <section aria-labelledby="launch-title">
      <h2 id="launch-title">Launch <code data-testid="launch-id">{id}</code></h2>

      <p class="status-line" role="status">
        Status:{" "}
        {status ? <strong data-testid="launch-status" class={`status status-${status}`}>{status}</strong> : <span class="hint">loading…</span>}
        {status && !isFinal(status) && <span class="hint"> (checking every second)</span>}
      </p>

      <div role="alert" class={launch?.error || pollError ? "alert" : undefined}>
        {launch?.error && (
          <p data-testid="launch-error">
            <strong>The launch failed:</strong> {launch.error.detail} <span class="hint">({launch.error.type})</span>
          </p>
        )}
        {pollError && (
          <p>
            <strong>{pollError.title}</strong>
            {pollError.detail && <>: {pollError.detail}</>}
            {pollError.status !== 404 && pollError.status !== 400 && <span class="hint"> (retrying)</span>}
          </p>
        )}
      </div>

      {launch && (
        <dl class="facts">
          <dt>Chain</dt>
          <dd>{chain ? chain.name : launch.chain}</dd>
          <dt>Token {solana ? "mint" : "address"}</dt>
          <dd>
            {launch.address ? <code data-testid="token-address">{launch.address}</code> : <span class="hint">assigned when the transaction is sent</span>}
            {safeUrl(explorer?.token) && <> <a href={safeUrl(explorer?.token)} target="_blank" rel="noopener noreferrer">explorer</a></>}
          </dd>
          <dt>{solana ? "Signature" : "Transaction"}</dt>
          <dd>
            {tx ? <code data-testid="tx-hash">{tx}</code> : <span class="hint">not sent yet</span>}
            {safeUrl(explorer?.tx) && <> <a href={safeUrl(explorer?.tx)} target="_blank" rel="noopener noreferrer">explorer</a></>}
          </dd>
          <dt>{solana ? "Slot" : "Block"}</dt>
          <dd>{block != null ? <span data-testid="block-number">{block}</span> : <span class="hint">not included yet</span>}</dd>
        </dl>
      )}

      {launch && launch.events.length > 0 && (
        <>
          <h3>History</h3>
          <ol class="events" data-testid="launch-events">
            {launch.events.map((e) => (
              <li>
                <time dateTime={e.at}>{formatTime(e.at)}</time> <strong>{e.status}</strong>
                {e.detail && <> — {e.detail}</>}
              </li>
            ))}
          </ol>
        </>
      )}

      <button type="button" onClick={onNew}>Launch another token</button>
    </section>
  );
}

/** Only http(s) links from the API become hrefs. */
function safeUrl(u: string | null | undefined): string | undefined {
  return u && /^https?:\/\//i.test(u) ? u : undefined;
}

function formatTime(iso: string) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString();
}
