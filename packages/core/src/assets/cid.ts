// The IPFS CID of a file as the platform pins it, computed locally so it can be
// compared with what the pinning service answers.
//
// The UnixFS profile (fixed; the service must be set to the same): CIDv1, raw
// leaves, sha2-256, chunk size ≥ 1 MiB. Every upload is at most 1 MB (logos are
// bounded by LOGO_LIMITS, metadata JSON is a few hundred bytes), so each file is a
// single chunk, and a single raw-leaf chunk is not wrapped in a UnixFS node: the
// CID is the raw codec (0x55) over the sha2-256 multihash of the exact bytes,
// printed in base32 ("bafkrei…"). That is also why R2 keys (sha256 hex) and CIDs
// name the same bytes.
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";

const RAW_CODEC = 0x55;
const SHA2_256 = 0x12;
/** Largest file this profile gives one block: the chunk size (1 MiB). */
export const PIN_CHUNK_BYTES = 1 << 20;

/** The CID of `bytes` under the profile above, from their sha256. */
export function cidFromSha256(digest: Uint8Array): string {
  if (digest.length !== 32) throw new RangeError("a sha256 digest is 32 bytes");
  return CID.createV1(RAW_CODEC, Digest.create(SHA2_256, digest)).toString();
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

export async function cidOf(bytes: Uint8Array): Promise<string> {
  if (bytes.length > PIN_CHUNK_BYTES) throw new RangeError(`${bytes.length} bytes do not fit one ${PIN_CHUNK_BYTES}-byte chunk`);
  return cidFromSha256(await sha256(bytes));
}

export const hexOf = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
export const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
