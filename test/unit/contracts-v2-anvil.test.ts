// ForgeFactoryV2/ForgeTokenV2 against a real anvil: the payer pays the platform fee in the same
// call that creates the token and the treasury grows by exactly that fee; anyone else sending the
// same calldata, a late send, a wrong fee or a paused factory reverts; the platform's exempt
// deployer pays no fee; permit-less tokens do not answer the EIP-2612 views; contractURI is built
// from the factory. Prints gas per launch for both ways of paying (v1: ~238.5k).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BaseError, ContractFunctionRevertedError, createPublicClient, createWalletClient, http, parseEther, type Address, type Hex, type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { factoryV2For, forgeFactoryV2Abi, forgeTokenV2Abi, factoryAddress } from "@tokenforge/core/contracts/factory";
import { encodeFeatures, launchIdToBytes32, predictTokenAddress, type TokenParams } from "@tokenforge/core/evm/token-address";
import { deployFactory, deployFactoryV2 } from "../../tools/chains/deploy-factory";
import { runAnvil, type AnvilNode } from "../../tools/chains/anvil";

let anvil: AnvilNode;
let pub: PublicClient;
let factory: Address;
let implementation: Address;
const owner = privateKeyToAccount(generatePrivateKey()); // the factory's owner (a Safe in production)
const payer = privateKeyToAccount(generatePrivateKey()); // a creator's wallet
const stranger = privateKeyToAccount(generatePrivateKey());
const platform = privateKeyToAccount(generatePrivateKey()); // the platform's deployer (fee-exempt)
const treasury = privateKeyToAccount(generatePrivateKey()).address;
const FEE = parseEther("0.01");

const wallet = (account: typeof owner) => createWalletClient({ account, transport: http(anvil.rpcUrl) });

async function revertName(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err, "expected a revert").toBeInstanceOf(BaseError);
  const reverted = (err as BaseError).walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  return reverted?.data?.errorName;
}

async function ownerCall(functionName: "setFee" | "setTreasury" | "setFeeExempt" | "pause" | "unpause" | "setContractURI", args: readonly unknown[]) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const hash = await wallet(owner).writeContract({ address: factory, abi: forgeFactoryV2Abi, functionName, args } as any);
  expect((await pub.waitForTransactionReceipt({ hash })).status).toBe("success");
}

const params = (name: string, features = 0): TokenParams => ({
  name, symbol: name.slice(0, 4).toUpperCase(), decimals: 18, owner: payer.address, initialSupply: 1_000n * 10n ** 18n, maxSupply: 0n, features,
});
const deadlineIn = async (seconds: number) => (await pub.getBlock()).timestamp + BigInt(seconds);

/** Simulates, sends and waits; returns the receipt and the token address. */
async function create(from: typeof owner, launch: string, p: TokenParams, opts: { payer?: Address; deadline?: bigint; value?: bigint } = {}) {
  const args = [launchIdToBytes32(launch), p, opts.payer ?? from.address, opts.deadline ?? (await deadlineIn(600))] as const;
  const { request, result } = await pub.simulateContract({ account: from, address: factory, abi: forgeFactoryV2Abi, functionName: "createToken", args, value: opts.value ?? 0n });
  const hash = await wallet(from).writeContract(request);
  const receipt = await pub.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return { token: result, receipt };
}

beforeAll(async () => {
  anvil = await runAnvil();
  pub = createPublicClient({ transport: http(anvil.rpcUrl), pollingInterval: 50 });
  for (const a of [owner.address, payer.address, stranger.address, platform.address]) {
    await pub.request({ method: "anvil_setBalance" as never, params: [a, `0x${parseEther("10").toString(16)}`] as never });
  }
  ({ factory, implementation } = await deployFactoryV2(anvil.rpcUrl, owner.address));
  await ownerCall("setTreasury", [treasury]);
  await ownerCall("setFee", [FEE]);
  await ownerCall("setFeeExempt", [platform.address, true]);
}, 30_000);

afterAll(async () => {
  await anvil?.stop();
});

