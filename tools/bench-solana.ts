// Solana launch throughput on the local SVM (tools/solana-node, 400 ms slots).
// `benchSolana(platform)` is what `npm run bench:deploy` calls next to its EVM
// run; `npx tsx tools/bench-solana.ts [--n 500] [--naive-seconds 10]` runs it
// alone on a platform of its own. It measures a naive send-and-confirm loop
// (one launch at a time, straight to the node), then pushes N launches through
// the HTTP API and waits until all are final. It checks every confirmed launch
// on chain (its mint exists with the requested supply in the owner's account),
// prints launches/s and a RESULT line, and exits non-zero (when run alone) if a
// launch is lost, failed or wrong.
import { pathToFileURL } from "node:url";
import {
  createSolanaRpc,
  generateKeyPairSigner,
  type Address,
  type Base64EncodedWireTransaction,
  type Rpc,
  type Signature,
  type SolanaRpcApi,
} from "@solana/kit";
import { LaunchRequest } from "../packages/core/src/launch";
import { deriveMintSigner, ownerTokenAccount, parseTokenAccount, signLaunchTransaction } from "../packages/core/src/solana/index";
import { startPlatform, type Platform } from "./platform";

export type SolanaBenchOptions = { n?: number; concurrency?: number; naiveSeconds?: number; log?: (line: string) => void };
export type SolanaBenchResult = {
  n: number;
  naivePerS: number;
  ingestPerS: number;
  /** Confirmed launches over the slots that held them (slot time from the registry's blockTimeMs). */
  deployPerS: number;
  /** First request → last confirmation. */
  e2ePerS: number;
  perSlot: number;
  slots: number;
  lost: number;
  failed: number;
  wrong: number;
  /** Launches whose first transaction expired and was replaced. */
  resigned: number;
  result: string;
};

const SLOT_MS = 400;

