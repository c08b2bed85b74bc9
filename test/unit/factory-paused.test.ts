// A paused ForgeFactoryV2 (its owner's pause()) makes createToken revert EnforcedPause();
// the deployer's classification calls that `factory-paused` (the launch waits), not a
// `revert` (the launch would fail for good). Against a real anvil, with the calls the
// Signer makes before it takes a nonce (eth_estimateGas, then eth_call).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseEther, type Address, type Hex, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { forgeFactoryV2Abi } from "@tokenforge/core/contracts/factory";
import { launchIdToBytes32, type TokenParams } from "@tokenforge/core/evm/token-address";
import { classifyError, ENFORCED_PAUSE_SELECTOR } from "../../workers/deployer/src/errors";
import { withRevertReason } from "../../workers/deployer/src/evm/revert";
import { changeFor, moveOf, type LaunchOutcome } from "../../workers/deployer/src/adapter";
import { deployFactoryV2 } from "../../tools/chains/deploy-factory";
import { runAnvil, type AnvilNode } from "../../tools/chains/anvil";

let anvil: AnvilNode;
let pub: PublicClient;
let factory: Address;
const owner = privateKeyToAccount(generatePrivateKey());
const platform = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());

const params: TokenParams = { name: "Paused", symbol: "PAUS", decimals: 18, owner: platform.address, initialSupply: 10n ** 21n, maxSupply: 0n, features: 0 };

async function ownerCall(functionName: "pause" | "unpause" | "setFeeExempt" | "setTreasury", args: readonly unknown[] = []) {
  const wallet = createWalletClient({ account: owner, transport: http(anvil.rpcUrl) });
  const hash = await wallet.writeContract({ chain: null, address: factory, abi: forgeFactoryV2Abi, functionName, args } as never);
  expect((await pub.waitForTransactionReceipt({ hash })).status).toBe("success");
}

/** The createToken calldata the platform's exempt deployer sends (payer = itself, value 0). */
async function createCall(launch: string, from: Address = platform.address): Promise<Hex> {
  const deadline = (await pub.getBlock()).timestamp + 600n;
  return encodeFunctionData({ abi: forgeFactoryV2Abi, functionName: "createToken", args: [launchIdToBytes32(launch), params, from, deadline] });
}

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a revert"); }, (e: unknown) => e);

beforeAll(async () => {
  anvil = await runAnvil();
  pub = createPublicClient({ transport: http(anvil.rpcUrl), pollingInterval: 50 });
  for (const a of [owner.address, platform.address, stranger.address]) {
    await pub.request({ method: "anvil_setBalance" as never, params: [a, `0x${parseEther("10").toString(16)}`] as never });
  }
  ({ factory } = await deployFactoryV2(anvil.rpcUrl, owner.address));
  await ownerCall("setTreasury", [privateKeyToAccount(generatePrivateKey()).address]);
  await ownerCall("setFeeExempt", [platform.address, true]);
}, 30_000);

afterAll(async () => {
  await anvil?.stop();
});

describe("a paused v2 factory, as the deployer classifies it", () => {
  it("EnforcedPause()'s selector is 0xd93c0665", () => {
    expect(ENFORCED_PAUSE_SELECTOR).toBe("0xd93c0665");
  });

  it("createToken's estimate and simulation revert EnforcedPause() → factory-paused (wait), not revert (fail); after unpause they pass", async () => {
    const data = await createCall("lch_paused00000000000000000001");
    // Not paused: the exempt platform deployer's call goes through.
    expect(await pub.estimateGas({ account: platform.address, to: factory, data })).toBeGreaterThan(100_000n);

    await ownerCall("pause");
    expect(await pub.readContract({ address: factory, abi: forgeFactoryV2Abi, functionName: "paused" })).toBe(true);
    const estimate = classifyError(await failure(pub.estimateGas({ account: platform.address, to: factory, data })));
    expect(estimate).toMatchObject({ kind: "factory-paused", permanent: false });
    const call = classifyError(await failure(pub.call({ account: platform.address, to: factory, data })));
    expect(call).toMatchObject({ kind: "factory-paused", permanent: false });
    // Its name is shown where the message is read.
    expect(withRevertReason({ ...call, kind: "revert" }).message).toContain("EnforcedPause()");

    await ownerCall("unpause");
    expect(await pub.estimateGas({ account: platform.address, to: factory, data })).toBeGreaterThan(100_000n);
  });

  it("any other revert of the same call stays a revert (the launch fails)", async () => {
    // A stranger sending calldata whose payer is the platform: NotPayer.
    const data = await createCall("lch_paused00000000000000000002");
    const c = classifyError(await failure(pub.estimateGas({ account: stranger.address, to: factory, data })));
    expect(c).toMatchObject({ kind: "revert", permanent: true });
    expect(withRevertReason(c).message).toContain("NotPayer(");
  });
});

describe("a held launch (factory paused) as the consumer writes it", () => {
  const held = (note: boolean): LaunchOutcome => ({ kind: "held", launchId: "lch_x", detail: "waiting: the factory on local-eth is paused", note });
  it("is a note in the history on a first delivery, nothing on a sweep's, and never an attempt, a failure or a retry", () => {
    expect(moveOf(held(true), { status: "queued" })).toBe("note");
    expect(changeFor(held(true), { status: "queued", txHash: null })).toEqual({ kind: "note", launchId: "lch_x", event: "waiting: the factory on local-eth is paused" });
    expect(moveOf(held(false), { status: "queued" })).toBeNull();
    expect(changeFor(held(false), { status: "queued", txHash: null })).toBeNull();
  });
});