describe("ForgeFactoryV2 on anvil", () => {
  it("lives at the address its owner determines, beside v1, and is owned from its first block", async () => {
    expect(factory).toBe(factoryV2For(owner.address).factory);
    expect(factory).not.toBe(factoryAddress);
    expect(await pub.readContract({ address: factory, abi: forgeFactoryV2Abi, functionName: "owner" })).toBe(owner.address);
    expect(await pub.readContract({ address: factory, abi: forgeFactoryV2Abi, functionName: "VERSION" })).toBe("2");
    expect(factoryV2For(stranger.address).factory).not.toBe(factory);
    // v1 deploys beside it and keeps working.
    expect((await deployFactory(anvil.rpcUrl)).factory).toBe(factoryAddress);
  });

  it("a wallet-paid launch: the payer pays exactly the fee, the treasury grows by exactly the fee", async () => {
    const p = params("Paid Token");
    const predicted = predictTokenAddress({ factory, implementation, deployer: payer.address, launchId: launchIdToBytes32("lch_paid"), params: p });
    const before = await pub.getBalance({ address: treasury });
    const payerBefore = await pub.getBalance({ address: payer.address });
    const { token, receipt } = await create(payer, "lch_paid", p, { value: FEE });
    expect(token).toBe(predicted);
    expect(await pub.getBalance({ address: treasury })).toBe(before + FEE);
    expect(await pub.getBalance({ address: payer.address })).toBe(payerBefore - FEE - receipt.gasUsed * receipt.effectiveGasPrice);
    expect(await pub.readContract({ address: token, abi: forgeTokenV2Abi, functionName: "balanceOf", args: [payer.address] })).toBe(p.initialSupply);
    // The first fee creates the treasury's account (+25k once); a treasury in use costs less.
    const again = await create(payer, "lch_paid_again", params("Paid Again"), { value: FEE });
    console.log(`ForgeFactoryV2.createToken gas, wallet-paid: ${receipt.gasUsed} (first fee to an empty treasury), ${again.receipt.gasUsed} (treasury in use)`);
  });

  it("the same calldata from another account reverts NotPayer; a wrong fee reverts WrongFee", async () => {
    const p = params("Stolen Token");
    const args = [launchIdToBytes32("lch_stolen"), p, payer.address, await deadlineIn(600)] as const;
    expect(await revertName(pub.simulateContract({ account: stranger, address: factory, abi: forgeFactoryV2Abi, functionName: "createToken", args, value: FEE }))).toBe("NotPayer");
    expect(await revertName(pub.simulateContract({ account: payer, address: factory, abi: forgeFactoryV2Abi, functionName: "createToken", args, value: FEE - 1n }))).toBe("WrongFee");
    expect(await revertName(pub.simulateContract({ account: payer, address: factory, abi: forgeFactoryV2Abi, functionName: "createToken", args, value: 0n }))).toBe("WrongFee");
  });

  it("after the deadline createToken reverts DeadlinePassed", async () => {
    const deadline = await deadlineIn(5);
    await pub.request({ method: "evm_increaseTime" as never, params: [10] as never });
    await pub.request({ method: "evm_mine" as never, params: [] as never });
    const args = [launchIdToBytes32("lch_late"), params("Late Token"), payer.address, deadline] as const;
    expect(await revertName(pub.simulateContract({ account: payer, address: factory, abi: forgeFactoryV2Abi, functionName: "createToken", args, value: FEE }))).toBe("DeadlinePassed");
  });

  it("the platform's exempt deployer pays no fee (and may not send one)", async () => {
    const before = await pub.getBalance({ address: treasury });
    const { receipt } = await create(platform, "lch_platform", params("Platform Token"));
    expect(await pub.getBalance({ address: treasury })).toBe(before);
    console.log(`ForgeFactoryV2.createToken gas, platform-paid (exempt): ${receipt.gasUsed}`);
    const args = [launchIdToBytes32("lch_platform2"), params("Platform Two"), platform.address, await deadlineIn(600)] as const;
    expect(await revertName(pub.simulateContract({ account: platform, address: factory, abi: forgeFactoryV2Abi, functionName: "createToken", args, value: FEE }))).toBe("WrongFee");
  });

  it("pause makes createToken revert EnforcedPause; unpause restores it; only the owner may", async () => {
    await ownerCall("pause", []);
    const args = [launchIdToBytes32("lch_paused"), params("Paused Token"), payer.address, await deadlineIn(600)] as const;
    expect(await revertName(pub.simulateContract({ account: payer, address: factory, abi: forgeFactoryV2Abi, functionName: "createToken", args, value: FEE }))).toBe("EnforcedPause");
    expect(await revertName(pub.simulateContract({ account: stranger, address: factory, abi: forgeFactoryV2Abi, functionName: "unpause" }))).toBe("OwnableUnauthorizedAccount");
    await ownerCall("unpause", []);
    await create(payer, "lch_paused", params("Paused Token"), { value: FEE });
  });

  it("a fee change is an event the platform can watch, and refuses a fee without a treasury", async () => {
    const fresh = privateKeyToAccount(generatePrivateKey());
    await pub.request({ method: "anvil_setBalance" as never, params: [fresh.address, `0x${parseEther("1").toString(16)}`] as never });
    const other = await deployFactoryV2(anvil.rpcUrl, fresh.address);
    expect(await revertName(pub.simulateContract({ account: fresh, address: other.factory, abi: forgeFactoryV2Abi, functionName: "setFee", args: [1n] }))).toBe("ZeroTreasury");
    const block = await pub.getBlockNumber();
    await ownerCall("setFee", [FEE * 2n]);
    const logs = await pub.getContractEvents({ address: factory, abi: forgeFactoryV2Abi, eventName: "FeeChanged", fromBlock: block + 1n });
    expect(logs.map((l) => [l.args.previousFee, l.args.newFee])).toEqual([[FEE, FEE * 2n]]);
    await ownerCall("setFee", [FEE]);
  });

  it("a token without permit does not answer DOMAIN_SEPARATOR() or nonces(); one with permit does, and permit works", async () => {
    const { token: plain } = await create(payer, "lch_plain", params("Plain Token"), { value: FEE });
    expect(await revertName(pub.readContract({ address: plain, abi: forgeTokenV2Abi, functionName: "DOMAIN_SEPARATOR" }))).toBe("FeatureDisabled");
    expect(await revertName(pub.readContract({ address: plain, abi: forgeTokenV2Abi, functionName: "nonces", args: [payer.address] }))).toBe("FeatureDisabled");

    const { token } = await create(payer, "lch_permit", params("Permit Token", encodeFeatures({ permit: true })), { value: FEE });
    const name = await pub.readContract({ address: token, abi: forgeTokenV2Abi, functionName: "name" });
    const chainId = await pub.getChainId();
    const deadline = await deadlineIn(600);
    const signature = await payer.signTypedData({
      domain: { name, version: "1", chainId, verifyingContract: token },
      types: { Permit: [{ name: "owner", type: "address" }, { name: "spender", type: "address" }, { name: "value", type: "uint256" }, { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }] },
      primaryType: "Permit",
      message: { owner: payer.address, spender: stranger.address, value: 5n, nonce: 0n, deadline },
    });
    const r = `0x${signature.slice(2, 66)}` as Hex;
    const s = `0x${signature.slice(66, 130)}` as Hex;
    const v = Number.parseInt(signature.slice(130, 132), 16);
    const { request } = await pub.simulateContract({ account: stranger, address: token, abi: forgeTokenV2Abi, functionName: "permit", args: [payer.address, stranger.address, 5n, deadline, v, r, s] });
    await pub.waitForTransactionReceipt({ hash: await wallet(stranger).writeContract(request) });
    expect(await pub.readContract({ address: token, abi: forgeTokenV2Abi, functionName: "allowance", args: [payer.address, stranger.address] })).toBe(5n);
    expect(await pub.readContract({ address: token, abi: forgeTokenV2Abi, functionName: "nonces", args: [payer.address] })).toBe(1n);
    // A replayed signature is refused (the nonce moved on).
    expect(await revertName(pub.simulateContract({ account: stranger, address: token, abi: forgeTokenV2Abi, functionName: "permit", args: [payer.address, stranger.address, 5n, deadline, v, r, s] }))).toBe("ERC2612InvalidSigner");
  });

  it("contractURI() is the factory's prefix + the token's checksummed address + suffix", async () => {
    await ownerCall("setContractURI", ["https://tokenforge.example/api/v1/tokens/local-eth/", "/metadata.json"]);
    const { token } = await create(payer, "lch_uri", params("Uri Token"), { value: FEE });
    expect(await pub.readContract({ address: token, abi: forgeTokenV2Abi, functionName: "contractURI" })).toBe(
      `https://tokenforge.example/api/v1/tokens/local-eth/${token}/metadata.json`,
    );
  });
});
