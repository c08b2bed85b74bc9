// The sweep: D1 is the source of truth, not the queue (a local queue vanishes
// with its process; a message can be dropped). Launches that are not final and
// have not moved for a while go back on the queue; the deployer is idempotent,
// so a launch that was merely slow gets a harmless second delivery.
import { log } from "@tokenforge/core";
import type { Env } from "../env";

const SWEEP_LIMIT = 5_000;
const SEND_BATCH = 100; // Queues' sendBatch limit

export async function sweepStuckLaunches(env: Env, now = Date.now()): Promise<{ requeued: number }> {
  const staleMs = Number(env.SWEEP_STALE_SECONDS ?? "30") * 1000;
  // Claim and touch in one statement, so two sweeps running at once never send
  // the same launch twice, and the next sweep waits a full window before resending.
  const { results } = await env.DB.prepare(
    `UPDATE launches SET updated_at = ?1 WHERE id IN (
       SELECT id FROM launches WHERE status IN ('queued','submitted') AND updated_at < ?2 ORDER BY updated_at LIMIT ?3
     ) AND updated_at < ?2 RETURNING id`,
  )
    .bind(now, now - staleMs, SWEEP_LIMIT)
    .all<{ id: string }>();
  for (let i = 0; i < results.length; i += SEND_BATCH) {
    await env.LAUNCHES.sendBatch(results.slice(i, i + SEND_BATCH).map((r) => ({ body: { launchId: r.id, reason: "sweep" as const } })));
  }
  log(results.length ? "warn" : "debug", "cron.sweep", { requeued: results.length, outcome: "ok" });
  return { requeued: results.length };
}
