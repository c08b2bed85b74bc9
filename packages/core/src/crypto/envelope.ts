// Secrets at rest (never logged, returned or stored in plain text): AES-256-GCM under a master key held as a
// Worker secret. A stored value is the envelope `{ v, iv, ct }` — `v` names the
// master key version that sealed it, so keys rotate without re-encrypting at once:
//
//   MASTER_KEY_<n>      base64 of 32 random bytes, one secret per version n ≥ 1
//                       (`openssl rand -base64 32`); MASTER_KEY alone counts as version 1
//   MASTER_KEY_VERSION  the version new envelopes are sealed with (default: the highest)
//
// Rotate: add MASTER_KEY_<n+1>, set MASTER_KEY_VERSION=n+1, re-seal old rows at
// leisure (openEnvelope still reads every version present), then drop the old secret.
// The additional data (`aad`) binds a ciphertext to its row, so an envelope copied
// into another row does not open there.

export type Envelope = { v: number; iv: string; ct: string };
export type MasterKeys = { current: number; keys: Map<number, CryptoKey> };

export class MasterKeyError extends Error {}

const IV_BYTES = 12; // NIST SP 800-38D: 96-bit IVs for GCM
const enc = new TextEncoder();
const dec = new TextDecoder();
const cache = new WeakMap<object, Promise<MasterKeys>>();

/** Reads and imports the master keys from a Worker env (cached per env object). */
export function masterKeysFromEnv(env: Record<string, unknown>): Promise<MasterKeys> {
  let keys = cache.get(env);
  if (!keys) {
    keys = importMasterKeys(env);
    cache.set(env, keys);
    keys.catch(() => cache.delete(env));
  }
  return keys;
}

async function importMasterKeys(env: Record<string, unknown>): Promise<MasterKeys> {
  const raw = new Map<number, string>();
  for (const [name, value] of Object.entries(env)) {
    const m = /^MASTER_KEY_(\d+)$/.exec(name);
    if (m && typeof value === "string" && value) raw.set(Number(m[1]), value);
  }
  if (!raw.has(1) && typeof env.MASTER_KEY === "string" && env.MASTER_KEY) raw.set(1, env.MASTER_KEY);
  if (raw.size === 0) throw new MasterKeyError("no master key: set the MASTER_KEY_1 (or MASTER_KEY) secret");
  const current = env.MASTER_KEY_VERSION ? Number(env.MASTER_KEY_VERSION) : Math.max(...raw.keys());
  if (!raw.has(current)) throw new MasterKeyError(`MASTER_KEY_VERSION=${current} but MASTER_KEY_${current} is not set`);
  const keys = new Map<number, CryptoKey>();
  for (const [v, b64] of raw) keys.set(v, await importKey(b64, v));
  return { current, keys };
}

export async function importKey(b64: string, version = 1): Promise<CryptoKey> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fromBase64(b64.trim());
  } catch {
    throw new MasterKeyError(`master key v${version} is not base64`);
  }
  if (bytes.length !== 32) throw new MasterKeyError(`master key v${version} must be 32 bytes (AES-256), got ${bytes.length}`);
  return crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function seal(keys: MasterKeys, plaintext: string, aad: string): Promise<Envelope> {
  const key = keys.keys.get(keys.current)!;
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(aad) }, key, enc.encode(plaintext));
  return { v: keys.current, iv: toBase64(iv), ct: toBase64(new Uint8Array(ct)) };
}

export async function open(keys: MasterKeys, envelope: Envelope, aad: string): Promise<string> {
  const key = keys.keys.get(envelope.v);
  if (!key) throw new MasterKeyError(`no master key of version ${envelope.v}`);
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(envelope.iv), additionalData: enc.encode(aad) },
    key,
    fromBase64(envelope.ct),
  );
  return dec.decode(pt);
}

/** An envelope as stored in a text column. */
export const sealToString = async (keys: MasterKeys, plaintext: string, aad: string) => JSON.stringify(await seal(keys, plaintext, aad));
export const openFromString = (keys: MasterKeys, stored: string, aad: string) => open(keys, JSON.parse(stored) as Envelope, aad);

/**
 * A stored envelope sealed again under the current master key version, or null when
 * it already is (the re-encryption job after a rotation). The plaintext exists only
 * inside this call.
 */
export async function resealString(keys: MasterKeys, stored: string, aad: string): Promise<string | null> {
  const envelope = JSON.parse(stored) as Envelope;
  if (envelope.v === keys.current) return null;
  return sealToString(keys, await open(keys, envelope, aad), aad);
}

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
