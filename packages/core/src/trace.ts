// One id across hops. The api gives every request an id (the W3C trace-id of an
// incoming `traceparent`, else a fresh one), stores it on the launches the
// request creates (launches.request_id), and each later hop — queues, deployer,
// confirmation, webhooks — puts it back in scope from the row or the message.
// log() reads the scope, so every line about a launch carries its launch id and
// that request id; outgoing HTTP carries a `traceparent` with the same trace-id.
// AsyncLocalStorage (node:async_hooks, nodejs_compat in workerd) keeps the scope
// across awaits without threading a parameter through every function.
import { AsyncLocalStorage } from "node:async_hooks";

export type TraceScope = {
  /** The request being served (api), if any. */
  requestId?: string;
  /** Launch id → the id of the request that created it, for the launches this batch touches. */
  launches: Map<string, string>;
};

const scope = new AsyncLocalStorage<TraceScope>();

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

function randomHex(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** A new request id: a W3C trace-id (32 lowercase hex, not all zero). */
export const newRequestId = () => randomHex(16);

/** The trace-id of a valid `traceparent` (W3C Trace Context, version 00), else null. */
export function traceIdOf(header: string | null | undefined): string | null {
  const m = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  if (!m || /^0+$/.test(m[1]!) || /^0+$/.test(m[2]!)) return null;
  return m[1]!;
}

/** Runs `fn` with a trace scope (a request, or a queue batch whose launches get noted as they are read). */
export function withTrace<T>(s: Partial<TraceScope>, fn: () => T): T {
  return scope.run({ requestId: s.requestId, launches: s.launches ?? new Map() }, fn);
}

export const currentTrace = (): TraceScope | undefined => scope.getStore();

/** Notes which request created each launch (a batch read its rows, or its messages carried it). */
export function noteLaunches(pairs: Iterable<{ id: string; requestId: string | null | undefined }>): void {
  const s = scope.getStore();
  if (!s) return;
  for (const p of pairs) if (p.requestId) s.launches.set(p.id, p.requestId);
}

/** The request id for a launch in scope, or the request being served. */
export function requestIdFor(launchId?: string): string | undefined {
  const s = scope.getStore();
  if (!s) return undefined;
  return (launchId ? s.launches.get(launchId) : undefined) ?? s.requestId;
}

/**
 * The `traceparent` of an outgoing call: the trace-id of the request in scope, or
 * of the only launch in scope (a batch of several launches has no single trace:
 * a fresh trace-id), with a fresh parent-id per call.
 */
export function outgoingTraceparent(launchId?: string): string {
  const s = scope.getStore();
  const only = s && s.launches.size === 1 ? [...s.launches.values()][0] : undefined;
  const trace = (launchId ? requestIdFor(launchId) : undefined) ?? s?.requestId ?? only ?? newRequestId();
  return `00-${trace}-${randomHex(8)}-01`;
}
