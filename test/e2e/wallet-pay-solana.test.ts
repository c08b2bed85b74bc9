// Wallet-paid Solana launches on the real local platform (issue 16, acceptance 1 for
// Solana, and the Solana expiry rule). The payer's wallet is played by @solana/kit's
// own decoder and signTransaction: it signs the 202's transaction and sends it
// itself. The launch confirms (the deployer's watch finds the mint and the fee in its
// transaction), the treasury grows by exactly the platform fee and the platform's
// fee payer pays nothing; an unpaid launch stays awaiting payment past its window
// until the last issued transaction's lastValidBlockHeight has passed, then expires.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSolanaRpc,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  getTransactionDecoder,
  signTransaction,
  type Address,
  type KeyPairSigner,
  type Rpc,
  type SolanaRpcApi,
} from "@solana/kit";
import { chainRegistry } from "../../packages/core/src/index";
import { ownerTokenAccount, parseMint, parseTokenAccount, TOKEN_2022_PROGRAM } from "../../packages/core/src/solana/index";
import { startPlatform, type Platform } from "../../tools/platform";
import { getLaunch, postLaunch, waitStatus } from "./client";

const SLOT_MS = 100;
const EXPIRY_SLOTS = 40; // 4 s of validity per blockhash
const WINDOW_S = 6;

let p: Platform;
let rpc: Rpc<SolanaRpcApi>;
let owner: Address;
let payer: KeyPairSigner;
const sol = chainRegistry({ TF_ENV: "local" }).find((c) => c.id === "local-sol")!;
const treasury = sol.treasury as Address;
const platformFee = BigInt(sol.platformFee!);

beforeAll(async () => {
  p = await startPlatform({ port: "auto", quiet: true, vars: { PAYMENT_WINDOW_SECONDS: String(WINDOW_S) }, solana: { slotMs: SLOT_MS, blockhashExpirySlots: EXPIRY_SLOTS, finalizeDepth: 8 } });
  rpc = createSolanaRpc(p.chains.find((c) => c.id === "local-sol")!.rpcUrl) as Rpc<SolanaRpcApi>;
  owner = (await generateKeyPairSigner()).address;
  payer = await generateKeyPairSigner();
  p.solana.node.control.setBalance(payer.address, 10n * 10n ** 9n);
});
afterAll(async () => {
  await p?.stop();
});

const walletLaunch = (symbol: string, over: Record<string, unknown> = {}) => ({
  chain: "local-sol", name: `Paid ${symbol}`, symbol, decimals: 6, initialSupply: "1000000", owner,
  metadataUri: "https://tokenforge.invalid/paid.json", payment: { mode: "wallet", payer: payer.address }, ...over,
});
const balance = async (a: Address) => (await rpc.getBalance(a, { commitment: "confirmed" }).send()).value;

/** What the wallet does: decode the base64 transaction, sign it with the payer's key, send it. */
async function walletSignAndSend(wire: string) {
  const tx = getTransactionDecoder().decode(getBase64Encoder().encode(wire));
  const signed = await signTransaction([payer.keyPair], tx);
  return rpc.sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: "base64", preflightCommitment: "confirmed" }).send();
}

async function freshTransaction(id: string) {
  const res = await fetch(`${p.url}/api/v1/launches/${id}/transaction`, { method: "POST", headers: { authorization: `Bearer ${p.apiKey}` } });
  return { status: res.status, json: (await res.json()) as any };
}

