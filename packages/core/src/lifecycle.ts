// The launch lifecycle as data: its states, the moves between them, the kinds of
// failure. Every Worker moves a launch only through these names, and the SQL guards
// ("… WHERE status IN (…)") are derived from the same table, so a new state (awaiting
// payment, expired) is added here first and the guards follow.
//
//   queued ──submit──▶ submitted ──confirm──▶ confirmed ──reorg──▶ queued
//     │  ╲                 │  ↺ replace
//     │   ╲──confirm──▶    └──fail──▶ failed ──replay──▶ queued
//     └──fail──▶ failed
//
// Pure: no I/O, no clock. Tested like the breaker (every allowed and refused move).
import { z } from "zod";

export const LaunchStatus = z.enum(["queued", "submitted", "confirmed", "failed"]);
export type LaunchStatus = z.infer<typeof LaunchStatus>;
export const LAUNCH_STATUSES = LaunchStatus.options;

/** What moves a launch. `attempt` and `note` keep the status (a retry, a line in the history). */
export const LaunchMove = z.enum(["submit", "replace", "confirm", "fail", "attempt", "note", "replay", "reorg"]);
export type LaunchMove = z.infer<typeof LaunchMove>;

type Rule = { from: readonly LaunchStatus[]; to: LaunchStatus | "same" };

/** The whole table. Anything not listed is refused. */
export const MOVES: Readonly<Record<LaunchMove, Rule>> = {
  // The transaction is on its way (EVM hash, Solana signature).
  submit: { from: ["queued"], to: "submitted" },
  // A new transaction replaces the sent one (EVM: its nonce was taken, it was sent
  // again; Solana: re-signed with a fresh blockhash). The launch shows the new hash.
  replace: { from: ["submitted"], to: "same" },
  // The chain holds the token with the chain's confirmations (from queued: a redelivery found it deployed).
  confirm: { from: ["queued", "submitted"], to: "confirmed" },
  // Final refusal: a revert, a verification mismatch, a refused transaction.
  fail: { from: ["queued", "submitted"], to: "failed" },
  // A try that decided nothing (transient RPC error, retry scheduled, dead letter kept for the sweep).
  attempt: { from: ["queued", "submitted"], to: "same" },
  note: { from: ["queued", "submitted"], to: "same" },
  // An operator replays a failed launch from the dead-letter queue.
  replay: { from: ["failed"], to: "queued" },
  // The token vanished from the chain within its reorg window: work on it again.
  reorg: { from: ["confirmed"], to: "queued" },
};

/** The status a new launch is stored in. */
export const INITIAL: LaunchStatus = "queued";
export const FINAL: readonly LaunchStatus[] = ["confirmed", "failed"];
export const NOT_FINAL: readonly LaunchStatus[] = LAUNCH_STATUSES.filter((s) => !FINAL.includes(s));
export const isFinal = (s: LaunchStatus): boolean => FINAL.includes(s);

/** The status after `move`, or null when the move is not allowed from `from`. */
export function nextStatus(from: LaunchStatus, move: LaunchMove): LaunchStatus | null {
  const rule = MOVES[move];
  if (!rule.from.includes(from)) return null;
  return rule.to === "same" ? from : rule.to;
}

/** The status `move` lands in, for a move that changes it (the `SET status = ?` of its UPDATE). */
export function targetOf(move: LaunchMove): LaunchStatus {
  const to = MOVES[move].to;
  if (to === "same") throw new Error(`the move ${move} keeps the launch's status`);
  return to;
}

/** The statuses a launch may be in for `move` to apply. */
export const movableFrom = (move: LaunchMove): readonly LaunchStatus[] => MOVES[move].from;

/** SQL literal list for a guard: `status IN ('queued','submitted')`. Only enum values reach SQL. */
export function statusIn(statuses: readonly LaunchStatus[], column = "status"): string {
  const checked = statuses.map((s) => LaunchStatus.parse(s));
  return checked.length === 1 ? `${column} = '${checked[0]}'` : `${column} IN (${checked.map((s) => `'${s}'`).join(",")})`;
}

/** The WHERE guard of a conditional UPDATE that performs `move`. */
export const guardFor = (move: LaunchMove, column = "status"): string => statusIn(movableFrom(move), column);

/** Why a launch failed, as stored in `launches.error_type` and shown in `error.type`. */
export const LaunchErrorKind = z.enum([
  "revert", // the chain executed the transaction and it reverted
  "invalid-params", // the node refused the transaction's parameters (the same on every endpoint and try)
  "verification", // the token at the address differs from the request
  "transaction", // the chain refused or failed the transaction (Solana)
  "dead-letter", // retries exhausted before anything was sent
]);
export type LaunchErrorKind = z.infer<typeof LaunchErrorKind>;
