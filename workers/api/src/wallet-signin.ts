// Wallet sign-in: Sign-In with Ethereum (EIP-4361, viem's parser and EOA
// signature check) and Sign-In with Solana (same message layout, ed25519 checked
// with WebCrypto). A message is accepted once: its nonce was issued here, is
// unexpired, and is deleted as it is used; its domain and URI are one of the
// configured PUBLIC_ORIGINS (never the request's Host); its chain
// is one we serve; its signature is the address's. Then the user exists (created
// on first sign-in; ADMIN_WALLETS makes admins) and a session starts.
import type { Context } from "hono";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { getAddress, verifyMessage, type Hex } from "viem";
import { parseSiweMessage, validateSiweMessage } from "viem/siwe";
import { canonicalWallet, chainRegistry, log, newId } from "@tokenforge/core";
import { authNonces, users } from "@tokenforge/core/db/schema";
import { decodeSignature, parseSiwsMessage, verifyEd25519 } from "@tokenforge/core/auth/siws";
import type { AppEnv, Env } from "./env";
import { audit } from "./audit";
import { ProblemError } from "./http";
import { randomAlnum } from "./random";
import { startSession } from "./session";
import { apiConfig } from "./config";
import { walletOwner } from "./wallets";

/** Clocks differ a little: an Issued At this far in the future is still accepted. */
const CLOCK_SKEW_MS = 60_000;

const nonceTtlMs = (env: Env) => apiConfig(env).nonceTtlMs;

export async function issueNonce(env: Env, now = Date.now()) {
  const nonce = randomAlnum(24);
  const expiresAt = now + nonceTtlMs(env);
  const db = drizzle(env.DB);
  await db.batch([
    db.insert(authNonces).values({ nonce, expiresAt, createdAt: now }),
    db.delete(authNonces).where(lt(authNonces.expiresAt, now)),
  ]);
  return { nonce, expiresAt };
}

/** Deletes the nonce if it is live: true exactly once per issued nonce. */
async function consumeNonce(env: Env, nonce: string, now = Date.now()): Promise<boolean> {
  const rows = await drizzle(env.DB)
    .delete(authNonces)
    .where(and(eq(authNonces.nonce, nonce), gt(authNonces.expiresAt, now)))
    .returning({ nonce: authNonces.nonce });
  return rows.length === 1;
}

const invalid = (path: string, message: string) =>
  new ProblemError("validation-error", `${path}: ${message}`, { errors: [{ path, message }] });
const rejected = (detail: string) => new ProblemError("unauthorized", detail);

function checkTimes(m: { issuedAt?: Date; expirationTime?: Date; notBefore?: Date }, now: number) {
  if (!m.issuedAt || Number.isNaN(m.issuedAt.getTime())) throw invalid("message", "Issued At is missing or not RFC 3339");
  if (m.issuedAt.getTime() > now + CLOCK_SKEW_MS) throw invalid("message", "Issued At is in the future");
  if (m.expirationTime && !(m.expirationTime.getTime() > now)) throw rejected("the message has expired");
  if (m.notBefore && m.notBefore.getTime() > now) throw rejected("the message is not valid yet (Not Before)");
}

/**
 * The origins this API is served to users from (PUBLIC_ORIGINS, comma-separated
 * `scheme://host[:port]`). A sign-in message names the site it was signed for; it
 * must be one of these, never whatever the request's Host header says (a message
 * signed on evil.example must not open a session here, however it is relayed).
 */
export function publicOrigins(env: Env): URL[] {
  return apiConfig(env).publicOrigins.map((o) => new URL(o));
}

/** The message's domain and URI bound to one configured origin: domain = its host[:port], URI's origin = it. */
function checkOrigin(env: Env, domain: string, uri: string | undefined): URL {
  const origins = publicOrigins(env);
  if (!origins.length) {
    log("error", "auth.public_origins_missing", {});
    throw new ProblemError("unavailable", "sign-in is not configured on this server (PUBLIC_ORIGINS)");
  }
  const origin = origins.find((o) => o.host === domain.toLowerCase());
  if (!origin) throw invalid("message", `domain must be one of ${origins.map((o) => o.host).join(", ")}`);
  let uriOrigin: string | null = null;
  try {
    uriOrigin = uri ? new URL(uri).origin : null;
  } catch {
    uriOrigin = null;
  }
  if (uriOrigin !== origin.origin) throw invalid("message", `URI must be on ${origin.origin}`);
  return origin;
}

