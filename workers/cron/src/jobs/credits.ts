// Settles credit reservations left open (issue 17). The deployer captures or
// refunds a launch's reservation when the launch becomes final; a crash between
// the two, or an api request that died between reserving and writing the launch
// row, leaves one open. D1's credit_entries (the ledgers' copy) lists every
// reservation without its capture or refund; by its launch's status now:
// confirmed → capture, failed or expired → refund, no row after
// CREDITS_ORPHAN_MINUTES → refund. Each names the reservation it settles, so a
// newer one (a replay's) is never closed by a stale read. The ledger makes every
// call idempotent, so two runs at once settle nothing twice.
import { log, noteLaunches, withTrace } from "@tokenforge/core";
import { captureLaunch, refundLaunch } from "@tokenforge/core/credits/store";
import { cronConfig } from "../config";
import type { Env } from "../env";

const SETTLE_LIMIT = 500;

type Open = { user_id: string; launch_id: string; reservation: number; at: number; status: string | null; payment_mode: string | null; request_id: string | null };

/** Its own trace scope: a line about a launch's reservation carries the id of the request that created the launch. */
export function settleCredits(env: Env, now = Date.now()) {
  return withTrace({}, () => settle(env, now));
}

async function settle(env: Env, now: number) {
  const orphanMs = cronConfig(env).creditsOrphanMs;
  const { results } = await env.DB.prepare(
    `SELECT r.user_id, r.launch_id, r.reservation, r.at, l.status, l.payment_mode, l.request_id
     FROM credit_entries r LEFT JOIN launches l ON l.id = r.launch_id
     WHERE r.kind = 'reserve' AND NOT EXISTS (
       SELECT 1 FROM credit_entries x WHERE x.launch_id = r.launch_id AND x.reservation = r.reservation AND x.kind IN ('capture', 'refund'))
     ORDER BY r.at LIMIT ?`,
  ).bind(SETTLE_LIMIT).all<Open>();
  noteLaunches(results.map((r) => ({ id: r.launch_id, requestId: r.request_id })));
  const outcomes = await Promise.all(results.map(async (r) => {
    const s = { userId: r.user_id, launchId: r.launch_id, reservation: r.reservation };
    try {
      const settled = r.status === "confirmed" ? await captureLaunch(env, s, now)
        : r.status === "failed" || r.status === "expired" ? await refundLaunch(env, { ...s, reason: `launch ${r.status}` }, now)
        : r.status === null && r.at < now - orphanMs ? await refundLaunch(env, { ...s, reason: "launch never written" }, now)
        : null;
      if (settled === "captured" || settled === "refunded") log("info", "cron.credits_settled_launch", { launchId: r.launch_id, reservation: r.reservation, outcome: settled });
      return settled;
    } catch (e) {
      log("warn", "cron.credits_settle_failed", { launchId: r.launch_id, error: e });
    }
    return null;
  }));
  const captured = outcomes.filter((o) => o === "captured").length;
  const refunded = outcomes.filter((o) => o === "refunded").length;
  if (captured || refunded) log("info", "cron.credits_settled", { captured, refunded, open: results.length });
  return { open: results.length, captured, refunded };
}
