// Pure parts of wallet sign-in (packages/core/src/auth): the SIWS message
// format, base58, signature decoding and ed25519 verification with WebCrypto.
import { describe, expect, it } from "vitest";
import { base58Decode, base58Encode } from "../../packages/core/src/auth/base58";
import { createSiwsMessage, decodeSignature, parseSiwsMessage, verifyEd25519 } from "../../packages/core/src/auth/siws";

const ADDRESS = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
const full = {
  domain: "tokenforge.dev", address: ADDRESS, statement: "Sign in to TokenForge", uri: "https://tokenforge.dev", version: "1", chainId: "mainnet",
  nonce: "abcDEF123456", issuedAt: new Date("2026-01-01T00:00:00.000Z"), expirationTime: new Date("2026-01-01T00:05:00.000Z"),
  notBefore: new Date("2026-01-01T00:00:00.000Z"), requestId: "r-1", resources: ["https://tokenforge.dev/terms", "ipfs://bafy"],
};

describe("Sign-In With Solana messages", () => {
  it("round-trips every field", () => {
    const text = createSiwsMessage(full);
    expect(text.split("\n")[0]).toBe("tokenforge.dev wants you to sign in with your Solana account:");
    expect(parseSiwsMessage(text)).toEqual(full);
  });

  it("round-trips the minimal message (domain, address, nonce, issued at)", () => {
    const m = { domain: "localhost:8787", address: ADDRESS, nonce: "abcDEF123456", issuedAt: new Date("2026-01-01T00:00:00.000Z") };
    expect(parseSiwsMessage(createSiwsMessage(m))).toEqual(m);
  });

  it("refuses an Ethereum header, a bad address, a short nonce, fields out of order, an unknown field, a bad date, version 2", () => {
    const text = createSiwsMessage(full);
    const bad = [
      text.replace("Solana account", "Ethereum account"),
      text.replace(ADDRESS, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
      text.replace("Nonce: abcDEF123456", "Nonce: abc"),
      text.replace("URI: https://tokenforge.dev\nVersion: 1", "Version: 1\nURI: https://tokenforge.dev"),
      text.replace("Version: 1", "Version: 1\nEvil: yes"),
      text.replace("2026-01-01T00:05:00.000Z", "tomorrow"),
      text.replace("Version: 1", "Version: 2"),
      text.replace("Issued At: 2026-01-01T00:00:00.000Z\n", ""),
      "",
      "x".repeat(10_000),
    ];
    for (const b of bad) expect(parseSiwsMessage(b)).toBeNull();
  });
});

describe("base58", () => {
  it("round-trips bytes, leading zeros included, and rejects characters outside the alphabet", () => {
    for (const bytes of [new Uint8Array([0, 0, 1, 2, 255]), new Uint8Array(32).fill(7), new Uint8Array([0])]) {
      expect(base58Decode(base58Encode(bytes))).toEqual(bytes);
    }
    expect(base58Decode(ADDRESS)!.length).toBe(32);
    expect(base58Decode("0OIl")).toBeNull();
    expect(base58Decode("")).toBeNull();
  });
});

describe("ed25519 signatures", () => {
  it("verifies a signature sent as base58 or base64, and nothing else", async () => {
    const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const address = base58Encode(new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)));
    const message = createSiwsMessage({ ...full, address });
    const sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, new TextEncoder().encode(message)));
    for (const encoded of [base58Encode(sig), Buffer.from(sig).toString("base64"), Buffer.from(sig).toString("base64url")]) {
      const decoded = decodeSignature(encoded)!;
      expect(await verifyEd25519(address, message, decoded)).toBe(true);
      expect(await verifyEd25519(address, message + " ", decoded)).toBe(false);
      expect(await verifyEd25519(ADDRESS, message, decoded)).toBe(false);
    }
    expect(decodeSignature("short")).toBeNull();
    expect(await verifyEd25519("not-a-key", message, sig)).toBe(false);
  });
});