export async function benchSolana(p: Platform, opts: SolanaBenchOptions = {}): Promise<SolanaBenchResult> {
  const n = opts.n ?? 500;
  const concurrency = opts.concurrency ?? 64;
  const say = opts.log ?? ((l: string) => console.log(l));
  const rpcUrl = p.chains.find((c) => c.id === "local-sol")!.rpcUrl;
  const rpc = createSolanaRpc(rpcUrl) as Rpc<SolanaRpcApi>;
  const owner = (await generateKeyPairSigner()).address;

  const naivePerS = await naiveLoop(p, rpc, owner, opts.naiveSeconds ?? 10);
  say(`solana naive loop (sign, send, wait for confirmed, repeat): ${naivePerS.toFixed(2)} launches/s`);

  // Ingest: N launches through the API, `concurrency` at a time.
  const ids: string[] = new Array(n);
  let next = 0;
  let rejected = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${p.url}/api/v1/launches`, {
            method: "POST",
            headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json", "idempotency-key": `bench-sol-${t0}-${i}` },
            body: JSON.stringify({ chain: "local-sol", name: `Bench ${i}`, symbol: `S${i}`, decimals: 6, initialSupply: "1000000", owner }),
          });
          // A plain-text 503 ("Your worker restarted mid-request", from wrangler's dev proxy on a busy
          // machine) is retried like any refusal: the idempotency key makes a second POST safe.
          const body = (await res.json().catch(() => ({}))) as { id?: string };
          if (res.status === 202 && body.id) {
            ids[i] = body.id;
            break;
          }
          if (attempt > 20) throw new Error(`solana launch ${i}: ${res.status} ${JSON.stringify(body)}`);
          rejected++;
          await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
        }
      }
    }),
  );
  const ingestSeconds = (Date.now() - t0) / 1000;
  say(`solana ingest: ${n} launches accepted in ${ingestSeconds.toFixed(1)} s (${(n / ingestSeconds).toFixed(0)}/s, ${rejected} retried)`);

  // Wait until every launch is final.
  type View = { id: string; status: string; address: string; slot: number | null; events: { status: string }[] };
  const deadline = Date.now() + Math.max(300_000, n * 300);
  let views: View[] = [];
  for (;;) {
    views = [];
    for (let i = 0; i < ids.length; i += 100) {
      views.push(...(await Promise.all(ids.slice(i, i + 100).map(async (id) => (await (await fetch(`${p.url}/api/v1/launches/${id}`)).json()) as View))));
    }
    const pending = views.filter((v) => v.status !== "confirmed" && v.status !== "failed").length;
    if (pending === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const tEnd = Date.now();

  // What the chain says: each confirmed launch's mint holds the supply in the owner's account.
  const confirmed = views.filter((v) => v.status === "confirmed");
  const atas = await Promise.all(confirmed.map((v) => ownerTokenAccount(owner, v.address as Address)));
  let wrong = 0;
  for (let i = 0; i < atas.length; i += 100) {
    const { value } = await rpc.getMultipleAccounts(atas.slice(i, i + 100), { encoding: "base64", commitment: "confirmed" }).send();
    value.forEach((a, k) => {
      const acct = a ? parseTokenAccount(new Uint8Array(Buffer.from(a.data[0], "base64"))) : null;
      if (!acct || acct.amount !== 10n ** 12n || acct.mint !== confirmed[i + k]!.address) wrong++;
    });
  }
  const slots = confirmed.map((v) => v.slot ?? 0).filter((s) => s > 0);
  const span = slots.length ? Math.max(...slots) - Math.min(...slots) + 1 : 1;
  const perSlot = slots.length / new Set(slots).size;
  const deployPerS = confirmed.length / ((span * SLOT_MS) / 1000);
  const e2ePerS = n / ((tEnd - t0) / 1000);
  const failed = views.filter((v) => v.status === "failed").length;
  const lost = n - confirmed.length - failed;
  const resigned = views.filter((v) => v.events.filter((e) => e.status === "submitted").length > 1).length;

  say(`solana slots ${Math.min(...slots)}..${Math.max(...slots)}: ${new Set(slots).size} slots with launches over ${span} slots (${((span * SLOT_MS) / 1000).toFixed(1)} s), mean ${perSlot.toFixed(1)} launches/slot`);
  say(`solana deploy rate while a backlog existed: ${deployPerS.toFixed(1)} launches/s`);
  say(`solana end to end (first request → last confirmation): ${e2ePerS.toFixed(1)} launches/s over ${((tEnd - t0) / 1000).toFixed(1)} s`);
  say(`solana naive ${naivePerS.toFixed(2)}/s → ratio ${(deployPerS / naivePerS).toFixed(1)}×; re-signed after expiry: ${resigned}`);
  const result =
    `RESULT sol_deploy_per_s=${deployPerS.toFixed(1)} sol_naive_per_s=${naivePerS.toFixed(2)} sol_ratio=${(deployPerS / naivePerS).toFixed(1)} ` +
    `sol_ingest_per_s=${(n / ingestSeconds).toFixed(1)} sol_e2e_per_s=${e2ePerS.toFixed(1)} sol_per_slot=${perSlot.toFixed(1)} ` +
    `sol_lost=${lost} sol_failed=${failed} sol_wrong=${wrong} sol_resigned=${resigned}`;
  say(result);
  return { n, naivePerS, ingestPerS: n / ingestSeconds, deployPerS, e2ePerS, perSlot, slots: span, lost, failed, wrong, resigned, result };
}

/** One launch at a time straight to the node with a throwaway payer: sign, send, poll until confirmed. */
async function naiveLoop(p: Platform, rpc: Rpc<SolanaRpcApi>, owner: Address, seconds: number): Promise<number> {
  const payer = await generateKeyPairSigner();
  p.solana.node.control.setBalance(payer.address, 1_000n * 10n ** 9n);
  const rent0 = await rpc.getMinimumBalanceForRentExemption(0n).send();
  const secret = `naive-bench-${Date.now()}-`.padEnd(40, "x");
  const started = Date.now();
  const end = started + seconds * 1000;
  let count = 0;
  while (Date.now() < end) {
    const req = LaunchRequest.parse({ chain: "local-sol", name: `Naive ${count}`, symbol: "NAIVE", decimals: 6, initialSupply: "1000000", owner });
    const { value: lifetime } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
    const tx = await signLaunchTransaction({ feePayer: payer, mint: await deriveMintSigner(secret, `naive-${count}`), req, rentForZeroBytes: rent0, lifetime });
    await rpc.sendTransaction(tx.wire as Base64EncodedWireTransaction, { encoding: "base64", preflightCommitment: "confirmed" }).send();
    for (;;) {
      const { value: [s] } = await rpc.getSignatureStatuses([tx.signature as Signature]).send();
      if (s?.confirmationStatus === "confirmed" || s?.confirmationStatus === "finalized") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    count++;
  }
  return count / ((Date.now() - started) / 1000);
}

function arg(name: string) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const n = Number(process.env.N ?? arg("--n") ?? 500);
  const naiveSeconds = Number(process.env.NAIVE_SECONDS ?? arg("--naive-seconds") ?? 10);
  console.log(`bench:solana — N=${n}, naive loop ${naiveSeconds}s, chain local-sol (${SLOT_MS} ms slots)`);
  const p = await startPlatform({ port: "auto", quiet: true, cronIntervalMs: 10_000, vars: { SWEEP_STALE_SECONDS: "20" } });
  try {
    const r = await benchSolana(p, { n, naiveSeconds });
    process.exitCode = r.lost || r.failed || r.wrong ? 1 : 0;
  } finally {
    await p.stop();
  }
}
