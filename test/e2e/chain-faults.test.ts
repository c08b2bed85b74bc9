// Invariants under chain-level faults (issue 11), on the real platform: local-eth's
// two endpoints sit behind fault proxies, anvil's control methods (mining paused,
// transactions dropped, an account impersonated, a reorg) make each fault
// happen on purpose. Each test failed on the code before its fix.
//   1. an outage longer than a launch's retries never fails a launch whose transaction may still land;
//   2. a launch whose nonce another transaction took is sent again, not settled with a dead hash;
//   3. after a reorg the nonce hole is filled and the launch whose token vanished is deployed again;
//   4. a redelivery confirms by the same rule as the confirmations consumer: the chain's confirmations;
//   5. lamports sent to a Solana launch's announced mint address do not make the launch fail.
import { afterAll, beforeAll, expect, it } from "vitest";
import { toHex, type Hex } from "viem";
import { generateKeyPairSigner } from "@solana/kit";
import { rpc } from "../../tools/chains/anvil";
import { startPlatform, type Platform } from "../../tools/platform";
import { startRpcProxy, type RpcProxy } from "../../tools/rpc-proxy/index";
import { admin, baseLaunch, getLaunch, postLaunch, waitFinal, waitStatus } from "./client";

/** Where a proxy forwards until the platform's anvil exists (nothing listens on port 9). */
const NOWHERE = "http://127.0.0.1:9";
const CONFIRMATIONS = 2;
let p: Platform;
let primary: RpcProxy;
let secondary: RpcProxy;
let anvil: string;

beforeAll(async () => {
  [primary, secondary] = await Promise.all([startRpcProxy({ upstream: NOWHERE }), startRpcProxy({ upstream: NOWHERE })]);
  p = await startPlatform({
    port: "auto", quiet: true, queueMaxRetries: 1, cronIntervalMs: 2_000,
    vars: {
      LOCAL_ETH_PRIMARY_URL: primary.url,
      LOCAL_ETH_SECONDARY_URL: secondary.url,
      LOCAL_ETH_CONFIRMATIONS: String(CONFIRMATIONS),
      RETRY_BASE_SECONDS: "1", RETRY_CAP_SECONDS: "2",
      BREAKER_WINDOW_MS: "10000", BREAKER_MIN_CALLS: "3", BREAKER_COOLDOWN_MS: "2000",
      RPC_TIMEOUT_MS: "1000", RPC_MAX_WAIT_MS: "1500",
      SIGNER_REBROADCAST_AFTER_MS: "2000", SIGNER_STUCK_AFTER_MS: "1500", SWEEP_STALE_SECONDS: "2",
    },
  });
  anvil = p.chains.find((c) => c.id === "local-eth")!.rpcUrl;
  for (const proxy of [primary, secondary]) proxy.setUpstream(anvil);
});
afterAll(async () => {
  await p?.stop();
  await Promise.all([primary?.close(), secondary?.close()]);
});

const pauseMining = () => rpc(anvil, "evm_setIntervalMining", [0]);
const resumeMining = () => rpc(anvil, "evm_setIntervalMining", [1]);
const code = (address: string) => rpc<Hex>(anvil, "eth_getCode", [address, "latest"]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitLog(pred: (line: string) => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!p.logs.some(pred)) {
    if (Date.now() > deadline) throw new Error(`no log line: ${what}`);
    await sleep(200);
  }
  return p.logs.find(pred)!;
}

it("1. keeps a submitted launch through an outage longer than its retries, and it confirms when the chain is back", async () => {
  await pauseMining();
  let id = "";
  try {
    const r = await postLaunch(p, baseLaunch({ symbol: "OUTAGE" }));
    id = r.json.id;
    await waitStatus(p, id, "submitted");
    // The transaction sits in anvil's mempool; every endpoint of the chain fails.
    primary.setMode("fail500");
    secondary.setMode("close");
    // The sweep re-enqueues it (reconcile cannot reach the chain), the deliveries fail, the retries run out.
    await waitLog((l) => l.includes(id) && l.includes("deployer.dead_letter"), 60_000, "the launch's message was dead-lettered");
    await sleep(1_000);
    const during = await getLaunch(p, id);
    expect(during.status).toBe("submitted");
  } finally {
    primary.setMode("pass");
    secondary.setMode("pass");
    await resumeMining();
  }
  const [v] = await waitFinal(p, [id], 60_000, () => p.runCron());
  expect(v.status).toBe("confirmed");
  expect(await code(v.address)).not.toBe("0x");
  expect(v.events.some((e: any) => e.status === "failed")).toBe(false);
  expect(v.events.some((e: any) => /may still land/.test(e.detail ?? ""))).toBe(true);
});