describe("a wallet-paid Solana launch", () => {
  it("confirms when the wallet signs and sends the 202's transaction; the treasury gains exactly the fee, the platform's fee payer nothing", async () => {
    const res = await postLaunch(p, walletLaunch("WPS"));
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: "awaiting_payment", chain: "local-sol", payment: { mode: "wallet", payer: payer.address } });
    expect(res.json.transaction).toMatchObject({ payer: payer.address, treasury, platformFee: platformFee.toString() });
    expect(Date.parse(res.json.payment.expiresAt)).toBeGreaterThan(Date.now());
    expect((await getLaunch(p, res.json.id)).status).toBe("awaiting_payment");

    // A fresh transaction within the window: the same launch on a newer blockhash.
    const fresh = await freshTransaction(res.json.id);
    expect(fresh.status).toBe(200);
    expect(BigInt(fresh.json.lastValidBlockHeight)).toBeGreaterThanOrEqual(BigInt(res.json.transaction.lastValidBlockHeight));

    const [treasuryBefore, feePayerBefore, payerBefore] = await Promise.all([balance(treasury), balance(p.solana.feePayer as Address), balance(payer.address)]);
    const signature = await walletSignAndSend(fresh.json.transaction);
    const view = await waitStatus(p, res.json.id, "confirmed", 60_000);
    expect(view.address).toBe(res.json.address);
    expect(view.signature).toBe(signature);

    expect((await balance(treasury)) - treasuryBefore).toBe(platformFee);
    expect(await balance(p.solana.feePayer as Address)).toBe(feePayerBefore);
    expect(payerBefore - (await balance(payer.address))).toBeGreaterThan(platformFee); // fee + rents + its signature

    const ata = await ownerTokenAccount(owner, res.json.address);
    const { value } = await rpc.getMultipleAccounts([res.json.address, ata], { encoding: "base64", commitment: "confirmed" }).send();
    expect(value[0]!.owner).toBe(TOKEN_2022_PROGRAM);
    expect(parseMint(new Uint8Array(Buffer.from(value[0]!.data[0], "base64")))).toMatchObject({ decimals: 6, supply: 10n ** 12n, mintAuthority: null, metadata: { name: "Paid WPS", updateAuthority: owner } });
    expect(parseTokenAccount(new Uint8Array(Buffer.from(value[1]!.data[0], "base64")))).toEqual({ mint: res.json.address, owner, amount: 10n ** 12n });
  });

  it("refuses a payer that is not a Solana key and metadata over the wallet budget (422)", async () => {
    expect((await postLaunch(p, walletLaunch("BAD", { payment: { mode: "wallet", payer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" } }))).status).toBe(422);
    expect((await postLaunch(p, walletLaunch("BAD", { payment: { mode: "wallet" } }))).status).toBe(422);
    const long = await postLaunch(p, walletLaunch("LONG", { metadataUri: "https://tokenforge.invalid/" + "a".repeat(300) }));
    expect(long.status).toBe(422);
    expect(long.json.errors[0].path).toBe("metadataUri");
  });

  it("an unpaid one expires only after its window and the last issued transaction's last valid block height", async () => {
    const res = await postLaunch(p, walletLaunch("EXP"));
    expect(res.status).toBe(202);
    // A fresh transaction shortly before the window ends: its blockhash outlives the window by a few seconds.
    const until = Date.parse(res.json.payment.expiresAt);
    await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now() - 1500)));
    const last = await freshTransaction(res.json.id);
    expect(last.status).toBe(200);
    const lastValid = BigInt(last.json.lastValidBlockHeight);
    await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now()) + 300));
    expect((await freshTransaction(res.json.id)).status).toBe(409); // no fresh transaction after the window
    // Past the window but that transaction could still land: not expired yet.
    const height = await rpc.getBlockHeight({ commitment: "confirmed" }).send();
    const status = (await getLaunch(p, res.json.id)).status;
    expect(height).toBeLessThanOrEqual(lastValid);
    expect(status).toBe("awaiting_payment");
    const view = await waitStatus(p, res.json.id, "expired", 60_000);
    expect(await rpc.getBlockHeight({ commitment: "confirmed" }).send()).toBeGreaterThan(lastValid);
    expect(view.events.map((e: any) => e.status)).toEqual(["awaiting_payment", "expired"]);
    expect((await rpc.getAccountInfo(res.json.address, { commitment: "confirmed" }).send()).value).toBeNull();
  });
});
