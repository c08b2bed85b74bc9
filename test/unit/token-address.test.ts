// Pure checks of the TypeScript address derivation (the on-chain comparison is in
// contracts-anvil.test.ts).
import { describe, expect, it } from "vitest";
import { getContractAddress, keccak256, size, stringToHex, type Address } from "viem";
import {
  cloneInitCode,
  cloneRuntimeCode,
  decodeFeatures,
  encodeFeatures,
  launchIdToBytes32,
  launchSalt,
  predictTokenAddress,
  type TokenParams,
} from "@tokenforge/core/evm/token-address";
import {
  DETERMINISTIC_DEPLOYER,
  FACTORY_SALT,
  factoryAddress,
  factoryDeployData,
  forgeFactoryBytecode,
  implementationAddress,
} from "@tokenforge/core/contracts/factory";

const params: TokenParams = {
  name: "Forge",
  symbol: "FRG",
  decimals: 18,
  owner: "0x1111111111111111111111111111111111111111",
  initialSupply: 1_000n * 10n ** 18n,
  maxSupply: 0n,
  features: 15,
};
const base = {
  factory: factoryAddress,
  implementation: implementationAddress,
  deployer: "0x2222222222222222222222222222222222222222" as Address,
  launchId: launchIdToBytes32("launch-1"),
  params,
};

describe("token address prediction", () => {
  it("hashes the launch id string", () => {
    expect(launchIdToBytes32("launch-1")).toBe(keccak256(stringToHex("launch-1")));
    expect(size(launchIdToBytes32(""))).toBe(32);
  });

  it("encodes and decodes features", () => {
    expect(encodeFeatures({})).toBe(0);
    expect(encodeFeatures({ mintable: true })).toBe(1);
    expect(encodeFeatures({ burnable: true, permit: true })).toBe(10);
    expect(encodeFeatures({ mintable: true, burnable: true, pausable: true, permit: true })).toBe(15);
    expect(decodeFeatures(5)).toEqual({ mintable: true, burnable: false, pausable: true, permit: false });
  });

  it("builds the 55-byte EIP-1167 init code and 45-byte runtime code", () => {
    expect(size(cloneInitCode(implementationAddress))).toBe(55);
    expect(size(cloneRuntimeCode(implementationAddress))).toBe(45);
    expect(cloneRuntimeCode(implementationAddress)).toContain(implementationAddress.slice(2).toLowerCase());
  });

  it("is CREATE2(factory, salt, clone init code)", () => {
    const expected = getContractAddress({
      opcode: "CREATE2",
      from: factoryAddress,
      salt: launchSalt(base.deployer, base.launchId, params),
      bytecode: cloneInitCode(implementationAddress),
    });
    expect(predictTokenAddress(base)).toBe(expected);
  });

  it("changes with the deployer, the launch id and every parameter", () => {
    const a = predictTokenAddress(base);
    const variants: Partial<typeof base>[] = [
      { deployer: "0x3333333333333333333333333333333333333333" },
      { launchId: launchIdToBytes32("launch-2") },
      { params: { ...params, name: "Forge2" } },
      { params: { ...params, symbol: "FRG2" } },
      { params: { ...params, decimals: 6 } },
      { params: { ...params, owner: "0x4444444444444444444444444444444444444444" } },
      { params: { ...params, initialSupply: 1n } },
      { params: { ...params, maxSupply: 10n ** 30n } },
      { params: { ...params, features: 1 } },
    ];
    const seen = new Set([a]);
    for (const v of variants) seen.add(predictTokenAddress({ ...base, ...v }));
    expect(seen.size).toBe(variants.length + 1);
  });

  it("derives the factory from the deterministic deployer", () => {
    expect(DETERMINISTIC_DEPLOYER).toBe("0x4e59b44847b379578588920cA78FbF26c0B4956C");
    expect(FACTORY_SALT).toBe(keccak256(stringToHex("tokenforge.factory.v1")));
    expect(factoryDeployData).toBe(FACTORY_SALT + forgeFactoryBytecode.slice(2));
    expect(implementationAddress).toBe(getContractAddress({ from: factoryAddress, nonce: 1n }));
  });
});

describe("factoryV2For", () => {
  it("derives each owner's factory once per isolate (the keccak of the creation code was ~5 ms per launch) and the same as from scratch", async () => {
    const { concat, encodeAbiParameters, getAddress } = await import("viem");
    const { factoryV2For, forgeFactoryV2Bytecode, FACTORY_V2_SALT } = await import("@tokenforge/core/contracts/factory");
    const owner = "0x3333333333333333333333333333333333333333" as Address;
    const first = factoryV2For(owner);
    // The same object again: no second derivation.
    expect(factoryV2For(owner)).toBe(first);
    const initCode = concat([forgeFactoryV2Bytecode, encodeAbiParameters([{ type: "address" }], [getAddress(owner)])]);
    const factory = getContractAddress({ opcode: "CREATE2", from: DETERMINISTIC_DEPLOYER, salt: FACTORY_V2_SALT, bytecode: initCode });
    expect(first).toEqual({ factory, implementation: getContractAddress({ from: factory, nonce: 1n }), deployData: concat([FACTORY_V2_SALT, initCode]) });
    // Another owner, another factory; a caller cannot change the kept one.
    expect(factoryV2For("0x4444444444444444444444444444444444444444").factory).not.toBe(factory);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
