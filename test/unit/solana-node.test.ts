// The local Solana node (tools/solana-node) driven by @solana/kit as the deployer would:
// a Token-2022 launch in one transaction, a duplicate mint, and blockhash expiry.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import {
  AccountRole,
  address,
  airdropFactory,
  appendTransactionMessageInstructions,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  generateKeyPairSigner,
  getAddressEncoder,
  getBase58Decoder,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  getTransactionEncoder,
  getUtf8Encoder,
  isSolanaError,
  lamports,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  SOLANA_ERROR__BLOCK_HEIGHT_EXCEEDED,
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
  SOLANA_ERROR__JSON_RPC__METHOD_NOT_FOUND,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  SOLANA_ERROR__TRANSACTION_ERROR__BLOCKHASH_NOT_FOUND,
  type Address,
  type Instruction,
  type Rpc,
  type RpcSubscriptions,
  type SolanaRpcApi,
  type SolanaRpcSubscriptionsApi,
  type TransactionWithBlockhashLifetime,
  type KeyPairSigner,
  type TransactionSigner,
} from "@solana/kit";
import { getCreateAccountInstruction, getTransferSolInstruction } from "@solana-program/system";
import {
  AuthorityType,
  findAssociatedTokenPda,
  getCreateAssociatedTokenInstruction,
  getInitializeMint2Instruction,
  getMintDecoder,
  getMintToInstruction,
  getSetAuthorityInstruction,
} from "@solana-program/token";
import { startSolanaNode, type SolanaNode } from "../../tools/solana-node/index";

const TOKEN_2022 = address("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
const EXPIRY = 20; // blockhash validity in slots (short, so expiry takes ~1 s)
const SLOT_MS = 50;

let node: SolanaNode;
let rpc: Rpc<SolanaRpcApi>;
let rpcSubscriptions: RpcSubscriptions<SolanaRpcSubscriptionsApi>;
let sendAndConfirm: ReturnType<typeof sendAndConfirmTransactionFactory>;
let payer: KeyPairSigner;

async function rawRpc(method: string, params: unknown[] = []) {
  const res = await fetch(node.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await res.json()) as { result?: any; error?: { code: number; message: string; data?: any } };
}

async function buildTx(feePayer: TransactionSigner, ixs: Instruction[], version: 0 | "legacy" = 0) {
  const { value: latest } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
  const msg = pipe(
    createTransactionMessage({ version }),
    (m) => setTransactionMessageFeePayerSigner(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m),
    (m) => appendTransactionMessageInstructions(ixs, m),
  );
  // The union of versions loses the blockhash-lifetime type; it is set just above.
  return (await signTransactionMessageWithSigners(msg)) as Awaited<ReturnType<typeof signTransactionMessageWithSigners>> &
    TransactionWithBlockhashLifetime;
}

// Token-2022 extension instructions, encoded by hand (no kit-8-compatible token-2022 client yet).
const addressBytes = (a: Address) => getAddressEncoder().encode(a);
function borshString(s: string): number[] {
  const bytes = getUtf8Encoder().encode(s);
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, bytes.length, true);
  return [...len, ...bytes];
}
function initializeMetadataPointer(mint: Address, authority: Address): Instruction {
  // TokenInstruction::MetadataPointerExtension (39), MetadataPointerInstruction::Initialize (0)
  return {
    programAddress: TOKEN_2022,
    accounts: [{ address: mint, role: AccountRole.WRITABLE }],
    data: new Uint8Array([39, 0, ...addressBytes(authority), ...addressBytes(mint)]),
  };
}
function initializeTokenMetadata(mint: Address, authority: TransactionSigner, meta: { name: string; symbol: string; uri: string }): Instruction {
  const discriminator = createHash("sha256").update("spl_token_metadata_interface:initialize_account").digest().subarray(0, 8);
  return {
    programAddress: TOKEN_2022,
    accounts: [
      { address: mint, role: AccountRole.WRITABLE }, // metadata lives in the mint itself
      { address: authority.address, role: AccountRole.READONLY }, // update authority
      { address: mint, role: AccountRole.READONLY },
      { address: authority.address, role: AccountRole.READONLY_SIGNER }, // mint authority
    ],
    data: new Uint8Array([...discriminator, ...borshString(meta.name), ...borshString(meta.symbol), ...borshString(meta.uri)]),
  };
}

