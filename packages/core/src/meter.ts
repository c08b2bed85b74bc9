// The billed operations of one Worker invocation, counted at the bindings, for
// `npm run bench:cost` (tools/bench-cost.ts). Off unless the Worker's COST_METER var
// is "on": then each entry wraps its env in counting proxies and logs one
// `cost.usage` line when the invocation ends. Production leaves it off (the
// bindings are then the runtime's own objects, untouched).
//
// What is counted, by the runtime class of each binding: D1 queries and rows read/written
// (from each result's meta; `raw()` and `first()` give none, so for them the rows
// returned stand in for rows read and writes are counted by the statements
// themselves — say so when quoting), KV reads / writes / lists / deletes, queue
// messages sent (each costs write + read + delete when consumed), Durable Object
// requests and their wall time as seen by the caller, R2 class A / B operations.
import { log } from "./log";

export type Usage = {
  d1Queries: number;
  /** Calls to D1 (a batch of statements is one): the round trips a request waits for. */
  d1RoundTrips: number;
  d1RowsRead: number;
  d1RowsWritten: number;
  kvReads: number;
  kvWrites: number;
  kvLists: number;
  queueMessages: number;
  doRequests: number;
  doWallMs: number;
  r2ClassA: number;
  r2ClassB: number;
};

export const emptyUsage = (): Usage => ({
  d1Queries: 0, d1RoundTrips: 0, d1RowsRead: 0, d1RowsWritten: 0, kvReads: 0, kvWrites: 0, kvLists: 0, queueMessages: 0, doRequests: 0, doWallMs: 0, r2ClassA: 0, r2ClassB: 0,
});

type Meta = { rows_read?: number; rows_written?: number };
const WRITE_SQL = /^\s*(insert|update|delete|replace)\b/i;

function countResult(u: Usage, result: unknown) {
  u.d1Queries++;
  const meta = (result as { meta?: Meta } | null)?.meta;
  u.d1RowsRead += meta?.rows_read ?? 0;
  u.d1RowsWritten += meta?.rows_written ?? 0;
}

function statement(u: Usage, stmt: D1PreparedStatement, sql: string): D1PreparedStatement {
  return new Proxy(stmt, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "bind") return (...args: unknown[]) => statement(u, target.bind(...args), sql);
      if (prop === "run" || prop === "all") return async (...args: unknown[]) => {
        u.d1RoundTrips++;
        const r = await Reflect.apply(value as (...a: unknown[]) => Promise<unknown>, target, args);
        countResult(u, r);
        return r;
      };
      if (prop === "raw" || prop === "first") return async (...args: unknown[]) => {
        u.d1RoundTrips++;
        const r = await Reflect.apply(value as (...a: unknown[]) => Promise<unknown>, target, args);
        u.d1Queries++;
        const rows = Array.isArray(r) ? r.length : r == null ? 0 : 1;
        if (WRITE_SQL.test(sql)) u.d1RowsWritten += rows || 1;
        else u.d1RowsRead += rows;
        return r;
      };
      return value.bind(target);
    },
  });
}

function d1(u: Usage, db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => {
        const inner = target.prepare(sql);
        const wrapped = statement(u, inner, sql);
        unwrapped.set(wrapped, inner);
        return wrapped;
      };
      if (prop === "batch") return async (stmts: D1PreparedStatement[]) => {
        u.d1RoundTrips++;
        const results = await target.batch(stmts.map((s) => unwrapped.get(s) ?? s));
        for (const r of results) countResult(u, r);
        return results;
      };
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
/** The statement each proxy wraps: D1's batch() wants its own objects. */
const unwrapped = new WeakMap<object, D1PreparedStatement>();

function counting<T extends object>(target: T, count: (prop: string, args: unknown[]) => void): T {
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        count(String(prop), args);
        return Reflect.apply(value as (...a: unknown[]) => unknown, t, args);
      };
    },
  });
}

function durableObjects(u: Usage, ns: DurableObjectNamespace): DurableObjectNamespace {
  const stub = (s: DurableObjectStub) => new Proxy(s, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof value !== "function" || prop === "then") return value;
      return async (...args: unknown[]) => {
        const started = Date.now();
        u.doRequests++;
        try {
          // Reflect.apply, not value.apply: on an RPC stub every property, `apply` too, is a remote method.
          return await Reflect.apply(value as (...a: unknown[]) => Promise<unknown>, t, args);
        } finally {
          u.doWallMs += Date.now() - started;
        }
      };
    },
  });
  return new Proxy(ns, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (prop === "get" || prop === "getByName") return (...args: unknown[]) => stub(Reflect.apply(value as (...a: unknown[]) => DurableObjectStub, t, args));
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}

/**
 * Wraps a binding by its runtime class. Not by duck type: a service binding with an
 * RPC entrypoint answers every property name, so it would pass for anything.
 */
function binding(u: Usage, value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const o = value as object;
  switch (Object.getPrototypeOf(o)?.constructor?.name) {
    case "D1Database":
      return d1(u, o as D1Database);
    case "DurableObjectNamespace":
      return durableObjects(u, o as DurableObjectNamespace);
    case "WorkerQueue":
      return counting(o, (p, args) => {
        if (p === "send") u.queueMessages++;
        if (p === "sendBatch") u.queueMessages += [...(args[0] as Iterable<unknown>)].length;
      });
    case "R2Bucket":
      return counting(o, (p) => {
        if (p === "put" || p === "list" || p === "createMultipartUpload") u.r2ClassA++;
        if (p === "get" || p === "head") u.r2ClassB++;
      });
    case "KvNamespace":
      return counting(o, (p) => {
        if (p === "get" || p === "getWithMetadata") u.kvReads++;
        if (p === "put" || p === "delete") u.kvWrites++;
        if (p === "list") u.kvLists++;
      });
    default:
      return value;
  }
}

/** Whether this env asks for metering (the COST_METER var). */
export const meterOn = (env: object) => (env as { COST_METER?: string }).COST_METER === "on";

/**
 * Runs one invocation with its env metered when COST_METER is on, logging its
 * usage as `cost.usage` (worker, handler) when it ends; otherwise runs it as is.
 */
export async function metered<E extends object, T>(worker: string, handler: string, env: E, run: (env: E) => Promise<T>): Promise<T> {
  if (!meterOn(env)) return run(env);
  const u = emptyUsage();
  const wrapped = new Proxy(env, { get: (t, prop) => binding(u, Reflect.get(t, prop, t)) });
  try {
    return await run(wrapped);
  } finally {
    log("info", "cost.usage", { worker, handler, ...u });
  }
}
