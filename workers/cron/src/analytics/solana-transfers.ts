// Solana transfer counting (issue 20), pure: which of the token accounts' new
// signatures to read this run and where each account's cursor moves to, and how
// many Transfer / TransferChecked instructions of a mint a transaction made.
// The job (jobs/analytics.ts) does the RPC and D1 around these.
import { base58Decode } from "@tokenforge/core/auth/base58";

export const TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
export const TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";

// SPL Token instruction tags (token/program/src/instruction.rs; Token-2022 keeps them).
const TRANSFER = 3;
const TRANSFER_CHECKED = 12;
/** Token-2022's TransferFeeExtension (26), sub-instruction TransferCheckedWithFee (1): accounts as TransferChecked. */
const TRANSFER_FEE_EXTENSION = 26;
const TRANSFER_CHECKED_WITH_FEE = 1;

/** One entry of getSignaturesForAddress. */
export type SignatureInfo = { signature: string; slot: number; err: unknown };

/** A token account's signatures newer than its cursor, newest first as the node lists them. */
export type AccountSignatures = { account: string; mint: string; newestFirst: SignatureInfo[] };

/** The key of a (mint, signature) already counted. */
export const countedKey = (mint: string, signature: string) => `${mint}|${signature}`;

export type SignaturePlan = {
  /** Signatures to read with getTransaction (each once, whichever accounts list it). */
  reads: Map<string, number>;
  /** Each account's new cursor: the newest signature it no longer needs to look at (absent: unchanged). */
  cursors: Map<string, string>;
};

/**
 * Walks each account's new signatures oldest first: failed transactions (no
 * transfer happened), ones already counted for the account's mint and ones
 * already to be read (a transaction read is counted for every mint it moved) are passed;
 * others are read while the budget lasts. An account's cursor stops before the
 * first signature it could not afford, so the next run starts there — oldest
 * first, never skipping one.
 */
export function planSignatures(accounts: AccountSignatures[], counted: ReadonlySet<string>, budget: number): SignaturePlan {
  const reads = new Map<string, number>();
  const cursors = new Map<string, string>();
  for (const { account, mint, newestFirst } of accounts) {
    for (let i = newestFirst.length - 1; i >= 0; i--) {
      const s = newestFirst[i]!;
      if (s.err === null && !counted.has(countedKey(mint, s.signature)) && !reads.has(s.signature)) {
        if (reads.size >= budget) break;
        reads.set(s.signature, s.slot);
      }
      cursors.set(account, s.signature);
    }
  }
  return { reads, cursors };
}

type Instruction = { programIdIndex: number; accounts: number[]; data: string };
type TokenBalance = { accountIndex: number; mint: string };

/** getTransaction's answer with `encoding: "json"` (the parts read here). */
export type JsonTransaction = {
  slot: number;
  meta: {
    err: unknown;
    innerInstructions?: { instructions: Instruction[] }[] | null;
    loadedAddresses?: { writable: string[]; readonly: string[] } | null;
    preTokenBalances?: TokenBalance[] | null;
    postTokenBalances?: TokenBalance[] | null;
  } | null;
  transaction: { message: { accountKeys: string[]; instructions: Instruction[] } };
};

/**
 * How many Transfer / TransferChecked (and Token-2022 TransferCheckedWithFee)
 * instructions of `mint` a transaction made, top-level and inner (a program's
 * CPI). A plain Transfer names no mint: its source account's mint comes from the
 * transaction's token balances. A failed transaction moved nothing: 0.
 */
export function countTransfers(tx: JsonTransaction, mint: string): number {
  if (!tx.meta || tx.meta.err !== null) return 0;
  const m = tx.transaction.message;
  const keys = [...m.accountKeys, ...(tx.meta.loadedAddresses?.writable ?? []), ...(tx.meta.loadedAddresses?.readonly ?? [])];
  const mintAt = new Map<number, string>();
  for (const b of [...(tx.meta.preTokenBalances ?? []), ...(tx.meta.postTokenBalances ?? [])]) mintAt.set(b.accountIndex, b.mint);
  const all = [...m.instructions, ...(tx.meta.innerInstructions ?? []).flatMap((i) => i.instructions)];
  let n = 0;
  for (const ix of all) {
    const program = keys[ix.programIdIndex];
    if (program !== TOKEN_PROGRAM && program !== TOKEN_2022_PROGRAM) continue;
    const data = base58Decode(ix.data);
    if (!data?.length) continue;
    const checked = data[0] === TRANSFER_CHECKED || (data[0] === TRANSFER_FEE_EXTENSION && data[1] === TRANSFER_CHECKED_WITH_FEE);
    if (checked ? keys[ix.accounts[1]!] === mint : data[0] === TRANSFER && mintAt.get(ix.accounts[0]!) === mint) n++;
  }
  return n;
}