const META = { name: "Forge Token", symbol: "FRG", uri: "https://tokenforge.invalid/frg.json" };
const DECIMALS = 6;
const SUPPLY = 1_000_000n * 10n ** BigInt(DECIMALS);
// Mint (82) padded to 165, account-type byte, MetadataPointer TLV (4 + 64).
const MINT_WITH_POINTER_LEN = 165 + 1 + 4 + 64;
const metadataLen = (m: typeof META) => 4 + 32 + 32 + 4 + m.name.length + 4 + m.symbol.length + 4 + m.uri.length + 4;

async function launchInstructions(mint: KeyPairSigner, owner: KeyPairSigner) {
  const rent = await rpc.getMinimumBalanceForRentExemption(BigInt(MINT_WITH_POINTER_LEN + metadataLen(META))).send();
  const [ata] = await findAssociatedTokenPda({ owner: owner.address, mint: mint.address, tokenProgram: TOKEN_2022 });
  const ixs: Instruction[] = [
    // Space for the fixed part only; lamports cover the metadata the program reallocs in.
    getCreateAccountInstruction({ payer: owner, newAccount: mint, lamports: rent, space: MINT_WITH_POINTER_LEN, programAddress: TOKEN_2022 }),
    initializeMetadataPointer(mint.address, owner.address),
    getInitializeMint2Instruction({ mint: mint.address, decimals: DECIMALS, mintAuthority: owner.address, freezeAuthority: owner.address }, { programAddress: TOKEN_2022 }),
    initializeTokenMetadata(mint.address, owner, META),
    getCreateAssociatedTokenInstruction({ payer: owner, ata, owner: owner.address, mint: mint.address, tokenProgram: TOKEN_2022 }),
    getMintToInstruction({ mint: mint.address, token: ata, mintAuthority: owner, amount: SUPPLY }, { programAddress: TOKEN_2022 }),
    getSetAuthorityInstruction({ owned: mint.address, owner, authorityType: AuthorityType.MintTokens, newAuthority: null }, { programAddress: TOKEN_2022 }),
    getSetAuthorityInstruction({ owned: mint.address, owner, authorityType: AuthorityType.FreezeAccount, newAuthority: null }, { programAddress: TOKEN_2022 }),
  ];
  return { ixs, ata, rent };
}

beforeAll(async () => {
  node = await startSolanaNode({ port: 0, slotMs: SLOT_MS, blockhashExpirySlots: EXPIRY, finalizeDepth: 8 });
  rpc = createSolanaRpc(node.url) as Rpc<SolanaRpcApi>;
  rpcSubscriptions = createSolanaRpcSubscriptions(node.wsUrl) as RpcSubscriptions<SolanaRpcSubscriptionsApi>;
  sendAndConfirm = sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions });
  payer = await generateKeyPairSigner();
  await airdropFactory({ rpc, rpcSubscriptions })({ recipientAddress: payer.address, lamports: lamports(10_000_000_000n), commitment: "confirmed" });
});

afterAll(async () => {
  await node?.close();
});

