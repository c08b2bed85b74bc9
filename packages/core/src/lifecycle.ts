// The launch lifecycle as data: its states, the moves between them, the kinds of
// failure. Every Worker moves a launch only through these names, and the SQL guards
// ("… WHERE status IN (…)") are derived from the same table, so a new state is
// added here first and the guards follow.
//
// Two ways to pay (issue 16). The platform's deployer sends platform-paid launches:
//
//   queued ──submit──▶ submitted ──confirm──▶ confirmed ──reorg──▶ queued
//     │  ╲                 │  ↺ replace
//     │   ╲──confirm──▶    └──fail──▶ failed ──replay──▶ queued
//     └──fail──▶ failed
//
// The creator's wallet sends wallet-paid launches; the platform only watches for
// the token at its predicted address until the payment window closes:
//
//   awaiting_payment ──confirm──▶ confirmed ──rewatch──▶ awaiting_payment
//          └──expire──▶ expired (final: nothing was deployed, nothing was paid)
//
// A wallet-paid launch never becomes queued (no move leads there for it), so no
// sweep, replay or reorg can hand it to the deployer, which would deploy a second
// token on the platform's money. Moves marked `only` carry the payment mode into
// their SQL guard as well.
//
// Pure: no I/O, no clock. Tested like the breaker (every allowed and refused move).
import { z } from "zod";

export const LaunchStatus = z.enum(["awaiting_payment", "queued", "submitted", "confirmed", "failed", "expired"]);
export type LaunchStatus = z.infer<typeof LaunchStatus>;
export const LAUNCH_STATUSES = LaunchStatus.options;

/** Who pays the chain for a launch: the platform's deployer (`platform`) or the creator's wallet (`wallet`). */
export const PaymentMode = z.enum(["platform", "wallet"]);
export type PaymentMode = z.infer<typeof PaymentMode>;

/** What moves a launch. `attempt` and `note` keep the status (a retry, a line in the history). */
export const LaunchMove = z.enum(["submit", "replace", "confirm", "fail", "attempt", "note", "replay", "reorg", "expire", "rewatch"]);
export type LaunchMove = z.infer<typeof LaunchMove>;

type Rule = { from: readonly LaunchStatus[]; to: LaunchStatus | "same"; only?: PaymentMode };

/** The whole table. Anything not listed is refused. */
export const MOVES: Readonly<Record<LaunchMove, Rule>> = {
  // The transaction is on its way (EVM hash, Solana signature).
  submit: { from: ["queued"], to: "submitted", only: "platform" },
  // A new transaction replaces the sent one (EVM: its nonce was taken, it was sent
  // again; Solana: re-signed with a fresh blockhash). The launch shows the new hash.
  replace: { from: ["submitted"], to: "same", only: "platform" },
  // The chain holds the token with the chain's confirmations (from queued: a redelivery
  // found it deployed; from awaiting_payment: the creator's wallet paid and sent it).
  confirm: { from: ["awaiting_payment", "queued", "submitted"], to: "confirmed" },
  // Final refusal: a revert, a verification mismatch, a refused transaction.
  fail: { from: ["awaiting_payment", "queued", "submitted"], to: "failed" },
  // A try that decided nothing (transient RPC error, retry scheduled, dead letter kept for the sweep).
  attempt: { from: ["awaiting_payment", "queued", "submitted"], to: "same" },
  note: { from: ["awaiting_payment", "queued", "submitted"], to: "same" },
  // An operator replays a failed launch from the dead-letter queue (the platform sends it again).
  replay: { from: ["failed"], to: "queued", only: "platform" },
  // The token vanished from the chain within its reorg window: work on it again.
  reorg: { from: ["confirmed"], to: "queued", only: "platform" },
  // …or, for a wallet-paid launch, watch for it again (the wallet's transaction may land again).
  rewatch: { from: ["confirmed"], to: "awaiting_payment", only: "wallet" },
  // The payment window closed (and the chain can no longer accept the transaction) with no token.
  expire: { from: ["awaiting_payment"], to: "expired", only: "wallet" },
};

/** The status a new platform-paid launch is stored in (initialStatus for either mode). */
export const INITIAL: LaunchStatus = "queued";
export const initialStatus = (mode: PaymentMode): LaunchStatus => (mode === "wallet" ? "awaiting_payment" : "queued");
export const FINAL: readonly LaunchStatus[] = ["confirmed", "failed", "expired"];
export const NOT_FINAL: readonly LaunchStatus[] = LAUNCH_STATUSES.filter((s) => !FINAL.includes(s));
/** The statuses the platform's sender works on (the launches queue, the sweep, dead letters). */
export const SENDER_STATUSES: readonly LaunchStatus[] = ["queued", "submitted"];
/** The statuses in which the platform watches the chain for a token someone else sends. */
export const WATCHED_STATUSES: readonly LaunchStatus[] = ["awaiting_payment"];
export const isFinal = (s: LaunchStatus): boolean => FINAL.includes(s);

/** The status after `move`, or null when the move is not allowed from `from` (or not for a launch paid this way). */
export function nextStatus(from: LaunchStatus, move: LaunchMove, mode: PaymentMode = "platform"): LaunchStatus | null {
  const rule = MOVES[move];
  if (!rule.from.includes(from)) return null;
  if (rule.only && rule.only !== mode) return null;
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

/**
 * The WHERE guard of a conditional UPDATE that performs `move`. A move for one
 * payment mode checks the row's `payment_mode` too (beside `column`: `l.status` → `l.payment_mode`).
 */
export function guardFor(move: LaunchMove, column = "status"): string {
  const rule = MOVES[move];
  const byStatus = statusIn(rule.from, column);
  if (!rule.only) return byStatus;
  const modeColumn = column.replace(/status$/, "payment_mode");
  return `(${byStatus} AND ${modeColumn} = '${PaymentMode.parse(rule.only)}')`;
}

/** SQL: the row is paid this way (`payment_mode = 'platform'`). Only enum values reach SQL. */
export const paidBy = (mode: PaymentMode, column = "payment_mode"): string => `${column} = '${PaymentMode.parse(mode)}'`;

/** Why a launch failed, as stored in `launches.error_type` and shown in `error.type`. */
export const LaunchErrorKind = z.enum([
  "revert", // the chain executed the transaction and it reverted
  "invalid-params", // the node refused the transaction's parameters (the same on every endpoint and try)
  "verification", // the token at the address differs from the request
  "transaction", // the chain refused or failed the transaction (Solana)
  "dead-letter", // retries exhausted before anything was sent
]);
export type LaunchErrorKind = z.infer<typeof LaunchErrorKind>;
