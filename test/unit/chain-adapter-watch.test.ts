// The chain adapters' `watch` (workers/deployer/src/{evm,solana}/watch.ts) against
// real local chains: a launch sent the way the deployer sends it (EVM: the
// adapter's prepared factory call from the deployer account; Solana: the launch
// transaction signed with the derived mint) is pending until it has the chain's
// confirmations, then confirmed with the token the request asked for; a launch
// id never sent is pending before its deadline and expired after it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, createWalletClient, http, type Address, type PublicClient } from "viem";
import { createSolanaRpc, generateKeyPairSigner, type Base64EncodedWireTransaction, type Rpc, type SolanaRpcApi } from "@solana/kit";
import { chainRegistry, newId, type ChainConfig, type LaunchRequest } from "@tokenforge/core";
import { LaunchRequest as LaunchRequestSchema } from "@tokenforge/core/launch";
import { evmLaunchAddress } from "@tokenforge/core/launch-evm";
import { factoryAddress } from "@tokenforge/core/contracts/factory";
import { deriveMintAddress, deriveMintSigner, launchCostLamports, signLaunchTransaction } from "@tokenforge/core/solana/index";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { AdapterContext, LaunchOutcome, WatchedLaunch } from "../../workers/deployer/src/adapter";
import type { Env } from "../../workers/deployer/src/env";
import { prepareEvm } from "../../workers/deployer/src/evm/prepare";
import { watchEvm } from "../../workers/deployer/src/evm/watch";
import { factsFromReceipt, judgeEvm } from "../../workers/deployer/src/evm/judge";
import { watchSolana } from "../../workers/deployer/src/solana/watch";
import { deployFactory } from "../../tools/chains/deploy-factory";
import { startSolanaNode, type SolanaNode } from "../../tools/solana-node/index";
import { runAnvil, type AnvilNode as Anvil } from "../../tools/chains/anvil";

const HOUR = 3600_000;
const watched = (id: string, address: string, req: LaunchRequest, expiresAt: number | null, factoryVersion: string | null = "1"): WatchedLaunch => ({
  id, address, request: req, createdAt: Date.now(), factoryVersion, expiresAt,
});
const only = (outcomes: LaunchOutcome[]) => {
  expect(outcomes).toHaveLength(1);
  return outcomes[0]!;
};

describe("EVM adapter watch (anvil)", () => {
  let anvil: Anvil;
  let client: PublicClient;
  let chain: ChainConfig;
  let deployer: Address;
  const owner = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  const request = (symbol: string) => LaunchRequestSchema.parse({ chain: "local-eth", name: `Watched ${symbol}`, symbol, decimals: 18, initialSupply: "1000", owner });

  beforeAll(async () => {
    anvil = await runAnvil();
    await deployFactory(anvil.rpcUrl);
    client = createPublicClient({ transport: http(anvil.rpcUrl) }) as PublicClient;
    // Two confirmations, so "mined but not deep enough" is observable with automine.
    chain = chainRegistry({ TF_ENV: "local", LOCAL_ETH_PORT: String(anvil.port), LOCAL_ETH_CONFIRMATIONS: "2" }).find((c) => c.id === "local-eth")!;
    [deployer] = (await client.request({ method: "eth_accounts" } as never)) as Address[];
  });
  afterAll(async () => anvil?.stop());

  it("follows a sent launch from pending to confirmed at its CREATE2 address", async () => {
    const id = newId("lch");
    const req = request("WTE");
    const launch = watched(id, evmLaunchAddress(id, deployer!, req), req, Date.now() + HOUR);
    expect(only(await watchEvm(client, chain, [launch], Date.now())).kind).toBe("pending");

    const { to, data } = await prepareEvm({ env: {} as Env, chain }, { ...launch, deployer: deployer! });
    const wallet = createWalletClient({ transport: http(anvil.rpcUrl) });
    const hash = await wallet.sendTransaction({ account: deployer!, chain: null, to, data });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    expect(receipt.status).toBe("success");
    // Mined (one confirmation of the two): found, but not final yet.
    expect(only(await watchEvm(client, chain, [launch], Date.now())).kind).toBe("pending");

    await client.request({ method: "evm_mine" } as never);
    const out = only(await watchEvm(client, chain, [launch], Date.now()));
    expect(out).toMatchObject({ kind: "confirmed", launchId: id, txHash: hash, blockNumber: Number(receipt.blockNumber) });
    if (out.kind !== "confirmed") throw new Error("unreachable");
    expect(out.token).toMatchObject({ chain: "local-eth", address: launch.address, name: "Watched WTE", symbol: "WTE", decimals: 18, totalSupply: (1000n * 10n ** 18n).toString() });
    expect(out.token.owner.toLowerCase()).toBe(owner.toLowerCase());
  });

  it("keeps a never-sent launch pending until its deadline, then expired", async () => {
    const id = newId("lch");
    const req = request("NVR");
    const address = evmLaunchAddress(id, deployer!, req);
    const now = Date.now();
    expect(only(await watchEvm(client, chain, [watched(id, address, req, now + HOUR)], now))).toMatchObject({ kind: "pending", launchId: id });
    // An EVM launch expires only once the chain's latest block is past the transaction's deadline too.
    const latest = await client.getBlock({ blockTag: "latest" });
    const closedAt = Number(latest.timestamp) * 1000; // deadline = this block's second: it could still take the transaction
    expect(only(await watchEvm(client, chain, [watched(id, address, req, closedAt)], closedAt + HOUR))).toMatchObject({ kind: "pending", launchId: id });
    expect(only(await watchEvm(client, chain, [watched(id, address, req, closedAt - 1000)], closedAt + HOUR))).toMatchObject({ kind: "expired", launchId: id });
  });

  it("confirms from the receipt's creation event: no read of the token (one eth_call each before)", async () => {
    const id = newId("lch");
    const req = request("RCP");
    const launch = { ...watched(id, evmLaunchAddress(id, deployer!, req), req, null), deployer: deployer! };
    const { to, data } = await prepareEvm({ env: {} as Env, chain }, launch);
    const hash = await createWalletClient({ transport: http(anvil.rpcUrl) }).sendTransaction({ account: deployer!, chain: null, to, data });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    await client.request({ method: "evm_mine" } as never);
    // The very node, with each JSON-RPC method it is asked counted.
    const methods: string[] = [];
    const counting = createPublicClient({
      transport: http(anvil.rpcUrl, { onFetchRequest: async (r) => void methods.push(...[(JSON.parse(await r.clone().text()) as { method: string } | { method: string }[])].flat().map((m) => m.method)) }),
    }) as PublicClient;
    const latest = await client.getBlockNumber({ cacheTime: 0 });
    const out = await judgeEvm(counting, chain, launch, receipt, latest);
    expect(out).toMatchObject({ kind: "confirmed", launchId: id, txHash: hash, token: { name: req.name, symbol: "RCP", decimals: 18, totalSupply: (1000n * 10n ** 18n).toString() } });
    expect(methods).toEqual([]);
    expect(factsFromReceipt(chain, launch, receipt)?.owner.toLowerCase()).toBe(owner.toLowerCase());
    // Another launch's receipt proves nothing about this one: its token is read instead.
    const other = { ...launch, id: newId("lch") };
    expect(factsFromReceipt(chain, other, receipt)).toBeNull();
  });

  it("fails a launch whose address holds code that is not a token clone", async () => {
    const req = request("ODD");
    const out = only(await watchEvm(client, chain, [watched(newId("lch"), factoryAddress, req, null)], Date.now()));
    expect(out).toMatchObject({ kind: "failed", errorType: "verification" });
  });
});

