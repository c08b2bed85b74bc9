// Token-2022 pieces that have no kit-8 client yet (@solana-program/token-2022
// needs kit ≤ 7): the metadata-pointer and token-metadata instructions, the
// account sizes they imply, and a reader of mint / token accounts with those
// extensions. Layouts from the SPL sources: token-2022 `extension/metadata_pointer`
// (TokenInstruction 39, sub-instruction 0), `spl-token-metadata-interface`
// (Initialize: 8-byte discriminator + borsh strings) and `spl-type-length-value`.
import {
  AccountRole,
  address,
  getAddressDecoder,
  getAddressEncoder,
  getUtf8Decoder,
  getUtf8Encoder,
  type AccountSignerMeta,
  type Address,
  type Instruction,
  type TransactionSigner,
} from "@solana/kit";

export const TOKEN_2022_PROGRAM = address("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
export const SYSTEM_PROGRAM = address("11111111111111111111111111111111");

/** Account::LEN: a mint with extensions is padded to a token account's size before its type byte. */
const BASE_ACCOUNT_LEN = 165;
const MINT_LEN = 82;
const ACCOUNT_TYPE_MINT = 1;
const ACCOUNT_TYPE_ACCOUNT = 2;
/** ExtensionType values (token-2022 `extension/mod.rs`). */
export const EXTENSION = { metadataPointer: 18, tokenMetadata: 19 } as const;
const TLV_HEADER = 4; // u16 type + u16 length

/** sha256("spl_token_metadata_interface:initialize_account")[0..8] (checked in test/unit/solana-token-2022.test.ts). */
export const TOKEN_METADATA_INITIALIZE = new Uint8Array([0xd2, 0xe1, 0x1e, 0xa2, 0x58, 0xb8, 0x4d, 0x8d]);

export type TokenMetadataFields = { name: string; symbol: string; uri: string };

/** Bytes of the mint account with the metadata-pointer extension: what CreateAccount allocates. */
export const MINT_WITH_METADATA_POINTER_LEN = BASE_ACCOUNT_LEN + 1 + TLV_HEADER + 64;

/** Bytes the token-metadata TLV entry adds (the program reallocs the mint by this much). */
export function tokenMetadataTlvLen(m: TokenMetadataFields): number {
  const utf8 = getUtf8Encoder();
  // update authority + mint + three borsh strings + an empty additional_metadata vec
  return TLV_HEADER + 32 + 32 + 4 + utf8.encode(m.name).length + 4 + utf8.encode(m.symbol).length + 4 + utf8.encode(m.uri).length + 4;
}

/**
 * Rent-exempt minimum for `dataLen` bytes, from the cluster's answer for 0 bytes.
 * Rent is linear in size (Rent::minimum_balance: (128 + len) × lamports_per_byte_year
 * × threshold), so one RPC answer prices every size.
 */
export function rentExemptLamports(rentForZeroBytes: bigint, dataLen: number): bigint {
  return (rentForZeroBytes * BigInt(128 + dataLen)) / 128n;
}

/** Bytes of a Token-2022 associated token account: base + type byte + ImmutableOwner TLV (the ATA program adds it). */
export const TOKEN_2022_ATA_LEN = BASE_ACCOUNT_LEN + 1 + TLV_HEADER;

function borshString(s: string): Uint8Array {
  const bytes = getUtf8Encoder().encode(s);
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, true);
  out.set(bytes, 4);
  return out;
}

function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** MetadataPointer::Initialize: must come before InitializeMint. The metadata lives in the mint itself. */
export function getInitializeMetadataPointerInstruction(input: { mint: Address; authority: Address | null; metadataAddress: Address }): Instruction {
  const enc = getAddressEncoder();
  // OptionalNonZeroPubkey: 32 zero bytes mean "none".
  const authority = input.authority ? enc.encode(input.authority) : new Uint8Array(32);
  return {
    programAddress: TOKEN_2022_PROGRAM,
    accounts: [{ address: input.mint, role: AccountRole.WRITABLE }],
    data: concat([39, 0], authority, enc.encode(input.metadataAddress)),
  };
}

