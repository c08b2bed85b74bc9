// Sign-In With Solana: the EIP-4361 message text with "Solana account" in the
// header line and a base58 address (the format Phantom/Wallet Standard's
// `solana:signIn` produces), signed with the account's ed25519 key.
// Parsing is strict and line-based: every field on its own line, in order.
import { base58Decode } from "./base58";

export type SiwsMessage = {
  domain: string;
  address: string;
  statement?: string;
  uri?: string;
  version?: string;
  chainId?: string;
  nonce: string;
  issuedAt: Date;
  expirationTime?: Date;
  notBefore?: Date;
  requestId?: string;
  resources?: string[];
};

const HEADER = " wants you to sign in with your Solana account:";
const FIELDS: [keyof SiwsMessage, string][] = [
  ["uri", "URI"],
  ["version", "Version"],
  ["chainId", "Chain ID"],
  ["nonce", "Nonce"],
  ["issuedAt", "Issued At"],
  ["expirationTime", "Expiration Time"],
  ["notBefore", "Not Before"],
  ["requestId", "Request ID"],
];
const DATE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function createSiwsMessage(m: SiwsMessage): string {
  const lines = [`${m.domain}${HEADER}`, m.address, ""];
  if (m.statement) lines.push(m.statement, "");
  const iso = (d: Date) => d.toISOString();
  if (m.uri) lines.push(`URI: ${m.uri}`);
  if (m.version) lines.push(`Version: ${m.version}`);
  if (m.chainId) lines.push(`Chain ID: ${m.chainId}`);
  lines.push(`Nonce: ${m.nonce}`, `Issued At: ${iso(m.issuedAt)}`);
  if (m.expirationTime) lines.push(`Expiration Time: ${iso(m.expirationTime)}`);
  if (m.notBefore) lines.push(`Not Before: ${iso(m.notBefore)}`);
  if (m.requestId) lines.push(`Request ID: ${m.requestId}`);
  if (m.resources?.length) lines.push("Resources:", ...m.resources.map((r) => `- ${r}`));
  return lines.join("\n");
}

/** Parses the message text; null when it is not a well-formed SIWS message. */
export function parseSiwsMessage(text: string): SiwsMessage | null {
  const lines = text.split("\n");
  const head = lines[0] ?? "";
  if (!head.endsWith(HEADER)) return null;
  const domain = head.slice(0, -HEADER.length);
  if (!/^[a-zA-Z0-9.-]+(:[0-9]{1,5})?$/.test(domain)) return null;
  const address = lines[1] ?? "";
  if (!/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(address) || lines[2] !== "") return null;
  let i = 3;
  const out: Record<string, unknown> & { statement?: string; resources?: string[]; nonce?: unknown; issuedAt?: unknown; version?: unknown } = { domain, address };
  // An optional statement: one line followed by a blank line, not a field.
  if (lines[i] !== undefined && !FIELDS.some(([, label]) => lines[i]!.startsWith(`${label}: `)) && lines[i + 1] === "") {
    out.statement = lines[i];
    i += 2;
  }
  let f = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "Resources:") {
      out.resources = [];
      for (i++; i < lines.length; i++) {
        if (!lines[i]!.startsWith("- ")) return null;
        out.resources.push(lines[i]!.slice(2));
      }
      break;
    }
    while (f < FIELDS.length && !line.startsWith(`${FIELDS[f]![1]}: `)) f++;
    if (f === FIELDS.length) return null;
    const [key, label] = FIELDS[f++]!;
    const value = line.slice(label.length + 2);
    if (key === "issuedAt" || key === "expirationTime" || key === "notBefore") {
      if (!DATE_RE.test(value) || Number.isNaN(Date.parse(value))) return null;
      out[key as string] = new Date(value);
    } else {
      out[key as string] = value;
    }
  }
  if (typeof out.nonce !== "string" || !/^[a-zA-Z0-9]{8,}$/.test(out.nonce) || !(out.issuedAt instanceof Date)) return null;
  if (out.version !== undefined && out.version !== "1") return null;
  return out as unknown as SiwsMessage;
}

/** Decodes a 64-byte ed25519 signature sent as base58 or base64. */
export function decodeSignature(sig: string): Uint8Array<ArrayBuffer> | null {
  const b58 = base58Decode(sig);
  if (b58?.length === 64) return b58;
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(sig)) {
    try {
      const bin = atob(sig.replace(/-/g, "+").replace(/_/g, "/"));
      if (bin.length === 64) return Uint8Array.from(bin, (c) => c.charCodeAt(0));
    } catch {
      /* not base64 */
    }
  }
  return null;
}

/** Verifies an ed25519 signature of `message` (UTF-8) by the base58 public key, with WebCrypto. */
export async function verifyEd25519(publicKeyB58: string, message: string, signature: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const pub = base58Decode(publicKeyB58);
  if (!pub || pub.length !== 32 || signature.length !== 64) return false;
  try {
    const key = await crypto.subtle.importKey("raw", pub, { name: "Ed25519" }, false, ["verify"]);
    return await crypto.subtle.verify({ name: "Ed25519" }, key, signature, new TextEncoder().encode(message));
  } catch {
    return false;
  }
}
