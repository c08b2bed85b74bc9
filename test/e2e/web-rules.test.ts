// The web app checks launch requests as you type with its own copy of the API's
// rules (web/src/lib/validate.ts, written without zod and viem to keep the page
// small). This runs both copies over the same few hundred requests: they must
// agree on what is valid, and the web copy must flag every field the API flags.
// Also: the web's keccak-256 / EIP-55 checksum against viem's. No platform needed.
import { describe, expect, it } from "vitest";
import { getAddress, keccak256, toBytes } from "viem";
import { checkLaunchForChain, LaunchRequest, type ChainConfig } from "@tokenforge/core";
import { launchIssues, toBody, type LaunchBody } from "../../web/src/lib/validate";
import { checksumAddress, keccak256Hex } from "../../web/src/lib/keccak";
import { base58Decode, base58Encode } from "../../web/src/lib/base58";

const evmChain = { id: "local-eth", family: "evm" } as ChainConfig;
const solChain = { id: "local-sol", family: "solana" } as ChainConfig;

function apiIssues(body: LaunchBody, chain: ChainConfig): string[] {
  const parsed = LaunchRequest.safeParse(JSON.parse(JSON.stringify(body, (_, v) => (Number.isNaN(v) ? null : v))));
  if (!parsed.success) return parsed.error.issues.map((i) => i.path.join("."));
  return checkLaunchForChain(parsed.data, chain).map((i) => i.path);
}

const EVM_OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const SOL_OWNER = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM";
const base = (family: "evm" | "solana"): LaunchBody => ({
  chain: family === "evm" ? "local-eth" : "local-sol",
  name: "Forge Coin",
  symbol: "FORGE",
  decimals: family === "evm" ? 18 : 9,
  initialSupply: "1000000",
  owner: family === "evm" ? EVM_OWNER : SOL_OWNER,
  features: {},
});

const variants: Record<string, unknown[]> = {
  name: ["", " a", "a ", "a".repeat(64), "a".repeat(65), "😀".repeat(64), "😀".repeat(65), "a\u0000b", "a\u200bb", "Ünïcödé Coin",
    "<img src=x onerror=alert(1)>", "tab\there", "'; DROP TABLE tokens; --", "a\nb", "x".repeat(200),
    // look-alikes (issue 12 item 9) and honest names in other scripts
    "Tether\u3164", "\u3164", "Tether\u2800", "Teth\u034Fer", "Tether\u17B4", "\u0422ether", "Тетер", "東京タワー", "Forge 🚀"],
  symbol: ["", "abc", "ABC", "A".repeat(11), "A".repeat(12), "AB-C", "ÄB", "A B", "123"],
  decimals: [-1, 0, 6, 9, 10, 18, 19, 1.5, Number.NaN],
  initialSupply: ["", "0", "1", "01", "1.5", "-1", "1e6", " 1", "1" + "0".repeat(59), "1" + "0".repeat(60), "1" + "0".repeat(77), "1" + "0".repeat(78), "18446744073"],
  maxSupply: [undefined, "", "0", "5", "999999", "1000000", "2000000", "1" + "0".repeat(54), "1" + "0".repeat(55), "abc", "18446744074"],
  owner: ["", EVM_OWNER, EVM_OWNER.toLowerCase(), EVM_OWNER.replace("C51", "c51"), "0x0000000000000000000000000000000000000000",
    SOL_OWNER, "11111111111111111111111111111111", "0x123", "not an address", "1".repeat(45), "So11111111111111111111111111111111111111112"],
  features: [{}, { mintable: true, burnable: true }, { pausable: true }, { permit: true }, { freezable: true }, { mintable: true, freezable: true }],
  metadataUri: [undefined, "", "http://example.com/m.json", "https://example.com/m.json", "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
    "https://a b", "https://", "ipfs://", "https://" + "a".repeat(503), "https://" + "a".repeat(505), "https://x.io/" + "é".repeat(240), "javascript:alert(1)"],
  // Presence (issue 18).
  logo: [undefined, "a".repeat(64), "A".repeat(64), "xyz"],
  description: [undefined, "", "The forge's coin.", "x".repeat(1000), "x".repeat(1001), "bell\u0007"],
  website: [undefined, "https://forge.example", "http://forge.example", "not a url", "https://" + "w".repeat(200), "javascript:alert(1)"],
  links: [undefined, {}, { x: "https://x.com/f" }, { telegram: "http://t.me/f" }, { discord: "nope" }],
};

