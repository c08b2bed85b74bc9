// The chain-family rules for Solana launches (checkLaunchForChain): base58 owner,
// decimals 0–9, supply × 10^decimals within u64, Solana-only features, and the
// metadata that must fit the one launch transaction.
import { describe, expect, it } from "vitest";
import { chainRegistry, checkLaunchForChain, findChain, LaunchRequest, SOLANA_METADATA_MAX_BYTES } from "../../packages/core/src/index";

const sol = findChain(chainRegistry({ TF_ENV: "local" }), "local-sol")!;
const eth = findChain(chainRegistry({ TF_ENV: "local" }), "local-eth")!;
const OWNER = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
const good = { chain: "local-sol", name: "Forge Coin", symbol: "FORGE", decimals: 9, initialSupply: "1000000", owner: OWNER };
const paths = (body: Record<string, unknown>, chain = sol) => checkLaunchForChain(LaunchRequest.parse({ ...good, ...body }), chain).map((i) => i.path);

describe("Solana launch validation", () => {
  it("has a local Solana chain with a commitment", () => {
    expect(sol).toMatchObject({ family: "solana", nativeSymbol: "SOL", commitment: "confirmed" });
    expect(chainRegistry({ TF_ENV: "production" }).filter((c) => c.family === "solana").map((c) => c.id)).toEqual(["solana", "solana-devnet"]);
  });

  it("accepts a valid request, with the Solana features", () => {
    expect(paths({})).toEqual([]);
    expect(paths({ decimals: 0, features: { mintable: true, burnable: true, freezable: true } })).toEqual([]);
    // u64 max exactly: 18446744073709551615 raw units.
    expect(paths({ decimals: 0, initialSupply: "18446744073709551615" })).toEqual([]);
  });

  it.each([
    ["an EVM address as owner", { owner: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" }, "owner"],
    ["a 31-byte key", { owner: "1111111111111111111111111111111" }, "owner"],
    ["a key with 0/O/I/l", { owner: "0xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin" }, "owner"],
    ["decimals 12", { decimals: 12 }, "decimals"],
    ["decimals 10", { decimals: 10 }, "decimals"],
    ["supply over u64 after decimals", { decimals: 9, initialSupply: "18446744074" }, "initialSupply"],
    ["supply over u64 with no decimals", { decimals: 0, initialSupply: "18446744073709551616" }, "initialSupply"],
    ["a cap over u64", { decimals: 9, maxSupply: "18446744074" }, "maxSupply"],
    ["an EVM-only feature (permit)", { features: { permit: true } }, "features.permit"],
    ["an EVM-only feature (pausable)", { features: { pausable: true } }, "features.pausable"],
    ["metadata over the transaction's room", { metadataUri: "https://" + "a".repeat(SOLANA_METADATA_MAX_BYTES) }, "metadataUri"],
  ])("refuses %s", (_, body, path) => {
    expect(paths(body)).toContain(path);
  });

  it("counts metadata in UTF-8 bytes, and only on Solana", () => {
    const room = SOLANA_METADATA_MAX_BYTES - "Forge Coin".length - "FORGE".length;
    expect(paths({ metadataUri: "https://" + "a".repeat(room - 8) })).toEqual([]);
    expect(paths({ metadataUri: "https://" + "a".repeat(room - 7) })).toEqual(["metadataUri"]);
    expect(paths({ name: "Forgé Coin", metadataUri: "https://" + "a".repeat(room - 8) })).toEqual(["metadataUri"]); // é is 2 bytes
    expect(paths({ owner: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", chain: "local-eth", decimals: 18, metadataUri: "https://" + "a".repeat(500) }, eth)).toEqual([]);
  });

  it("refuses a Solana key as owner on an EVM chain", () => {
    expect(paths({ chain: "local-eth" }, eth)).toEqual(["owner"]);
  });
});
