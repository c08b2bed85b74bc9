// Classifies RPC and transaction errors before anything reacts to them: a nonce
// or revert error says nothing about the endpoint's health and must not be
// retried blindly; a timeout or 5xx says the endpoint (or network) is at fault.
import { BaseError, toFunctionSelector } from "viem";
import { redactUrls } from "@tokenforge/core";

/**
 * `factory-paused`: the factory's owner paused it (ForgeFactoryV2.pause(), OpenZeppelin
 * Pausable's EnforcedPause()). A revert, but not the launch's fault and not for good: the
 * launch waits for unpause instead of failing.
 */
export type ErrorKind = "nonce-too-low" | "nonce-too-high" | "already-known" | "underpriced" | "revert" | "factory-paused" | "insufficient-funds" | "invalid-params" | "endpoint" | "unknown";

/** The kinds that fail the same way on every endpoint and every try: a launch fails with one of them as its `error_type`. */
export type PermanentKind = Extract<ErrorKind, "revert" | "invalid-params">;
export type Classified =
  | { kind: PermanentKind; permanent: true; message: string }
  | { kind: Exclude<ErrorKind, PermanentKind>; permanent: false; message: string };

export function classifyError(err: unknown): Classified {
  const message = errorText(err);
  const m = message.toLowerCase();
  const is = <K extends ErrorKind>(kind: K, permanent: K extends PermanentKind ? true : false): Classified => ({ kind, permanent, message: shorten(message) }) as Classified;
  if (/nonce too low|nonce has already been used|oldnonce/.test(m)) return is("nonce-too-low", false);
  if (/nonce too high|nonce.*gap/.test(m)) return is("nonce-too-high", false);
  if (/already known|known transaction|already imported/.test(m)) return is("already-known", false);
  if (/underpriced|fee too low|max fee per gas less than block base fee|feecap/.test(m)) return is("underpriced", false);
  if (/insufficient funds|insufficient balance/.test(m)) return is("insufficient-funds", false);
  if (isEnforcedPause(err, m)) return is("factory-paused", false);
  if (/execution reverted|revert/.test(m)) return is("revert", true);
  if (/invalid params|invalid argument|-32602/.test(m)) return is("invalid-params", true);
  if (/timeout|timed out|fetch failed|econnrefused|econnreset|socket|network|http request failed|status: (5\d\d|429)|429|too many requests|internal error/.test(m)) {
    return is("endpoint", false);
  }
  return is("unknown", false);
}

/** EnforcedPause()'s selector, 0xd93c0665. */
export const ENFORCED_PAUSE_SELECTOR = toFunctionSelector("EnforcedPause()");

// The node names the selector in its message ("custom error 0xd93c0665") and gives it as the
// error's data; viem keeps the data on an inner error (RpcRequestError / RawContractError).
function isEnforcedPause(err: unknown, lowerMessage: string): boolean {
  if (lowerMessage.includes(ENFORCED_PAUSE_SELECTOR)) return true;
  if (!(err instanceof BaseError)) return false;
  const withData = err.walk((e) => typeof (e as { data?: unknown }).data === "string" || typeof (e as { data?: { data?: unknown } }).data?.data === "string");
  const d = (withData as { data?: unknown } | null)?.data;
  const data = typeof d === "string" ? d : typeof (d as { data?: unknown } | undefined)?.data === "string" ? (d as { data: string }).data : "";
  return data.toLowerCase().startsWith(ENFORCED_PAUSE_SELECTOR);
}

function errorText(err: unknown): string {
  if (err && typeof err === "object") {
    const e = err as { shortMessage?: string; details?: string; message?: string };
    return [e.shortMessage, e.details, e.message].filter(Boolean).join(" | ");
  }
  return String(err);
}

// viem's messages carry request bodies and URLs; keep the first line, bounded.
function shorten(s: string) {
  return redactUrls(s.split("\n")[0]!).slice(0, 300);
}

/** Exponential backoff with full jitter (AWS architecture blog), in whole seconds for Queues. */
export function backoffSeconds(attempt: number, baseSeconds = 2, capSeconds = 300, random = Math.random): number {
  const ceiling = Math.min(capSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(ceiling * (0.5 + random() / 2)));
}

/** The queue retry delay of a launch's attempt `attempt` (1-based), from the config's RETRY_BASE_SECONDS / RETRY_CAP_SECONDS (config.ts checks both are > 0). */
export function retryDelaySeconds(retry: { baseSeconds: number; capSeconds: number }, attempt: number, random = Math.random): number {
  return backoffSeconds(attempt, retry.baseSeconds, retry.capSeconds, random);
}
