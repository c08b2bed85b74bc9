// The safety summary of a token as the API's detail states it (GET /tokens/{chain}/{address}):
// each power in scanners' terms with its plain meaning, the chain state as the cron
// last read it (chainStateAt), and the source verification. No RPC from here.
import { useEffect, useState } from "preact/hooks";
import { asApiError, request, type ApiError } from "./api";
import type { components } from "@tokenforge/api-types";
import { ProblemAlert } from "./components";
import { formatDateTime } from "./lib/format";

type Detail = components["schemas"]["TokenDetail"];

const ANSWER = { true: "Yes", false: "No", null: "Unknown" } as const;

/** `changes`: bumped after the owner changed the token; the card then polls until the API's chain state is newer. */
export function SafetyCard({ chain, address, changes = 0 }: { chain: string; address: string; changes?: number }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    const before = detail?.chainStateAt ?? null;
    const load = async (tries: number): Promise<void> => {
      const d = await request<Detail>(`/tokens/${encodeURIComponent(chain)}/${encodeURIComponent(address)}?r=${changes}.${tries}`, { signal: ac.signal });
      if (ac.signal.aborted) return;
      setDetail(d);
      // The refresh is queued: wait (a little) for the read that follows the owner's change.
      if (changes > 0 && d.chainStateAt === before && tries < 30) {
        await new Promise((r) => setTimeout(r, 1_000));
        return load(tries + 1);
      }
    };
    load(0).catch((e: unknown) => !ac.signal.aborted && setError(asApiError(e)));
    return () => ac.abort();
  }, [chain, address, changes]);
  if (error) return error.status === 404 ? null : <ProblemAlert error={error} />;
  return (
    <section aria-labelledby="safety-title" class="card" aria-busy={!detail} data-testid="safety">
      <h2 id="safety-title">Safety</h2>
      {detail ? (
        <>
          <ul>
            {detail.safety.map((s) => (
              <li key={s.id} data-testid={`safety-${s.id}`} data-risk={s.risk}>
                <strong>{s.label}: {ANSWER[String(s.value) as keyof typeof ANSWER]}</strong> — {s.meaning}
              </li>
            ))}
          </ul>
          <p class="hint">
            Source: Etherscan {detail.verification.etherscan}, Sourcify {detail.verification.sourcify}.{" "}
            {detail.chainStateAt ? `Chain read ${formatDateTime(detail.chainStateAt)}.` : "The chain has not been read yet."}
          </p>
        </>
      ) : (
        <p class="hint">Loading…</p>
      )}
    </section>
  );
}
