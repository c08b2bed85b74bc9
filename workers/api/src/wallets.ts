// Linked wallets (issue 17): a signed-in user links more wallets by signing in
// with them (the same SIWE / SIWS checks as sign-in) while signed in. A wallet
// belongs to one user: its owner is the user who signed up with it
// (users.wallet_address) or the one who linked it (wallets, unique per address,
// EVM whatever the casing); linking someone else's answers 409.
import { and, asc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { canonicalWallet } from "@tokenforge/core";
import { users, wallets } from "@tokenforge/core/db/schema";
import type { Env } from "./env";
import { ProblemError } from "./http";

export type WalletFamily = "evm" | "solana";
export type WalletView = { address: string; family: WalletFamily; primary: boolean; linkedAt: string };

const familyOf = (address: string): WalletFamily => (address.startsWith("0x") ? "evm" : "solana");
/** EVM addresses compare case-insensitively (rows from before EIP-55 are lower-case); base58 keys exactly. */
const sameWallet = (column: typeof users.walletAddress | typeof wallets.address, address: string) =>
  address.startsWith("0x") ? and(sql`lower(${column}) = ${address.toLowerCase()}`, sql`${column} LIKE '0x%'`) : eq(column, address);

/** The user a wallet belongs to (signed up with it or linked it), or null. */
export async function walletOwner(env: Env, address: string): Promise<string | null> {
  const db = drizzle(env.DB);
  const [primary, linked] = await db.batch([
    db.select({ id: users.id }).from(users).where(sameWallet(users.walletAddress, address)).limit(1),
    db.select({ id: wallets.userId }).from(wallets).where(sameWallet(wallets.address, address)).limit(1),
  ]);
  return primary[0]?.id ?? linked[0]?.id ?? null;
}

/** Every wallet of a user, the sign-up one first. */
export async function walletsOf(env: Env, userId: string): Promise<WalletView[]> {
  const db = drizzle(env.DB);
  const [user, linked] = await db.batch([
    db.select().from(users).where(eq(users.id, userId)).limit(1),
    db.select().from(wallets).where(eq(wallets.userId, userId)).orderBy(asc(wallets.linkedAt)),
  ]);
  const out: WalletView[] = [];
  const u = user[0];
  if (u) out.push({ address: canonicalWallet(u.walletAddress), family: familyOf(u.walletAddress), primary: true, linkedAt: new Date(u.createdAt).toISOString() });
  for (const w of linked) out.push({ address: w.address, family: w.family, primary: false, linkedAt: new Date(w.linkedAt).toISOString() });
  return out;
}

/**
 * Links `address` (its signature already checked) to `userId`: `linked` when new,
 * `already` when it is theirs; 409 `wallet-linked-elsewhere` when another user's.
 */
export async function linkWallet(env: Env, userId: string, address: string, now = Date.now()): Promise<{ outcome: "linked" | "already"; wallet: WalletView }> {
  const canonical = canonicalWallet(address);
  const owner = await walletOwner(env, canonical);
  const view = (primary: boolean, at: number): WalletView => ({ address: canonical, family: familyOf(canonical), primary, linkedAt: new Date(at).toISOString() });
  if (owner === userId) return { outcome: "already", wallet: (await walletsOf(env, userId)).find((w) => w.address.toLowerCase() === canonical.toLowerCase()) ?? view(false, now) };
  if (owner !== null) throw taken();
  // The unique address (and its lower-case index) settles two users linking the same wallet at once.
  const rows = await drizzle(env.DB).insert(wallets).values({ address: canonical, userId, family: familyOf(canonical), linkedAt: now }).onConflictDoNothing().returning();
  if (!rows.length) {
    if ((await walletOwner(env, canonical)) === userId) return { outcome: "already", wallet: view(false, now) };
    throw taken();
  }
  return { outcome: "linked", wallet: view(false, now) };
}

const taken = () => new ProblemError("wallet-linked-elsewhere", "this wallet belongs to another account; sign in with it to use that account");
