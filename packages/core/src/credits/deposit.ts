// Deposits (issue 17): is a transaction a deposit to the treasury, from whom, how
// much, and is it final yet. The verdicts are pure (facts in, verdict out; no
// clock, no I/O); reading the facts goes through an RpcBatch the caller gives
// (the api's and the cron's gated ones; a plain one in tests), so the api's
// first look and the cron's later ones decide the same way.
//
// EVM: only a top-level transfer counts — the transaction's own `to` is the
// treasury, its `value` is the amount, its `from` the sender, its receipt's
// status 1, and it sits at least `confirmations` blocks deep (head − block + 1).
// Value moved by a contract call to the treasury (an internal transfer) is not a
// deposit: it cannot be told from the receipt alone.
// Solana: the top-level System-program transfers to the treasury, from one
// account that signed the transaction, no error, at `finalized` commitment.
import { z } from "zod";
import type { RpcAnswer, RpcBatch } from "../quote";
import { base58Decode } from "../auth/base58";
import { canonicalWallet } from "../address";

export const DepositStatus = z.enum(["pending", "credited", "dropped"]);
export type DepositStatus = z.infer<typeof DepositStatus>;

/** What a look at the chain says of a claimed deposit transaction. */
export type DepositVerdict =
  /** The node knows no such transaction (never sent, dropped, or reorged away). */
  | { kind: "missing" }
  /** It exists but is not a deposit (wrong recipient, nothing sent, reverted, not a plain transfer). */
  | { kind: "refused"; reason: string }
  /** A deposit, not final yet: mined `confirmations` deep of the `needed` (0: not mined). */
  | { kind: "pending"; sender: string; amount: bigint; block: number | null; confirmations: number; needed: number }
  /** A deposit, final. */
  | { kind: "final"; sender: string; amount: bigint; block: number };

// ── EVM ──────────────────────────────────────────────────────────────────────

export type EvmTx = { from: string; to: string | null; value: string; blockNumber: string | null; input?: string };
export type EvmReceipt = { status: string; blockNumber: string; blockHash: string };
export type EvmDepositFacts = { tx: EvmTx | null; receipt: EvmReceipt | null; head: bigint };

export const isEvmTxHash = (s: string) => /^0x[0-9a-fA-F]{64}$/.test(s);

/** The verdict on an EVM transaction claimed as a deposit to `treasury`, `needed` blocks deep. */
export function evmDepositVerdict(f: EvmDepositFacts, treasury: string, needed: number): DepositVerdict {
  const { tx, receipt } = f;
  if (!tx) return { kind: "missing" };
  if (!tx.to || tx.to.toLowerCase() !== treasury.toLowerCase()) return { kind: "refused", reason: `the transaction's recipient is not the treasury ${treasury}` };
  const amount = BigInt(tx.value);
  if (amount <= 0n) return { kind: "refused", reason: "the transaction sends no value" };
  const sender = canonicalWallet(tx.from); // nodes answer lower-case; wallets are stored EIP-55
  if (!receipt) return { kind: "pending", sender, amount, block: null, confirmations: 0, needed };
  if (BigInt(receipt.status) !== 1n) return { kind: "refused", reason: "the transaction reverted (receipt status 0)" };
  const block = BigInt(receipt.blockNumber);
  const confirmations = f.head >= block ? Number(f.head - block + 1n) : 0;
  if (confirmations < Math.max(needed, 1)) return { kind: "pending", sender, amount, block: Number(block), confirmations, needed };
  return { kind: "final", sender, amount, block: Number(block) };
}

/** The transaction, its receipt and the head, in one batch (one gate round trip). */
export async function readEvmDeposit(rpc: RpcBatch, txHash: string): Promise<EvmDepositFacts> {
  const [tx, receipt, head] = await rpc([
    { method: "eth_getTransactionByHash", params: [txHash] },
    { method: "eth_getTransactionReceipt", params: [txHash] },
    { method: "eth_blockNumber", params: [] },
  ]);
  return { tx: resultOf<EvmTx | null>(tx, "eth_getTransactionByHash"), receipt: resultOf<EvmReceipt | null>(receipt, "eth_getTransactionReceipt"), head: BigInt(resultOf<string>(head, "eth_blockNumber")) };
}

