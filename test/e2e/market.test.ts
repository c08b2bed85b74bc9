// Market data and analytics on the real local platform (issue 20, acceptance
// 1–3; Solana transfers from the local node's finalized history): the cron reads the CoinGecko / GeckoTerminal stand-ins (tools/market-standin)
// and the chains; the API only ever reads what the cron wrote.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, createWalletClient, erc20Abi, http, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  address as solAddress, appendTransactionMessageInstructions, createSolanaRpc, createTransactionMessage, generateKeyPairSigner, getBase64EncodedWireTransaction,
  pipe, setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash, signTransactionMessageWithSigners,
  type Address as SolAddress, type Instruction, type KeyPairSigner,
} from "@solana/kit";
import { findAssociatedTokenPda, getCreateAssociatedTokenIdempotentInstruction, getTransferCheckedInstruction, getTransferInstruction } from "@solana-program/token";
import { startPlatform, type Platform } from "../../tools/platform";
import { baseLaunch, OWNER, postLaunch, waitStatus } from "./client";

// anvil's well-known dev account 1 (OWNER): the token's owner and first holder.
const OWNER_KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const W4_KEY: Hex = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"; // dev account 3
const W3_KEY: Hex = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"; // dev account 2
const W = {
  w0: OWNER as Address,
  w1: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65" as Address, // dev account 4 (only receives)
  w2: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" as Address, // dev account 5
  w3: privateKeyToAccount(W3_KEY).address,
  w4: privateKeyToAccount(W4_KEY).address,
};
const BUDGET_PER_MINUTE = 6;
const TOKEN_2022 = solAddress("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");

let p: Platform;
beforeAll(async () => {
  p = await startPlatform({
    port: "auto", quiet: true, cronIntervalMs: 3_600_000,
    vars: {
      GECKOTERMINAL_CALLS_PER_MINUTE: String(BUDGET_PER_MINUTE), MARKET_TIMEOUT_MS: "1500", NATIVE_PRICE_REFRESH_SECONDS: "1",
      MARKET_ACTIVE_REFRESH_SECONDS: "1", MARKET_STALE_SECONDS: "600", ANALYTICS_REORG_DEPTH: "64",
      // Pages of 2 signatures: a token account's history is walked page by page (before/until) in the Solana scenario.
      ANALYTICS_SOLANA_SIGNATURE_PAGE: "2",
    },
  });
}, 180_000);
afterAll(async () => {
  await p?.stop();
});

async function launchEvm(symbol: string) {
  const r = await postLaunch(p, baseLaunch({ name: `Market ${symbol}`, symbol }), { "idempotency-key": `market-${symbol}` });
  expect(r.status, r.text).toBe(202);
  await waitStatus(p, r.json.id, "confirmed", 60_000);
  return r.json.address as Address;
}

