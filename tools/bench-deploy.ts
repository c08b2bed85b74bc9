// `npm run bench:deploy`: launch throughput against the chain's physical limit.
// Starts its own platform (anvil --block-time 1, default 30M gas limit), measures
// a naive send-and-wait loop on the same node for 30 s, then pushes N launches
// through the HTTP API as fast as it can and waits until all are final. Prints
// the rates and a machine-readable RESULT line; exits non-zero if any launch is
// lost, duplicated or failed.
//
// Then a big-block run (BIG_N launches, default N; BIG_N=0 skips it): a second platform
// on anvil --gas-limit 150000000 --block-time 2 (Base-like blocks), with its gas share.
// Both print, per block from the first to the last holding our launches, how many it
// carried (empty ones while the backlog existed are counted), and the RPC calls per
// launch by hop (send, sign, broadcast, confirm, …) from the rpc.call log lines:
// counts that do not depend on how busy the machine is.
import { createPublicClient, createWalletClient, defineChain, http, type Address, type Hex, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { forgeFactoryAbi } from "../packages/core/src/contracts/artifacts";
import { factoryAddress, factoryForChain, forgeFactoryV2Abi } from "../packages/core/src/contracts/factory";
import { chainRegistry } from "@tokenforge/core";
import { launchIdToBytes32 } from "../packages/core/src/evm/token-address";
import { rpc } from "./chains/anvil";
import { startPlatform, type Platform } from "./platform";
import { benchSolana } from "./bench-solana";

const N = Number(process.env.N ?? arg("--n") ?? 2000);
const NAIVE_SECONDS = Number(process.env.NAIVE_SECONDS ?? arg("--naive-seconds") ?? 30);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 64);
const CHAIN = "local-eth";
/** The batch-ingest run (0 skips it): the same pipeline when ingest is not one HTTP request per launch. */
const BATCH_N = Number(process.env.BATCH_N ?? N);
const BATCH_SIZE = Number(process.env.BATCH_SIZE ?? 50);
const BATCH_CONCURRENCY = Number(process.env.BATCH_CONCURRENCY ?? 4);
const N_SOL = Number(process.env.N_SOL ?? arg("--n-sol") ?? 500);
const BIG_N = Number(process.env.BIG_N ?? N);
const BIG_GAS_LIMIT = 150_000_000;
const OWNER: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

function arg(name: string) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function naiveLoop(rpcUrl: string, seconds: number) {
  const key = generatePrivateKey();
  const account = privateKeyToAccount(key);
  await rpc(rpcUrl, "anvil_setBalance", [account.address, "0x" + (10n ** 22n).toString(16)]);
  const transport = http(rpcUrl);
  const probe = createPublicClient({ transport });
  const chain = defineChain({ id: await probe.getChainId(), name: "local", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } });
  const wallet = createWalletClient({ account, chain, transport });
  const client = createPublicClient({ chain, transport, pollingInterval: 100 });
  const end = Date.now() + seconds * 1000;
  const started = Date.now();
  let n = 0;
  while (Date.now() < end) {
    const hash = await wallet.writeContract({
      address: factoryAddress, abi: forgeFactoryAbi, functionName: "createToken",
      args: [launchIdToBytes32(`naive-${n}-${started}`), { name: `Naive ${n}`, symbol: "NAIVE", decimals: 18, owner: OWNER, initialSupply: 10n ** 24n, maxSupply: 0n, features: 0 }],
    });
    await client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
    n++;
  }
  return n / ((Date.now() - started) / 1000);
}

/**
 * The same launches through POST /launches/batch (up to 100 per request, as a bot launching many tokens
 * would send them): BATCH_SIZE per request, BATCH_CONCURRENCY requests at a time. Each request has an
 * Idempotency-Key, so a retried one answers the same launches.
 */
