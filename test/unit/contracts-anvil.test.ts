// ForgeFactory/ForgeToken against a real anvil: the factory lands at the predicted address through
// the deterministic deployer, the TypeScript prediction matches the contract, and every optional
// feature is enforced. Also prints the gas of createToken (clone + initialize).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  decodeEventLog,
  http,
  parseEther,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  DETERMINISTIC_DEPLOYER,
  factoryAddress,
  forgeFactoryAbi,
  forgeTokenAbi,
  implementationAddress,
} from "@tokenforge/core/contracts/factory";
import {
  cloneRuntimeCode,
  encodeFeatures,
  launchIdToBytes32,
  predictTokenAddress,
  type TokenParams,
} from "@tokenforge/core/evm/token-address";
import { deployFactory } from "../../tools/chains/deploy-factory";
import { runAnvil, type AnvilNode as Anvil } from "../../tools/chains/anvil";

let anvil: Anvil;
let pub: PublicClient;
let rpcUrl: string;
let deployerA: Address; // eth_accounts[0], unlocked
let deployerB: Address; // eth_accounts[1], unlocked
const ownerAccount = privateKeyToAccount(generatePrivateKey()); // local key: signs permits
const other = privateKeyToAccount(generatePrivateKey());

const unlocked = () => createWalletClient({ transport: http(rpcUrl) });
const ownerWallet = () => createWalletClient({ account: ownerAccount, transport: http(rpcUrl) });
const otherWallet = () => createWalletClient({ account: other, transport: http(rpcUrl) });