it("2. sends a launch again when another transaction took its nonce, instead of settling the dead hash", async () => {
  await pauseMining();
  let id = "";
  let dead: Hex = "0x";
  try {
    const r = await postLaunch(p, baseLaunch({ symbol: "TAKEN" }));
    id = r.json.id;
    const sub = await waitStatus(p, id, "submitted");
    dead = sub.txHash;
    const tx = await rpc<{ nonce: Hex }>(anvil, "eth_getTransactionByHash", [dead]);
    // The key used elsewhere: the launch's transaction leaves the mempool and another one takes its nonce.
    await rpc(anvil, "anvil_dropTransaction", [dead]);
    await rpc(anvil, "anvil_impersonateAccount", [p.deployer]);
    const gwei100 = toHex(100n * 10n ** 9n);
    await rpc(anvil, "eth_sendTransaction", [{ from: p.deployer, to: p.deployer, value: "0x0", nonce: tx.nonce, gas: "0x5208", maxFeePerGas: gwei100, maxPriorityFeePerGas: gwei100 }]);
    await rpc(anvil, "anvil_stopImpersonatingAccount", [p.deployer]);
    await rpc(anvil, "evm_mine", []);
  } finally {
    await resumeMining();
  }
  const [v] = await waitFinal(p, [id], 60_000, () => p.runCron());
  expect(v.status).toBe("confirmed");
  expect(v.txHash).not.toBe(dead);
  expect(await code(v.address)).not.toBe("0x");
  expect(await rpc(anvil, "eth_getTransactionReceipt", [dead])).toBeNull();
  expect(p.logs.some((l) => l.includes("signer.nonce_taken") && l.includes(id))).toBe(true);
});

it("4. does not confirm a redelivered launch before the chain's confirmations", async () => {
  await pauseMining();
  let id = "";
  try {
    const r = await postLaunch(p, baseLaunch({ symbol: "DEPTH" }));
    id = r.json.id;
    await waitStatus(p, id, "submitted");
    await rpc(anvil, "evm_mine", []); // mined, one block deep: short of CONFIRMATIONS
    expect(await code(r.json.address)).not.toBe("0x");
    const from = p.logs.length;
    expect((await admin(p, "POST", `/launches/${id}/enqueue`)).status).toBe(202);
    await waitLog((l) => p.logs.indexOf(l) >= from && l.includes(id) && l.includes("deployer.already_deployed"), 20_000, "the redelivery found the token");
    await sleep(2_500); // confirmations checks come every second meanwhile
    expect((await getLaunch(p, id)).status).toBe("submitted");
  } finally {
    await resumeMining();
  }
  const [v] = await waitFinal(p, [id], 30_000);
  expect(v.status).toBe("confirmed");
  const head = Number(BigInt(await rpc<Hex>(anvil, "eth_blockNumber", [])));
  expect(head - v.blockNumber + 1).toBeGreaterThanOrEqual(CONFIRMATIONS);
});

it("3. after a reorg takes a confirmed launch's transaction, fills the nonce hole and deploys the launch again", async () => {
  const a = await postLaunch(p, baseLaunch({ symbol: "REORGED" }));
  const [confirmed] = await waitFinal(p, [a.json.id], 30_000);
  expect(confirmed.status).toBe("confirmed");
  const head = Number(BigInt(await rpc<Hex>(anvil, "eth_blockNumber", [])));
  // Rewind to before the launch's block (anvil mines as many new, empty blocks).
  await rpc(anvil, "anvil_reorg", [head - confirmed.blockNumber + 1, []]);
  expect(await code(a.json.address)).toBe("0x");
  expect(await rpc(anvil, "eth_getTransactionReceipt", [confirmed.txHash])).toBeNull();

  // A later launch takes the next nonce of the Signer, above the one the reorg emptied.
  const b = await postLaunch(p, baseLaunch({ symbol: "BEHIND" }));
  const [vb] = await waitFinal(p, [b.json.id], 60_000, () => p.runCron());
  expect(vb.status).toBe("confirmed");
  expect(p.logs.some((l) => l.includes("signer.hole_filled"))).toBe(true);

  // The reorged launch went back to work and is confirmed again, at its address, with its token on chain.
  const deadline = Date.now() + 60_000;
  let va: any;
  for (;;) {
    va = await getLaunch(p, a.json.id);
    if (va.status === "confirmed" && va.events.some((e: any) => /^reorg:/.test(e.detail ?? ""))) break;
    if (Date.now() > deadline) throw new Error(`the reorged launch is ${JSON.stringify(va)}`);
    await p.runCron().catch(() => undefined);
    await sleep(1_000);
  }
  expect(va.address).toBe(a.json.address);
  expect(va.txHash).not.toBe(confirmed.txHash);
  expect(await code(a.json.address)).not.toBe("0x");
  const tokens = (await (await fetch(`${p.url}/api/v1/tokens?chain=local-eth`)).json()) as any;
  expect(JSON.stringify(tokens)).toContain(a.json.address);
  const n = await Promise.all(["pending", "latest"].map((t) => rpc<Hex>(anvil, "eth_getTransactionCount", [p.deployer, t])));
  expect(n[0]).toBe(n[1]);
});

