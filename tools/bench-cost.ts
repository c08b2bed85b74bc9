// `npm run bench:cost` (N=500, N_SOL=100, CRON_RUNS=5 to change): what one launch costs to run.
//
// Starts its own platform with COST_METER=on (core meter.ts: each Worker invocation
// logs the billed operations it made), pushes N EVM and N_SOL Solana platform-paid
// launches through the HTTP API, waits until all are confirmed, then runs the cron
// CRON_RUNS times on its own. It sums, per launch: Worker invocations, D1 rows read
// and written, Durable Object requests and duration, queue operations, KV and R2
// operations, RPC provider calls; and the Workers' CPU time, read from the process
// tree (an upper bound: locally workerd also runs D1, the Durable Objects and the
// queues). The cron's cost is per minute, not per launch: it is priced apart, as one
// day of runs against 10,000 launches a day. Dollars use tools/cost-prices.ts.
import { readFileSync, readdirSync } from "node:fs";
import { emptyUsage, type Usage } from "../packages/core/src/meter";
import { BASE, PRICES, PRICES_READ_ON } from "./cost-prices";
import { startPlatform, type Platform } from "./platform";

const N = Number(process.env.N ?? 500);
const N_SOL = Number(process.env.N_SOL ?? 100);
const CRON_RUNS = Number(process.env.CRON_RUNS ?? 5);
const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const SOL_OWNER = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM";

type Totals = Usage & { invocations: number; rpcAttempts: number; rpcCalls: number };
const emptyTotals = (): Totals => ({ ...emptyUsage(), invocations: 0, rpcAttempts: 0, rpcCalls: 0 });

/** Sums the cost.usage and rpc.call lines of `lines`. */
function sum(lines: string[]): Totals {
  const t = emptyTotals();
  for (const line of lines) {
    const at = line.indexOf("{");
    if (at === -1 || !(line.includes("cost.usage") || line.includes("rpc.call"))) continue;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line.slice(at)) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (e.event === "rpc.call") {
      t.rpcAttempts++;
      t.rpcCalls += Number(e.calls ?? 1);
    } else if (e.event === "cost.usage") {
      t.invocations++;
      for (const k of Object.keys(emptyUsage()) as (keyof Usage)[]) t[k] += Number(e[k] ?? 0);
    }
  }
  return t;
}

/** CPU seconds (user + system) of a process and all its descendants, from /proc. */
function treeCpuSeconds(root: number): number {
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const d of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      cpu.set(Number(d), (Number(fields[11]) + Number(fields[12])) / 100);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    total += cpu.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

async function launch(p: Platform, body: object): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${p.url}/api/v1/launches`, {
      method: "POST", headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body),
    });
    if (res.status === 202) return ((await res.json()) as { id: string }).id;
    if (attempt > 20 || (res.status !== 429 && res.status < 500)) throw new Error(`launch answered ${res.status}: ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits for every launch's confirmation in the Workers' logs: polling the API would add reads to the count. */
async function waitConfirmedInLogs(p: Platform, ids: string[], from: number) {
  const deadline = Date.now() + 600_000;
  const left = new Set(ids);
  let seen = from;
  while (left.size) {
    for (; seen < p.logs.length; seen++) {
      const line = p.logs[seen]!;
      if (!line.includes("deployer.confirmed") && !line.includes("solana.confirmed")) continue;
      const m = /"launchId":"([^"]+)"/.exec(line);
      if (m) left.delete(m[1]!);
    }
    if (Date.now() > deadline) throw new Error(`${left.size} launches not confirmed in time`);
    if (left.size) await new Promise((r) => setTimeout(r, 200));
  }
}

/** After the count: each launch confirmed, as the API says. */
async function checkConfirmed(p: Platform, ids: string[]) {
  for (const batch of chunk(ids, 50)) {
    const views = await Promise.all(batch.map(async (id) => (await (await fetch(`${p.url}/api/v1/launches/${id}`, { headers: { authorization: `Bearer ${p.apiKey}` } })).json()) as { id: string; status: string }));
    const bad = views.filter((v) => v.status !== "confirmed");
    if (bad.length) throw new Error(`${bad.length} launches not confirmed, e.g. ${JSON.stringify(bad[0])}`);
  }
}

const chunk = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** Dollars for `t` (operations of `launches` launches) scaled to 10,000 launches, by item. */
function dollarsPer10k(t: Totals, cpuMs: number, launches: number) {
  const k = 10_000 / launches;
  const doGbS = (t.doWallMs / 1000) * 0.125;
  const items = {
    "Worker requests": (t.invocations * k * PRICES.workerRequestsPerM) / 1e6,
    "Worker CPU (upper bound)": (cpuMs * k * PRICES.workerCpuMsPerM) / 1e6,
    "D1 rows read": (t.d1RowsRead * k * PRICES.d1RowsReadPerM) / 1e6,
    "D1 rows written": (t.d1RowsWritten * k * PRICES.d1RowsWrittenPerM) / 1e6,
    "DO requests": (t.doRequests * k * PRICES.doRequestsPerM) / 1e6,
    "DO duration (upper bound)": (doGbS * k * PRICES.doGbSecondsPerM) / 1e6,
    "Queue operations": (t.queueMessages * 3 * k * PRICES.queueOpsPerM) / 1e6,
    "KV reads": (t.kvReads * k * PRICES.kvReadsPerM) / 1e6,
    "KV writes + lists": ((t.kvWrites + t.kvLists) * k * PRICES.kvWritesPerM) / 1e6,
    "R2 class A": (t.r2ClassA * k * PRICES.r2ClassAPerM) / 1e6,
    "R2 class B": (t.r2ClassB * k * PRICES.r2ClassBPerM) / 1e6,
  };
  return { items, total: Object.values(items).reduce((a, b) => a + b, 0) };
}

