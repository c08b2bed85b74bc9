// The Solana launch transaction (packages/core/src/solana) against the local
// node: one atomic transaction makes the mint with its metadata, the owner's
// balance and the requested authorities; a second one for the same mint fails;
// the checks that verify a found mint catch every difference; the size budget
// the validation enforces is exactly what fits in 1232 bytes.
import { createHash, createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSolanaRpc,
  generateKeyPairSigner,
  type Address,
  type Base64EncodedWireTransaction,
  type KeyPairSigner,
  type Rpc,
  type SolanaRpcApi,
} from "@solana/kit";
import { startSolanaNode, type SolanaNode } from "../../tools/solana-node/index";
import { LaunchRequest, SOLANA_METADATA_MAX_BYTES } from "../../packages/core/src/launch";
import {
  deriveMintAddress,
  deriveMintSigner,
  launchCostLamports,
  launchTransactionBytes,
  MAX_TRANSACTION_BYTES,
  mintMismatches,
  mintSeed,
  ownerTokenAccount,
  parseMint,
  parseTokenAccount,
  signLaunchTransaction,
  TOKEN_2022_PROGRAM,
  TOKEN_METADATA_INITIALIZE,
} from "../../packages/core/src/solana/index";

let node: SolanaNode;
let rpc: Rpc<SolanaRpcApi>;
let payer: KeyPairSigner;
let rent0: bigint;
const SECRET = "unit-test-mint-secret-0123456789abcdef";

const request = (over: Record<string, unknown> = {}) =>
  LaunchRequest.parse({ chain: "local-sol", name: "Forge Coin", symbol: "FORGE", decimals: 6, initialSupply: "1000000", owner: OWNER, metadataUri: "https://tokenforge.invalid/forge.json", ...over });
let OWNER: Address;

async function launch(launchId: string, req: LaunchRequest) {
  const mint = await deriveMintSigner(SECRET, launchId);
  const { value: lifetime } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
  const signed = await signLaunchTransaction({ feePayer: payer, mint, req, rentForZeroBytes: rent0, lifetime });
  return { mint, signed };
}

async function send(wire: string) {
  return rpc.sendTransaction(wire as Base64EncodedWireTransaction, { encoding: "base64", preflightCommitment: "confirmed" }).send();
}

async function readLaunch(mint: Address, owner: Address) {
  const ata = await ownerTokenAccount(owner, mint);
  const { value } = await rpc.getMultipleAccounts([mint, ata], { encoding: "base64", commitment: "confirmed" }).send();
  const bytes = (a: (typeof value)[number]) => (a ? new Uint8Array(Buffer.from(a.data[0], "base64")) : null);
  return {
    programOwner: value[0]?.owner,
    mint: bytes(value[0]) && parseMint(bytes(value[0])!),
    ata: bytes(value[1]) && parseTokenAccount(bytes(value[1])!),
  };
}

beforeAll(async () => {
  node = await startSolanaNode({ port: 0, slotMs: 50, blockhashExpirySlots: 40, finalizeDepth: 8 });
  rpc = createSolanaRpc(node.url) as Rpc<SolanaRpcApi>;
  payer = await generateKeyPairSigner();
  OWNER = (await generateKeyPairSigner()).address;
  node.control.setBalance(payer.address, 100_000_000_000n);
  rent0 = await rpc.getMinimumBalanceForRentExemption(0n).send();
});
afterAll(async () => {
  await node?.close();
});

describe("mint derivation", () => {
  it("derives one mint per (secret, launch id), and refuses short secrets", async () => {
    const a = await deriveMintAddress(SECRET, "lch_a");
    expect(await deriveMintAddress(SECRET, "lch_a")).toBe(a);
    expect(await deriveMintAddress(SECRET, "lch_b")).not.toBe(a);
    expect(await deriveMintAddress(SECRET + "x", "lch_a")).not.toBe(a);
    // The seed is HMAC-SHA256(secret, domain ‖ id): reproducible outside the Worker.
    expect(Buffer.from(await mintSeed(SECRET, "lch_a")).toString("hex")).toBe(createHmac("sha256", SECRET).update("tokenforge/solana-mint/v1:lch_a").digest("hex"));
    await expect(deriveMintAddress("short", "lch_a")).rejects.toThrow(/at least 32/);
  });
});

