// Batched chain reads for a queue batch of Solana launches: the launches' mints
// and owners' token accounts (getMultipleAccounts, ≤ 100 keys a call), their
// signatures' statuses (getSignatureStatuses, ≤ 256 a call) and the block height.
import type { Address, Signature } from "@solana/kit";
import {
  mintMismatches,
  ownerTokenAccount,
  parseMint,
  parseTokenAccount,
  SYSTEM_PROGRAM,
  TOKEN_2022_PROGRAM,
  type MintFacts,
  type TokenAccountFacts,
} from "@tokenforge/core/solana/index";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { Commitment, SolanaRpc } from "./rpc";
import type { SignatureStatus } from "./lifecycle";

type RawAccount = { owner: Address; data: Uint8Array } | null;

async function accounts(rpc: SolanaRpc, keys: Address[], commitment: Commitment): Promise<RawAccount[]> {
  const out: RawAccount[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    const { value } = await rpc.getMultipleAccounts(keys.slice(i, i + 100), { encoding: "base64", commitment }).send();
    for (const a of value) out.push(a ? { owner: a.owner, data: base64Bytes(a.data[0]) } : null);
  }
  return out;
}

/**
 * Whether an account occupies a mint address. Lamports alone (a system account
 * with no data: anyone can send lamports to an announced address) do not: the
 * launch's transaction tops such an account up and takes it over. Any data or
 * another owner does (only the mint key can allocate or assign it: our mint).
 */
export const occupied = (a: RawAccount) => a !== null && (a.owner !== SYSTEM_PROGRAM || a.data.length > 0);

/** Which of the rows' mints exist (see `occupied`). */
export async function mintsExist(rpc: SolanaRpc, rows: Pick<LaunchRow, "address">[], commitment: Commitment): Promise<boolean[]> {
  return (await accounts(rpc, rows.map((r) => r.address as Address), commitment)).map(occupied);
}

export type MintCheck = { exists: boolean; mismatches: string[]; facts: MintFacts | null; ownerAccount: TokenAccountFacts | null };

/** Reads each row's mint and the owner's token account and compares them with the request. */
export async function checkMints(rpc: SolanaRpc, rows: Pick<LaunchRow, "address" | "request">[], commitment: Commitment): Promise<MintCheck[]> {
  const reqs = rows.map((r) => r.request);
  const atas = await Promise.all(rows.map((r, i) => ownerTokenAccount(reqs[i]!.owner as Address, r.address as Address)));
  const keys = rows.flatMap((r, i) => [r.address as Address, atas[i]!]);
  const raw = await accounts(rpc, keys, commitment);
  return rows.map((r, i) => {
    const mint = raw[2 * i];
    const ata = raw[2 * i + 1];
    if (!mint || !occupied(mint)) return { exists: false, mismatches: ["no account at the mint address"], facts: null, ownerAccount: null };
    const facts = mint.owner === TOKEN_2022_PROGRAM ? parseMint(mint.data) : null;
    const ownerAccount = ata && ata.owner === TOKEN_2022_PROGRAM ? parseTokenAccount(ata.data) : null;
    return { exists: true, mismatches: mintMismatches(r.address as Address, facts, ownerAccount, reqs[i]!), facts, ownerAccount };
  });
}

export async function signatureStatuses(rpc: SolanaRpc, signatures: string[]): Promise<SignatureStatus[]> {
  const out: SignatureStatus[] = [];
  for (let i = 0; i < signatures.length; i += 256) {
    // searchTransactionHistory: a status older than the node's recent cache must still be found.
    const { value } = await rpc.getSignatureStatuses(signatures.slice(i, i + 256) as Signature[], { searchTransactionHistory: true }).send();
    for (const s of value) out.push(s ? { slot: s.slot, confirmationStatus: s.confirmationStatus, err: s.err } : null);
  }
  return out;
}

function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