const cases: { family: "evm" | "solana"; body: LaunchBody; what: string }[] = [];
for (const family of ["evm", "solana"] as const) {
  cases.push({ family, body: base(family), what: "base" });
  for (const [field, values] of Object.entries(variants)) {
    for (const v of values) {
      const body = { ...base(family), [field]: v } as LaunchBody;
      if (v === undefined) delete (body as Record<string, unknown>)[field];
      cases.push({ family, body, what: `${field}=${JSON.stringify(v)?.slice(0, 40)}` });
    }
  }
  // Fields that interact: supply vs cap vs decimals.
  cases.push({ family, body: { ...base(family), decimals: 0, initialSupply: "18446744073709551615" }, what: "u64 max, 0 decimals" });
  cases.push({ family, body: { ...base(family), decimals: 0, initialSupply: "18446744073709551616" }, what: "u64 max + 1, 0 decimals" });
  cases.push({ family, body: { ...base(family), decimals: 0, initialSupply: "5", maxSupply: "1766847064778384329583297500742918515827483896875618958121606201292619775" }, what: "cap 2^240-1" });
  cases.push({ family, body: { ...base(family), decimals: 0, initialSupply: "5", maxSupply: "1766847064778384329583297500742918515827483896875618958121606201292619776" }, what: "cap 2^240" });
  cases.push({ family, body: { ...base(family), name: "n".repeat(64), symbol: "S".repeat(11), metadataUri: "https://" + "u".repeat(420) }, what: "long metadata" });
  cases.push({ family, body: { ...base(family), metadataUri: "https://example.com/m.json", description: "both" }, what: "metadataUri with a description" });
  cases.push({ family, body: { ...base(family), metadataUri: "https://example.com/m.json", logo: "b".repeat(64) }, what: "metadataUri with a logo" });
  // Features vs cap: Solana has no cap while mintable, and cannot stop holders burning.
  for (const features of [{ burnable: false }, { burnable: true }, { mintable: true }, { mintable: false, burnable: true }, { mintable: true, burnable: false }]) {
    for (const maxSupply of [undefined, "1000000", "2000000", "999999"]) {
      cases.push({ family, body: { ...base(family), features, ...(maxSupply ? { maxSupply } : {}) }, what: `features=${JSON.stringify(features)} maxSupply=${maxSupply}` });
    }
  }
}

describe("the web app's launch rules", () => {
  it(`agree with the API's on ${cases.length} requests`, () => {
    const disagreements: string[] = [];
    for (const { family, body, what } of cases) {
      const api = apiIssues(body, family === "evm" ? evmChain : solChain);
      const web = launchIssues(body, family).map((i) => i.path);
      const apiOk = api.length === 0;
      const webOk = web.length === 0;
      const missed = api.filter((p) => !web.includes(p));
      if (apiOk !== webOk || missed.length) disagreements.push(`${family} ${what}: api [${api}] web [${web}]`);
    }
    expect(disagreements).toEqual([]);
  });

  it("turn what people type into the body the API wants", () => {
    const draft = { chain: "local-eth", name: "Forge Coin", symbol: " FORGE ", decimals: "18", initialSupply: "1,000,000", maxSupply: " ", owner: ` ${EVM_OWNER.toLowerCase()} `, metadataUri: "", features: { mintable: true, freezable: true } };
    const body = toBody(draft, "evm");
    expect(body).toEqual({ chain: "local-eth", name: "Forge Coin", symbol: "FORGE", decimals: 18, initialSupply: "1000000", owner: EVM_OWNER, features: { mintable: true, burnable: false, pausable: false, permit: false } });
    expect(launchIssues(body, "evm")).toEqual([]);
    // A mixed-case address is a checksum the user typed: kept, and flagged when wrong.
    const typo = toBody({ ...draft, owner: EVM_OWNER.replace("C51", "c51") }, "evm");
    expect(launchIssues(typo, "evm").map((i) => i.path)).toEqual(["owner"]);
    // On Solana the body says burnable: true whatever the form held (SPL holders can always burn).
    const sol = toBody({ ...draft, chain: "local-sol", decimals: "9", owner: SOL_OWNER, features: { burnable: false } }, "solana");
    expect(sol.features).toEqual({ mintable: false, burnable: true, freezable: false });
    expect(launchIssues(sol, "solana")).toEqual([]);
  });
});

describe("the web app's hashing and encodings", () => {
  it("keccak-256 matches viem across block boundaries", () => {
    for (const s of ["", "abc", "a".repeat(135), "a".repeat(136), "a".repeat(137), "x".repeat(500)]) {
      expect(keccak256Hex(new TextEncoder().encode(s))).toBe(keccak256(toBytes(s)).slice(2));
    }
  });
  it("EIP-55 checksums match viem's getAddress", () => {
    for (let i = 0; i < 100; i++) {
      const a = "0x" + Buffer.from(crypto.getRandomValues(new Uint8Array(20))).toString("hex");
      expect(checksumAddress(a)).toBe(getAddress(a));
    }
  });
  it("base58 round-trips keys with leading zero bytes", () => {
    for (const bytes of [new Uint8Array(32), Uint8Array.from([0, 0, 1, 2, 3]), crypto.getRandomValues(new Uint8Array(64))]) {
      expect(base58Decode(base58Encode(bytes))).toEqual(bytes);
    }
  });
});
