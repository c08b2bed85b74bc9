// The seam between the queue consumers and a chain family. A consumer loads the
// launches, groups them by chain and asks the family's adapter (adapters.ts picks
// it by `chain.family`); the adapter talks to the chain and answers one
// LaunchOutcome per launch. The consumer alone turns outcomes into lifecycle
// moves (changeFor below, core's lifecycle.ts), D1 writes and queue actions, so
// every family follows the same rules for what "submitted", "confirmed",
// "failed" and "retry" mean.
import type { ChainConfig, ChainFamily, LaunchMessage } from "@tokenforge/core";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import { nextStatus, type LaunchErrorKind, type LaunchMove } from "@tokenforge/core/lifecycle";
import type { Env } from "./env";
import type { Change, TokenInsert } from "./store";
import type { Classified } from "./errors";

export type AdapterContext = { env: Env; chain: ChainConfig };

/** A launch to send, with why its messages came (reconcile / reorg hand it back to the sender). */
export type SendItem = { row: LaunchRow; reasons: LaunchMessage["reason"][] };

/** What `watch` needs of a launch the platform does not send: its predicted address and request, and until when it may appear. */
export type WatchedLaunch = Pick<LaunchRow, "id" | "address" | "request" | "createdAt" | "factoryVersion"> & { expiresAt: number | null } & Partial<Pick<LaunchRow, "payment">>;

export type LaunchOutcome =
  /** A transaction is out for the launch (new, replaced, or already known): it is followed until confirmed. */
  | { kind: "submitted"; launchId: string; txHash: string; nonce: number | null; detail: string }
  /** The token is on chain with the chain's confirmations and matches the request. */
  | { kind: "confirmed"; launchId: string; txHash: string | null; blockNumber: number; gasUsed: string | null; detail: string; token: TokenInsert }
  /** Final refusal (revert, verification mismatch, refused transaction). */
  | { kind: "failed"; launchId: string; errorType: LaunchErrorKind; detail: string }
  /** Nothing decided and nothing to write: look again later. */
  | { kind: "pending"; launchId: string; detail?: string }
  /** A transient failure of this attempt: it is counted and the message retried with backoff. */
  | { kind: "retry"; launchId: string; error: Classified }
  /** The sender cannot pay now: counted, not retried; the sweep brings the launch back. */
  | { kind: "waiting"; launchId: string; detail: string }
  /**
   * The chain's factory is paused by its owner (EnforcedPause() in the simulation): nothing
   * sent, nothing counted, the message acked (no dead letter); the sweep brings the launch
   * back until the factory is unpaused. `note`: say so in the launch's history (once per
   * delivery that is not the sweep's, so a long pause does not fill the history).
   */
  | { kind: "held"; launchId: string; detail: string; note: boolean }
  /** The adapter holds nothing to follow for a submitted launch (its record is gone): the message goes, the sweep re-drives the launch. */
  | { kind: "untracked"; launchId: string }
  /** A watched launch whose deadline passed with no token at its address. */
  | { kind: "expired"; launchId: string; detail: string };

export interface ChainAdapter {
  readonly family: ChainFamily;
  /**
   * What a sender needs before sending. EVM: the factory call (the same bytes for
   * the Signer or, later, a wallet). Solana: the checked mint and the most the
   * transaction costs its fee payer (it is signed at send time, with a fresh blockhash).
   */
  prepare(ctx: AdapterContext, row: LaunchRow): Promise<Prepared>;
  /** Sends the launches (or finds them already sent or deployed). Throws when nothing could be decided for the batch. */
  send(ctx: AdapterContext, items: SendItem[]): Promise<LaunchOutcome[]>;
  /** Follows submitted launches' transactions to confirmed or failed. */
  confirm(ctx: AdapterContext, rows: LaunchRow[]): Promise<LaunchOutcome[]>;
  /** For launches the platform does not send: has the token appeared at its predicted address? */
  watch(ctx: AdapterContext, launches: WatchedLaunch[], now: number): Promise<LaunchOutcome[]>;
  /** After confirm's final outcomes are stored: the sender forgets those launches. */
  settle(ctx: AdapterContext, rows: LaunchRow[]): Promise<void>;
  /** Launches the sender holds a signed transaction for (id → hash/signature), asking no chain. */
  held(ctx: AdapterContext, rows: LaunchRow[]): Promise<Map<string, string>>;
}

export type Prepared =
  | { family: "evm"; to: `0x${string}`; data: `0x${string}`; address: string }
  | { family: "solana"; mint: string; costLamports: bigint };

/** The lifecycle move an outcome makes (null: it writes nothing). */
export function moveOf(o: LaunchOutcome, row: Pick<LaunchRow, "status">): LaunchMove | null {
  switch (o.kind) {
    case "submitted":
      return row.status === "submitted" ? "replace" : "submit";
    case "confirmed":
      return "confirm";
    case "failed":
      return "fail";
    case "retry":
    case "waiting":
      return "attempt";
    case "held":
      return o.note ? "note" : null;
    case "expired":
      return "expire";
    case "pending":
    case "untracked":
      return null;
  }
}

/**
 * The D1 change of an outcome, or null when it moves nothing: a move the
 * launch's status does not allow (lifecycle's nextStatus), or a submitted launch
 * whose transaction is already the one on its row. The store's guards still
 * decide in SQL; this keeps a batch from writing what can only be a no-op.
 */
export function changeFor(o: LaunchOutcome, row: Pick<LaunchRow, "status" | "txHash"> & Partial<Pick<LaunchRow, "paymentMode">>, retryEvent?: string): Change | null {
  const move = moveOf(o, row);
  if (!move || nextStatus(row.status, move, row.paymentMode ?? "platform") === null) return null;
  switch (o.kind) {
    case "submitted":
      if (move === "replace" && row.txHash === o.txHash) return null;
      return { kind: "submitted", launchId: o.launchId, txHash: o.txHash, nonce: o.nonce, detail: o.detail };
    case "confirmed":
      return { ...o };
    case "failed":
      return { kind: "failed", launchId: o.launchId, errorType: o.errorType, detail: o.detail };
    case "retry":
      return { kind: "attempt", launchId: o.launchId, detail: o.error.message, event: retryEvent };
    case "expired":
      return { kind: "expired", launchId: o.launchId, detail: o.detail };
    case "waiting":
      return { kind: "attempt", launchId: o.launchId, detail: o.detail };
    case "held":
      return { kind: "note", launchId: o.launchId, event: o.detail };
    default:
      return null;
  }
}

/** A watched launch with no token at its address (yet): pending until its deadline, expired after. */
export function absentOutcome(l: WatchedLaunch, now: number, where: string): LaunchOutcome {
  if (l.expiresAt !== null && now > l.expiresAt) {
    return { kind: "expired", launchId: l.id, detail: `no token at ${where} by ${new Date(l.expiresAt).toISOString()}` };
  }
  return { kind: "pending", launchId: l.id, detail: `no token at ${where} yet` };
}
