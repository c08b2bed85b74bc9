// SPL Token / Token-2022 account parsing for `jsonParsed`, getTokenAccountBalance and the
// pre/postTokenBalances of transaction metas (shapes of solana-account-decoder).
import { toBase58 } from "./tx";

export const TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
export const TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
export const isTokenProgram = (owner: string) => owner === TOKEN_PROGRAM || owner === TOKEN_2022_PROGRAM;

const MINT_LEN = 82;
const ACCOUNT_LEN = 165;
const ZERO_KEY = "11111111111111111111111111111111";

export interface RawMint {
  mintAuthority: string | null;
  supply: bigint;
  decimals: number;
  isInitialized: boolean;
  freezeAuthority: string | null;
  extensions: Record<string, unknown>[];
}

export interface RawTokenAccount {
  mint: string;
  owner: string;
  amount: bigint;
  delegate: string | null;
  state: number;
  isNative: bigint | null;
  delegatedAmount: bigint;
  closeAuthority: string | null;
  extensions: Record<string, unknown>[];
}

const view = (d: Uint8Array) => new DataView(d.buffer, d.byteOffset, d.byteLength);
const key = (d: Uint8Array, off: number) => toBase58(d.subarray(off, off + 32));
const optKey = (d: Uint8Array, off: number) => (view(d).getUint32(off, true) ? key(d, off + 4) : null);
const nonZeroKey = (d: Uint8Array, off: number) => {
  const k = key(d, off);
  return k === ZERO_KEY ? null : k;
};

/** 1 = mint, 2 = token account, null = neither. */
function accountKind(data: Uint8Array): 1 | 2 | null {
  if (data.length === MINT_LEN) return 1;
  if (data.length === ACCOUNT_LEN) return 2;
  if (data.length > ACCOUNT_LEN) {
    const t = data[ACCOUNT_LEN];
    return t === 1 || t === 2 ? t : null;
  }
  return null;
}

export function parseMint(data: Uint8Array): RawMint | null {
  if (accountKind(data) !== 1) return null;
  const v = view(data);
  return {
    mintAuthority: optKey(data, 0),
    supply: v.getBigUint64(36, true),
    decimals: data[44],
    isInitialized: data[45] === 1,
    freezeAuthority: optKey(data, 46),
    extensions: parseExtensions(data),
  };
}

export function parseTokenAccount(data: Uint8Array): RawTokenAccount | null {
  if (accountKind(data) !== 2) return null;
  const v = view(data);
  return {
    mint: key(data, 0),
    owner: key(data, 32),
    amount: v.getBigUint64(64, true),
    delegate: optKey(data, 72),
    state: data[108],
    isNative: v.getUint32(109, true) ? v.getBigUint64(113, true) : null,
    delegatedAmount: v.getBigUint64(121, true),
    closeAuthority: optKey(data, 129),
    extensions: parseExtensions(data),
  };
}

const EXTENSION_NAMES = [
  "uninitialized", "transferFeeConfig", "transferFeeAmount", "mintCloseAuthority",
  "confidentialTransferMint", "confidentialTransferAccount", "defaultAccountState", "immutableOwner",
  "memoTransfer", "nonTransferable", "interestBearingConfig", "cpiGuard", "permanentDelegate",
  "nonTransferableAccount", "transferHook", "transferHookAccount", "confidentialTransferFeeConfig",
  "confidentialTransferFeeAmount", "metadataPointer", "tokenMetadata", "groupPointer", "tokenGroup",
  "groupMemberPointer", "tokenGroupMember", "confidentialMintBurn", "scaledUiAmountConfig",
  "pausableConfig", "pausableAccount",
];

function readString(d: Uint8Array, off: number): [string, number] {
  const len = view(d).getUint32(off, true);
  return [Buffer.from(d.subarray(off + 4, off + 4 + len)).toString("utf8"), off + 4 + len];
}

// Token-2022 TLV entries after the account-type byte; the common ones get their `state`.
function parseExtensions(data: Uint8Array): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let off = ACCOUNT_LEN + 1;
  while (off + 4 <= data.length) {
    const type = view(data).getUint16(off, true);
    const len = view(data).getUint16(off + 2, true);
    if (type === 0) break;
    const v = data.subarray(off + 4, off + 4 + len);
    out.push(parseExtension(type, v));
    off += 4 + len;
  }
  return out;
}

