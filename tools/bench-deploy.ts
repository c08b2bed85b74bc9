// `npm run bench:deploy`: launch throughput against the chain's physical limit.
// Starts its own platform (anvil --block-time 1, default 30M gas limit), measures
// a naive send-and-wait loop on the same node for 30 s, then pushes N launches
// through the HTTP API as fast as it can and waits until all are final. Prints
// the rates and a machine-readable RESULT line; exits non-zero if any launch is
// lost, duplicated or failed.
import { createPublicClient, createWalletClient, defineChain, http, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { forgeFactoryAbi } from "../packages/core/src/contracts/artifacts";
import { factoryAddress } from "../packages/core/src/contracts/factory";
import { launchIdToBytes32 } from "../packages/core/src/evm/token-address";
import { rpc } from "./chains/anvil";
import { startPlatform, type Platform } from "./platform";
import { benchSolana } from "./bench-solana";

const N = Number(process.env.N ?? arg("--n") ?? 2000);
const NAIVE_SECONDS = Number(process.env.NAIVE_SECONDS ?? arg("--naive-seconds") ?? 30);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 64);
const CHAIN = "local-eth";
const N_SOL = Number(process.env.N_SOL ?? arg("--n-sol") ?? 500);
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

async function statuses(p: Platform, ids: string[]) {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 100) {
    const views = await Promise.all(ids.slice(i, i + 100).map(async (id) => (await (await fetch(`${p.url}/api/v1/launches/${id}`)).json()) as { id: string; status: string }));
    for (const v of views) out.set(v.id, v.status);
  }
  return out;
}

async function main() {
  console.log(`bench:deploy — N=${N}, naive loop ${NAIVE_SECONDS}s, chain ${CHAIN}`);
  const p = await startPlatform({ port: "auto", quiet: true, cronIntervalMs: 10_000, vars: { SWEEP_STALE_SECONDS: "20" } });
  try {
    const rpcUrl = p.chains.find((c) => c.id === CHAIN)!.rpcUrl;
    const client = createPublicClient({ transport: http(rpcUrl) });

    const naive = await naiveLoop(rpcUrl, NAIVE_SECONDS);
    console.log(`naive loop (send, wait for receipt, repeat): ${naive.toFixed(2)} launches/s`);

    const startBlock = await client.getBlockNumber();
    const { ids, ingestSeconds, t0, rejected } = await pushLaunches(p, N);
    console.log(`ingest: ${N} launches accepted in ${ingestSeconds.toFixed(1)} s (${(N / ingestSeconds).toFixed(0)}/s, ${rejected} retried)`);

    const deadline = Date.now() + Math.max(300_000, N * 200);
    let final = new Map<string, string>();
    for (;;) {
      final = await statuses(p, ids);
      const pending = [...final.values()].filter((s) => s !== "confirmed" && s !== "failed").length;
      if (pending === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const tEnd = Date.now();

    // What the chain says: our factory's creation events from the start block on.
    const events = await client.getContractEvents({ address: factoryAddress, abi: forgeFactoryAbi, eventName: "TokenCreated", fromBlock: startBlock + 1n, toBlock: "latest" });
    const ours = new Map(ids.map((id) => [launchIdToBytes32(id), id]));
    const perLaunch = new Map<string, number>();
    const blocks = new Map<bigint, number>();
    for (const e of events) {
      const id = ours.get(e.args.launchId as Hex);
      if (!id) continue;
      perLaunch.set(id, (perLaunch.get(id) ?? 0) + 1);
      blocks.set(e.blockNumber, (blocks.get(e.blockNumber) ?? 0) + 1);
    }
    const blockNumbers = [...blocks.keys()].sort((a, b) => (a < b ? -1 : 1));
    const first = blockNumbers[0]!;
    const last = blockNumbers[blockNumbers.length - 1]!;
    const headers = await Promise.all(blockNumbers.map((n) => client.getBlock({ blockNumber: n })));
    const firstTs = Number(headers[0]!.timestamp);
    const lastTs = Number(headers[headers.length - 1]!.timestamp);
    const span = Math.max(1, lastTs - firstTs + 1);
    // "While a backlog existed": blocks from the first to the last one holding our launches.
    const deployPerS = [...perLaunch.keys()].length / span;
    const gasShare = headers.reduce((s, h) => s + Number(h.gasUsed) / Number(h.gasLimit), 0) / headers.length;
    const meanPerBlock = [...blocks.values()].reduce((a, b) => a + b, 0) / blocks.size;
    const e2e = N / ((tEnd - t0) / 1000);

    const failed = [...final.values()].filter((s) => s === "failed").length;
    const lost = ids.filter((id) => final.get(id) !== "confirmed" && final.get(id) !== "failed").length + ids.filter((id) => final.get(id) === "confirmed" && !perLaunch.has(id)).length;
    const duplicated = [...perLaunch.values()].filter((c) => c > 1).length;
    const [pending, latest] = await Promise.all([
      client.getTransactionCount({ address: p.deployer, blockTag: "pending" }),
      client.getTransactionCount({ address: p.deployer, blockTag: "latest" }),
    ]);

    console.log(`blocks ${first}..${last}: ${blocks.size} blocks with launches over ${span} s, mean ${meanPerBlock.toFixed(1)} launches/block, gas share ${(gasShare * 100).toFixed(1)}%`);
    console.log(`deploy rate while a backlog existed: ${deployPerS.toFixed(1)} launches/s`);
    console.log(`end to end (first request → last confirmation): ${e2e.toFixed(1)} launches/s over ${((tEnd - t0) / 1000).toFixed(1)} s`);
    console.log(`deployer nonces: pending ${pending}, latest ${latest}${pending === latest ? " (nothing stuck)" : " (STUCK)"}`);
    console.log(`naive ${naive.toFixed(2)}/s → ratio ${(deployPerS / naive).toFixed(1)}×`);

    // Solana on the local SVM, through the same API, queue and deployer.
    let solBad = 0;
    let solPart = "";
    if (N_SOL > 0) {
      console.log(`\nSolana (local SVM), N=${N_SOL}:`);
      const sol = await benchSolana(p, { n: N_SOL, log: (l) => console.log(`  ${l}`) });
      solBad = sol.lost + sol.failed + sol.wrong;
      solPart = ` sol_deploy_per_s=${sol.deployPerS.toFixed(1)} sol_naive_per_s=${sol.naivePerS.toFixed(2)} sol_lost=${sol.lost} sol_failed=${sol.failed}`;
    }
    console.log(
      `RESULT deploy_per_s=${deployPerS.toFixed(1)} gas_share=${gasShare.toFixed(3)} naive_per_s=${naive.toFixed(2)} ratio=${(deployPerS / naive).toFixed(1)} ingest_per_s=${(N / ingestSeconds).toFixed(1)} e2e_per_s=${e2e.toFixed(1)} per_block=${meanPerBlock.toFixed(1)} lost=${lost} duplicated=${duplicated} failed=${failed}${solPart}`,
    );
    process.exitCode = lost || duplicated || failed || solBad || pending !== latest ? 1 : 0;
  } finally {
    await p.stop();
  }
}

await main();