describe("solana-node basics", () => {
  it("serves spec-shaped cluster info, batches and JSON-RPC errors", async () => {
    expect(await rpc.getHealth().send()).toBe("ok");
    expect((await rpc.getVersion().send())["solana-core"]).toMatch(/^\d+\.\d+\.\d+/);
    expect(await rpc.getGenesisHash().send()).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
    expect((await rpc.getIdentity().send()).identity).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);

    const { context, value } = await rpc.getLatestBlockhash({ commitment: "processed" }).send();
    expect(value.lastValidBlockHeight).toBe(context.slot + BigInt(EXPIRY)); // block height == slot here
    expect((await rpc.isBlockhashValid(value.blockhash, { commitment: "processed" }).send()).value).toBe(true);
    const epoch = await rpc.getEpochInfo({ commitment: "processed" }).send();
    expect(epoch.absoluteSlot).toBeGreaterThanOrEqual(context.slot);
    expect(epoch.blockHeight).toBe(epoch.absoluteSlot);

    // Unknown method → -32601, through kit and raw.
    await expect(rawRpc("noSuchMethod")).resolves.toMatchObject({ error: { code: -32601, message: "Method not found" } });
    try {
      await (createSolanaRpc(node.url) as any).noSuchMethod().send();
      expect.unreachable();
    } catch (e) {
      expect(isSolanaError(e, SOLANA_ERROR__JSON_RPC__METHOD_NOT_FOUND)).toBe(true);
    }

    // Batch: results in order, per-request errors.
    const batch = await fetch(node.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "getSlot", params: [{ commitment: "processed" }] },
        { jsonrpc: "2.0", id: 2, method: "getBalance", params: ["not-a-key"] },
        { jsonrpc: "2.0", id: 3, method: "getMinimumBalanceForRentExemption", params: [0] },
      ]),
    }).then((r) => r.json() as Promise<any[]>);
    expect(batch).toHaveLength(3);
    expect(batch[0]).toMatchObject({ id: 1, result: expect.any(Number) });
    expect(batch[1]).toMatchObject({ id: 2, error: { code: -32602 } });
    expect(batch[2]).toMatchObject({ id: 3, result: 890880 });
  });

  it("moves a signature processed → confirmed → finalized; legacy and base58 transactions work", async () => {
    const to = await generateKeyPairSigner();
    const tx = await buildTx(payer, [getTransferSolInstruction({ source: payer, destination: to.address, amount: 1_000_000n })], "legacy");
    const wire = getBase58Decoder().decode(getTransactionEncoder().encode(tx));
    const sent = await rawRpc("sendTransaction", [wire, { encoding: "base58", preflightCommitment: "confirmed" }]);
    expect(sent.result).toBe(getSignatureFromTransaction(tx));

    const seen = new Set<string>();
    for (let i = 0; i < 100 && !seen.has("finalized"); i++) {
      const { value: [status] } = await rpc.getSignatureStatuses([sent.result]).send();
      if (status) {
        seen.add(status.confirmationStatus!);
        expect(status.err).toBeNull();
        expect(status.status).toEqual({ Ok: null });
        if (status.confirmationStatus === "finalized") expect(status.confirmations).toBeNull();
      }
      await new Promise((r) => setTimeout(r, SLOT_MS / 2));
    }
    expect([...seen]).toEqual(expect.arrayContaining(["confirmed", "finalized"]));
    expect((await rpc.getBalance(to.address, { commitment: "confirmed" }).send()).value).toBe(1_000_000n);
    const got = await rpc.getTransaction(sent.result, { commitment: "confirmed", encoding: "json" }).send();
    expect(got?.meta?.err).toBeNull();
    expect(got?.meta?.fee).toBe(5000n);
  });
});