it("5. creates a Solana launch's mint although someone sent lamports to its announced address first", async () => {
  const node = p.solana.node;
  const owner = (await generateKeyPairSigner()).address;
  node.control.holdTransactions(true);
  let id = "";
  let mint = "";
  try {
    const r = await postLaunch(p, { chain: "local-sol", name: "Griefed", symbol: "GRIEF", decimals: 6, initialSupply: "1000", owner });
    expect(r.status).toBe(202);
    ({ id, address: mint } = r.json);
    // Anyone may send lamports to the address the 202 announced.
    node.control.setBalance(mint, 1_000_000);
    // The deployer reads the address and signs (the transaction is held by the node until released).
    const deadline = Date.now() + 20_000;
    while ((await getLaunch(p, id)).status === "queued" && Date.now() < deadline) await sleep(200);
  } finally {
    node.control.holdTransactions(false);
  }
  const [v] = await waitFinal(p, [id], 60_000, () => p.runCron());
  expect(v.status).toBe("confirmed");
  const info = await rpc<{ value: { owner: string } | null }>(p.chains.find((c) => c.id === "local-sol")!.rpcUrl, "getAccountInfo", [mint, { encoding: "base64" }]);
  expect(info.value?.owner).toBe("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
});

it("6b. while the deployer cannot pay, waiting launches are not simulated on every sweep", async () => {
  const funds = await rpc<Hex>(anvil, "eth_getBalance", [p.deployer, "latest"]);
  await rpc(anvil, "anvil_setBalance", [p.deployer, "0x1"]);
  const ids: string[] = [];
  try {
    for (const s of ["BROKE1", "BROKE2", "BROKE3"]) ids.push((await postLaunch(p, baseLaunch({ symbol: s }))).json.id);
    const waited = (from: number) => ids.every((id) => p.logs.slice(from).some((l) => l.includes(id) && l.includes("deployer.waiting")));
    const deadline = Date.now() + 20_000;
    while (!waited(0) && Date.now() < deadline) await sleep(200);
    // The cron's own reads (factory settings, token state, …) are eth_calls too, not simulations: counted from the
    // cron Worker's rpc.call lines (wrangler prefixes each line with its Worker's name) and left out.
    const cronReads = () => p.logs.filter((l) => l.includes("[tokenforge-cron]") && l.includes('"event":"rpc.call"') && l.includes('"chain":"local-eth"'))
      .reduce((n, l) => n + [...(/"methods":"([^"]*)"/.exec(l)?.[1] ?? "").matchAll(/eth_(?:call|estimateGas)(?:×(\d+))?/g)].reduce((k, m) => k + Number(m[1] ?? 1), 0), 0);
    const sims = () => [primary, secondary].reduce((s, x) => s + (x.counts().byMethod.eth_call ?? 0) + (x.counts().byMethod.eth_estimateGas ?? 0), 0) - cronReads();
    const before = sims();
    // The sweep brings them back (every 2 s here), twice: each comes back waiting.
    for (let round = 0; round < 2; round++) {
      const from = p.logs.length;
      const until = Date.now() + 20_000;
      while (!waited(from) && Date.now() < until) await sleep(200);
      expect(waited(from), "the sweep brought every waiting launch back").toBe(true);
    }
    expect(sims()).toBe(before);
  } finally {
    await rpc(anvil, "anvil_setBalance", [p.deployer, funds]);
  }
  const views = await waitFinal(p, ids, 60_000, () => p.runCron());
  expect(views.map((v) => v.status)).toEqual(["confirmed", "confirmed", "confirmed"]);
});

it("6d. a fresh send answered \"nonce too low\" never shows a transaction that does not exist", async () => {
  // The Signer knows its next nonce (it has sent before); then the key is used
  // elsewhere and the chain's count moves past it.
  const warm = await postLaunch(p, baseLaunch({ symbol: "WARM" }));
  expect((await waitFinal(p, [warm.json.id], 30_000))[0].status).toBe("confirmed");
  await rpc(anvil, "anvil_impersonateAccount", [p.deployer]);
  const outside = await rpc<Hex>(anvil, "eth_sendTransaction", [{ from: p.deployer, to: p.deployer, value: "0x0" }]);
  await rpc(anvil, "anvil_stopImpersonatingAccount", [p.deployer]);
  for (let i = 0; i < 20 && !(await rpc(anvil, "eth_getTransactionReceipt", [outside])); i++) await sleep(250);
  const r = await postLaunch(p, baseLaunch({ symbol: "STALE" }));
  const [v] = await waitFinal(p, [r.json.id], 60_000, () => p.runCron());
  expect(v.status).toBe("confirmed");
  const shown = v.events.filter((e: any) => e.status === "submitted").map((e: any) => /tx (0x[0-9a-f]{64})/.exec(e.detail ?? "")?.[1]);
  expect(shown.length).toBeGreaterThan(0);
  for (const hash of shown) expect(await rpc(anvil, "eth_getTransactionByHash", [hash]), `submitted ${hash}`).not.toBeNull();
  expect(p.logs.some((l) => l.includes("nonce_taken") && l.includes(r.json.id)), "the first send met a taken nonce").toBe(true);
});
