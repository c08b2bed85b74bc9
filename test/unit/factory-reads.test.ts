// The cron's read of a v2 factory's fee and treasury (core contracts/factory-reads.ts):
// answers decoded as the ABI says, and an empty answer (no factory at the address
// yet) refused rather than recorded as a fee of 0.
import { describe, expect, it } from "vitest";
import { decodeFunctionData, encodeFunctionResult } from "viem";
import { forgeFactoryV2Abi } from "@tokenforge/core/contracts/factory";
import { decodeFactorySettings, factorySettingsCalls } from "@tokenforge/core/contracts/factory-reads";

const TREASURY = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

describe("factory settings reads", () => {
  it("asks fee() then treasury() of the factory and decodes their answers", () => {
    const calls = factorySettingsCalls("0x1111111111111111111111111111111111111111");
    expect(calls.map((c) => c.method)).toEqual(["eth_call", "eth_call"]);
    const names = calls.map((c) => decodeFunctionData({ abi: forgeFactoryV2Abi, data: (c.params[0] as { data: `0x${string}` }).data }).functionName);
    expect(names).toEqual(["fee", "treasury"]);
    const fee = encodeFunctionResult({ abi: forgeFactoryV2Abi, functionName: "fee", result: 10n ** 15n });
    const treasury = encodeFunctionResult({ abi: forgeFactoryV2Abi, functionName: "treasury", result: TREASURY });
    expect(decodeFactorySettings(fee, treasury)).toEqual({ platformFee: "1000000000000000", treasury: TREASURY });
  });

  it("refuses an empty answer (no code at the factory's address): never a fee of 0", () => {
    const treasury = encodeFunctionResult({ abi: forgeFactoryV2Abi, functionName: "treasury", result: TREASURY });
    expect(() => decodeFactorySettings("0x", treasury)).toThrow(/no ForgeFactoryV2 code/);
  });
});
