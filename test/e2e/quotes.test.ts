// Quotes on the real local platform (issue 16, acceptance 2's second half): the
// cron reads each factory's fee into chain_settings, quotes price a launch on
// local-eth (eth_estimateGas of the payer's createToken through the gate, at the
// cached gas price, plus the factory fee) and on local-sol (signature fees +
// rent-exempt deposits from the node); the factory owner changes the fee on
// chain, the cron runs, and a launch under the old quote is refused (409) while
// a new quote carries the new fee and its launch is accepted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, createWalletClient, http, type Address } from "viem";
import { LaunchRequest, withFamilyDefaults } from "../../packages/core/src/launch";
import { chainRegistry } from "../../packages/core/src/chains";
import { factoryForChain, forgeFactoryV2Abi } from "../../packages/core/src/contracts/factory";
import { evmCreateTokenTx } from "../../packages/core/src/quote";
import { launchCostLamports } from "../../packages/core/src/solana/launch-tx";
import { startPlatform, type Platform } from "../../tools/platform";
import { baseLaunch, postLaunch } from "./client";

const OLD_FEE = 10n ** 15n; // the platform's default
const NEW_FEE = 3n * 10n ** 15n;
const PAYER: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"; // anvil dev account 1: funded
const SOL_PAYER = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";

let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ port: "auto", quiet: true, platformFeeWei: OLD_FEE });
});
afterAll(async () => {
  await p?.stop();
});

const registry = () => chainRegistry({ TF_ENV: "local" });
const rpcOf = (id: string) => p.chains.find((c) => c.id === id)!.rpcUrl;

async function postQuote(body: unknown) {
  const res = await fetch(`${p.url}/api/v1/quotes`, { method: "POST", headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

async function chains() {
  const res = await fetch(`${p.url}/api/v1/chains`);
  return ((await res.json()) as { chains: { id: string; platformFee: string | null; treasury: string | null }[] }).chains;
}

describe("quotes", () => {
  const ethBody = { ...baseLaunch({ chain: "local-eth", name: "Quoted Forge", symbol: "QFRG" }), payment: { mode: "wallet", payer: PAYER } };

  it("the cron puts each chain's fee and treasury in GET /chains; quotes price local-eth and local-sol from the chains; a fee change on chain refuses the old quote (409) and a new one works", async () => {
    await p.runCron();
    const listed = await chains();
    const sol = registry().find((c) => c.id === "local-sol")!;
    expect(listed.find((c) => c.id === "local-eth")).toMatchObject({ platformFee: OLD_FEE.toString(), treasury: p.evmTreasury });
    expect(listed.find((c) => c.id === "local-sol")).toMatchObject({ platformFee: sol.platformFee, treasury: sol.treasury });

    // EVM: the gas of the payer's real createToken call, at the price the cron cached.
    const q = await postQuote(ethBody);
    expect(q.status, JSON.stringify(q.json)).toBe(201);
    expect(q.json).toMatchObject({ chain: "local-eth", currency: "ETH", platformFee: OLD_FEE.toString(), payment: { mode: "wallet", payer: PAYER } });
    const eth = createPublicClient({ transport: http(rpcOf("local-eth")) });
    const chain = registry().find((c) => c.id === "local-eth")!;
    const request = withFamilyDefaults(LaunchRequest.parse(ethBody), "evm");
    const tx = evmCreateTokenTx({ chain, request, payer: PAYER, value: OLD_FEE, now: Date.now() });
    const estimate = await eth.estimateGas({ account: PAYER, to: tx.to, data: tx.data, value: tx.value });
    const units = BigInt(q.json.gas.units);
    // The stand-in launch id differs (a few calldata bytes): within 0.5%.
    expect(Number(units > estimate ? units - estimate : estimate - units)).toBeLessThan(Number(estimate) / 200);
    expect(BigInt(q.json.networkFee)).toBe(units * BigInt(q.json.gas.price));
    expect(BigInt(q.json.total)).toBe(BigInt(q.json.networkFee) + OLD_FEE);
    console.log(`local-eth quote: ${units} gas (eth_estimateGas here: ${estimate}) × ${q.json.gas.price} wei + fee ${OLD_FEE}`);

    // Solana: rent for the mint with its metadata and the owner's token account, from the node, plus two signatures.
    const solBody = { ...baseLaunch({ chain: "local-sol", name: "Quoted Sol", symbol: "QSOL", decimals: 9, owner: SOL_PAYER }), payment: { mode: "wallet", payer: SOL_PAYER } };
    const s = await postQuote(solBody);
    expect(s.status, JSON.stringify(s.json)).toBe(201);
    const rentRes = await fetch(rpcOf("local-sol"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getMinimumBalanceForRentExemption", params: [0] }) });
    const rent0 = BigInt(((await rentRes.json()) as { result: number }).result);
    expect(s.json).toMatchObject({ chain: "local-sol", currency: "SOL", platformFee: sol.platformFee, signatureFees: "10000" });
    expect(s.json.networkFee).toBe(launchCostLamports(withFamilyDefaults(LaunchRequest.parse(solBody), "solana"), rent0, null).toString());
    expect(BigInt(s.json.total)).toBe(BigInt(s.json.networkFee) + BigInt(sol.platformFee!));

    // The factory's owner (anvil's unlocked dev account 0) raises the fee; the cron reads it.
    const owner = chain.factoryOwner as Address;
    const wallet = createWalletClient({ transport: http(rpcOf("local-eth")), account: owner });
    const hash = await wallet.writeContract({ chain: null, address: factoryForChain(chain).factory, abi: forgeFactoryV2Abi, functionName: "setFee", args: [NEW_FEE] });
    expect((await eth.waitForTransactionReceipt({ hash })).status).toBe("success");
    await p.runCron();
    expect((await chains()).find((c) => c.id === "local-eth")!.platformFee).toBe(NEW_FEE.toString());

    const refused = await postLaunch(p, { ...ethBody, payment: { ...ethBody.payment, quoteId: q.json.id } });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json).toMatchObject({ type: "https://tokenforge.dev/problems/quote-rejected", reason: "fee-changed" });

    const fresh = await postQuote(ethBody);
    expect(fresh.status).toBe(201);
    expect(fresh.json.platformFee).toBe(NEW_FEE.toString());
    const accepted = await postLaunch(p, { ...ethBody, payment: { ...ethBody.payment, quoteId: fresh.json.id } });
    expect(accepted.status, accepted.text).toBe(202);
    // Used once: the same quote again is refused.
    const again = await postLaunch(p, { ...ethBody, payment: { ...ethBody.payment, quoteId: fresh.json.id } });
    expect(again.json).toMatchObject({ reason: "used" });
  });
});