function parseExtension(type: number, v: Uint8Array): Record<string, unknown> {
  const extension = EXTENSION_NAMES[type] ?? "unparseableExtension";
  switch (extension) {
    case "mintCloseAuthority":
      return { extension, state: { closeAuthority: nonZeroKey(v, 0) } };
    case "permanentDelegate":
      return { extension, state: { delegate: nonZeroKey(v, 0) } };
    case "metadataPointer":
      return { extension, state: { authority: nonZeroKey(v, 0), metadataAddress: nonZeroKey(v, 32) } };
    case "groupPointer":
      return { extension, state: { authority: nonZeroKey(v, 0), groupAddress: nonZeroKey(v, 32) } };
    case "groupMemberPointer":
      return { extension, state: { authority: nonZeroKey(v, 0), memberAddress: nonZeroKey(v, 32) } };
    case "defaultAccountState":
      return { extension, state: { accountState: ["uninitialized", "initialized", "frozen"][v[0]] } };
    case "immutableOwner":
    case "nonTransferable":
    case "nonTransferableAccount":
      return { extension };
    case "tokenMetadata": {
      const updateAuthority = nonZeroKey(v, 0);
      const mint = key(v, 32);
      let off = 64;
      const [name, o1] = readString(v, off);
      const [symbol, o2] = readString(v, o1);
      const [uri, o3] = readString(v, o2);
      off = o3;
      const count = view(v).getUint32(off, true);
      off += 4;
      const additionalMetadata: [string, string][] = [];
      for (let i = 0; i < count; i++) {
        const [k, a] = readString(v, off);
        const [val, b] = readString(v, a);
        additionalMetadata.push([k, val]);
        off = b;
      }
      return { extension, state: { additionalMetadata, mint, name, symbol, updateAuthority, uri } };
    }
    default:
      return { extension };
  }
}

/** UiTokenAmount: amount as string, float uiAmount, trimmed decimal string. */
export function uiTokenAmount(amount: bigint, decimals: number) {
  const s = amount.toString().padStart(decimals + 1, "0");
  const whole = s.slice(0, s.length - decimals);
  const frac = decimals ? s.slice(s.length - decimals).replace(/0+$/, "") : "";
  const uiAmountString = frac ? `${whole}.${frac}` : whole;
  return { amount: amount.toString(), decimals, uiAmount: Number(uiAmountString), uiAmountString };
}

type AccountLookup = (address: string) => { data: Uint8Array; owner: string } | null;

/** The `{ program, parsed, space }` object of jsonParsed encoding, or null if not a token account. */
export function parseTokenProgramAccount(owner: string, data: Uint8Array, lookup: AccountLookup) {
  if (!isTokenProgram(owner)) return null;
  const program = owner === TOKEN_PROGRAM ? "spl-token" : "spl-token-2022";
  const withExt = (info: Record<string, unknown>, ext: Record<string, unknown>[]) =>
    ext.length ? { ...info, extensions: ext } : info;
  const mint = parseMint(data);
  if (mint) {
    const info = {
      decimals: mint.decimals,
      freezeAuthority: mint.freezeAuthority,
      isInitialized: mint.isInitialized,
      mintAuthority: mint.mintAuthority,
      supply: mint.supply.toString(),
    };
    return { program, parsed: { type: "mint", info: withExt(info, mint.extensions) }, space: data.length };
  }
  const acc = parseTokenAccount(data);
  if (!acc) return null;
  const decimals = mintDecimals(acc.mint, lookup);
  if (decimals === null) return null;
  const info: Record<string, unknown> = {
    isNative: acc.isNative !== null,
    mint: acc.mint,
    owner: acc.owner,
    state: ["uninitialized", "initialized", "frozen"][acc.state] ?? "uninitialized",
    tokenAmount: uiTokenAmount(acc.amount, decimals),
  };
  if (acc.delegate) {
    info.delegate = acc.delegate;
    info.delegatedAmount = uiTokenAmount(acc.delegatedAmount, decimals);
  }
  if (acc.isNative !== null) info.rentExemptReserve = uiTokenAmount(acc.isNative, 9);
  if (acc.closeAuthority) info.closeAuthority = acc.closeAuthority;
  return { program, parsed: { type: "account", info: withExt(info, acc.extensions) }, space: data.length };
}

export function mintDecimals(mint: string, lookup: AccountLookup): number | null {
  const m = lookup(mint);
  if (!m || !isTokenProgram(m.owner)) return null;
  return parseMint(m.data)?.decimals ?? null;
}
