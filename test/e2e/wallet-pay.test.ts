// Wallet-paid EVM launches on the real local platform (workerd + anvil, ForgeFactoryV2):
// the creator's wallet sends the transaction the 202 hands out and pays gas and the
// platform fee; the platform's deployer pays nothing. The same calldata from any other
// account reverts. An unpaid launch expires once its window closed and the chain is past
// the transaction's deadline (after which the factory refuses it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, createWalletClient, decodeErrorResult, getAddress, http, type Address, type Hex, type PublicClient } from "viem";
import { forgeFactoryV2Abi, forgeTokenAbi } from "../../packages/core/src/contracts/artifacts";
import { factoryForChain } from "../../packages/core/src/contracts/factory";
import { startPlatform, type Platform } from "../../tools/platform";
import { baseLaunch, getLaunch, OWNER, postLaunch, waitFinal, waitStatus } from "./client";

const FEE = 10n ** 15n; // the platform's default factory fee on local chains (0.001 ETH)
const WINDOW_SECONDS = 25; // short payment window, so expiry is observable in a test
const FACTORY = factoryForChain({ factoryOwner: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" }).factory;

let p: Platform;
let client: PublicClient;
let wallet: ReturnType<typeof createWalletClient>;
let payer: Address;
let stranger: Address;

beforeAll(async () => {
  p = await startPlatform({ port: "auto", quiet: true, vars: { PAYMENT_WINDOW_SECONDS: String(WINDOW_SECONDS) } });
  const rpcUrl = p.chains.find((c) => c.id === "local-eth")!.rpcUrl;
  client = createPublicClient({ transport: http(rpcUrl) }) as PublicClient;
  wallet = createWalletClient({ transport: http(rpcUrl) });
  // anvil's dev accounts are unlocked: eth_sendTransaction from them is a wallet sending.
  const accounts = (await client.request({ method: "eth_accounts" } as never)) as Address[];
  [payer, stranger] = [getAddress(accounts[5]!), getAddress(accounts[6]!)];
  // The fee job fills chain_settings (the factory is the single source of the fee).
  await p.runCron();
});
afterAll(async () => {
  await p?.stop();
});

const walletLaunch = (symbol: string, from: Address = payer) =>
  postLaunch(p, { ...baseLaunch({ symbol, name: `Wallet ${symbol}` }), payment: { mode: "wallet", payer: from } });

/** Sends the 202's transaction from `from` with a fixed gas limit, so a revert is mined (not refused at estimation). */
async function send(from: Address, tx: { to: string; data: string; value: string }) {
  const hash = await wallet.sendTransaction({ account: from, chain: null, to: tx.to as Address, data: tx.data as Hex, value: BigInt(tx.value), gas: 600_000n });
  return client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
}

async function revertName(from: Address, tx: { to: string; data: string; value: string }): Promise<string> {
  try {
    await client.call({ account: from, to: tx.to as Address, data: tx.data as Hex, value: BigInt(tx.value) });
    return "no revert";
  } catch (e) {
    const data = (e as { walk: (f: (x: unknown) => boolean) => { data?: Hex } | null }).walk((x) => typeof (x as { data?: unknown }).data === "string")?.data;
    return data ? decodeErrorResult({ abi: forgeFactoryV2Abi, data }).errorName : String(e);
  }
}

describe("a wallet-paid EVM launch", () => {
  it("confirms when the payer sends it: the treasury grows by exactly the fee, the deployer's balance does not move; another sender reverts", async () => {
    const res = await walletLaunch("WPAY");
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ status: "awaiting_payment", chain: "local-eth", payment: { mode: "wallet", payer } });
    const tx = res.json.transaction;
    expect(tx).toMatchObject({ chainId: 31337, to: FACTORY, value: FEE.toString() });
    expect(Date.parse(res.json.payment.expiresAt) - Date.now()).toBeLessThanOrEqual(WINDOW_SECONDS * 1000);

    // The same calldata from another account reverts (NotPayer), and the launch keeps waiting.
    expect(await revertName(stranger, tx)).toBe("NotPayer");
    const theirs = await send(stranger, tx);
    expect(theirs.status).toBe("reverted");
    expect(await client.getCode({ address: res.json.address })).toBeUndefined();
    await new Promise((r) => setTimeout(r, 2_500)); // a few watch rounds
    expect((await getLaunch(p, res.json.id)).status).toBe("awaiting_payment");

    const [treasuryBefore, deployerBefore] = await Promise.all([client.getBalance({ address: p.evmTreasury }), client.getBalance({ address: p.deployer })]);
    const mine = await send(payer, tx);
    expect(mine.status).toBe("success");
    const [view] = await waitFinal(p, [res.json.id], 60_000);
    expect(view.status).toBe("confirmed");
    expect(view.txHash).toBe(mine.transactionHash);
    expect(view.address).toBe(res.json.address);
    expect(view.events.map((e: any) => e.status)).toEqual(["awaiting_payment", "confirmed"]);
    const [treasuryAfter, deployerAfter] = await Promise.all([client.getBalance({ address: p.evmTreasury }), client.getBalance({ address: p.deployer })]);
    expect(treasuryAfter - treasuryBefore).toBe(FEE);
    expect(deployerAfter).toBe(deployerBefore);
    const token = { address: view.address as Address, abi: forgeTokenAbi } as const;
    expect(await client.readContract({ ...token, functionName: "owner" })).toBe(OWNER);
    expect(await client.readContract({ ...token, functionName: "symbol" })).toBe("WPAY");

    // For the report: gas of a wallet-paid launch (fee forwarded) vs a platform-paid one (exempt, value 0).
    const platform = await postLaunch(p, baseLaunch({ symbol: "WPAY", name: "Wallet WPAY" }));
    const [pv] = await waitFinal(p, [platform.json.id], 60_000);
    expect(pv.status).toBe("confirmed");
    console.log(`gas per launch on ForgeFactoryV2: wallet-paid ${mine.gasUsed}, platform-paid ${pv.gasUsed}`);
  });

  it("expires unpaid: a send after the deadline reverts, the launch ends expired and nothing is deployed", async () => {
    const res = await walletLaunch("WEXP");
    expect(res.status, res.text).toBe(202);
    const tx = res.json.transaction;
    const expiresAt = Date.parse(res.json.payment.expiresAt);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 1_500));
    // The chain's clock, not ours, decides: wait for a block stamped after the deadline (a loaded machine mines late).
    for (const until = Date.now() + 30_000; Number((await client.getBlock()).timestamp) * 1000 <= expiresAt && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 250));
    }
    // The late send lands in a block past the deadline (expiry waits for such a block:
    // test/unit/chain-adapter-watch.test.ts) and reverts there.
    expect(await revertName(payer, tx)).toBe("DeadlinePassed");
    const late = await send(payer, tx);
    expect(late.status).toBe("reverted");
    const view = await waitStatus(p, res.json.id, "expired", 30_000);
    expect(view.events.map((e: any) => e.status)).toEqual(["awaiting_payment", "expired"]);
    expect(await client.getCode({ address: res.json.address })).toBeUndefined();
  });

  it("takes a payment notice for its own waiting wallet launch only", async () => {
    const notice = (id: string, body: unknown) =>
      fetch(`${p.url}/api/v1/launches/${id}/payment`, { method: "POST", headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const res = await walletLaunch("WNOT");
    const mine = await send(payer, res.json.transaction);
    const ok = await notice(res.json.id, { txHash: mine.transactionHash });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ id: res.json.id, status: "awaiting_payment" });
    expect((await waitFinal(p, [res.json.id], 30_000))[0].status).toBe("confirmed");
    expect((await notice(res.json.id, { txHash: mine.transactionHash })).status).toBe(409); // not awaiting any more
    expect((await notice(res.json.id, { signature: "1".repeat(88) })).status).toBe(409);
    const platform = await postLaunch(p, baseLaunch({ symbol: "WNOP" }));
    expect((await notice(platform.json.id, { txHash: mine.transactionHash })).status).toBe(409);
    const other = await walletLaunch("WNO2");
    expect((await notice(other.json.id, { signature: "1".repeat(88) })).status).toBe(422);
    expect((await notice("lch_00000000000000000000000000", { txHash: mine.transactionHash })).status).toBe(404);
  });

  it("needs a payer with an API key", async () => {
    const noPayer = await postLaunch(p, { ...baseLaunch({ symbol: "WNOP" }), payment: { mode: "wallet" } });
    expect(noPayer.status).toBe(422);
    expect(noPayer.json.errors).toEqual([{ path: "payment.payer", message: expect.stringContaining("required") }]);
  });
});