/** The token as GET /tokens shows it (owner= bypasses the list's 10 s KV cache, as any non-first page does). */
async function listed(address: string, query = `chain=local-eth&owner=${OWNER}`) {
  const res = await fetch(`${p.url}/api/v1/tokens?${query}&limit=100`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { tokens: any[] };
  return body.tokens.find((t) => t.address === address);
}

const rpcOf = (id: string) => p.chains.find((c) => c.id === id)!.rpcUrl;
const anvil = async (method: string, params: unknown[] = []) => {
  const res = await fetch(rpcOf("local-eth"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return ((await res.json()) as { result: any }).result;
};

describe("market data", () => {
  let token: Address;
  const pool = { priceUsd: 0.0123, fdvUsd: 12_300, marketCapUsd: null, volume24hUsd: 4_567, liquidityUsd: 8_900, pool: "0x" + "ab".repeat(20), dex: "uniswap_v3" };

  it("a token given a pool on the GeckoTerminal stand-in shows price, FDV, volume and liquidity in the list after one cron run; quotes show USD from the CoinGecko stand-in", async () => {
    token = await launchEvm("MKT");
    p.market.setPool("eth", token, pool);
    p.market.setNativePrice("ethereum", 2500);
    await p.runCron();
    const t = await listed(token);
    expect(t.market).toMatchObject({ priceUsd: 0.0123, fdvUsd: 12_300, marketCapUsd: null, volume24hUsd: 4_567, liquidityUsd: 8_900, pool: pool.pool, dex: "uniswap_v3", stale: false });
    expect(Date.now() - Date.parse(t.market.asOf)).toBeLessThan(30_000);
    // The sorted list carries it too (the cached first page, fresh within 10 s).
    const byVolume = await listed(token, "chain=local-eth&sort=volume");
    expect(byVolume?.market?.volume24hUsd ?? (await new Promise((r) => setTimeout(r, 10_500)), await listed(token, "chain=local-eth&sort=volume")).market.volume24hUsd).toBe(4_567);

    const q = await fetch(`${p.url}/api/v1/quotes`, { method: "POST", headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(baseLaunch({ symbol: "QUSD" })) });
    const quote = (await q.json()) as any;
    expect(q.status, JSON.stringify(quote)).toBe(201);
    expect(quote.usd).toMatchObject({ price: 2500, stale: false });
    const expected = Math.round((Number(BigInt(quote.networkFee)) / 1e18) * 2500 * 100) / 100;
    expect(quote.usd.networkFee).toBeCloseTo(expected, 2);
    expect(quote.usd.total).toBeCloseTo(quote.usd.networkFee + quote.usd.platformFee, 2);
  });

  it("through 429, 500 and 10 s delays reads keep answering with stale values and their age, the stand-in never sees more calls than the budget, and data refreshes once it heals", async () => {
    const started = Date.now();
    const callsBefore = p.market.calls.geckoterminal.length;
    const before = await listed(token);

    /** Runs the cron until it made a GeckoTerminal call (the token is due again 1 s after its last refresh). */
    const runUntilCall = async () => {
      const n = p.market.calls.geckoterminal.length;
      for (let i = 0; i < 6 && p.market.calls.geckoterminal.length === n; i++) {
        await p.runCron();
        if (p.market.calls.geckoterminal.length === n) await new Promise((r) => setTimeout(r, 1_100));
      }
      expect(p.market.calls.geckoterminal.length).toBe(n + 1);
    };

    // 429 with Retry-After: 3 s — the next runs make no call until it passed.
    p.market.setMode("geckoterminal", { kind: "429", retryAfterSeconds: 3 });
    await runUntilCall();
    const after429 = p.market.calls.geckoterminal.length;
    await p.runCron();
    expect(p.market.calls.geckoterminal.length).toBe(after429);
    expect((await listed(token)).market).toMatchObject({ priceUsd: 0.0123, asOf: before.market.asOf });
    await new Promise((r) => setTimeout(r, 3_100));

    // 500: the run fails that call; reads answer the last values, stale, with their asOf.
    p.market.setMode("geckoterminal", { kind: "500" });
    await runUntilCall();
    const t500 = await listed(token);
    expect(t500.market).toMatchObject({ priceUsd: 0.0123, stale: true, asOf: before.market.asOf });

    // 10 s delays against a 1.5 s timeout: the cron gives up, reads stay fast.
    p.market.setMode("geckoterminal", { kind: "slow", delayMs: 10_000 });
    await new Promise((r) => setTimeout(r, 1_100));
    await runUntilCall();
    const t0 = Date.now();
    const slow = await listed(token);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(slow.market).toMatchObject({ stale: true, asOf: before.market.asOf });

    // Many runs in a burst: the bucket (6/min) holds the calls.
    p.market.setMode("geckoterminal", { kind: "ok" });
    for (let i = 0; i < 8; i++) await p.runCron();
    const elapsedS = (Date.now() - started) / 1000;
    const made = p.market.calls.geckoterminal.length - callsBefore;
    expect(made).toBeGreaterThan(0);
    // Never more than the bucket's burst plus its refill over the time elapsed (and since the platform started).
    const allowed = BUDGET_PER_MINUTE + ((Date.now() - p.market.calls.geckoterminal[0]!) / 60_000) * BUDGET_PER_MINUTE;
    expect(p.market.calls.geckoterminal.length).toBeLessThanOrEqual(Math.floor(allowed) + 1);
    expect(made).toBeLessThanOrEqual(BUDGET_PER_MINUTE + Math.ceil((elapsedS / 60) * BUDGET_PER_MINUTE));

    // Healed, with a new price: once budget allows a call, fresh again.
    p.market.setPool("eth", token, { ...pool, priceUsd: 0.02 });
    const deadline = Date.now() + 25_000;
    let healed: any;
    do {
      await new Promise((r) => setTimeout(r, 2_000));
      await p.runCron();
      healed = (await listed(token)).market;
    } while (healed.priceUsd !== 0.02 && Date.now() < deadline);
    expect(healed).toMatchObject({ priceUsd: 0.02, stale: false });
    expect(Date.parse(healed.asOf)).toBeGreaterThan(Date.parse(before.market.asOf));
  }, 90_000);
});

describe("analytics", () => {
  it("after tokens move among 5 wallets, holders, transfers and supply are right; an anvil snapshot/revert reorg does not double-count", async () => {
    const token = await launchEvm("HOLD");
    const chain = { id: 31337, name: "local", nativeCurrency: { name: "ETH", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcOf("local-eth")] } } } as const;
    const pub = createPublicClient({ chain, transport: http(rpcOf("local-eth")), pollingInterval: 200 });
    const send = async (key: Hex, to: Address, amount: bigint) => {
      const wallet = createWalletClient({ chain, account: privateKeyToAccount(key), transport: http(rpcOf("local-eth")) });
      const hash = await wallet.writeContract({ address: token, abi: erc20Abi, functionName: "transfer", args: [to, amount] });
      await pub.waitForTransactionReceipt({ hash, pollingInterval: 200 });
    };
    const E = 10n ** 18n;
    for (const [to, n] of [[W.w1, 100n], [W.w2, 200n], [W.w3, 300n], [W.w4, 400n]] as const) await send(OWNER_KEY, to, n * E);
    await p.runCron();
    let t = await listed(token);
    expect(t.stats).toMatchObject({ holders: 5, transfers: 5, supply: "1000000" });
    // The top 10 hold everything: 5 holders.
    expect(t.stats.topHoldersShare).toBe(1);

    // A reorg: W4 empties itself into W0 on a branch the chain then drops.
    const snap = await anvil("evm_snapshot");
    await send(W4_KEY, W.w0, 400n * E);
    await p.runCron();
    t = await listed(token);
    expect(t.stats).toMatchObject({ holders: 4, transfers: 6 });
    expect(await anvil("evm_revert", [snap])).toBe(true);
    // The canonical branch: W3 sends 1 to W1 instead.
    await send(W3_KEY, W.w1, 1n * E);
    await p.runCron();
    t = await listed(token);
    // Without reorg handling: holders 4 (W4's dropped send still counted) and transfers 7.
    expect(t.stats).toMatchObject({ holders: 5, transfers: 6, supply: "1000000" });
  }, 120_000);

  it("after tokens move among 5 wallets on the local Solana node, holders, transfers and supply are right in the detail and the list, each transfer counted once across cron runs", async () => {
    const rpc = createSolanaRpc(rpcOf("local-sol"));
    const w = await Promise.all([0, 1, 2, 3, 4].map(() => generateKeyPairSigner()));
    const [w0, w1, w2, w3, w4] = w as [KeyPairSigner, KeyPairSigner, KeyPairSigner, KeyPairSigner, KeyPairSigner];
    p.solana.node.control.setBalance(w0.address, 10n * 10n ** 9n);
    const r = await postLaunch(p, baseLaunch({ chain: "local-sol", name: "Sol Holders", symbol: "SOLH", decimals: 6, initialSupply: "5000", owner: w0.address }), { "idempotency-key": "market-sol" });
    expect(r.status, r.text).toBe(202);
    await waitStatus(p, r.json.id, "confirmed", 90_000);
    const mint = r.json.address as SolAddress;
    const U = 10n ** 6n;
    const ata = async (owner: KeyPairSigner) => (await findAssociatedTokenPda({ owner: owner.address, mint, tokenProgram: TOKEN_2022 }))[0];
    const open = async (owner: KeyPairSigner) => getCreateAssociatedTokenIdempotentInstruction({ payer: w0, ata: await ata(owner), owner: owner.address, mint, tokenProgram: TOKEN_2022 });
    const plain = async (from: KeyPairSigner, to: KeyPairSigner, amount: bigint) =>
      getTransferInstruction({ source: await ata(from), destination: await ata(to), authority: from, amount: amount * U }, { programAddress: TOKEN_2022 });
    const checked = async (from: KeyPairSigner, to: KeyPairSigner, amount: bigint) =>
      getTransferCheckedInstruction({ source: await ata(from), mint, destination: await ata(to), authority: from, amount: amount * U, decimals: 6 }, { programAddress: TOKEN_2022 });
    /** W0 pays; the node lands a transaction in the current slot (skipPreflight: a failing one lands with its error). */
    const send = async (ixs: Instruction[], skipPreflight = false) => {
      const { value: latest } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
      const msg = pipe(createTransactionMessage({ version: 0 }), (m) => setTransactionMessageFeePayerSigner(w0, m),
        (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m), (m) => appendTransactionMessageInstructions(ixs, m));
      const tx = await signTransactionMessageWithSigners(msg);
      await rpc.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: "base64", skipPreflight, preflightCommitment: "confirmed" }).send();
    };
    // Transfers are counted from finalized transactions only: produce the slots that finalize them now.
    const finalize = () => p.solana.node.control.advanceSlots(40);
    const detail = async () => ((await (await fetch(`${p.url}/api/v1/tokens/local-sol/${mint}`)).json()) as any).stats;

    // W0 → W1..W4: plain Transfer and TransferChecked, two in one transaction.
    await send([await open(w1), await checked(w0, w1, 100n)]);
    await send([await open(w2), await plain(w0, w2, 200n)]);
    await send([await open(w3), await open(w4), await checked(w0, w3, 300n), await plain(w0, w4, 400n)]);
    finalize();
    const run = (await p.runCron()) as { analytics: Record<string, unknown> };
    const want = { holders: 5, transfers: 4, supply: "5000", topHoldersShare: 1 };
    expect(await detail(), JSON.stringify(run.analytics["local-sol"])).toMatchObject(want);
    expect((await listed(mint, `chain=local-sol&owner=${w0.address}`)).stats).toMatchObject(want);
    // Again: nothing new from the cursors, nothing counted twice.
    const again = (await p.runCron()) as { analytics: Record<string, { transactions?: number }> };
    expect(again.analytics["local-sol"]?.transactions).toBe(0);
    expect(await detail()).toMatchObject(want);

    // W4 empties itself into W1, W1 sends 50 on to W2; W3 tries to send more than it holds (lands failed).
    await send([await plain(w4, w1, 400n)]);
    await send([await checked(w1, w2, 50n)]);
    await send([await checked(w3, w2, 10_000n)], true);
    finalize();
    await p.runCron();
    const after = { holders: 4, transfers: 6, supply: "5000", topHoldersShare: 1 };
    expect(await detail()).toMatchObject(after);
    expect((await listed(mint, `chain=local-sol&owner=${w0.address}`)).stats).toMatchObject(after);
    await p.runCron();
    expect(await detail()).toMatchObject(after);
  }, 150_000);
});