const f = (n: number, d = 2) => n.toFixed(d);

const p = await startPlatform({ port: "auto", quiet: true, vars: { COST_METER: "on" }, cronIntervalMs: 3_600_000 });
try {
  const pid = p.workersPid();
  if (!pid) throw new Error("no Workers process");
  const mark = p.logs.length;
  const cpu0 = treeCpuSeconds(pid);
  const ids: string[] = [];
  for (const group of chunk(Array.from({ length: N }, (_, i) => i), 50)) {
    ids.push(...(await Promise.all(group.map((i) => launch(p, { chain: "local-eth", name: `Cost ${i}`, symbol: "COST", decimals: 18, initialSupply: "1000000", owner: OWNER, payment: { mode: "platform" } })))));
  }
  for (const group of chunk(Array.from({ length: N_SOL }, (_, i) => i), 50)) {
    ids.push(...(await Promise.all(group.map((i) => launch(p, { chain: "local-sol", name: `Cost ${i}`, symbol: "COST", decimals: 9, initialSupply: "1000000", owner: SOL_OWNER, payment: { mode: "platform" } })))));
  }
  await waitConfirmedInLogs(p, ids, mark);
  // Let the last invocations log their usage.
  await new Promise((r) => setTimeout(r, 2_000));
  const cpuLaunch = treeCpuSeconds(pid) - cpu0;
  const launchLines = p.logs.slice(mark);
  await checkConfirmed(p, ids);
  const cronMark = p.logs.length;
  const cpu1 = treeCpuSeconds(pid);
  for (let i = 0; i < CRON_RUNS; i++) await p.runCron();
  await new Promise((r) => setTimeout(r, 500));
  const cpuCron = (treeCpuSeconds(pid) - cpu1) / CRON_RUNS;
  const launchTotals = sum(launchLines);
  const cron = sum(p.logs.slice(cronMark));
  const n = ids.length;

  console.log(`\nOperations per launch (${N} EVM + ${N_SOL} Solana, platform-paid, from POST to confirmation):`);
  const per = (v: number) => f(v / n, 3);
  const rows: [string, string][] = [
    ["Worker invocations (fetch, queue batches)", per(launchTotals.invocations)],
    ["Worker CPU ms (process tree, upper bound)", per(cpuLaunch * 1000)],
    ["D1 queries", per(launchTotals.d1Queries)],
    ["D1 rows read", per(launchTotals.d1RowsRead)],
    ["D1 rows written", per(launchTotals.d1RowsWritten)],
    ["Durable Object requests", per(launchTotals.doRequests)],
    ["Durable Object wall ms (caller side)", per(launchTotals.doWallMs)],
    ["Queue messages (×3 operations)", per(launchTotals.queueMessages)],
    ["KV reads / writes / lists", `${per(launchTotals.kvReads)} / ${per(launchTotals.kvWrites)} / ${per(launchTotals.kvLists)}`],
    ["R2 class A / B", `${per(launchTotals.r2ClassA)} / ${per(launchTotals.r2ClassB)}`],
    ["RPC attempts (HTTP requests to providers)", per(launchTotals.rpcAttempts)],
    ["RPC calls (JSON-RPC methods, what providers bill)", per(launchTotals.rpcCalls)],
  ];
  for (const [k, v] of rows) console.log(`  ${k.padEnd(52)} ${v}`);

  const launchCost = dollarsPer10k(launchTotals, cpuLaunch * 1000, n);
  // The cron at one run a minute for one day, against 10,000 launches that day.
  const cronDay = dollarsPer10k(cron, cpuCron * 1000 * CRON_RUNS, (CRON_RUNS * 10_000) / 1440);
  console.log(`\n$ per 10,000 launches at list prices read ${PRICES_READ_ON} (marginal; base fee $${BASE.workersPaidPerMonth}/month and monthly allowances apart):`);
  for (const [k, v] of Object.entries(launchCost.items)) console.log(`  ${k.padEnd(30)} $${f(v, 4)}`);
  console.log(`  ${"total".padEnd(30)} $${f(launchCost.total, 4)}`);
  console.log(`  cron, one day of runs (1440)   $${f(cronDay.total, 4)}  (per run: ${f(cron.d1RowsRead / CRON_RUNS, 0)} rows read, ${f(cron.rpcCalls / CRON_RUNS, 1)} RPC calls)`);
  const top = Object.entries(launchCost.items).sort((a, b) => b[1] - a[1])[0]!;
  console.log(`\nRESULT usd_per_10k=${f(launchCost.total, 4)} cron_usd_per_day=${f(cronDay.total, 4)} dominant="${top[0]}" d1_rows_written_per_launch=${per(launchTotals.d1RowsWritten)} do_requests_per_launch=${per(launchTotals.doRequests)} rpc_calls_per_launch=${per(launchTotals.rpcCalls)} cpu_ms_per_launch=${per(cpuLaunch * 1000)} launches=${n}`);
} finally {
  await p.stop();
}