async function pushBatches(p: Platform, n: number) {
  const ids: string[] = new Array(n);
  let next = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: BATCH_CONCURRENCY }, async () => {
      for (;;) {
        const from = next;
        next += BATCH_SIZE;
        if (from >= n) return;
        const count = Math.min(BATCH_SIZE, n - from);
        const launches = Array.from({ length: count }, (_, k) => ({ chain: CHAIN, name: `Batch ${from + k}`, symbol: `C${from + k}`, decimals: 18, initialSupply: "1000000", owner: OWNER }));
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${p.url}/api/v1/launches/batch`, {
            method: "POST",
            headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json", "idempotency-key": `bench-batch-${t0}-${from}` },
            body: JSON.stringify({ launches }),
          });
          const body = (await res.json().catch(() => ({}))) as { results?: { index: number; status: number; id?: string }[] };
          const accepted = body.results?.filter((r) => r.status === 202 && r.id) ?? [];
          if (res.status === 200 && accepted.length === count) {
            for (const r of accepted) {
              ids[from + r.index] = r.id!;
              idOf.set(launchIdToBytes32(r.id!), r.id!);
            }
            break;
          }
          if (attempt > 20) throw new Error(`batch from ${from}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
          await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
        }
      }
    }),
  );
  return { ids, ingestSeconds: (Date.now() - t0) / 1000, t0 };
}

async function pushLaunches(p: Platform, n: number) {
  const ids: string[] = new Array(n);
  let next = 0;
  let rejected = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${p.url}/api/v1/launches`, {
            method: "POST",
            headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json", "idempotency-key": `bench-${t0}-${i}` },
            body: JSON.stringify({ chain: CHAIN, name: `Bench ${i}`, symbol: `B${i}`, decimals: 18, initialSupply: "1000000", owner: OWNER }),
          });
          // A plain-text 503 ("Your worker restarted mid-request", from wrangler's dev proxy on a busy
          // machine) is retried like any refusal: the idempotency key makes a second POST safe.
          const body = (await res.json().catch(() => ({}))) as { id?: string };
          if (res.status === 202 && body.id) {
            ids[i] = body.id;
            idOf.set(launchIdToBytes32(body.id), body.id);
            break;
          }
          if (attempt > 20) throw new Error(`launch ${i}: ${res.status} ${JSON.stringify(body)}`);
          rejected++;
          await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
        }
      }
    }),
  );
  const t1 = Date.now();
  return { ids, ingestSeconds: (t1 - t0) / 1000, t0, rejected };
}

/** A launch's status and, once final, when the platform recorded it (its last event). */
type Final = { status: string; at: number | null };
/** GETs that went unanswered for STATUS_TIMEOUT_MS and were asked again (an earlier run died on one: undici's 300 s headers timeout). */
let statusTimeouts = 0;
const STATUS_TIMEOUT_MS = 30_000;

async function statusOf(p: Platform, id: string): Promise<Final> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${p.url}/api/v1/launches/${id}`, { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
      const v = (await res.json()) as { status: string; events?: { status: string; at: string }[] };
      const last = [...(v.events ?? [])].reverse().find((e) => e.status === v.status);
      return { status: v.status, at: last ? Date.parse(last.at) : null };
    } catch (e) {
      if (!(e instanceof Error && e.name === "TimeoutError") || attempt >= 3) throw e;
      statusTimeouts++;
      console.log(`  GET /api/v1/launches/${id} unanswered after ${STATUS_TIMEOUT_MS} ms; asking again`);
    }
  }
}

async function statuses(p: Platform, ids: string[]) {
  const out = new Map<string, Final>();
  for (let i = 0; i < ids.length; i += 100) {
    const views = await Promise.all(ids.slice(i, i + 100).map(async (id) => [id, await statusOf(p, id)] as const));
    for (const [id, v] of views) out.set(id, v);
  }
  return out;
}

type Analysis = {
  deployPerS: number; gasShare: number; meanPerBlock: number; e2e: number; failed: number; lost: number; duplicated: number;
  stuck: boolean; emptyBlocks: number; waitBlocks: number; fromRequestShare: number; queue: { firstBatchAfterFirst202S: number; lastAfterFirst202S: number }; blocksSpanned: number; rpcPerLaunch: string; gasLimit: bigint; phases: string;
};