export async function verifySiwe(c: Context<AppEnv>, message: string, signature: Hex, now = Date.now()): Promise<string> {
  const m = parseSiweMessage(message);
  if (!m.address || !m.nonce || !m.domain || m.chainId === undefined) throw invalid("message", "not an EIP-4361 message");
  const origin = checkOrigin(c.env, m.domain, m.uri);
  // EIP-4361: the address is in its EIP-55 checksum form.
  if (getAddress(m.address) !== m.address) throw invalid("message", "the address must be EIP-55 checksummed (EIP-4361)");
  const chainIds = chainRegistry(c.env).flatMap((ch) => (ch.family === "evm" && ch.chainId ? [ch.chainId] : []));
  if (!chainIds.includes(m.chainId)) throw invalid("message", `Chain ID must be one of ${chainIds.join(", ")}`);
  checkTimes(m, now);
  if (!validateSiweMessage({ message: m, domain: origin.host, time: new Date(now) })) throw invalid("message", "not a valid EIP-4361 message");
  let ok = false;
  try {
    ok = await verifyMessage({ address: m.address, message, signature });
  } catch {
    ok = false;
  }
  if (!ok) throw rejected("the signature is not the message's address's");
  if (!(await consumeNonce(c.env, m.nonce, now))) throw rejected("the nonce is unknown, used or expired; get one from POST /api/v1/auth/nonce");
  return m.address;
}

/**
 * Chain IDs a SIWS message may name: the cluster names of the Phantom SIWS spec,
 * bare ("mainnet") or CAIP-2 style as wallets send them ("solana:mainnet"), and
 * the registry's Solana chain ids.
 */
export function solanaChainIds(env: Env): string[] {
  const registry = chainRegistry(env).filter((ch) => ch.family === "solana").map((ch) => ch.id);
  const clusters = env.TF_ENV === "production" ? ["mainnet"] : ["mainnet", "devnet", "testnet", "localnet"];
  return [...clusters, ...clusters.map((n) => `solana:${n}`), ...registry];
}

export async function verifySiws(c: Context<AppEnv>, message: string, signature: string, publicKey: string, now = Date.now()): Promise<string> {
  const m = parseSiwsMessage(message);
  if (!m) throw invalid("message", "not a Sign-In With Solana message");
  checkOrigin(c.env, m.domain, m.uri);
  if (m.address !== publicKey) throw invalid("publicKey", "must be the message's address");
  if (m.chainId !== undefined && !solanaChainIds(c.env).includes(m.chainId)) {
    throw invalid("message", `Chain ID must be one of ${solanaChainIds(c.env).join(", ")}`);
  }
  checkTimes(m, now);
  const sig = decodeSignature(signature);
  if (!sig) throw invalid("signature", "must be a 64-byte ed25519 signature in base58 or base64");
  if (!(await verifyEd25519(publicKey, message, sig))) throw rejected("the signature is not the public key's");
  if (!(await consumeNonce(c.env, m.nonce, now))) throw rejected("the nonce is unknown, used or expired; get one from POST /api/v1/auth/nonce");
  return m.address;
}

function isAdminWallet(env: Env, address: string) {
  return apiConfig(env).adminWallets.some((w) => (w.startsWith("0x") ? w.toLowerCase() === address.toLowerCase() : w === address));
}

/** The user of a wallet: EVM wallets match whatever casing their row was written in. */
async function findWalletUser(env: Env, walletAddress: string) {
  const db = drizzle(env.DB);
  if (!walletAddress.startsWith("0x")) return db.select().from(users).where(eq(users.walletAddress, walletAddress)).get();
  return db
    .select()
    .from(users)
    .where(and(sql`lower(${users.walletAddress}) = ${walletAddress.toLowerCase()}`, sql`${users.walletAddress} LIKE '0x%'`))
    .get();
}

/** Finds or creates the wallet's user, applies ADMIN_WALLETS, starts a session, writes the audit rows. */
export async function signIn(c: Context<AppEnv>, address: string, method: "siwe" | "siws") {
  const db = drizzle(c.env.DB);
  const walletAddress = canonicalWallet(address);
  const admin = isAdminWallet(c.env, walletAddress);
  let user = await findWalletUser(c.env, walletAddress);
  if (!user) {
    // A wallet linked to an account (wallets.ts) signs in to that account, never to a new one.
    const owner = await walletOwner(c.env, walletAddress);
    if (owner) user = await db.select().from(users).where(eq(users.id, owner)).get();
  } else if (user.walletAddress !== walletAddress) {
    // A row from before the EIP-55 form (lower-case): the same account, rewritten in canonical form.
    await db.update(users).set({ walletAddress }).where(eq(users.id, user.id));
    user = { ...user, walletAddress };
  }
  if (!user) {
    const id = newId("usr");
    await db.insert(users).values({ id, walletAddress, role: admin ? "admin" : "user", createdAt: Date.now() }).onConflictDoNothing();
    user = (await findWalletUser(c.env, walletAddress))!;
    if (user.id === id) await audit(c, "user.created", user.id, { walletAddress, role: user.role }, user.id);
  } else if (admin && user.role !== "admin" && user.walletAddress === walletAddress) {
    await db.update(users).set({ role: "admin" }).where(eq(users.id, user.id));
    user = { ...user, role: "admin" };
  }
  const session = await startSession(c, user.id);
  await audit(c, "auth.sign_in", user.id, { method, walletAddress }, user.id);
  return { user, session };
}
