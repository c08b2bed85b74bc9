// Wallet-paid Solana launches (issue 16, design (b): packages/core/src/solana/wallet-launch.ts,
// workers/deployer/src/solana/watch.ts) on the local node. The payer's "wallet" is
// @solana/kit's own transaction decoder and signTransaction: it signs the prepared
// bytes and sends them itself. Covered: the mint bound to (payer, launch id); the
// treasury grows by exactly the fee in the same transaction; instructions a wallet
// adds break nothing; a payer who drops the fee gets a mint but no confirmed launch;
// nobody else can make the mint; expiry waits for the last valid block height;
// the metadata budget is exactly what fits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appendTransactionMessageInstruction,
  compileTransaction,
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  decompileTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  partiallySignTransaction,
  prependTransactionMessageInstructions,
  setTransactionMessageFeePayer,
  signTransaction,
  type Address,
  type Base64EncodedWireTransaction,
  type KeyPairSigner,
  type Rpc,
  type SolanaRpcApi,
} from "@solana/kit";
import { chainRegistry, newId, type ChainConfig, type LaunchRequest } from "@tokenforge/core";
import {
  LaunchRequest as LaunchRequestSchema,
  SOLANA_WALLET_ADDITIONS_RESERVE_BYTES,
  SOLANA_WALLET_METADATA_MAX_BYTES,
  solanaWalletMetadataIssues,
  type SolanaPaymentTransaction,
} from "@tokenforge/core/launch";
import { getComputeBudgetInstructions, MAX_TRANSACTION_BYTES, walletLaunchTransaction, walletLaunchTransactionBytes, walletMintAddress } from "@tokenforge/core/solana/index";
import type { LaunchOutcome, WatchedLaunch } from "../../workers/deployer/src/adapter";
import { watchSolana } from "../../workers/deployer/src/solana/watch";
import { startSolanaNode, type SolanaNode } from "../../tools/solana-node/index";

const FEE = 10_000_000n;
let node: SolanaNode;
let rpc: Rpc<SolanaRpcApi>;
let chain: ChainConfig;
let payer: KeyPairSigner;
let payerKeys: CryptoKeyPair;
let treasury: Address;
let owner: Address;
let rent0: bigint;

const request = (symbol: string, over: Record<string, unknown> = {}) =>
  LaunchRequestSchema.parse({ chain: "local-sol", name: `Wallet ${symbol}`, symbol, decimals: 6, initialSupply: "1000", owner, metadataUri: "https://tokenforge.invalid/w.json", ...over });

async function prepare(launchId: string, req: LaunchRequest, by = payer.address) {
  const { value: lifetime } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
  const tx = await walletLaunchTransaction({ payer: by, launchId, req, rentForZeroBytes: rent0, treasury, platformFee: FEE, lifetime });
  const payment: SolanaPaymentTransaction = { transaction: tx.transaction, lastValidBlockHeight: tx.lastValidBlockHeight.toString(), payer: by, treasury, platformFee: FEE.toString() };
  return { tx, payment };
}

/** What a wallet does with the prepared bytes: decode, optionally rewrite the message, sign, send. */
async function walletSend(wire: string, rewrite?: (m: ReturnType<typeof decompileTransactionMessage>) => Parameters<typeof compileTransaction>[0]) {
  let tx = getTransactionDecoder().decode(getBase64Encoder().encode(wire));
  if (rewrite) tx = compileTransaction(rewrite(decompileTransactionMessage(getCompiledTransactionMessageDecoder().decode(tx.messageBytes))));
  const signed = await signTransaction([payerKeys], tx);
  return rpc.sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: "base64", preflightCommitment: "confirmed" }).send();
}

const watched = (id: string, address: string, req: LaunchRequest, payment: SolanaPaymentTransaction, expiresAt: number | null): WatchedLaunch => ({
  id, address, request: req, createdAt: Date.now(), factoryVersion: null, expiresAt, payment,
});
const only = (o: LaunchOutcome[]) => (expect(o).toHaveLength(1), o[0]!);
const balance = async (a: Address) => (await rpc.getBalance(a, { commitment: "confirmed" }).send()).value;
const nextSlots = (n: number) => node.control.advanceSlots(n);

