// bench:api's operation counts: what one request of each benchmarked kind costs in
// billed operations and api-isolate CPU, figures that do not depend on how busy the
// machine is (its requests/s do). Needs a platform started with COST_METER=on (core
// meter.ts: every api invocation logs a `cost.usage` line with its D1 queries, KV
// reads/writes, Durable Object calls and queue messages) and reads the RPC calls an
// api request made from its `rpc.call` lines (hop "quote" and the like). CPU: the
// api isolate's JavaScript time, sampled by the V8 profiler over the devtools port
// wrangler opens (idle, program and GC ticks left out); PROFILE_DIR=… keeps each
// profile as a .cpuprofile file (open it in Chrome's devtools).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import type { Platform } from "../platform";

export type Counts = {
  requests: number;
  d1Queries: number;
  d1RoundTrips: number;
  kvReads: number;
  kvWrites: number;
  doRequests: number;
  queueMessages: number;
  rpcCalls: number;
  cpuMs: number | null;
  /** workerd's CPU ms per request (processCpuPerRequest). */
  procMs?: number | null;
};

type Usage = Record<string, unknown>;

/** The api Worker's per-request fetch usage lines and its RPC attempts since `from`. */
function usageSince(p: Platform, from: number): { usage: Usage[]; rpc: number } {
  const usage: Usage[] = [];
  let rpc = 0;
  for (const line of p.logs.slice(from)) {
    const at = line.indexOf("{");
    if (at === -1) continue;
    if (!line.includes("cost.usage") && !line.includes("rpc.call")) continue;
    let e: Usage;
    try {
      e = JSON.parse(line.slice(at)) as Usage;
    } catch {
      continue;
    }
    if (e.event === "cost.usage" && e.worker === "api" && e.handler === "fetch") usage.push(e);
    // RPC made while serving an api request (quotes); the deployer's hops are its own work.
    if (e.event === "rpc.call" && (e.hop === "quote" || e.hop === "api")) rpc += Number(e.calls ?? 1);
  }
  return { usage, rpc };
}

/** A V8 CPU profile of the api isolate through the devtools port; null when none answers. */
async function profiler(port: number): Promise<{ stop: () => Promise<number> } | null> {
  let targets: { webSocketDebuggerUrl?: string; title?: string; id?: string }[];
  try {
    targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as typeof targets;
  } catch {
    return null;
  }
  // wrangler's inspector proxy names the Worker it fronts (the first -c: the api).
  const target = targets.find((t) => t.webSocketDebuggerUrl && /api/i.test(`${t.title ?? ""} ${t.id ?? ""}`)) ?? targets.find((t) => t.webSocketDebuggerUrl);
  if (!target?.webSocketDebuggerUrl) return null;
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let id = 0;
  const waiting = new Map<number, (r: unknown) => void>();
  ws.on("message", (data) => {
    const m = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const n = ++id;
      waiting.set(n, resolve);
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 200 });
  await call("Profiler.start");
  return {
    stop: async () => {
      const r = (await call("Profiler.stop")) as { profile?: Profile } | undefined;
      ws.close();
      if (r?.profile && process.env.PROFILE_DIR) writeFileSync(join(process.env.PROFILE_DIR, `api-${Date.now()}.cpuprofile`), JSON.stringify(r.profile));
      return r?.profile ? busyMs(r.profile) : 0;
    },
  };
}

type Profile = { nodes: { id: number; callFrame: { functionName: string } }[]; samples: number[]; timeDeltas: number[] };

/** Sampled time (ms) outside the idle, program and GC pseudo-frames. */
export function busyMs(profile: Profile): number {
  const idle = new Set(profile.nodes.filter((n) => ["(idle)", "(program)", "(garbage collector)"].includes(n.callFrame.functionName)).map((n) => n.id));
  let us = 0;
  for (let i = 1; i < profile.samples.length; i++) if (!idle.has(profile.samples[i]!)) us += profile.timeDeltas[i] ?? 0;
  return us / 1000;
}

async function drive(make: (i: number) => Promise<Response>, n: number, concurrency: number) {
  let next = 0;
  let failed = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const res = await make(next++);
      await res.arrayBuffer();
      if (!res.ok) failed++;
    }
  }));
  if (failed) throw new Error(`${failed} of ${n} counted requests failed`);
}

