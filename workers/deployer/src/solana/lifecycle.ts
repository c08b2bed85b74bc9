// Where a launch's signed Solana transaction stands, and what an error from the
// node means, as pure functions (unit-tested in test/unit/solana-lifecycle.test.ts).
//
// The rule that keeps a launch to one transaction at a time: a transaction may
// be replaced only when it can never land, i.e. it landed with an error, or the
// chain is past its lastValidBlockHeight and its signature is unknown. The block
// height must be read BEFORE the statuses: then any block at or below
// lastValidBlockHeight that will ever be confirmed already was, and a status
// read afterwards would show the transaction if it were in one.
import {
  isSolanaError,
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  SOLANA_ERROR__TRANSACTION_ERROR__ACCOUNT_NOT_FOUND,
  SOLANA_ERROR__TRANSACTION_ERROR__ALREADY_PROCESSED,
  SOLANA_ERROR__TRANSACTION_ERROR__BLOCKHASH_NOT_FOUND,
  SOLANA_ERROR__TRANSACTION_ERROR__INSUFFICIENT_FUNDS_FOR_FEE,
  SOLANA_ERROR__TRANSACTION_ERROR__INSUFFICIENT_FUNDS_FOR_RENT,
} from "@solana/kit";
import { redactUrls } from "@tokenforge/core";
import type { Commitment } from "./rpc";

export type SignatureStatus = { slot: bigint; confirmationStatus: Commitment | null; err: unknown } | null;

export type TxState =
  | { kind: "landed"; slot: bigint; confirmationStatus: Commitment | null }
  | { kind: "failed"; slot: bigint; confirmationStatus: Commitment | null; err: unknown }
  /** Unknown to the chain but its blockhash is still valid: it may land; re-broadcast, never replace. */
  | { kind: "pending" }
  /** Unknown and past lastValidBlockHeight: it can never land; a new transaction may be signed. */
  | { kind: "expired" };

/** `blockHeight` must have been read before `status` (see above). */
export function txState(status: SignatureStatus, blockHeightBeforeStatus: bigint, lastValidBlockHeight: bigint): TxState {
  if (status) {
    const base = { slot: status.slot, confirmationStatus: status.confirmationStatus };
    return status.err == null ? { kind: "landed", ...base } : { kind: "failed", ...base, err: status.err };
  }
  return blockHeightBeforeStatus > lastValidBlockHeight ? { kind: "expired" } : { kind: "pending" };
}

export type SendErrorKind =
  /** The fee payer cannot pay: the launch waits for funds (not a failure). */
  | "insufficient-funds"
  /** The node does not know the blockhash yet or any more: the stored transaction waits for expiry. */
  | "blockhash-not-found"
  /** This very transaction already landed. */
  | "already-processed"
  /** Allocate found the mint already there: an earlier transaction made it. */
  | "mint-exists"
  /** The program refused the transaction: permanent for this request. */
  | "instruction"
  /** Transport, HTTP or anything else: the stored transaction is re-broadcast later. */
  | "transient";

export type ClassifiedSendError = { kind: SendErrorKind; message: string };

// SystemError codes (solana system program): AccountAlreadyInUse = 0, ResultWithNegativeLamports = 1.
const SYSTEM_ACCOUNT_ALREADY_IN_USE = 0;
const SYSTEM_RESULT_WITH_NEGATIVE_LAMPORTS = 1;

/** Classifies a sendTransaction error. `createAccountIndex` is the index of the launch's Allocate of the mint (its rent Transfer is just before). */
export function classifySendError(e: unknown, createAccountIndex: number): ClassifiedSendError {
  const message = shortMessage(e);
  if (!isSolanaError(e, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE)) return { kind: "transient", message };
  const cause = (e as { cause?: unknown }).cause;
  const detail = shortMessage(cause) || message;
  if (
    isSolanaError(cause, SOLANA_ERROR__TRANSACTION_ERROR__INSUFFICIENT_FUNDS_FOR_FEE) ||
    isSolanaError(cause, SOLANA_ERROR__TRANSACTION_ERROR__INSUFFICIENT_FUNDS_FOR_RENT) ||
    isSolanaError(cause, SOLANA_ERROR__TRANSACTION_ERROR__ACCOUNT_NOT_FOUND) // a fee payer with no lamports has no account
  ) {
    return { kind: "insufficient-funds", message: detail };
  }
  if (isSolanaError(cause, SOLANA_ERROR__TRANSACTION_ERROR__BLOCKHASH_NOT_FOUND)) return { kind: "blockhash-not-found", message: detail };
  if (isSolanaError(cause, SOLANA_ERROR__TRANSACTION_ERROR__ALREADY_PROCESSED)) return { kind: "already-processed", message: detail };
  if (isSolanaError(cause, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)) {
    if (cause.context.index === createAccountIndex && cause.context.code === SYSTEM_ACCOUNT_ALREADY_IN_USE) return { kind: "mint-exists", message: detail };
    // The rent Transfer is the instruction before Allocate.
    if (cause.context.index === createAccountIndex - 1 && cause.context.code === SYSTEM_RESULT_WITH_NEGATIVE_LAMPORTS) return { kind: "insufficient-funds", message: detail };
  }
  return { kind: "instruction", message: detail };
}

/** Classifies the `err` of a landed transaction (the JSON TransactionError of getSignatureStatuses). */
export function classifyLandedError(err: unknown, createAccountIndex: number): ClassifiedSendError {
  const message = `transaction error ${JSON.stringify(err, (_, v) => (typeof v === "bigint" ? Number(v) : v))}`;
  if (err === "InsufficientFundsForFee" || err === "InsufficientFundsForRent" || (typeof err === "object" && err && "InsufficientFundsForRent" in err)) {
    return { kind: "insufficient-funds", message };
  }
  const ix = typeof err === "object" && err && "InstructionError" in err ? (err as { InstructionError: [unknown, unknown] }).InstructionError : null;
  if (ix && typeof ix[1] === "object" && ix[1] && "Custom" in ix[1]) {
    const code = Number((ix[1] as { Custom: unknown }).Custom);
    if (Number(ix[0]) === createAccountIndex && code === SYSTEM_ACCOUNT_ALREADY_IN_USE) return { kind: "mint-exists", message };
    if (Number(ix[0]) === createAccountIndex - 1 && code === SYSTEM_RESULT_WITH_NEGATIVE_LAMPORTS) return { kind: "insufficient-funds", message };
  }
  return { kind: "instruction", message };
}

/** A bounded, URL-free one-liner for logs and launch rows (RPC URLs may carry API keys). */
export function shortMessage(e: unknown): string {
  if (!e) return "";
  const m = e instanceof Error ? e.message : String(e);
  return redactUrls(m.split("\n")[0]!).slice(0, 300);
}