describe("the launch transaction", () => {
  it("uses the token-metadata interface's Initialize discriminator", () => {
    const d = createHash("sha256").update("spl_token_metadata_interface:initialize_account").digest().subarray(0, 8);
    expect([...TOKEN_METADATA_INITIALIZE]).toEqual([...d]);
  });

  it("fits 1232 bytes exactly up to the metadata budget the validation enforces", async () => {
    const feePayer = await generateKeyPairSigner();
    const mint = await generateKeyPairSigner();
    const worst = { mintable: true, freezable: true };
    const priorityFee = { microLamportsPerUnit: 1000n, computeUnitLimit: 200_000 };
    const at = (n: number) => request({ name: "N", symbol: "S", metadataUri: "https://" + "u".repeat(n - 2 - "https://".length), features: worst });
    expect(await launchTransactionBytes({ feePayer, mint, req: at(SOLANA_METADATA_MAX_BYTES), rentForZeroBytes: rent0, priorityFee })).toBe(MAX_TRANSACTION_BYTES);
    expect(await launchTransactionBytes({ feePayer, mint, req: at(SOLANA_METADATA_MAX_BYTES + 1), rentForZeroBytes: rent0, priorityFee })).toBe(MAX_TRANSACTION_BYTES + 1);
  });

  it("creates mint, metadata, the owner's balance and revokes both authorities in one transaction", async () => {
    const req = request();
    const before = (await rpc.getBalance(payer.address, { commitment: "confirmed" }).send()).value;
    const { mint, signed } = await launch("lch_plain", req);
    expect(signed.bytes).toBeLessThanOrEqual(MAX_TRANSACTION_BYTES);
    expect(await send(signed.wire)).toBe(signed.signature);
    node.control.advanceSlots(2);
    const { value: [status] } = await rpc.getSignatureStatuses([signed.signature as never], { searchTransactionHistory: true }).send();
    expect(status).toMatchObject({ err: null });

    const onChain = await readLaunch(mint.address, OWNER);
    expect(onChain.programOwner).toBe(TOKEN_2022_PROGRAM);
    expect(onChain.mint).toMatchObject({
      decimals: 6, supply: 10n ** 12n, mintAuthority: null, freezeAuthority: null, isInitialized: true,
      metadataPointer: { authority: OWNER, metadataAddress: mint.address },
      metadata: { name: "Forge Coin", symbol: "FORGE", uri: "https://tokenforge.invalid/forge.json", mint: mint.address, updateAuthority: OWNER, additional: [] },
    });
    expect(onChain.ata).toEqual({ mint: mint.address, owner: OWNER, amount: 10n ** 12n });
    expect(mintMismatches(mint.address, onChain.mint, onChain.ata, req)).toEqual([]);

    // The balance check before sending must never under-estimate what a launch costs.
    const spent = before - (await rpc.getBalance(payer.address, { commitment: "confirmed" }).send()).value;
    expect(launchCostLamports(req, rent0)).toBeGreaterThanOrEqual(spent);
    expect(launchCostLamports(req, rent0) - spent).toBeLessThan(10_000n);
  });

  it("pays a priority fee when asked, and the cost estimate still covers the launch", async () => {
    const req = request({ symbol: "PRIO" });
    const priorityFee = { microLamportsPerUnit: 1_000_000n, computeUnitLimit: 60_000 }; // 60,000 lamports
    const mint = await deriveMintSigner(SECRET, "lch_prio");
    const { value: lifetime } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
    const signed = await signLaunchTransaction({ feePayer: payer, mint, req, rentForZeroBytes: rent0, lifetime, priorityFee });
    const before = (await rpc.getBalance(payer.address, { commitment: "confirmed" }).send()).value;
    await send(signed.wire);
    node.control.advanceSlots(2);
    const spent = before - (await rpc.getBalance(payer.address, { commitment: "confirmed" }).send()).value;
    expect(launchCostLamports(req, rent0, priorityFee)).toBeGreaterThanOrEqual(spent);
    expect(spent - launchCostLamports(req, rent0)).toBeGreaterThanOrEqual(50_000n); // the priority part was charged
    const onChain = await readLaunch(mint.address, OWNER);
    expect(mintMismatches(mint.address, onChain.mint, onChain.ata, req)).toEqual([]);
  });

  it("hands the mint and freeze authorities to the owner when asked", async () => {
    const req = request({ symbol: "KEEP", decimals: 0, initialSupply: "18446744073709551615", features: { mintable: true, freezable: true } });
    const { mint, signed } = await launch("lch_keep", req);
    await send(signed.wire);
    node.control.advanceSlots(2);
    const onChain = await readLaunch(mint.address, OWNER);
    expect(onChain.mint).toMatchObject({ decimals: 0, supply: 2n ** 64n - 1n, mintAuthority: OWNER, freezeAuthority: OWNER });
    expect(mintMismatches(mint.address, onChain.mint, onChain.ata, req)).toEqual([]);
    // The same mint checked against another request says what differs.
    const other = request({ name: "Other", symbol: "KEEP", decimals: 0, initialSupply: "5", features: { mintable: false, freezable: true } });
    expect(mintMismatches(mint.address, onChain.mint, onChain.ata, other)).toEqual([
      "supply is 18446744073709551615",
      `mint authority is ${OWNER}`,
      'name is "Forge Coin"',
      "the owner holds 18446744073709551615",
    ]);
  });

  it("cannot create the same mint twice: a second transaction for the launch fails and changes nothing", async () => {
    const req = request({ symbol: "ONCE" });
    const first = await launch("lch_once", req);
    await send(first.signed.wire);
    node.control.advanceSlots(1);
    const second = await launch("lch_once", req); // a newer blockhash: a different transaction
    expect(second.signed.signature).not.toBe(first.signed.signature);
    expect(second.mint.address).toBe(first.mint.address);
    await expect(send(second.signed.wire)).rejects.toThrow(/simulation failed/i);
    const onChain = await readLaunch(first.mint.address, OWNER);
    expect(onChain.mint?.supply).toBe(10n ** 12n);
    expect(onChain.ata?.amount).toBe(10n ** 12n);
  });

  it("reads nothing as a mint that is not one", () => {
    expect(parseMint(new Uint8Array(10))).toBeNull();
    expect(parseMint(new Uint8Array(165))).toBeNull();
    expect(parseTokenAccount(new Uint8Array(82))).toBeNull();
    expect(mintMismatches("11111111111111111111111111111111" as Address, null, null, request())).toEqual(["the account is not a Token-2022 mint"]);
  });
});