/** What the chain and the logs say about `ids` (pushed from t0, final by tEnd), from `startBlock` on. */
async function analyse(p: Platform, client: PublicClient, ids: string[], startBlock: bigint, t0: number, tEnd: number, final: Map<string, string>, logFrom: number): Promise<Analysis> {
  // What the chain says: our factory's creation events from the start block on (v1 and the chain's v2).
  const ours = new Map(ids.map((id) => [launchIdToBytes32(id), id]));
  const perLaunch = new Map<string, number>();
  const blocks = new Map<bigint, number>();
  for (const e of await ourEvents(client, startBlock)) {
    const id = ours.get(e.args.launchId as Hex);
    if (!id) continue;
    perLaunch.set(id, (perLaunch.get(id) ?? 0) + 1);
    blocks.set(e.blockNumber, (blocks.get(e.blockNumber) ?? 0) + 1);
  }
  const blockNumbers = [...blocks.keys()].sort((a, b) => (a < b ? -1 : 1));
  const first = blockNumbers[0]!;
  const last = blockNumbers[blockNumbers.length - 1]!;
  // Every block from the first to the last holding our launches: the ones with none are the empty blocks of the backlog.
  const spanned = Array.from({ length: Number(last - first) + 1 }, (_, i) => first + BigInt(i));
  const headers = await Promise.all(spanned.map((n) => client.getBlock({ blockNumber: n })));
  const firstTs = Number(headers[0]!.timestamp);
  const lastTs = Number(headers[headers.length - 1]!.timestamp);
  const span = Math.max(1, lastTs - firstTs + 1);
  const deployPerS = [...perLaunch.keys()].length / span;
  const gasShare = headers.reduce((s, h) => s + Number(h.gasUsed) / Number(h.gasLimit), 0) / headers.length;
  const meanPerBlock = [...blocks.values()].reduce((a, b) => a + b, 0) / headers.length;
  const emptyBlocks = spanned.filter((n) => !blocks.has(n)).length;
  // Stricter: from the first block after the first request (a backlog existed from then on) to the last.
  const before = await Promise.all(Array.from({ length: Number(first - startBlock - 1n) }, (_, i) => client.getBlock({ blockNumber: startBlock + 1n + BigInt(i) })));
  const fromRequestShare = [...before, ...headers].reduce((s, h) => s + Number(h.gasUsed) / Number(h.gasLimit), 0) / (before.length + headers.length);
  // When the launches queue first delivered (its first batch's start), against the first and last 202.
  const logs = p.logs.slice(logFrom);
  const atOf = (event: string, also = "") => logs.filter((l) => l.includes(`"event":"${event}"`) && l.includes(also)).map((l) => {
    const m = /"at":"([^"]+)"/.exec(l);
    const total = /"totalMs":(\d+)/.exec(l);
    return m ? Date.parse(m[1]!) - (total ? Number(total[1]) : 0) : NaN;
  }).filter((t) => !Number.isNaN(t));
  const accepted = atOf("launch.accepted");
  const firstBatch = Math.min(...atOf("deployer.batch", `"queue":"tf-launches"`));
  const queue = { firstBatchAfterFirst202S: (firstBatch - Math.min(...accepted)) / 1000, lastAfterFirst202S: (Math.max(...accepted) - Math.min(...accepted)) / 1000 };
  console.log(`  per block (launches, gas %): ${headers.map((h) => `${blocks.get(h.number!) ?? 0}/${((Number(h.gasUsed) / Number(h.gasLimit)) * 100).toFixed(0)}%`).join(" ")}`);

  const failed = [...final.values()].filter((s) => s === "failed").length;
  const lost = ids.filter((id) => final.get(id) !== "confirmed" && final.get(id) !== "failed").length + ids.filter((id) => final.get(id) === "confirmed" && !perLaunch.has(id)).length;
  const duplicated = [...perLaunch.values()].filter((c) => c > 1).length;
  const [pending, latest] = await Promise.all([
    client.getTransactionCount({ address: p.deployer, blockTag: "pending" }),
    client.getTransactionCount({ address: p.deployer, blockTag: "latest" }),
  ]);
  return {
    deployPerS, gasShare, meanPerBlock, e2e: ids.length / ((tEnd - t0) / 1000), failed, lost, duplicated, stuck: pending !== latest,
    emptyBlocks, blocksSpanned: spanned.length, waitBlocks: before.length, fromRequestShare, queue, rpcPerLaunch: rpcByHop(p.logs.slice(logFrom), ids.length), gasLimit: headers[0]!.gasLimit,
    phases: `deployer.batch ${phaseMedians(p.logs.slice(logFrom), "deployer.batch")}; deployer.send_phases ${phaseMedians(p.logs.slice(logFrom), "deployer.send_phases")}; signer.sent ${phaseMedians(p.logs.slice(logFrom), "signer.sent")}; deployer.confirm_batch ${phaseMedians(p.logs.slice(logFrom), "deployer.confirm_batch")}`,
  };
}