beforeAll(async () => {
  node = await startSolanaNode({ port: 0, slotMs: 50, blockhashExpirySlots: 30, finalizeDepth: 8 });
  rpc = createSolanaRpc(node.url) as Rpc<SolanaRpcApi>;
  chain = chainRegistry({ TF_ENV: "local", LOCAL_SOL_PORT: String(node.port) }).find((c) => c.id === "local-sol")!;
  const bytes = new Uint8Array(64);
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  bytes.set(Buffer.from((jwk as { d: string }).d, "base64url"), 0);
  bytes.set(Buffer.from((jwk as { x: string }).x, "base64url"), 32);
  payer = await createKeyPairSignerFromBytes(bytes);
  payerKeys = payer.keyPair;
  treasury = (await generateKeyPairSigner()).address;
  owner = (await generateKeyPairSigner()).address;
  node.control.setBalance(payer.address, 100_000_000_000n);
  node.control.setBalance(treasury, 1_000_000_000n);
  rent0 = await rpc.getMinimumBalanceForRentExemption(0n).send();
});
afterAll(async () => {
  await node?.close();
});

describe("wallet-paid Solana launch", () => {
  it("binds the mint to payer and launch id", async () => {
    const id = newId("lch");
    const other = (await generateKeyPairSigner()).address;
    const a = await walletMintAddress(payer.address, id);
    expect(await walletMintAddress(payer.address, id)).toBe(a);
    expect(await walletMintAddress(other, id)).not.toBe(a);
    expect(await walletMintAddress(payer.address, newId("lch"))).not.toBe(a);
  });

  it("is signed and sent by the wallet alone: mint as requested, treasury + exactly the fee, then confirmed by the watch", async () => {
    const id = newId("lch");
    const req = request("WPAY", { features: { mintable: false, freezable: true } });
    const { tx, payment } = await prepare(id, req);
    const l = watched(id, tx.mint, req, payment, Date.now() + 60_000);
    expect(only(await watchSolana(rpc, chain, [l], Date.now()))).toMatchObject({ kind: "pending" });

    const before = await balance(treasury);
    const sig = await walletSend(tx.transaction);
    await nextSlots(2);
    expect((await balance(treasury)) - before).toBe(FEE);
    const out = only(await watchSolana(rpc, chain, [l], Date.now()));
    expect(out).toMatchObject({ kind: "confirmed", launchId: id, txHash: sig });
    if (out.kind !== "confirmed") throw new Error("unreachable");
    expect(out.token).toMatchObject({ address: tx.mint, name: "Wallet WPAY", symbol: "WPAY", decimals: 6, totalSupply: (1000n * 10n ** 6n).toString(), owner });
  });

  it("survives instructions the wallet adds before and after ours (compute budget, a Lighthouse-like guard)", async () => {
    const id = newId("lch");
    const req = request("WADD");
    const { tx, payment } = await prepare(id, req);
    const memo = { programAddress: "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr" as Address, data: new TextEncoder().encode("guard") };
    await walletSend(tx.transaction, (m) =>
      appendTransactionMessageInstruction(memo, prependTransactionMessageInstructions(getComputeBudgetInstructions({ microLamportsPerUnit: 1000n, computeUnitLimit: 300_000 }), m)),
    );
    await nextSlots(2);
    expect(only(await watchSolana(rpc, chain, [watched(id, tx.mint, req, payment, null)], Date.now()))).toMatchObject({ kind: "confirmed", launchId: id });
  });

  it("a payer who drops the fee transfer gets a mint but no confirmed launch", async () => {
    const id = newId("lch");
    const req = request("WNOF");
    const { tx, payment } = await prepare(id, req);
    const before = await balance(treasury);
    await walletSend(tx.transaction, (m) => ({ ...m, instructions: m.instructions.slice(0, -1) }) as never);
    await nextSlots(2);
    expect(await balance(treasury)).toBe(before);
    const out = only(await watchSolana(rpc, chain, [watched(id, tx.mint, req, payment, null)], Date.now()));
    expect(out).toMatchObject({ kind: "failed", errorType: "verification" });
    expect(out.kind === "failed" && out.detail).toMatch(/did not pay the platform fee/);
  });

  it("nobody but the payer can make the mint: another fee payer's copy is refused", async () => {
    const id = newId("lch");
    const req = request("WOTH");
    const { tx } = await prepare(id, req);
    const thief = await generateKeyPairSigner();
    node.control.setBalance(thief.address, 10_000_000_000n);
    // Same message with the thief as fee payer: the payer's signature (AllocateWithSeed's base) is still required.
    const msg = decompileTransactionMessage(getCompiledTransactionMessageDecoder().decode(getTransactionDecoder().decode(getBase64Encoder().encode(tx.transaction)).messageBytes));
    const stolen = compileTransaction(setTransactionMessageFeePayer(thief.address, msg));
    const onlyThief = await partiallySignTransaction([thief.keyPair], stolen);
    await expect(rpc.sendTransaction(getBase64EncodedWireTransaction(onlyThief) as Base64EncodedWireTransaction, { encoding: "base64" }).send()).rejects.toThrow();
    expect((await rpc.getAccountInfo(tx.mint, { commitment: "processed" }).send()).value).toBeNull();
  });

  it("expires only after the window AND the last issued blockhash's last valid block height", async () => {
    const id = newId("lch");
    const req = request("WEXP");
    const { tx, payment } = await prepare(id, req);
    const past = Date.now() - 1;
    // The window passed but the transaction could still land: pending.
    const early = only(await watchSolana(rpc, chain, [watched(id, tx.mint, req, payment, past)], Date.now()));
    expect(early).toMatchObject({ kind: "pending" });
    expect(early.kind === "pending" && early.detail).toMatch(/may land until block height/);
    const height = await rpc.getBlockHeight({ commitment: "confirmed" }).send();
    await nextSlots(Number(tx.lastValidBlockHeight - height) + 2);
    expect(only(await watchSolana(rpc, chain, [watched(id, tx.mint, req, payment, past)], Date.now()))).toMatchObject({ kind: "expired", launchId: id });
    // Within the window nothing expires, whatever the height.
    expect(only(await watchSolana(rpc, chain, [watched(id, tx.mint, req, payment, Date.now() + 60_000)], Date.now()))).toMatchObject({ kind: "pending" });
    // And the expired transaction cannot land any more.
    await expect(walletSend(tx.transaction)).rejects.toThrow(/simulation failed/);
    expect((await rpc.getAccountInfo(tx.mint, { commitment: "processed" }).send()).value).toBeNull();
  });

  it("fits 1232 bytes with the wallet's reserve exactly up to the wallet metadata budget", async () => {
    const worst = { mintable: true, freezable: true };
    const at = (n: number) => request("B", { name: "N", symbol: "S", features: worst, metadataUri: "https://x.invalid/" + "a".repeat(n - 2 - 18) });
    const input = { payer: payer.address, launchId: newId("lch"), rentForZeroBytes: rent0, treasury, platformFee: FEE };
    const limit = MAX_TRANSACTION_BYTES - SOLANA_WALLET_ADDITIONS_RESERVE_BYTES;
    expect(await walletLaunchTransactionBytes({ ...input, req: at(SOLANA_WALLET_METADATA_MAX_BYTES) })).toBe(limit);
    expect(await walletLaunchTransactionBytes({ ...input, req: at(SOLANA_WALLET_METADATA_MAX_BYTES + 1) })).toBe(limit + 1);
    expect(solanaWalletMetadataIssues(at(SOLANA_WALLET_METADATA_MAX_BYTES))).toEqual([]);
    expect(solanaWalletMetadataIssues(at(SOLANA_WALLET_METADATA_MAX_BYTES + 1))).toHaveLength(1);
  });
});