/**
 * The api isolate's CPU ms per request for `n` requests made by `make`. Run it on a
 * platform WITHOUT the meter: the meter's per-invocation env proxies defeat the
 * per-env caches (registry, vars) and would add CPU of their own.
 */
export async function cpuPerRequest(p: Platform, make: (i: number) => Promise<Response>, n = 200, concurrency = 8): Promise<number | null> {
  const prof = await profiler(p.inspectorPort()).catch(() => null);
  await drive(make, n, concurrency);
  return prof ? (await prof.stop()) / n : null;
}

/** The workerd processes under wrangler's pid (Linux /proc), with their user + system CPU ticks. */
function workerdTicks(root: number): number {
  const stats = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const raw = readFileSync(`/proc/${d}/stat`, "utf8");
      const close = raw.lastIndexOf(")");
      const f = raw.slice(close + 2).split(" ");
      // After "pid (comm) ": state ppid … utime (14th field of the line) stime (15th).
      stats.set(Number(d), { ppid: Number(f[1]), comm: raw.slice(raw.indexOf("(") + 1, close), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const under = (pid: number): boolean => { for (let p = pid, i = 0; p > 1 && i < 20; p = stats.get(p)?.ppid ?? 0, i++) if (p === root) return true; return false; };
  let ticks = 0;
  for (const [pid, s] of stats) if (s.comm === "workerd" && under(pid)) ticks += s.ticks;
  return ticks;
}

/**
 * The workerd process's CPU ms per request (user + system, from /proc; every isolate in it: the
 * api, its Durable Objects and whatever the other Workers do meanwhile, such as the deployer
 * sending the launches). Unlike the profiler's sampled time it does not grow when other
 * processes take the cores; null off Linux.
 */
export async function processCpuPerRequest(p: Platform, make: (i: number) => Promise<Response>, n = 200, concurrency = 8): Promise<number | null> {
  const pid = p.workersPid();
  if (pid === undefined || process.platform !== "linux") return null;
  const hz = 100; // USER_HZ on Linux
  const before = workerdTicks(pid);
  await drive(make, n, concurrency);
  return ((workerdTicks(pid) - before) * 1000) / hz / n;
}

/**
 * Sends `n` requests made by `make` (`concurrency` at a time) on a platform with
 * COST_METER=on and returns the average operations per request, from the api's usage lines.
 */
export async function countPerRequest(p: Platform, make: (i: number) => Promise<Response>, n = 200, concurrency = 8): Promise<Counts> {
  await new Promise((r) => setTimeout(r, 300));
  const from = p.logs.length;
  await drive(make, n, concurrency);
  // Usage lines are written when each invocation ends: wait for the last ones.
  const deadline = Date.now() + 10_000;
  let got = usageSince(p, from);
  while (got.usage.length < n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    got = usageSince(p, from);
  }
  const sum = (k: string) => got.usage.reduce((s, u) => s + Number(u[k] ?? 0), 0) / got.usage.length;
  return {
    requests: got.usage.length,
    d1Queries: sum("d1Queries"),
    d1RoundTrips: sum("d1RoundTrips"),
    kvReads: sum("kvReads"),
    kvWrites: sum("kvWrites"),
    doRequests: sum("doRequests"),
    queueMessages: sum("queueMessages"),
    rpcCalls: got.rpc / got.usage.length,
    cpuMs: null,
  };
}

/** "d1=1.00 kv=0.00/0.00 do=0.02 q=1.00 rpc=1.00 cpu=2.1ms" */
export function formatCounts(c: Counts): string {
  const f = (v: number) => v.toFixed(2);
  return `d1=${f(c.d1Queries)} d1_trips=${f(c.d1RoundTrips)} kv_r=${f(c.kvReads)} kv_w=${f(c.kvWrites)} do=${f(c.doRequests)} queue=${f(c.queueMessages)} rpc=${f(c.rpcCalls)} cpu_ms=${c.cpuMs === null ? "n/a" : c.cpuMs.toFixed(2)} workerd_cpu_ms=${c.procMs == null ? "n/a" : c.procMs.toFixed(2)}`;
}