// ── Solana ───────────────────────────────────────────────────────────────────

export const SYSTEM_PROGRAM = "11111111111111111111111111111111";
export const isSolanaSignature = (s: string) => /^[1-9A-HJ-NP-Za-km-z]{64,88}$/.test(s);

/** The parts of getTransaction (jsonParsed) a verdict reads. */
export type SolanaTx = {
  slot: number;
  meta: { err: unknown } | null;
  transaction: {
    message: {
      accountKeys: { pubkey: string; signer: boolean }[];
      /** A node parses System instructions (`parsed`); one that does not gives `accounts` and base58 `data`. */
      instructions: { programId: string; parsed?: { type?: string; info?: Record<string, unknown> }; accounts?: string[]; data?: string }[];
    };
  };
};
/** At `finalized`, and (when that is still null) at `confirmed`: a transaction landed but not final is pending. */
export type SolanaDepositFacts = { finalized: SolanaTx | null; confirmed: SolanaTx | null };

export function solanaDepositVerdict(f: SolanaDepositFacts, treasury: string): DepositVerdict {
  const tx = f.finalized ?? f.confirmed;
  if (!tx) return { kind: "missing" };
  if (tx.meta?.err) return { kind: "refused", reason: "the transaction failed" };
  const signers = new Set(tx.transaction.message.accountKeys.filter((k) => k.signer).map((k) => k.pubkey));
  const transfers = tx.transaction.message.instructions.flatMap((ix) => {
    const t = ix.programId === SYSTEM_PROGRAM ? systemTransfer(ix) : null;
    return t && t.destination === treasury ? [t] : [];
  });
  if (!transfers.length) return { kind: "refused", reason: `the transaction makes no top-level System transfer to the treasury ${treasury}` };
  const sender = transfers[0]!.source;
  if (transfers.some((t) => t.source !== sender)) return { kind: "refused", reason: "the transfers to the treasury come from more than one account" };
  if (!signers.has(sender)) return { kind: "refused", reason: "the transfer's source did not sign the transaction" };
  const amount = transfers.reduce((s, t) => s + t.lamports, 0n);
  if (amount <= 0n) return { kind: "refused", reason: "the transaction sends no lamports" };
  if (!f.finalized) return { kind: "pending", sender, amount, block: tx.slot, confirmations: 0, needed: 1 };
  return { kind: "final", sender, amount, block: tx.slot };
}

/** A System-program Transfer (instruction 2: u32 LE index, u64 LE lamports; accounts source, destination), parsed or raw. */
function systemTransfer(ix: SolanaTx["transaction"]["message"]["instructions"][number]): { source: string; destination: string; lamports: bigint } | null {
  if (ix.parsed) {
    const info = ix.parsed.info;
    if (ix.parsed.type !== "transfer" || !info) return null;
    return { source: String(info.source), destination: String(info.destination), lamports: BigInt(info.lamports as number | string) };
  }
  const data = ix.data === undefined ? null : base58Decode(ix.data);
  if (!data || data.length !== 12 || !ix.accounts || ix.accounts.length < 2) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== 2) return null;
  return { source: ix.accounts[0]!, destination: ix.accounts[1]!, lamports: view.getBigUint64(4, true) };
}

export async function readSolanaDeposit(rpc: RpcBatch, signature: string): Promise<SolanaDepositFacts> {
  const opts = (commitment: string) => ({ commitment, encoding: "jsonParsed", maxSupportedTransactionVersion: 0 });
  const [finalized, confirmed] = await rpc([
    { method: "getTransaction", params: [signature, opts("finalized")] },
    { method: "getTransaction", params: [signature, opts("confirmed")] },
  ]);
  return { finalized: resultOf<SolanaTx | null>(finalized, "getTransaction"), confirmed: resultOf<SolanaTx | null>(confirmed, "getTransaction") };
}

function resultOf<T>(a: RpcAnswer | undefined, method: string): T {
  if (!a) throw new Error(`${method}: no answer`);
  if ("error" in a) throw new Error(`${method}: ${a.error.message}`);
  return a.result as T;
}
