// The sweep: D1 is the source of truth, not the queue (a local queue vanishes
// with its process; a message can be dropped). Launches that are not final and
// have not moved for a while go back on the queue; the deployer is idempotent,
// so a launch that was merely slow gets a harmless second delivery. Submitted
// ones are first checked against the chain (reconcile.ts): found → confirmed by
// the normal path, unknown → handed back to the Signer. Chains the operators paused
// (chain_settings.paused) are skipped: their launches wait, and resume re-enqueues them.
import { log, noteLaunches, withTrace, type ConfirmMessage, type LaunchMessage } from "@tokenforge/core";
import { SENDER_STATUSES, WATCHED_STATUSES, paidBy, statusIn } from "@tokenforge/core/lifecycle";
import { cronConfig } from "../config";
import type { Env } from "../env";
import { reconcileSubmitted } from "./reconcile";

const SWEEP_LIMIT = 5_000;
const SEND_BATCH = 100; // Queues' sendBatch limit

type Claimed = { id: string; chain: string; status: string; tx_hash: string | null; request_id: string | null };

/**
 * Its own trace scope: each launch it touches is noted with the request that
 * created it, so every line about one (here, in reconcile.ts, in the gate's
 * rpc.call lines) carries that request id, as the deployer's lines do.
 */
export function sweepStuckLaunches(env: Env, now = Date.now()) {
  return withTrace({}, () => sweep(env, now));
}

async function sweep(env: Env, now: number) {
  const staleMs = cronConfig(env).sweepStaleMs;
  // Claim and touch in one statement, so two sweeps running at once never send
  // the same launch twice, and the next sweep waits a full window before resending.
  const { results } = await env.DB.prepare(
    `UPDATE launches SET updated_at = ?1 WHERE id IN (
       SELECT id FROM launches WHERE ${statusIn(SENDER_STATUSES)} AND ${paidBy("platform")} AND updated_at < ?2
         AND chain NOT IN (SELECT chain FROM chain_settings WHERE paused = 1) ORDER BY updated_at LIMIT ?3
     ) AND updated_at < ?2 RETURNING id, chain, status, tx_hash, request_id`,
  )
    .bind(now, now - staleMs, SWEEP_LIMIT)
    .all<Claimed>();
  noteLaunches(results.map((r) => ({ id: r.id, requestId: r.request_id })));

  const submitted = results.filter((r) => r.status === "submitted");
  const verdicts = await reconcileSubmitted(env, submitted.map((r) => ({ id: r.id, chain: r.chain, txHash: r.tx_hash })));
  const toLaunches: LaunchMessage[] = [];
  const toConfirm: ConfirmMessage[] = [];
  for (const r of results) {
    const v = verdicts.get(r.id);
    if (v === "confirm" || v === "pending") toConfirm.push({ launchId: r.id, checks: 0 });
    else toLaunches.push({ launchId: r.id, reason: v === "resend" ? "reconcile" : "sweep" });
  }
  // One line per launch sent back (a stuck launch is rare, and the line is what follows it across this hop).
  for (const m of toLaunches) log("warn", "cron.sweep_requeued", { launchId: m.launchId, chain: results.find((r) => r.id === m.launchId)?.chain, outcome: m.reason });
  for (const m of toConfirm) log("info", "cron.sweep_confirming", { launchId: m.launchId, outcome: "confirmations" });
  for (let i = 0; i < toLaunches.length; i += SEND_BATCH) await env.LAUNCHES.sendBatch(toLaunches.slice(i, i + SEND_BATCH).map((body) => ({ body })));
  for (let i = 0; i < toConfirm.length; i += SEND_BATCH) await env.CONFIRMATIONS.sendBatch(toConfirm.slice(i, i + SEND_BATCH).map((body) => ({ body })));

  const rewatched = await rewatchStale(env, now, now - staleMs);
  const counts = { requeued: toLaunches.filter((m) => m.reason === "sweep").length, confirming: toConfirm.length, handedBack: toLaunches.filter((m) => m.reason === "reconcile").length, rewatched };
  log(results.length ? "warn" : "debug", "cron.sweep", { ...counts, outcome: "ok" });
  return counts;
}

/**
 * Wallet-paid launches awaiting payment that nothing touched for a while (the
 * watch consumer's delayed message was lost): back on the watch queue, never
 * on the launches queue (the platform must not send them). The watch writes
 * nothing while it finds nothing, so the claim touches updated_at itself.
 */
async function rewatchStale(env: Env, now: number, staleBefore: number): Promise<number> {
  const { results } = await env.DB.prepare(
    `UPDATE launches SET updated_at = ?1 WHERE id IN (
       SELECT id FROM launches WHERE ${statusIn(WATCHED_STATUSES)} AND ${paidBy("wallet")} AND updated_at < ?2 ORDER BY updated_at LIMIT ?3
     ) AND updated_at < ?2 RETURNING id, request_id`,
  )
    .bind(now, staleBefore, SWEEP_LIMIT)
    .all<{ id: string; request_id: string | null }>();
  noteLaunches(results.map((r) => ({ id: r.id, requestId: r.request_id })));
  for (const r of results) log("warn", "cron.sweep_rewatched", { launchId: r.id, outcome: "watch" });
  for (let i = 0; i < results.length; i += SEND_BATCH) {
    await env.WATCH.sendBatch(results.slice(i, i + SEND_BATCH).map((r) => ({ body: { launchId: r.id, reason: "sweep" as const } })));
  }
  return results.length;
}
