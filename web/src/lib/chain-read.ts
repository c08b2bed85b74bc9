// Token facts read straight from the chain through its public RPC URL (from
// GET /api/v1/chains) with plain JSON-RPC over fetch: one batched request of
// eth_calls on EVM, one getAccountInfo on Solana. No client library: the ABI
// here is a handful of fixed-size words and one string.
// ForgeToken's feature bitmask is decoded by core (evm/token-address.ts, beside the
// encoder the deployer uses); only decodeFeatures reaches the bundle, viem does not.
import { decodeFeatures } from "@tokenforge/core/evm/token-address";
import { base58Encode } from "@tokenforge/core/auth/base58";
import { checksumAddress } from "./keccak";

export type TokenFacts = {
  name: string | null;
  symbol: string | null;
  decimals: number;
  totalSupply: bigint;
  /** EVM owner(); Solana mint authority (null when revoked). */
  owner: string | null;
  /** Raw cap, EVM only (null = uncapped or unknown). */
  cap: bigint | null;
  features: Record<string, boolean>;
  paused: boolean | null;
  /** Solana freeze authority (null when revoked). */
  freezeAuthority?: string | null;
  program?: string;
  metadataUri?: string | null;
};

/** Account data as Solana's RPC sends it (base64). */
function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

type RpcAnswer = { id: number; result?: unknown; error?: { code: number; message: string } };

async function rpc(url: string, calls: { method: string; params: unknown[] }[], signal?: AbortSignal): Promise<RpcAnswer[]> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(calls.map((c, id) => ({ jsonrpc: "2.0", id, ...c }))),
    signal,
  });
  if (!res.ok) throw new Error(`the chain's RPC answered HTTP ${res.status}`);
  const body = (await res.json()) as RpcAnswer[] | RpcAnswer;
  const list = Array.isArray(body) ? body : [body];
  return calls.map((_, id) => list.find((a) => a.id === id) ?? { id, error: { code: -1, message: "no answer" } });
}

// Function selectors (first 4 bytes of keccak256 of the signature).
const SELECTORS = {
  name: "0x06fdde03",
  symbol: "0x95d89b41",
  decimals: "0x313ce567",
  totalSupply: "0x18160ddd",
  owner: "0x8da5cb5b",
  cap: "0x355274ea",
  features: "0x2b521416",
  paused: "0x5c975abb",
} as const;
type Fn = keyof typeof SELECTORS;


const word = (hex: string, i: number) => BigInt("0x" + (hex.slice(2 + i * 64, 2 + (i + 1) * 64) || "0"));

/** An ABI-encoded `string` return value (offset, length, bytes). */
function decodeString(hex: string): string | null {
  if (hex.length < 2 + 128) return null;
  const offset = Number(word(hex, 0)) * 2;
  const len = Number(BigInt("0x" + hex.slice(2 + offset, 2 + offset + 64)));
  const data = hex.slice(2 + offset + 64, 2 + offset + 64 + len * 2);
  const bytes = new Uint8Array(len);
  for (let i = 0; i < len; i++) bytes[i] = parseInt(data.slice(i * 2, i * 2 + 2), 16);
  return new TextDecoder().decode(bytes);
}

export class NotATokenError extends Error {}

export async function readEvmToken(rpcUrl: string, address: string, signal?: AbortSignal): Promise<TokenFacts> {
  const fns = Object.keys(SELECTORS) as Fn[];
  const answers = await rpc(rpcUrl, fns.map((f) => ({ method: "eth_call", params: [{ to: address, data: SELECTORS[f] }, "latest"] })), signal);
  const out: Partial<Record<Fn, string>> = {};
  fns.forEach((f, i) => {
    const r = answers[i]!.result;
    if (typeof r === "string" && r.length > 2) out[f] = r;
  });
  if (!out.totalSupply || !out.decimals) throw new NotATokenError("no ERC-20 token at this address on this chain");
  const bits = out.features ? Number(word(out.features, 0)) : null;
  const owner = out.owner ? "0x" + out.owner.slice(-40) : null;
  const cap = out.cap ? word(out.cap, 0) : null;
  return {
    name: out.name ? decodeString(out.name) : null,
    symbol: out.symbol ? decodeString(out.symbol) : null,
    decimals: Number(word(out.decimals, 0)),
    totalSupply: word(out.totalSupply, 0),
    owner: owner && !/^0x0{40}$/.test(owner) ? checksumAddress(owner) : null,
    cap: cap ? cap : null,
    features: bits === null ? {} : decodeFeatures(bits),
    paused: out.paused ? word(out.paused, 0) !== 0n : null,
  };
}

const TOKEN_2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PQnbrcBezmEsYkb";
const TOKEN_METADATA_EXTENSION = 19;

/** An SPL mint (classic or Token-2022) and, when present, its metadata extension. */
export async function readSolanaMint(rpcUrl: string, mint: string, signal?: AbortSignal): Promise<TokenFacts> {
  const [answer] = await rpc(rpcUrl, [{ method: "getAccountInfo", params: [mint, { encoding: "base64", commitment: "confirmed" }] }], signal);
  if (answer!.error) throw new Error(answer!.error.message);
  const value = (answer!.result as { value: { data: [string, string]; owner: string } | null } | null)?.value;
  if (!value) throw new NotATokenError("no mint account at this address on this chain");
  const data = fromBase64(value.data[0]);
  if (data.length < 82) throw new NotATokenError("the account is not a token mint");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // Mint layout (spl-token state.rs): COption<Pubkey> mint authority, u64 supply,
  // u8 decimals, bool initialized, COption<Pubkey> freeze authority = 82 bytes.
  const key = (off: number) => base58Encode(data.slice(off, off + 32));
  const mintAuthority = view.getUint32(0, true) ? key(4) : null;
  const supply = view.getBigUint64(36, true);
  const decimals = data[44]!;
  const freezeAuthority = view.getUint32(46, true) ? key(50) : null;
  const facts: TokenFacts = {
    name: null, symbol: null, decimals, totalSupply: supply, owner: mintAuthority, cap: null,
    features: { mintable: mintAuthority !== null, freezable: freezeAuthority !== null },
    paused: null, freezeAuthority, program: value.owner, metadataUri: null,
  };
  // Token-2022 extensions: padding to 165, account type byte, then TLV entries.
  if (value.owner === TOKEN_2022 && data.length > 166) {
    let off = 166;
    while (off + 4 <= data.length) {
      const type = view.getUint16(off, true);
      const len = view.getUint16(off + 2, true);
      if (type === TOKEN_METADATA_EXTENSION) {
        let p = off + 4 + 64; // update authority, mint
        const str = () => {
          const n = view.getUint32(p, true);
          const s = new TextDecoder().decode(data.slice(p + 4, p + 4 + n));
          p += 4 + n;
          return s;
        };
        facts.name = str();
        facts.symbol = str();
        facts.metadataUri = str() || null;
      }
      off += 4 + len;
    }
  }
  return facts;
}