describe("Token-2022 launch", () => {
  let mint: KeyPairSigner;
  let ata: Address;

  it("creates mint + metadata + ATA + supply and revokes authorities in one transaction, confirmed over WebSocket", async () => {
    mint = await generateKeyPairSigner();
    const launch = await launchInstructions(mint, payer);
    ata = launch.ata;
    const tx = await buildTx(payer, launch.ixs);
    await sendAndConfirm(tx, { commitment: "confirmed" });
    const signature = getSignatureFromTransaction(tx);

    const { value: [status] } = await rpc.getSignatureStatuses([signature], { searchTransactionHistory: true }).send();
    expect(status?.err).toBeNull();
    const got = await rpc.getTransaction(signature, { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 }).send();
    expect(got?.slot).toBe(status?.slot);
    expect(got?.meta?.err).toBeNull();
    expect(got?.meta?.fee).toBe(10_000n); // two signatures
    expect(got?.version).toBe(0);

    // Raw bytes: the base mint layout.
    const raw = await rpc.getAccountInfo(mint.address, { encoding: "base64", commitment: "confirmed" }).send();
    expect(raw.value?.owner).toBe(TOKEN_2022);
    const bytes = Buffer.from(raw.value!.data[0], "base64");
    const decoded = getMintDecoder().decode(bytes.subarray(0, 82));
    expect(decoded.decimals).toBe(DECIMALS);
    expect(decoded.supply).toBe(SUPPLY);
    expect(decoded.mintAuthority).toEqual({ __option: "None" });
    expect(decoded.freezeAuthority).toEqual({ __option: "None" });

    // jsonParsed: mint with its extensions.
    const parsed = await rpc.getAccountInfo(mint.address, { encoding: "jsonParsed", commitment: "confirmed" }).send();
    const data = parsed.value!.data as any;
    expect(data.program).toBe("spl-token-2022");
    expect(data.parsed.type).toBe("mint");
    expect(data.parsed.info).toMatchObject({ decimals: DECIMALS, supply: SUPPLY.toString(), mintAuthority: null, freezeAuthority: null, isInitialized: true });
    const ext = Object.fromEntries(data.parsed.info.extensions.map((e: any) => [e.extension, e.state]));
    expect(ext.metadataPointer).toEqual({ authority: payer.address, metadataAddress: mint.address });
    expect(ext.tokenMetadata).toMatchObject({ ...META, mint: mint.address, updateAuthority: payer.address, additionalMetadata: [] });

    // Owner's balance and token account.
    const bal = await rpc.getTokenAccountBalance(ata, { commitment: "confirmed" }).send();
    expect(bal.value).toMatchObject({ amount: SUPPLY.toString(), decimals: DECIMALS, uiAmountString: "1000000" });
    const supply = await rpc.getTokenSupply(mint.address, { commitment: "confirmed" }).send();
    expect(supply.value.amount).toBe(SUPPLY.toString());
    const ataInfo = await rpc.getAccountInfo(ata, { encoding: "jsonParsed", commitment: "confirmed" }).send();
    expect((ataInfo.value!.data as any).parsed.info).toMatchObject({ mint: mint.address, owner: payer.address, state: "initialized" });
    const byOwner = await rpc.getTokenAccountsByOwner(payer.address, { mint: mint.address }, { encoding: "jsonParsed" }).send();
    expect(byOwner.value.map((a) => a.pubkey)).toEqual([ata]);
    expect(got?.meta?.postTokenBalances).toEqual([
      expect.objectContaining({ mint: mint.address, owner: payer.address, programId: TOKEN_2022, uiTokenAmount: expect.objectContaining({ amount: SUPPLY.toString() }) }),
    ]);
  });

  it("rejects a second creation of the same mint (account already in use)", async () => {
    const { ixs } = await launchInstructions(mint, payer);
    // Preflight: -32002 with the simulation's err and logs, like a real node.
    const tx = await buildTx(payer, [ixs[0]]);
    try {
      await rpc.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: "base64", preflightCommitment: "confirmed" }).send();
      expect.unreachable();
    } catch (e) {
      expect(isSolanaError(e, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE)).toBe(true);
      const err = e as any;
      expect(err.context.logs.join("\n")).toMatch(/already in use/);
      expect(isSolanaError(err.cause, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)).toBe(true);
      expect(err.cause.context).toMatchObject({ code: 0, index: 0 });
    }
    const raw = await rawRpc("sendTransaction", [getBase64EncodedWireTransaction(tx), { encoding: "base64", preflightCommitment: "confirmed" }]);
    expect(raw.error).toMatchObject({
      code: -32002,
      message: "Transaction simulation failed: Error processing Instruction 0: custom program error: 0x0",
      data: { err: { InstructionError: [0, { Custom: 0 }] }, accounts: null },
    });

    // Without preflight it lands as a failed transaction: fee charged, err recorded.
    await expect(sendAndConfirm(tx, { commitment: "confirmed", skipPreflight: true })).rejects.toSatisfy((e) =>
      isSolanaError(e, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM),
    );
    const { value: [status] } = await rpc.getSignatureStatuses([getSignatureFromTransaction(tx)]).send();
    expect(status?.err).toEqual({ InstructionError: [0n, { Custom: 0n }] });
  });
});

