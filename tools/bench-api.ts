// `npm run bench:api` (DURATION=10 seconds per run, CONNECTIONS=32): what our API
// costs per request against a bare Hono Worker on the same runtime.
//
// Starts the platform and, beside it under its own `wrangler dev`, the bare Worker
// of tools/bench-api/bare-worker.ts; then, with autocannon (32 connections):
// a cached `GET /api/v1/tokens` and `GET /api/v1/chains` against the bare ones, and
// `POST /api/v1/launches` (the dev API key, platform-paid launches that really go
// to the queue and the chain) against the bare POST. Prints each rate, p99 and the
// ratios. Locally D1 and the Durable Objects run in-process: the ratios describe
// our overhead, not production latency.
//
// Then, figures that do not depend on how busy the machine is (tools/bench-api/count.ts):
// the api isolate's CPU ms per request (V8 profiler, on this platform), and, on a
// second platform started with COST_METER=on, the operations per request of each
// kind: D1 queries, KV reads/writes, Durable Object calls, queue messages, RPC calls.
// LOAD=0 skips the autocannon runs (counts only).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { freePort } from "./free-port";
import { ROOT, startPlatform, type Platform } from "./platform";
import { countPerRequest, cpuPerRequest, formatCounts, processCpuPerRequest, type Counts } from "./bench-api/count";

const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const LOAD = process.env.LOAD !== "0";
const COUNT_N = Number(process.env.COUNT_N ?? 200);
const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

type Run = { rps: number; p99: number; non2xx: number; errors: number };

async function load(url: string, opts: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: () => string } = {}): Promise<Run> {
  const result = await autocannon({
    url, connections: CONNECTIONS, duration: DURATION, method: opts.method ?? "GET", headers: opts.headers,
    // A new body per request (launch names differ), built by autocannon's request hook.
    requests: opts.body ? [{ setupRequest: (req) => ({ ...req, body: opts.body!() }) }] : undefined,
  });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

async function startBare(): Promise<{ url: string; stop: () => void }> {
  const dir = join(ROOT, ".wrangler", "bench-api");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "wrangler.toml"), [
    `name = "bench-bare"`, `main = ${JSON.stringify(join(ROOT, "tools/bench-api/bare-worker.ts"))}`, `compatibility_date = "2026-04-20"`, `compatibility_flags = ["nodejs_compat"]`,
  ].join("\n"));
  const port = await freePort();
  const child: ChildProcess = spawn(join(ROOT, "node_modules/.bin/wrangler"), ["dev", "-c", join(dir, "wrangler.toml"), "--port", String(port), "--ip", "127.0.0.1", "--show-interactive-dev-session=false", "--persist-to", join(dir, "state")], {
    cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" }, stdio: ["ignore", "pipe", "pipe"], detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/v1/chains`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error("the bare Worker did not start");
    await new Promise((r) => setTimeout(r, 300));
  }
  return { url, stop: () => { try { process.kill(-child.pid!, "SIGTERM"); } catch { /* gone */ } } };
}

