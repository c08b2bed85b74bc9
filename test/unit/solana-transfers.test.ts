// Solana transfer counting (workers/cron/src/analytics/solana-transfers.ts)
// against real transactions of the local Solana node (litesvm): Transfer and
// TransferChecked of a mint counted, other mints, mints and failed transactions
// not; each account's finalized signatures walked oldest first from its cursor,
// a transaction listed by several accounts read once, a budget never skipping one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appendTransactionMessageInstructions,
  createSolanaRpc,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type KeyPairSigner,
  type Rpc,
  type SolanaRpcApi,
} from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import {
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  getInitializeMint2Instruction,
  getMintToInstruction,
  getTransferCheckedInstruction,
  getTransferInstruction,
  TOKEN_PROGRAM_ADDRESS,
} from "@solana-program/token";
import { startSolanaNode, type SolanaNode } from "../../tools/solana-node/index";
import { countedKey, countTransfers, planSignatures, TOKEN_PROGRAM, type AccountSignatures, type JsonTransaction, type SignatureInfo } from "../../workers/cron/src/analytics/solana-transfers";

let node: SolanaNode;
let rpc: Rpc<SolanaRpcApi>;
let payer: KeyPairSigner;

async function raw<T = any>(method: string, params: unknown[]): Promise<T> {
  const res = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result: T; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

/** Sends and lands one transaction (the node lands it in the current slot); skipPreflight lets a failing one land with its error. */
async function send(ixs: Instruction[], skipPreflight = false): Promise<string> {
  const { value: latest } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
  const msg = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m),
    (m) => appendTransactionMessageInstructions(ixs, m),
  );
  const tx = await signTransactionMessageWithSigners(msg);
  await raw("sendTransaction", [getBase64EncodedWireTransaction(tx), { encoding: "base64", skipPreflight, preflightCommitment: "confirmed" }]);
  return getSignatureFromTransaction(tx);
}

async function newMint(authority: KeyPairSigner): Promise<Address> {
  const mint = await generateKeyPairSigner();
  const rent = await rpc.getMinimumBalanceForRentExemption(82n).send();
  await send([
    getCreateAccountInstruction({ payer, newAccount: mint, lamports: rent, space: 82, programAddress: TOKEN_PROGRAM_ADDRESS }),
    getInitializeMint2Instruction({ mint: mint.address, decimals: 6, mintAuthority: authority.address, freezeAuthority: null }),
  ]);
  return mint.address;
}