/** Medians of the numeric fields of the `event` log lines (deployer.batch: where a queue batch's time goes). */
function phaseMedians(lines: string[], event: string): string {
  const byField = new Map<string, number[]>();
  let n = 0;
  for (const line of lines) {
    if (!line.includes(`"${event}"`)) continue;
    try {
      const e = JSON.parse(line.slice(line.indexOf("{"))) as Record<string, unknown>;
      if (e.queue !== undefined && e.queue !== "tf-launches") continue;
      n++;
      for (const [k, v] of Object.entries(e)) if (typeof v === "number" && k.endsWith("Ms")) byField.set(k, [...(byField.get(k) ?? []), v]);
    } catch {
      // not a JSON line
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return `${n} lines, median ${[...byField].map(([k, xs]) => `${k} ${median(xs)}`).join(", ")}`;
}

/** JSON-RPC calls (what providers bill) per launch by hop, on the EVM chain, from the rpc.call lines. */
function rpcByHop(lines: string[], launches: number): string {
  const byHop = new Map<string, number>();
  for (const line of lines) {
    if (!line.includes('"rpc.call"') || !line.includes(`"chain":"${CHAIN}"`)) continue;
    const at = line.indexOf("{");
    try {
      const e = JSON.parse(line.slice(at)) as { hop?: string; calls?: number };
      byHop.set(e.hop ?? "?", (byHop.get(e.hop ?? "?") ?? 0) + Number(e.calls ?? 1));
    } catch {
      // not a JSON line
    }
  }
  const total = [...byHop.values()].reduce((a, b) => a + b, 0);
  return `${(total / launches).toFixed(2)} (${[...byHop].sort((a, b) => b[1] - a[1]).map(([h, n]) => `${h} ${(n / launches).toFixed(2)}`).join(", ")})`;
}

/**
 * Waits until every launch is final. While launches are still reaching the chain it watches the
 * chain, not the API (2,000 status GETs a second would compete with the deployer for the one
 * workerd thread); then it asks the API. The end of the run is the last launch's final event as
 * the platform recorded it, not when this loop happened to look.
 */
async function waitFinal(p: Platform, client: PublicClient, ids: string[], startBlock: bigint) {
  const deadline = Date.now() + Math.max(300_000, ids.length * 200);
  const mine = new Set(ids);
  const onChain = async () => new Set((await ourEvents(client, startBlock)).map((e) => idOf.get(e.args.launchId as Hex)).filter((id) => id && mine.has(id))).size;
  for (let lastAsked = Date.now(); Date.now() < deadline; ) {
    if ((await onChain()) >= ids.length) break;
    // Now and then the API too: a launch that failed never reaches the chain.
    if (Date.now() - lastAsked > 15_000) {
      lastAsked = Date.now();
      if ([...(await statuses(p, ids)).values()].every((f) => f.status === "confirmed" || f.status === "failed")) break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  let final = new Map<string, Final>();
  for (;;) {
    final = await statuses(p, ids);
    const pending = [...final.values()].filter((f) => f.status !== "confirmed" && f.status !== "failed").length;
    if (pending === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const ats = [...final.values()].map((f) => f.at ?? Date.now());
  return { final: new Map([...final].map(([id, f]) => [id, f.status])), tEnd: Math.max(...ats) };
}

/** Launch id (bytes32) → our launch id, filled by pushLaunches. */
const idOf = new Map<string, string>();

/** Our factories' TokenCreated events from startBlock on (v1 and the chain's v2). */
async function ourEvents(client: PublicClient, startBlock: bigint) {
  const v2 = factoryForChain(chainRegistry({ TF_ENV: "local" }).find((c) => c.id === CHAIN)!).factory;
  const [v1Events, v2Events] = await Promise.all([
    client.getContractEvents({ address: factoryAddress, abi: forgeFactoryAbi, eventName: "TokenCreated", fromBlock: startBlock + 1n, toBlock: "latest" }),
    client.getContractEvents({ address: v2, abi: forgeFactoryV2Abi, eventName: "TokenCreated", fromBlock: startBlock + 1n, toBlock: "latest" }),
  ]);
  return [...v1Events, ...v2Events];
}

function report(a: Analysis, n: number, ingestSeconds: number, tSpan: number) {
  console.log(`  ${a.blocksSpanned} blocks (gas limit ${a.gasLimit}) from the first to the last with launches, ${a.emptyBlocks} empty; mean ${a.meanPerBlock.toFixed(1)} launches/block, gas share ${(a.gasShare * 100).toFixed(1)}%`);
  console.log(`  before them, ${a.waitBlocks} blocks since the first request carried none: gas share from the first request ${(a.fromRequestShare * 100).toFixed(1)}%`);
  console.log(`  ingest: ${n} launches accepted in ${ingestSeconds.toFixed(1)} s (${(n / ingestSeconds).toFixed(0)}/s); the launches queue's first batch came ${a.queue.firstBatchAfterFirst202S.toFixed(1)} s after the first 202 (the last 202: ${a.queue.lastAfterFirst202S.toFixed(1)} s)`);
  console.log(`  deploy rate while a backlog existed: ${a.deployPerS.toFixed(1)} launches/s`);
  console.log(`  end to end (first request → last confirmation): ${a.e2e.toFixed(1)} launches/s over ${tSpan.toFixed(1)} s`);
  console.log(`  RPC calls per launch on ${CHAIN}: ${a.rpcPerLaunch}`);
  console.log(`  batch phases (ms): ${a.phases}`);
  console.log(`  deployer nonces: ${a.stuck ? "STUCK" : "nothing stuck"}`);
}

async function main() {
  console.log(`bench:deploy — N=${N}, naive loop ${NAIVE_SECONDS}s, chain ${CHAIN}`);
  // The cron every minute and the sweep's local window (30 s), as `npm start` runs them (production: 120 s). A 10 s
  // cron with a 20 s window sent launches that were only waiting in the backlog to the queue a second time.
  const p = await startPlatform({ port: "auto", quiet: true });
  let result = "";
  let bad = false;
  try {
    const rpcUrl = p.chains.find((c) => c.id === CHAIN)!.rpcUrl;
    const client = createPublicClient({ transport: http(rpcUrl) });

    const naive = await naiveLoop(rpcUrl, NAIVE_SECONDS);
    console.log(`naive loop (send, wait for receipt, repeat): ${naive.toFixed(2)} launches/s`);

    // As every minute in production (bench:api does the same): fees and gas prices in KV, so a launch's price reads no chain.
    await p.runCron();
    const startBlock = await client.getBlockNumber();
    const logFrom = p.logs.length;
    const { ids, ingestSeconds, t0, rejected } = await pushLaunches(p, N);
    console.log(`ingest: ${rejected} retried`);
    const { final, tEnd } = await waitFinal(p, client as PublicClient, ids, startBlock);
    const a = await analyse(p, client as PublicClient, ids, startBlock, t0, tEnd, final, logFrom);
    report(a, N, ingestSeconds, (tEnd - t0) / 1000);
    console.log(`naive ${naive.toFixed(2)}/s → ratio ${(a.deployPerS / naive).toFixed(1)}×`);

    // The same chain and platform, the launches sent BATCH_SIZE per request: what the pipeline does when
    // taking the launches in costs the shared workerd thread less than one request each.
    let batchPart = "";
    if (BATCH_N > 0) {
      console.log(`\nBatch ingest (POST /launches/batch, ${BATCH_SIZE} per request, ${BATCH_CONCURRENCY} at a time), N=${BATCH_N}:`);
      const startBlock = await client.getBlockNumber();
      const logFrom = p.logs.length;
      const pushed = await pushBatches(p, BATCH_N);
      const done = await waitFinal(p, client as PublicClient, pushed.ids, startBlock);
      const b = await analyse(p, client as PublicClient, pushed.ids, startBlock, pushed.t0, done.tEnd, done.final, logFrom);
      report(b, BATCH_N, pushed.ingestSeconds, (done.tEnd - pushed.t0) / 1000);
      batchPart = ` batch_gas_share=${b.gasShare.toFixed(3)} batch_deploy_per_s=${b.deployPerS.toFixed(1)} batch_empty_blocks=${b.emptyBlocks}/${b.blocksSpanned} batch_wait_blocks=${b.waitBlocks} batch_gas_share_from_request=${b.fromRequestShare.toFixed(3)} batch_first_batch_s=${b.queue.firstBatchAfterFirst202S.toFixed(1)} batch_last_202_s=${b.queue.lastAfterFirst202S.toFixed(1)} batch_ingest_per_s=${(BATCH_N / pushed.ingestSeconds).toFixed(1)} batch_e2e_per_s=${b.e2e.toFixed(1)}`;
      bad ||= !!(b.lost || b.duplicated || b.failed || b.stuck);
    }

    // Solana on the local SVM, through the same API, queue and deployer.
    let solBad = 0;
    let solPart = "";
    if (N_SOL > 0) {
      console.log(`\nSolana (local SVM), N=${N_SOL}:`);
      const sol = await benchSolana(p, { n: N_SOL, log: (l) => console.log(`  ${l}`) });
      solBad = sol.lost + sol.failed + sol.wrong;
      solPart = ` sol_deploy_per_s=${sol.deployPerS.toFixed(1)} sol_naive_per_s=${sol.naivePerS.toFixed(2)} sol_lost=${sol.lost} sol_failed=${sol.failed}`;
    }
    result = `deploy_per_s=${a.deployPerS.toFixed(1)} gas_share=${a.gasShare.toFixed(3)} naive_per_s=${naive.toFixed(2)} ratio=${(a.deployPerS / naive).toFixed(1)} ingest_per_s=${(N / ingestSeconds).toFixed(1)} e2e_per_s=${a.e2e.toFixed(1)} per_block=${a.meanPerBlock.toFixed(1)} empty_blocks=${a.emptyBlocks}/${a.blocksSpanned} wait_blocks=${a.waitBlocks} gas_share_from_request=${a.fromRequestShare.toFixed(3)} first_batch_s=${a.queue.firstBatchAfterFirst202S.toFixed(1)} last_202_s=${a.queue.lastAfterFirst202S.toFixed(1)} rpc_per_launch=${a.rpcPerLaunch.split(" ")[0]} lost=${a.lost} duplicated=${a.duplicated} failed=${a.failed} status_timeouts=${statusTimeouts}${batchPart}${solPart}`;
    bad ||= !!(a.lost || a.duplicated || a.failed || solBad || a.stuck);
  } finally {
    // BENCH_LOG=file: the platform's log lines, to look into a run.
    if (process.env.BENCH_LOG) (await import("node:fs")).writeFileSync(process.env.BENCH_LOG, p.logs.join("\n"));
    await p.stop();
  }

  // Base-like blocks: does one Signer account fill 150M gas every 2 s?
  if (BIG_N > 0) {
    console.log(`\nBig blocks (anvil --gas-limit ${BIG_GAS_LIMIT} --block-time 2), N=${BIG_N}:`);
    const big = await startPlatform({ port: "auto", quiet: true, blockTime: 2, gasLimit: BIG_GAS_LIMIT });
    try {
      const client = createPublicClient({ transport: http(big.chains.find((c) => c.id === CHAIN)!.rpcUrl) });
      await big.runCron();
      const startBlock = await client.getBlockNumber();
      const logFrom = big.logs.length;
      const { ids, ingestSeconds, t0 } = await pushLaunches(big, BIG_N);
      const { final, tEnd } = await waitFinal(big, client as PublicClient, ids, startBlock);
      const a = await analyse(big, client as PublicClient, ids, startBlock, t0, tEnd, final, logFrom);
      report(a, BIG_N, ingestSeconds, (tEnd - t0) / 1000);
      result += ` big_gas_share=${a.gasShare.toFixed(3)} big_deploy_per_s=${a.deployPerS.toFixed(1)} big_per_block=${a.meanPerBlock.toFixed(1)} big_empty_blocks=${a.emptyBlocks}/${a.blocksSpanned} big_wait_blocks=${a.waitBlocks} big_gas_share_from_request=${a.fromRequestShare.toFixed(3)} big_first_batch_s=${a.queue.firstBatchAfterFirst202S.toFixed(1)} big_last_202_s=${a.queue.lastAfterFirst202S.toFixed(1)} big_ingest_per_s=${(BIG_N / ingestSeconds).toFixed(1)} big_e2e_per_s=${a.e2e.toFixed(1)}`;
      bad ||= !!(a.lost || a.duplicated || a.failed || a.stuck);
    } finally {
      await big.stop();
    }
  }
  console.log(`RESULT ${result}`);
  process.exitCode = bad ? 1 : 0;
}

await main();