/** TokenMetadata::Initialize: after InitializeMint; the mint authority signs; the mint must already hold the rent for the grown size. */
export function getInitializeTokenMetadataInstruction(input: {
  mint: Address;
  updateAuthority: Address;
  mintAuthority: TransactionSigner;
  fields: TokenMetadataFields;
}): Instruction {
  const { mint, mintAuthority, fields } = input;
  // The signer rides on the meta so kit's signTransactionMessageWithSigners finds it.
  const authorityMeta: AccountSignerMeta = { address: mintAuthority.address, role: AccountRole.READONLY_SIGNER, signer: mintAuthority };
  return {
    programAddress: TOKEN_2022_PROGRAM,
    accounts: [
      { address: mint, role: AccountRole.WRITABLE }, // metadata: the mint itself (metadata pointer → mint)
      { address: input.updateAuthority, role: AccountRole.READONLY },
      { address: mint, role: AccountRole.READONLY },
      authorityMeta,
    ],
    data: concat(TOKEN_METADATA_INITIALIZE, borshString(fields.name), borshString(fields.symbol), borshString(fields.uri)),
  };
}

// ── Reading accounts ─────────────────────────────────────────────────────────

export type MintFacts = {
  mintAuthority: Address | null;
  supply: bigint;
  decimals: number;
  isInitialized: boolean;
  freezeAuthority: Address | null;
  metadataPointer: { authority: Address | null; metadataAddress: Address | null } | null;
  metadata: { updateAuthority: Address | null; mint: Address; name: string; symbol: string; uri: string; additional: [string, string][] } | null;
};

const view = (d: Uint8Array) => new DataView(d.buffer, d.byteOffset, d.byteLength);
const key = (d: Uint8Array, off: number) => getAddressDecoder().decode(d.subarray(off, off + 32));
const cOptionKey = (d: Uint8Array, off: number) => (view(d).getUint32(off, true) === 1 ? key(d, off + 4) : null);
const nonZeroKey = (d: Uint8Array, off: number) => (d.subarray(off, off + 32).every((b) => b === 0) ? null : key(d, off));

/** Parses a (Token or Token-2022) mint account's data; null when it is not a mint. */
export function parseMint(data: Uint8Array): MintFacts | null {
  if (data.length < MINT_LEN) return null;
  if (data.length > MINT_LEN && (data.length <= BASE_ACCOUNT_LEN || data[BASE_ACCOUNT_LEN] !== ACCOUNT_TYPE_MINT)) return null;
  const v = view(data);
  const facts: MintFacts = {
    mintAuthority: cOptionKey(data, 0),
    supply: v.getBigUint64(36, true),
    decimals: data[44]!,
    isInitialized: data[45] === 1,
    freezeAuthority: cOptionKey(data, 46),
    metadataPointer: null,
    metadata: null,
  };
  for (const { type, value } of tlvEntries(data)) {
    if (type === EXTENSION.metadataPointer && value.length >= 64) {
      facts.metadataPointer = { authority: nonZeroKey(value, 0), metadataAddress: nonZeroKey(value, 32) };
    } else if (type === EXTENSION.tokenMetadata) {
      facts.metadata = parseTokenMetadata(value);
    }
  }
  return facts;
}

export type TokenAccountFacts = { mint: Address; owner: Address; amount: bigint };

/** Parses a token account's base fields; null when it is not one. */
export function parseTokenAccount(data: Uint8Array): TokenAccountFacts | null {
  if (data.length < BASE_ACCOUNT_LEN) return null;
  if (data.length > BASE_ACCOUNT_LEN && data[BASE_ACCOUNT_LEN] !== ACCOUNT_TYPE_ACCOUNT) return null;
  return { mint: key(data, 0), owner: key(data, 32), amount: view(data).getBigUint64(64, true) };
}

function* tlvEntries(data: Uint8Array): Generator<{ type: number; value: Uint8Array }> {
  if (data.length <= BASE_ACCOUNT_LEN + 1) return;
  const v = view(data);
  let off = BASE_ACCOUNT_LEN + 1;
  while (off + TLV_HEADER <= data.length) {
    const type = v.getUint16(off, true);
    const len = v.getUint16(off + 2, true);
    if (type === 0) return; // Uninitialized: the rest is padding
    const end = off + TLV_HEADER + len;
    if (end > data.length) return;
    yield { type, value: data.subarray(off + TLV_HEADER, end) };
    off = end;
  }
}

function parseTokenMetadata(value: Uint8Array): MintFacts["metadata"] {
  const v = view(value);
  const utf8 = getUtf8Decoder();
  let off = 64;
  const str = () => {
    const n = v.getUint32(off, true);
    const s = utf8.decode(value.subarray(off + 4, off + 4 + n));
    off += 4 + n;
    return s;
  };
  try {
    const name = str();
    const symbol = str();
    const uri = str();
    const count = v.getUint32(off, true);
    off += 4;
    const additional: [string, string][] = [];
    for (let i = 0; i < count; i++) additional.push([str(), str()]);
    return { updateAuthority: nonZeroKey(value, 0), mint: key(value, 32), name, symbol, uri, additional };
  } catch {
    return null; // truncated entry
  }
}