/** The three benchmarked requests, as functions of a sequence number (launch names differ). */
function kinds(p: Platform) {
  const auth = { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json" };
  return {
    read: () => fetch(`${p.url}/api/v1/tokens`),
    chains: () => fetch(`${p.url}/api/v1/chains`),
    write: (i: number) => fetch(`${p.url}/api/v1/launches`, { method: "POST", headers: auth, body: launchBody(i) }),
  };
}
const launchBody = (i: number) => JSON.stringify({ chain: "local-eth", name: `Bench ${i}`, symbol: "BNCH", decimals: 18, initialSupply: "1000000", owner: OWNER, payment: { mode: "platform" } });

const cpu: Record<string, number | null> = {};
const proc: Record<string, number | null> = {};
const p = await startPlatform({ port: "auto", quiet: true });
let runs: Record<string, Run> | null = null;
try {
  const k = kinds(p);
  // As on the counted platform below (and every minute in production): fees and gas prices in KV, so a launch's price reads no chain.
  await p.runCron();
  // Warm (isolates, the tokens cache) before measuring.
  for (let i = 0; i < 20; i++) await Promise.all([k.read(), k.chains(), k.write(1_000_000 + i)]);
  // workerd's own CPU time, which a busy machine does not inflate; the reads before any measured launch keeps the
  // deployer busy (a launch's figure includes the deployer sending it: one process runs every Worker).
  proc.read = await processCpuPerRequest(p, k.read, COUNT_N);
  proc.chains = await processCpuPerRequest(p, k.chains, COUNT_N);
  proc.write = await processCpuPerRequest(p, (i) => k.write(5_000_000 + i), COUNT_N);
  await new Promise((r) => setTimeout(r, 5_000)); // the deployer's backlog
  cpu.read = await cpuPerRequest(p, k.read, COUNT_N);
  cpu.chains = await cpuPerRequest(p, k.chains, COUNT_N);
  cpu.write = await cpuPerRequest(p, (i) => k.write(2_000_000 + i), COUNT_N);
  if (LOAD) runs = await loadRuns(p);
} finally {
  await p.stop();
}

// The counts, on a platform whose api logs each invocation's operations (no cron runs meanwhile).
const counts: Record<string, Counts> = {};
const metered = await startPlatform({ port: "auto", quiet: true, vars: { COST_METER: "on" }, cronIntervalMs: 3_600_000 });
try {
  const k = kinds(metered);
  // One cron run, as every minute in production: fees and gas prices in KV, so quotes read no chain for them.
  await metered.runCron();
  for (let i = 0; i < 5; i++) await Promise.all([k.read(), k.chains(), k.write(3_000_000 + i)]);
  counts.read = await countPerRequest(metered, k.read, COUNT_N);
  counts.chains = await countPerRequest(metered, k.chains, COUNT_N);
  counts.write = await countPerRequest(metered, (i) => k.write(4_000_000 + i), COUNT_N);
} finally {
  await metered.stop();
}
for (const name of ["read", "chains", "write"]) Object.assign(counts[name]!, { cpuMs: cpu[name] ?? null, procMs: proc[name] ?? null });

console.log(`\nPer request (${COUNT_N} of each; averages; cpu = JavaScript time sampled by the V8 profiler through wrangler's inspector proxy (grows when the machine is busy; the proxy fronts one of the three Workers, not always the api); workerd_cpu = the workerd process's user+system CPU, all isolates):`);
console.log(`  GET /api/v1/tokens (cached)  ${formatCounts(counts.read!)}`);
console.log(`  GET /api/v1/chains           ${formatCounts(counts.chains!)}`);
console.log(`  POST /api/v1/launches        ${formatCounts(counts.write!)}`);
const ops = (name: string, c: Counts) =>
  `${name}_d1=${c.d1Queries.toFixed(2)} ${name}_d1_trips=${c.d1RoundTrips.toFixed(2)} ${name}_kv=${(c.kvReads + c.kvWrites).toFixed(2)} ${name}_do=${c.doRequests.toFixed(2)} ${name}_rpc=${c.rpcCalls.toFixed(2)} ${name}_cpu_ms=${c.cpuMs === null ? "n/a" : c.cpuMs.toFixed(2)} ${name}_workerd_cpu_ms=${c.procMs == null ? "n/a" : c.procMs.toFixed(2)}`;
const countsPart = ["read", "chains", "write"].map((n) => ops(n, counts[n]!)).join(" ");
if (runs) {
  const { bareRead, read, bareChains, chains, bareWrite, write } = runs;
  const ratio = (a: Run, b: Run) => (a.rps / b.rps).toFixed(2);
  console.log(`\nRESULT read_ratio=${ratio(read, bareRead)} chains_ratio=${ratio(chains, bareChains)} write_ratio=${ratio(write, bareWrite)} read_p99_ms=${read.p99} write_p99_ms=${write.p99} bare_p99_ms=${Math.max(bareRead.p99, bareWrite.p99)} read_non2xx=${read.non2xx} write_non2xx=${write.non2xx} ${countsPart}`);
} else {
  console.log(`\nRESULT ${countsPart}`);
}

async function loadRuns(p: Platform): Promise<Record<string, Run>> {
  const bare = await startBare();
  try {
    const auth = { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json" };
    for (let i = 0; i < 20; i++) await fetch(`${bare.url}/api/v1/tokens`);
    let seq = 0;
    const body = () => launchBody(seq++);
    const bareRead = await load(`${bare.url}/api/v1/tokens`);
    const read = await load(`${p.url}/api/v1/tokens`);
    const bareChains = await load(`${bare.url}/api/v1/chains`);
    const chains = await load(`${p.url}/api/v1/chains`);
    const bareWrite = await load(`${bare.url}/api/v1/launches`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const write = await load(`${p.url}/api/v1/launches`, { method: "POST", headers: auth, body });
    const row = (name: string, r: Run) => console.log(`  ${name.padEnd(28)} ${r.rps.toFixed(0).padStart(7)} req/s  p99 ${String(r.p99).padStart(5)} ms  non-2xx ${r.non2xx}  errors ${r.errors}`);
    console.log(`\n${CONNECTIONS} connections, ${DURATION} s each:`);
    row("bare GET /tokens", bareRead);
    row("GET /api/v1/tokens", read);
    row("bare GET /chains", bareChains);
    row("GET /api/v1/chains", chains);
    row("bare POST /launches", bareWrite);
    row("POST /api/v1/launches", write);
    return { bareRead, read, bareChains, chains, bareWrite, write };
  } finally {
    bare.stop();
  }
}