describe("blockhash expiry with held transactions", () => {
  it("never processes a held transaction whose blockhash expired", async () => {
    const to = await generateKeyPairSigner();
    const tx = await buildTx(payer, [getTransferSolInstruction({ source: payer, destination: to.address, amount: 5_000_000n })]);
    const signature = getSignatureFromTransaction(tx);
    const { blockhash } = tx.lifetimeConstraint;

    node.control.holdTransactions(true);
    // A real node accepts it and returns the signature...
    const sent = await rpc.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: "base64", preflightCommitment: "confirmed" }).send();
    expect(sent).toBe(signature);
    expect(node.control.heldCount).toBe(1);
    // ...kit gives up once the block height passes lastValidBlockHeight.
    await expect(sendAndConfirm(tx, { commitment: "confirmed", skipPreflight: true })).rejects.toSatisfy((e) =>
      isSolanaError(e, SOLANA_ERROR__BLOCK_HEIGHT_EXCEEDED),
    );
    expect((await rpc.isBlockhashValid(blockhash, { commitment: "processed" }).send()).value).toBe(false);

    node.control.holdTransactions(false); // released: expired, so dropped like a real leader would
    expect(node.control.heldCount).toBe(0);
    node.control.advanceSlots(2);
    const { value } = await rpc.getSignatureStatuses([signature], { searchTransactionHistory: true }).send();
    expect(value).toEqual([null]);
    expect(await rpc.getTransaction(signature, { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 }).send()).toBeNull();
    expect((await rpc.getBalance(to.address, { commitment: "processed" }).send()).value).toBe(0n);

    // Sending it again now fails preflight with the real error.
    const again = await rawRpc("sendTransaction", [getBase64EncodedWireTransaction(tx), { encoding: "base64", preflightCommitment: "confirmed" }]);
    expect(again.error).toMatchObject({ code: -32002, message: "Transaction simulation failed: Blockhash not found", data: { err: "BlockhashNotFound" } });
    try {
      await rpc.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: "base64" }).send();
      expect.unreachable();
    } catch (e) {
      expect(isSolanaError((e as any).cause, SOLANA_ERROR__TRANSACTION_ERROR__BLOCKHASH_NOT_FOUND)).toBe(true);
    }
  });

  it("lands a held transaction released in time; controls work over HTTP too", async () => {
    // "In time" by slots, not by the wall clock: with 50 ms slots a loaded machine could let the
    // blockhash expire between building and releasing. Only advanceSlots moves slots here.
    node.control.pauseSlots(true);
    onTestFinished(() => node.control.pauseSlots(false));
    const to = await generateKeyPairSigner();
    expect((await rawRpc("tf_holdTransactions", [true])).result).toMatchObject({ holding: true });
    const tx = await buildTx(payer, [getTransferSolInstruction({ source: payer, destination: to.address, amount: 7_000n + 890_880n })]);
    const signature = getSignatureFromTransaction(tx);
    await rpc.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: "base64", skipPreflight: true }).send();
    node.control.advanceSlots(2);
    expect((await rpc.getSignatureStatuses([signature]).send()).value).toEqual([null]);
    expect((await rawRpc("tf_holdTransactions", [false])).result).toMatchObject({ holding: false, held: 0 });
    const { value: [status] } = await rpc.getSignatureStatuses([signature]).send();
    expect(status).toMatchObject({ err: null, confirmationStatus: "processed" });
    expect((await rpc.getBalance(to.address, { commitment: "processed" }).send()).value).toBe(897_880n);

    // dropAll discards parked transactions; setBalance writes lamports directly.
    node.control.holdTransactions(true);
    const tx2 = await buildTx(payer, [getTransferSolInstruction({ source: payer, destination: to.address, amount: 1n })]);
    await rpc.sendTransaction(getBase64EncodedWireTransaction(tx2), { encoding: "base64", skipPreflight: true }).send();
    expect((await rawRpc("tf_dropAll")).result).toBe(1);
    node.control.holdTransactions(false);
    expect((await rpc.getSignatureStatuses([getSignatureFromTransaction(tx2)]).send()).value).toEqual([null]);
    expect((await rawRpc("tf_setBalance", [to.address, 42])).result).toBe(42);
    expect((await rpc.getBalance(to.address, { commitment: "processed" }).send()).value).toBe(42n);
  });
});