describe("Solana adapter watch (local node)", () => {
  let node: SolanaNode;
  let rpc: Rpc<SolanaRpcApi>;
  let ctx: AdapterContext;
  const SECRET = "unit-test-watch-mint-secret-0123456789";

  beforeAll(async () => {
    node = await startSolanaNode({ port: 0, slotMs: 50, blockhashExpirySlots: 40, finalizeDepth: 8 });
    rpc = createSolanaRpc(node.url);
    const chain = chainRegistry({ TF_ENV: "local", LOCAL_SOL_PORT: String(node.port) }).find((c) => c.id === "local-sol")!;
    ctx = { env: { MINT_SEED_SECRET: SECRET } as unknown as Env, chain };
  });
  afterAll(async () => node?.close());

  const request = async (symbol: string) =>
    LaunchRequestSchema.parse({ chain: "local-sol", name: `Watched ${symbol}`, symbol, decimals: 6, initialSupply: "5000", owner: (await generateKeyPairSigner()).address });

  it("follows a sent launch to confirmed at its derived mint", async () => {
    const id = newId("lch");
    const req = await request("WTS");
    const launch = watched(id, await deriveMintAddress(SECRET, id), req, Date.now() + HOUR);
    expect(only(await watchSolana(rpc, ctx.chain, [launch], Date.now())).kind).toBe("pending");

    // Sent the way the deployer sends it (the adapter's prepare is covered by the deployer's workerd tests,
    // where its rent read goes through the ChainGate).
    const payer = await generateKeyPairSigner();
    const rent0 = await rpc.getMinimumBalanceForRentExemption(0n).send();
    node.control.setBalance(payer.address, launchCostLamports(req, rent0) + 1_000_000n);
    const { value: lifetime } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
    const tx = await signLaunchTransaction({ feePayer: payer, mint: await deriveMintSigner(SECRET, id), req, rentForZeroBytes: rent0, lifetime });
    await rpc.sendTransaction(tx.wire as Base64EncodedWireTransaction, { encoding: "base64", preflightCommitment: "confirmed" }).send();

    await expect.poll(async () => only(await watchSolana(rpc, ctx.chain, [launch], Date.now())).kind, { timeout: 10_000, interval: 100 }).toBe("confirmed");
    const out = only(await watchSolana(rpc, ctx.chain, [launch], Date.now()));
    if (out.kind !== "confirmed") throw new Error("unreachable");
    expect(out.token).toMatchObject({ chain: "local-sol", address: launch.address, name: "Watched WTS", symbol: "WTS", decimals: 6, totalSupply: (5000n * 10n ** 6n).toString(), owner: req.owner });
  });

  it("keeps a never-sent launch pending until its deadline, then expired", async () => {
    const id = newId("lch");
    const req = await request("NVS");
    const mint = await deriveMintAddress(SECRET, id);
    const now = Date.now();
    expect(only(await watchSolana(rpc, ctx.chain, [watched(id, mint, req, now + HOUR)], now))).toMatchObject({ kind: "pending", launchId: id });
    expect(only(await watchSolana(rpc, ctx.chain, [watched(id, mint, req, now - 1)], now))).toMatchObject({ kind: "expired", launchId: id });
  });
});