const ata = async (owner: Address, mint: Address) => (await findAssociatedTokenPda({ owner, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS }))[0];
const createAta = async (owner: Address, mint: Address) =>
  getCreateAssociatedTokenIdempotentInstruction({ payer, ata: await ata(owner, mint), owner, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
const finalizeAll = () => node.control.advanceSlots(10);
const signaturesOf = (account: string, until?: string) =>
  raw<SignatureInfo[]>("getSignaturesForAddress", [account, { commitment: "finalized", limit: 1000, ...(until ? { until } : {}) }]);
const txOf = (signature: string) => raw<JsonTransaction>("getTransaction", [signature, { encoding: "json", commitment: "finalized", maxSupportedTransactionVersion: 0 }]);

beforeAll(async () => {
  node = await startSolanaNode({ port: 0, slotMs: 50, blockhashExpirySlots: 150, finalizeDepth: 4 });
  rpc = createSolanaRpc(node.url) as Rpc<SolanaRpcApi>;
  payer = await generateKeyPairSigner();
  node.control.setBalance(payer.address, 100n * 10n ** 9n);
});
afterAll(async () => {
  await node?.close();
});

describe("Solana transfers from the local node's history", () => {
  let mint: Address, other: Address;
  const w: Address[] = [];
  const sig: Record<string, string> = {};

  beforeAll(async () => {
    mint = await newMint(payer);
    other = await newMint(payer);
    for (let i = 0; i < 4; i++) w.push((await generateKeyPairSigner()).address);
    w[0] = payer.address; // W0 holds the supply and signs its transfers
    const [a0, a1, a2, a3] = await Promise.all(w.map((x) => ata(x, mint)));
    sig.mintTo = await send([await createAta(w[0]!, mint), getMintToInstruction({ mint, token: a0!, mintAuthority: payer, amount: 1_000n })]);
    sig.plain = await send([await createAta(w[1]!, mint), getTransferInstruction({ source: a0!, destination: a1!, authority: payer, amount: 100n })]);
    sig.two = await send([
      await createAta(w[2]!, mint), await createAta(w[3]!, mint),
      getTransferCheckedInstruction({ source: a0!, mint, destination: a2!, authority: payer, amount: 200n, decimals: 6 }),
      getTransferInstruction({ source: a0!, destination: a3!, authority: payer, amount: 300n }),
    ]);
    // Another mint moving between the same owners: not this mint's transfer.
    const [o0, o1] = await Promise.all([ata(w[0]!, other), ata(w[1]!, other)]);
    sig.other = await send([await createAta(w[0]!, other), await createAta(w[1]!, other), getMintToInstruction({ mint: other, token: o0, mintAuthority: payer, amount: 50n }),
      getTransferCheckedInstruction({ source: o0, mint: other, destination: o1, authority: payer, amount: 5n, decimals: 6 })]);
    // More than W0 holds: lands failed (fee charged), moves nothing.
    sig.failed = await send([getTransferInstruction({ source: a0!, destination: a1!, authority: payer, amount: 10_000n })], true);
    finalizeAll();
  });

  it("counts Transfer and TransferChecked of the mint, top-level and inner; not a MintTo, another mint or a failed transaction", async () => {
    expect(countTransfers(await txOf(sig.mintTo!), mint)).toBe(0);
    expect(countTransfers(await txOf(sig.plain!), mint)).toBe(1);
    expect(countTransfers(await txOf(sig.two!), mint)).toBe(2);
    expect(countTransfers(await txOf(sig.two!), other)).toBe(0);
    expect(countTransfers(await txOf(sig.other!), mint)).toBe(0);
    expect(countTransfers(await txOf(sig.other!), other)).toBe(1);
    const failed = await txOf(sig.failed!);
    expect(failed.meta?.err).not.toBeNull();
    expect(countTransfers(failed, mint)).toBe(0);

    // A program's CPI: the same Transfer as an inner instruction counts too.
    const plain = await txOf(sig.plain!);
    const top = plain.transaction.message.instructions;
    const transferIx = top.find((ix) => plain.transaction.message.accountKeys[ix.programIdIndex] === TOKEN_PROGRAM)!;
    const cpi: JsonTransaction = { ...plain, transaction: { message: { ...plain.transaction.message, instructions: [] } },
      meta: { ...plain.meta!, innerInstructions: [{ instructions: [transferIx] }] } };
    expect(countTransfers(cpi, mint)).toBe(1);
  });

  it("reads each transaction once however many accounts list it, oldest first, and a second walk from the cursors finds nothing", async () => {
    const accounts = await Promise.all(w.map((x) => ata(x, mint)));
    const listed: AccountSignatures[] = await Promise.all(accounts.map(async (a) => ({ account: a, mint, newestFirst: await signaturesOf(a) })));
    expect(listed[0]!.newestFirst.map((s) => s.signature)).toEqual([sig.failed, sig.two, sig.plain, sig.mintTo]);
    const plan = planSignatures(listed, new Set(), 100);
    // The failed one is never read; sig.two is listed by three accounts, read once.
    expect([...plan.reads.keys()]).toEqual([sig.mintTo, sig.plain, sig.two]);
    expect(plan.cursors.get(accounts[0]!)).toBe(sig.failed);
    let total = 0;
    for (const s of plan.reads.keys()) total += countTransfers(await txOf(s), mint);
    expect(total).toBe(3);

    // From the cursors, nothing new; then one more transfer is the only read.
    const again = await Promise.all(accounts.map(async (a) => ({ account: a, mint, newestFirst: await signaturesOf(a, plan.cursors.get(a)) })));
    expect(again.every((a) => a.newestFirst.length === 0)).toBe(true);
    const [a0, a1] = accounts;
    const next = await send([getTransferCheckedInstruction({ source: a0!, mint, destination: a1!, authority: payer, amount: 1n, decimals: 6 })]);
    finalizeAll();
    const third = await Promise.all(accounts.map(async (a) => ({ account: a, mint, newestFirst: await signaturesOf(a, plan.cursors.get(a)) })));
    expect([...planSignatures(third, new Set(), 100).reads.keys()]).toEqual([next]);
  });
});

describe("planSignatures", () => {
  const s = (signature: string, err: unknown = null): SignatureInfo => ({ signature, slot: Number(signature.slice(1)), err });

  it("stops an account's cursor before the first signature the budget cannot read, so the next run starts there", () => {
    const accounts: AccountSignatures[] = [
      { account: "A", mint: "M", newestFirst: [s("s5"), s("s4"), s("s3", { InstructionError: [0, "Custom"] }), s("s2"), s("s1")] },
      { account: "B", mint: "M", newestFirst: [s("s6"), s("s2")] },
    ];
    const plan = planSignatures(accounts, new Set(), 2);
    expect([...plan.reads.keys()]).toEqual(["s1", "s2"]);
    expect(plan.cursors.get("A")).toBe("s3"); // the failed s3 is passed, s4 could not be afforded
    expect(plan.cursors.get("B")).toBe("s2"); // s2 is read via A; s6 could not be afforded
    // Next run: from those cursors, with s1 and s2 counted.
    const next = planSignatures([{ ...accounts[0]!, newestFirst: accounts[0]!.newestFirst.slice(0, 2) }, { ...accounts[1]!, newestFirst: accounts[1]!.newestFirst.slice(0, 1) }],
      new Set([countedKey("M", "s1"), countedKey("M", "s2")]), 10);
    expect([...next.reads.keys()]).toEqual(["s4", "s5", "s6"]);
    expect(Object.fromEntries(next.cursors)).toEqual({ A: "s5", B: "s6" });
  });

  it("passes a signature counted for the account's own mint but reads one counted only for another mint", () => {
    const plan = planSignatures([{ account: "A", mint: "M1", newestFirst: [s("s2"), s("s1")] }, { account: "B", mint: "M2", newestFirst: [s("s2")] }],
      new Set([countedKey("M1", "s2"), countedKey("M1", "s1")]), 10);
    expect([...plan.reads.keys()]).toEqual(["s2"]);
    expect(plan.cursors.get("A")).toBe("s2");
  });

  it("leaves an account without new signatures without a cursor change", () => {
    expect(planSignatures([{ account: "A", mint: "M", newestFirst: [] }], new Set(), 5).cursors.has("A")).toBe(false);
  });
});
