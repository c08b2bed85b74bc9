// Wire-transaction helpers: decode, verify signatures, patch the blockhash, compute fees.
import { createPublicKey, verify as edVerify } from "node:crypto";
import {
  getBase58Decoder,
  getBase58Encoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  type Address,
  type CompiledTransactionMessage,
  type Transaction,
} from "@solana/kit";
import { invalidParams } from "./errors";

export const SYSTEM_PROGRAM = "11111111111111111111111111111111";
export const COMPUTE_BUDGET_PROGRAM = "ComputeBudget111111111111111111111111111111";
export const LAMPORTS_PER_SIGNATURE = 5000n;

export type Message = Extract<CompiledTransactionMessage, { version: "legacy" | 0 }> & { lifetimeToken: string };

export interface DecodedTx {
  raw: Uint8Array;
  tx: Transaction;
  /** base58 signatures, in message order; [0] is the transaction id. */
  signatures: string[];
  signature: string;
  message: Message;
  messageBytes: Uint8Array;
  blockhash: string;
}

const b58enc = getBase58Encoder();
const b58dec = getBase58Decoder();
export const toBase58 = (bytes: Uint8Array) => b58dec.decode(bytes);
export const fromBase58 = (s: string) => new Uint8Array(b58enc.encode(s));

/** Reads a compact-u16 ("shortvec") at `offset`; returns [value, bytesRead]. */
export function readShortVec(bytes: Uint8Array, offset: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 3; i++) {
    const b = bytes[offset + i];
    if (b === undefined) throw new Error("unexpected end of input");
    value |= (b & 0x7f) << (7 * i);
    if ((b & 0x80) === 0) return [value, i + 1];
  }
  throw new Error("invalid compact-u16");
}

export function shortVec(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if (n === 0) return [...out, b];
    out.push(b | 0x80);
  }
}

/** Decodes wire bytes the way the real node does, with its -32602 messages on failure. */
export function decodeWire(raw: Uint8Array): DecodedTx {
  let tx: Transaction;
  let message: Message;
  try {
    tx = getTransactionDecoder().decode(raw);
    message = getCompiledTransactionMessageDecoder().decode(tx.messageBytes) as Message;
  } catch (e) {
    throw invalidParams(
      `failed to deserialize solana_transaction::versioned::VersionedTransaction: ${(e as Error).message}`,
    );
  }
  if (message.version !== "legacy" && message.version !== 0)
    throw invalidParams("invalid transaction: Transaction version is unsupported");
  const [numSigs, sigLen] = readShortVec(raw, 0);
  const numKeys = message.staticAccounts.length + (message.version === 0
    ? (message.addressTableLookups ?? []).reduce((n, l) => n + l.writableIndexes.length + l.readonlyIndexes.length, 0)
    : 0);
  const indexesOk = message.instructions.every((ix) =>
    ix.programAddressIndex > 0 && ix.programAddressIndex < message.staticAccounts.length &&
    (ix.accountIndices ?? []).every((i) => i < numKeys));
  if (numSigs === 0 || numSigs !== message.header.numSignerAccounts || !indexesOk)
    throw invalidParams("invalid transaction: Transaction failed to sanitize accounts offsets correctly");
  const signatures: string[] = [];
  for (let i = 0; i < numSigs; i++) signatures.push(toBase58(raw.subarray(sigLen + 64 * i, sigLen + 64 * (i + 1))));
  return {
    raw,
    tx,
    signatures,
    signature: signatures[0],
    message,
    messageBytes: raw.subarray(sigLen + 64 * numSigs),
    blockhash: message.lifetimeToken,
  };
}

const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export function verifySignatures(d: DecodedTx): boolean {
  return d.signatures.every((sig, i) => {
    const key = createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(fromBase58(d.message.staticAccounts[i]))]),
      format: "der",
      type: "spki",
    });
    return edVerify(null, d.messageBytes, key, fromBase58(sig));
  });
}

/** Returns a copy of the wire bytes with the message's recent blockhash replaced. */
export function replaceBlockhash(d: DecodedTx, blockhash: string): DecodedTx {
  const msg = new Uint8Array(d.messageBytes);
  let off = d.message.version === 0 ? 1 : 0;
  off += 3; // header
  const [nKeys, len] = readShortVec(msg, off);
  off += len + 32 * nKeys;
  msg.set(fromBase58(blockhash), off);
  const raw = new Uint8Array(d.raw.length);
  raw.set(d.raw.subarray(0, d.raw.length - msg.length));
  raw.set(msg, d.raw.length - msg.length);
  return decodeWire(raw);
}

/** If the first instruction is System AdvanceNonceAccount, the nonce account it advances. */
export function nonceAccountOf(d: DecodedTx): Address | null {
  const ix = d.message.instructions[0];
  if (!ix || d.message.staticAccounts[ix.programAddressIndex] !== SYSTEM_PROGRAM) return null;
  const data = ix.data;
  if (!data || data.length < 4 || data[0] !== 4 || data[1] || data[2] || data[3]) return null;
  const idx = ix.accountIndices?.[0];
  return idx === undefined ? null : (d.message.staticAccounts[idx] ?? null);
}

/**
 * Fee the runtime charges: 5000 lamports per signature plus the priority fee
 * (compute-unit price × limit, default limit 200k per non-builtin instruction, 3k per builtin).
 */
export function feeForMessage(message: Message): bigint {
  const BUILTINS = new Set([SYSTEM_PROGRAM, COMPUTE_BUDGET_PROGRAM, "Vote111111111111111111111111111111111111111",
    "Stake11111111111111111111111111111111111111", "Config1111111111111111111111111111111111111",
    "AddressLookupTab1e1111111111111111111111111", "BPFLoaderUpgradeab1e11111111111111111111111"]);
  let price = 0n;
  let limit: bigint | null = null;
  let defaultLimit = 0n;
  for (const ix of message.instructions) {
    const program = message.staticAccounts[ix.programAddressIndex];
    const data = ix.data ?? new Uint8Array();
    if (program === COMPUTE_BUDGET_PROGRAM && data[0] === 2 && data.length >= 5)
      limit = BigInt(new DataView(data.buffer, data.byteOffset).getUint32(1, true));
    if (program === COMPUTE_BUDGET_PROGRAM && data[0] === 3 && data.length >= 9)
      price = new DataView(data.buffer, data.byteOffset).getBigUint64(1, true);
    defaultLimit += BUILTINS.has(program) ? 3_000n : 200_000n;
  }
  const requested = limit ?? defaultLimit;
  const units = requested > 1_400_000n ? 1_400_000n : requested;
  const priority = (price * units + 999_999n) / 1_000_000n;
  return LAMPORTS_PER_SIGNATURE * BigInt(message.header.numSignerAccounts) + priority;
}
