// Operations → the dead-letter queue: launches the queue gave up on, with replay
// (one, or all open ones).
import { ProblemAlert, Skeleton } from "../../components";
import { formatDateTime } from "../../lib/format";
import type { OpsReport } from "./use-ops-report";

export function DeadLetters({ report }: { report: OpsReport }) {
  const { letters, lettersError, dlqAvailable, busy, note, replay } = report;
  const open = letters?.filter((l) => !l.replayedAt) ?? [];
  return (
    <section aria-labelledby="dlq-title">
      <h2 id="dlq-title">Dead letters</h2>
      <p class="hint">Launches the queue gave up on after its last retry. Replaying puts a launch back on the queue; the deployer copes with redelivery.</p>
      {!dlqAvailable && <p class="notice small-text">This API does not offer the dead-letter routes (GET /api/v1/admin/dead-letters).</p>}
      <ProblemAlert error={lettersError} />
      <p role="status" class="hint">{note}</p>
      {!dlqAvailable ? null : letters === null && !lettersError ? <Skeleton lines={3} /> : letters && (
        <>
          {open.length > 0 && (
            <button type="button" class="secondary" disabled={busy !== null} onClick={() => void replay(null)} data-testid="replay-all">
              {busy === "all" ? "Replaying…" : `Replay all (${open.length})`}
            </button>
          )}
          {letters.length === 0 ? <p class="empty">No dead letters.</p> : (
            <div class="table-wrap">
              <table class="table" data-testid="dead-letters">
                <caption class="visually-hidden">Dead letters</caption>
                <thead><tr><th scope="col">Launch</th><th scope="col">Reason</th><th scope="col">Attempts</th><th scope="col">When</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>
                  {letters.map((l) => (
                    <tr>
                      <td data-label="Launch"><span><a href={`/launches/${encodeURIComponent(l.launchId)}`}><code>{l.launchId}</code></a>{l.chain && <span class="hint"> · {l.chain}</span>}</span></td>
                      <td data-label="Reason" class="wrap">{l.reason}</td>
                      <td data-label="Attempts">{l.attempts}</td>
                      <td data-label="When">{formatDateTime(l.createdAt)}</td>
                      <td data-label="">
                        {l.replayedAt ? <span class="hint">replayed {formatDateTime(l.replayedAt)}</span> : (
                          <button type="button" class="small secondary" disabled={busy !== null} onClick={() => void replay(l.id)} aria-label={`Replay ${l.launchId}`}>
                            {busy === l.id ? "Replaying…" : "Replay"}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
