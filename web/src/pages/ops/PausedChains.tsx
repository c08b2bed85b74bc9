// Operations → the emergency pause (issue 16): every chain with its pause state,
// paused ones first with why and since when; an admin pauses (with a reason) or
// resumes a chain here. Paused: new launches there answer 503 chain-paused, its
// queued launches wait; resume puts them back on the queue.
import { useEffect, useState } from "preact/hooks";
import type { components } from "@tokenforge/api-types";
import { asApiError, request, type ApiError } from "../../api";
import { ProblemAlert, Skeleton } from "../../components";
import { formatDateTime } from "../../lib/format";
import { REFRESH_MS } from "./use-ops-report";

type ChainPause = components["schemas"]["ChainPause"];
type ChainResumed = components["schemas"]["ChainResumed"];

const listPauses = (bearer?: string) => request<components["schemas"]["ChainPauseList"]>("/admin/chains", { bearer });
const pauseChain = (id: string, reason: string, bearer?: string) =>
  request<ChainPause>(`/admin/chains/${encodeURIComponent(id)}/pause`, { method: "POST", json: reason ? { reason } : {}, bearer });
const resumeChain = (id: string, bearer?: string) => request<ChainResumed>(`/admin/chains/${encodeURIComponent(id)}/resume`, { method: "POST", bearer });

export function PausedChains({ bearer }: { bearer: string | undefined }) {
  const [chains, setChains] = useState<ChainPause[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [note, setNote] = useState("");

  const load = async () => {
    try {
      setChains((await listPauses(bearer)).chains);
      setError(null);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  useEffect(() => {
    void load();
    const timer = setInterval(() => document.visibilityState === "visible" && void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [bearer]);

  async function act(id: string, action: "pause" | "resume", reason = "") {
    setBusy(id);
    setNote("");
    try {
      if (action === "pause") {
        await pauseChain(id, reason.trim(), bearer);
        setNote(`${id} paused: new launches there are refused, its queued launches wait.`);
      } else {
        const r = await resumeChain(id, bearer);
        setNote(`${id} resumed: ${r.requeued} launch${r.requeued === 1 ? "" : "es"} put back on the queue.`);
      }
      await load();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(null);
    }
  }

  const paused = chains?.filter((c) => c.paused) ?? [];
  const open = chains?.filter((c) => !c.paused) ?? [];
  return (
    <section aria-labelledby="pause-title">
      <h2 id="pause-title">Emergency pause</h2>
      <p class="hint">A paused chain refuses new launches (503) and holds its queued launches; other chains are unaffected. Resume puts its launches back on the queue.</p>
      <ProblemAlert error={error} />
      <p role="status" class="hint">{note}</p>
      {chains === null && !error ? <Skeleton lines={2} /> : chains && (
        <>
          {paused.length === 0 ? <p class="empty" data-testid="no-paused-chains">No chain is paused.</p> : (
            <div class="table-wrap">
              <table class="table" data-testid="paused-chains">
                <caption class="visually-hidden">Paused chains</caption>
                <thead><tr><th scope="col">Chain</th><th scope="col">Reason</th><th scope="col">Since</th><th scope="col">By</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>
                  {paused.map((c) => (
                    <tr data-chain={c.chain}>
                      <td data-label="Chain"><code>{c.chain}</code></td>
                      <td data-label="Reason" class="wrap">{c.reason ?? <span class="hint">no reason given</span>}</td>
                      <td data-label="Since">{formatDateTime(c.pausedAt)}</td>
                      <td data-label="By"><code>{c.pausedBy ?? "—"}</code></td>
                      <td data-label="">
                        <button type="button" class="small secondary" disabled={busy !== null} onClick={() => void act(c.chain, "resume")} aria-label={`Resume ${c.chain}`}>
                          {busy === c.chain ? "Resuming…" : "Resume"}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {open.length > 0 && <PauseForms chains={open} busy={busy} onPause={(id, reason) => void act(id, "pause", reason)} />}
        </>
      )}
    </section>
  );
}

/** One form per open chain: a reason, and the Pause button. */
function PauseForms({ chains, busy, onPause }: { chains: ChainPause[]; busy: string | null; onPause: (id: string, reason: string) => void }) {
  const [reasons, setReasons] = useState<Record<string, string>>({});
  return (
    <details>
      <summary>Pause a chain</summary>
      {chains.map((c) => (
        <form class="inline-form" onSubmit={(e) => { e.preventDefault(); onPause(c.chain, reasons[c.chain] ?? ""); }} data-chain={c.chain}>
          <label for={`pause-reason-${c.chain}`}><span class="visually-hidden">Reason to pause </span><code>{c.chain}</code></label>
          <input id={`pause-reason-${c.chain}`} type="text" maxLength={200} placeholder="Reason (shown to callers)"
            value={reasons[c.chain] ?? ""} onInput={(e) => setReasons({ ...reasons, [c.chain]: (e.target as HTMLInputElement).value })} />
          <button type="submit" class="small danger" disabled={busy !== null} aria-label={`Pause ${c.chain}`}>
            {busy === c.chain ? "Pausing…" : "Pause"}
          </button>
        </form>
      ))}
    </details>
  );
}