/** Expects a revert whose decoded custom error is `name` (args checked when given). */
async function expectRevert(p: Promise<unknown>, name: string, args?: readonly unknown[]) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected revert ${name}`).toBeInstanceOf(BaseError);
  const reverted = (err as BaseError).walk((e) => e instanceof ContractFunctionRevertedError);
  expect(reverted, String(err)).toBeInstanceOf(ContractFunctionRevertedError);
  const data = (reverted as ContractFunctionRevertedError).data;
  expect(data?.errorName).toBe(name);
  if (args) expect(data?.args).toEqual(args);
}

const tokenRead = (address: Address) => ({
  read: <const F extends string>(functionName: F, args: readonly unknown[] = []) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    pub.readContract({ address, abi: forgeTokenAbi, functionName: functionName as any, args: args as any }),
});

async function createToken(from: Address, launchId: Hex, params: TokenParams) {
  const { request, result } = await pub.simulateContract({
    account: from,
    address: factoryAddress,
    abi: forgeFactoryAbi,
    functionName: "createToken",
    args: [launchId, params],
  });
  const hash = await unlocked().writeContract({ ...request, chain: null });
  const receipt = await pub.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return { token: result, receipt };
}

/** Sends a token tx from a local-key wallet after simulating it (so reverts surface decoded). */
async function tokenWrite(
  wallet: ReturnType<typeof ownerWallet>,
  address: Address,
  functionName: string,
  args: readonly unknown[],
) {
  const { request } = await pub.simulateContract({
    account: wallet.account,
    address,
    abi: forgeTokenAbi,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    functionName: functionName as any,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    args: args as any,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const hash = await wallet.writeContract({ ...(request as any), chain: null });
  const receipt = await pub.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

const E18 = 10n ** 18n;
const full: TokenParams = {
  name: "Forge Full",
  symbol: "FULL",
  decimals: 18,
  owner: ownerAccount.address,
  initialSupply: 1_000n * E18,
  maxSupply: 2_000n * E18,
  features: encodeFeatures({ mintable: true, burnable: true, pausable: true, permit: true }),
};
const plain: TokenParams = {
  name: "Plain Token With A Name Longer Than Thirty-One Bytes",
  symbol: "PLN",
  decimals: 6,
  owner: ownerAccount.address,
  initialSupply: 5_000_000n * 10n ** 6n,
  maxSupply: 0n,
  features: 0,
};
const basic: TokenParams = { ...full, name: "Basic", symbol: "BSC", maxSupply: 0n, features: 0 };

beforeAll(async () => {
  anvil = await runAnvil();
  rpcUrl = anvil.rpcUrl;
  pub = createPublicClient({ transport: http(rpcUrl), pollingInterval: 50 });
  [deployerA, deployerB] = await unlocked().getAddresses();
  for (const a of [ownerAccount.address, other.address]) {
    await pub.request({ method: "anvil_setBalance" as never, params: [a, `0x${parseEther("10").toString(16)}`] as never });
  }
}, 20_000);

afterAll(async () => {
  await anvil?.stop();
});

describe("ForgeFactory on anvil", () => {
  it("deploys through the deterministic deployer at the predicted address, idempotently", async () => {
    expect(await pub.getCode({ address: DETERMINISTIC_DEPLOYER })).not.toBe(undefined);
    expect(await pub.getCode({ address: factoryAddress })).toBe(undefined);

    const deployed = await deployFactory(rpcUrl);
    expect(deployed).toEqual({ factory: factoryAddress, implementation: implementationAddress });
    expect(await pub.getCode({ address: factoryAddress })).toMatch(/^0x[0-9a-f]{100,}$/);
    expect(await pub.readContract({ address: factoryAddress, abi: forgeFactoryAbi, functionName: "implementation" })).toBe(
      implementationAddress,
    );
    expect(await pub.readContract({ address: factoryAddress, abi: forgeFactoryAbi, functionName: "VERSION" })).toBe("1");

    const block = await pub.getBlockNumber();
    expect(await deployFactory(rpcUrl)).toEqual(deployed); // second call sends nothing
    expect(await pub.getBlockNumber()).toBe(block);
  });

  it("deploys with a funded private key too, on another chain id, at the same address", async () => {
    const second = await runAnvil({ chainId: 56 });
    try {
      const key = generatePrivateKey();
      const c = createPublicClient({ transport: http(second.rpcUrl) });
      const addr = privateKeyToAccount(key).address;
      await c.request({ method: "anvil_setBalance" as never, params: [addr, `0x${parseEther("1").toString(16)}`] as never });
      expect(await deployFactory(second.rpcUrl, key)).toEqual({ factory: factoryAddress, implementation: implementationAddress });
      expect(await c.getCode({ address: factoryAddress })).toBe(await pub.getCode({ address: factoryAddress }));
    } finally {
      await second.stop();
    }
  });

  it("refuses to initialize the implementation", async () => {
    await expectRevert(
      pub.simulateContract({ account: deployerA, address: implementationAddress, abi: forgeTokenAbi, functionName: "initialize", args: [full] }),
      "InvalidInitialization",
    );
  });

  const created: Record<string, Address> = {};

  it.each([
    ["full", full, "launch-full"],
    ["plain", plain, "launch-plain"],
    ["basic", basic, "launch-basic"],
  ] as const)("creates the %s token at the predicted address", async (key, params, id) => {
    const launchId = launchIdToBytes32(id);
    const predicted = predictTokenAddress({ factory: factoryAddress, implementation: implementationAddress, deployer: deployerA, launchId, params });
    const onChain = await pub.readContract({
      address: factoryAddress,
      abi: forgeFactoryAbi,
      functionName: "predictTokenAddress",
      args: [deployerA, launchId, params],
    });
    expect(onChain).toBe(predicted);

    const { token, receipt } = await createToken(deployerA, launchId, params);
    expect(token).toBe(predicted);
    console.log(`createToken (clone + initialize) gas, ${key}: ${receipt.gasUsed}`);
    created[key] = token;

    const ev = receipt.logs
      .filter((l) => l.address.toLowerCase() === factoryAddress.toLowerCase())
      .map((l) => decodeEventLog({ abi: forgeFactoryAbi, ...l }));
    expect(ev).toHaveLength(1);
    expect(ev[0].eventName).toBe("TokenCreated");
    expect(ev[0].args).toEqual({ launchId, token, deployer: deployerA, owner: params.owner });

    expect(await pub.getCode({ address: token })).toBe(cloneRuntimeCode(implementationAddress));
    const t = tokenRead(token);
    expect(await t.read("name")).toBe(params.name);
    expect(await t.read("symbol")).toBe(params.symbol);
    expect(await t.read("decimals")).toBe(params.decimals);
    expect(await t.read("totalSupply")).toBe(params.initialSupply);
    expect(await t.read("balanceOf", [params.owner])).toBe(params.initialSupply);
    expect(await t.read("owner")).toBe(params.owner);
    expect(await t.read("cap")).toBe(params.maxSupply);
    expect(await t.read("features")).toBe(params.features);
    expect(await t.read("paused")).toBe(false);

    // Same inputs again: the address is occupied, the factory reverts.
    await expect(createToken(deployerA, launchId, params)).rejects.toThrow(/FailedDeployment|revert/i);
    // A clone cannot be re-initialized by anyone.
    await expectRevert(
      pub.simulateContract({ account: deployerB, address: token, abi: forgeTokenAbi, functionName: "initialize", args: [params] }),
      "InvalidInitialization",
    );
  });

  it("gives a different sender a different address for the same launch id and params", async () => {
    const launchId = launchIdToBytes32("launch-full");
    const predicted = predictTokenAddress({ factory: factoryAddress, implementation: implementationAddress, deployer: deployerB, launchId, params: full });
    expect(predicted).not.toBe(created.full);
    const { token } = await createToken(deployerB, launchId, full);
    expect(token).toBe(predicted);
  });

  it("rejects bad parameters", async () => {
    // The revert comes from the clone's initialize, so decode with the token's errors too.
    const abi = [...forgeFactoryAbi, ...forgeTokenAbi.filter((x) => x.type === "error")];
    const call = (p: TokenParams) =>
      pub.simulateContract({ account: deployerA, address: factoryAddress, abi, functionName: "createToken", args: [launchIdToBytes32("bad"), p] });
    await expectRevert(call({ ...full, initialSupply: full.maxSupply + 1n }), "CapExceeded", [full.maxSupply + 1n, full.maxSupply]);
    await expectRevert(call({ ...full, features: 16 }), "InvalidFeatures", [16]);
    await expectRevert(call({ ...full, maxSupply: 2n ** 240n }), "InvalidCap", [2n ** 240n]);
    await createToken(deployerA, launchIdToBytes32("max-cap"), { ...full, maxSupply: 2n ** 240n - 1n });
    await expectRevert(call({ ...full, owner: "0x0000000000000000000000000000000000000000" }), "OwnableInvalidOwner");
  });

  it("mints only when mintable, only by the owner, never past the cap", async () => {
    const t = created.full;
    await tokenWrite(ownerWallet(), t, "mint", [other.address, 500n * E18]);
    expect(await tokenRead(t).read("totalSupply")).toBe(1_500n * E18);
    await expectRevert(tokenWrite(ownerWallet(), t, "mint", [other.address, 500n * E18 + 1n]), "CapExceeded", [
      2_000n * E18 + 1n,
      2_000n * E18,
    ]);
    await tokenWrite(ownerWallet(), t, "mint", [other.address, 500n * E18]); // exactly to the cap
    await expectRevert(tokenWrite(otherWallet(), t, "mint", [other.address, 1n]), "OwnableUnauthorizedAccount");
    await expectRevert(tokenWrite(ownerWallet(), created.plain, "mint", [other.address, 1n]), "FeatureDisabled", [1]);
  });

  it("burns only when burnable", async () => {
    const t = created.full;
    await tokenWrite(otherWallet(), t, "burn", [100n * E18]);
    expect(await tokenRead(t).read("balanceOf", [other.address])).toBe(900n * E18);
    await tokenWrite(otherWallet(), t, "approve", [ownerAccount.address, 50n * E18]);
    await tokenWrite(ownerWallet(), t, "burnFrom", [other.address, 50n * E18]);
    expect(await tokenRead(t).read("totalSupply")).toBe(1_850n * E18);
    await expectRevert(tokenWrite(ownerWallet(), created.plain, "burn", [1n]), "FeatureDisabled", [2]);
    await expectRevert(tokenWrite(ownerWallet(), created.plain, "burnFrom", [other.address, 0n]), "FeatureDisabled", [2]);
  });

  it("pauses transfers only when pausable", async () => {
    const t = created.full;
    await expectRevert(tokenWrite(otherWallet(), t, "pause", []), "OwnableUnauthorizedAccount");
    await tokenWrite(ownerWallet(), t, "pause", []);
    expect(await tokenRead(t).read("paused")).toBe(true);
    await expectRevert(tokenWrite(otherWallet(), t, "transfer", [ownerAccount.address, 1n]), "EnforcedPause");
    await tokenWrite(ownerWallet(), t, "unpause", []);
    await tokenWrite(otherWallet(), t, "transfer", [ownerAccount.address, 1n]);
    await expectRevert(tokenWrite(ownerWallet(), created.plain, "pause", []), "FeatureDisabled", [4]);
    // A plain token transfers normally.
    await tokenWrite(ownerWallet(), created.plain, "transfer", [other.address, 1n]);
  });

  async function signPermit(token: Address, name: string, value: bigint, deadline: bigint) {
    const nonce = (await tokenRead(token).read("nonces", [ownerAccount.address])) as bigint;
    const sig = await ownerAccount.signTypedData({
      domain: { name, version: "1", chainId: await pub.getChainId(), verifyingContract: token },
      types: {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "Permit",
      message: { owner: ownerAccount.address, spender: other.address, value, nonce, deadline },
    });
    const r = `0x${sig.slice(2, 66)}` as Hex;
    const s = `0x${sig.slice(66, 130)}` as Hex;
    const v = parseInt(sig.slice(130, 132), 16);
    return [ownerAccount.address, other.address, value, deadline, v, r, s] as const;
  }

  it("accepts EIP-2612 permits only when permit is enabled", async () => {
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const t = created.full;
    const domain = await tokenRead(t).read("eip712Domain");
    expect((domain as readonly unknown[])[1]).toBe(full.name);
    // Submitted by someone else: the signature is the authorization.
    await tokenWrite(otherWallet(), t, "permit", await signPermit(t, full.name, 42n, deadline));
    expect(await tokenRead(t).read("allowance", [ownerAccount.address, other.address])).toBe(42n);
    expect(await tokenRead(t).read("nonces", [ownerAccount.address])).toBe(1n);

    await expectRevert(
      tokenWrite(otherWallet(), created.plain, "permit", await signPermit(created.plain, plain.name, 42n, deadline)),
      "FeatureDisabled",
      [8],
    );
  });

  it("lets the owner renounce ownership", async () => {
    const t = created.full;
    await tokenWrite(ownerWallet(), t, "renounceOwnership", []);
    expect(await tokenRead(t).read("owner")).toBe("0x0000000000000000000000000000000000000000");
    await expectRevert(tokenWrite(ownerWallet(), t, "mint", [other.address, 1n]), "OwnableUnauthorizedAccount");
  });
});
