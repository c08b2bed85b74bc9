// The safety summary (packages/core/src/safety.ts) and the token-state decoders it is fed from.
import { describe, expect, it } from "vitest";
import { encodeFunctionResult, zeroAddress } from "viem";
import { safetySummary, SAFETY_CHECKS, type SafetyInput } from "../../packages/core/src/safety";
import { decodeEvmTokenState } from "../../packages/core/src/contracts/token-reads";
import { forgeTokenV2Abi } from "../../packages/core/src/contracts/artifacts";

const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const evm = (over: Partial<SafetyInput> = {}): SafetyInput => ({
  family: "evm", decimals: 18, features: { mintable: true, pausable: true },
  state: { owner: OWNER, paused: false, cap: "2000000000000000000000000" },
  verification: { etherscan: "verified", sourcify: "pending" }, ...over,
});
const values = (input: SafetyInput) => Object.fromEntries(safetySummary(input).map((c) => [c.id, c.value]));

describe("safetySummary", () => {
  it("lists every check once, in order, each with a one-line meaning", () => {
    for (const family of ["evm", "solana"] as const) {
      const s = safetySummary(evm({ family }));
      expect(s.map((c) => c.id)).toEqual([...SAFETY_CHECKS]);
      for (const c of s) expect(c.meaning).toMatch(/^[^\n]{10,120}$/);
    }
  });

  it("an owned EVM token with mint and pause is mintable and pausable; renounced, neither", () => {
    expect(values(evm())).toMatchObject({ mintable: true, pausable: true, ownerRenounced: false, capped: true, verifiedSource: true });
    const renounced = values(evm({ state: { owner: null, paused: true, cap: null } }));
    expect(renounced).toMatchObject({ mintable: false, pausable: false, ownerRenounced: true, capped: false });
    const c = safetySummary(evm({ state: { owner: null, paused: true, cap: null } })).find((x) => x.id === "ownerRenounced")!;
    expect(c.risk).toBe("none");
  });

  it("a feature the token was launched without is no power, owner or not", () => {
    expect(values(evm({ features: {} }))).toMatchObject({ mintable: false, pausable: false });
  });

  it("says unknown until the chain was read, and pending verification is unknown", () => {
    const s = safetySummary(evm({ state: null, verification: { etherscan: "pending", sourcify: "pending" } }));
    expect(s.filter((c) => c.value === null).map((c) => c.id)).toEqual(["mintable", "pausable", "ownerRenounced", "capped", "verifiedSource"]);
    expect(s.find((c) => c.id === "mintable")!.risk).toBe("unknown");
    expect(values(evm({ verification: { etherscan: "failed", sourcify: "unsupported" } })).verifiedSource).toBe(false);
  });

  it("Solana: each authority is a power until revoked", () => {
    const held = { owner: null, paused: false, cap: null, authorities: { mint: "A", freeze: "B", update: "C" } };
    expect(values(evm({ family: "solana", state: held }))).toMatchObject({ mintable: true, freezeAuthority: true, updateAuthority: true, ownerRenounced: false, capped: false });
    const revoked = { ...held, authorities: { mint: null, freeze: null, update: null } };
    expect(values(evm({ family: "solana", state: revoked }))).toMatchObject({ mintable: false, freezeAuthority: false, updateAuthority: false, ownerRenounced: true, capped: true });
  });

  it("never mutates its input", () => {
    const input = evm();
    const copy = structuredClone(input);
    safetySummary(input);
    expect(input).toEqual(copy);
  });
});

describe("decodeEvmTokenState", () => {
  const enc = (functionName: "totalSupply" | "owner" | "paused" | "cap", result: unknown) =>
    encodeFunctionResult({ abi: forgeTokenV2Abi, functionName, result: result as never });
  it("reads the zero owner as renounced and cap 0 as uncapped", () => {
    expect(decodeEvmTokenState([enc("totalSupply", 5n), enc("owner", zeroAddress), enc("paused", true), enc("cap", 0n)]))
      .toMatchObject({ currentSupply: "5", owner: null, paused: true, cap: null });
    expect(decodeEvmTokenState([enc("totalSupply", 5n), enc("owner", OWNER), enc("paused", false), enc("cap", 9n)]))
      .toMatchObject({ owner: OWNER, paused: false, cap: "9" });
  });
  it("refuses an address without token code (empty answers)", () => {
    expect(() => decodeEvmTokenState(["0x", "0x", "0x", "0x"])).toThrow(/no ForgeToken code/);
  });
});
