// D1 rows of solana_transactions: the one live signed transaction per launch.
// Written BEFORE the transaction is broadcast, as compare-and-set, so two
// deliveries racing on one launch never both broadcast: the first insert wins
// and the other adopts its signature; a replacement (after expiry) names the
// signature it replaces and loses if someone else replaced it first.
import { drizzle } from "drizzle-orm/d1";
import { inArray } from "drizzle-orm";
import { solanaTransactions, type SolanaTransactionRow } from "@tokenforge/core/db/schema";
import { guardFor } from "@tokenforge/core/lifecycle";

export type NewSolanaTx = { launchId: string; signature: string; wire: string; lastValidBlockHeight: bigint };

export async function loadSolanaTxs(db: D1Database, launchIds: string[]): Promise<Map<string, SolanaTransactionRow>> {
  const out = new Map<string, SolanaTransactionRow>();
  const ids = [...new Set(launchIds)];
  // D1 caps bound parameters per statement (100): chunk.
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await drizzle(db).select().from(solanaTransactions).where(inArray(solanaTransactions.launchId, ids.slice(i, i + 90)));
    for (const r of rows) out.set(r.launchId, r);
  }
  return out;
}

/** Stores each launch's first transaction unless one is stored already; returns what is stored now (ours or the earlier one). */
export async function claimSolanaTxs(db: D1Database, txs: NewSolanaTx[], now = Date.now()): Promise<Map<string, SolanaTransactionRow>> {
  if (!txs.length) return new Map();
  await db.batch(
    txs.map((t) =>
      db
        .prepare(
          `INSERT INTO solana_transactions (launch_id, signature, wire, last_valid_block_height, signings, created_at, updated_at)
           VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (launch_id) DO NOTHING`,
        )
        .bind(t.launchId, t.signature, t.wire, Number(t.lastValidBlockHeight), now, now),
    ),
  );
  return loadSolanaTxs(db, txs.map((t) => t.launchId));
}

/**
 * Replaces the launch's transaction `previous` (which can never land) by `next`.
 * In the same D1 transaction a submitted launch's tx_hash follows, with an event.
 * Returns false when `previous` is no longer the stored one (another replacement won).
 */
export async function replaceSolanaTx(db: D1Database, previous: string, next: NewSolanaTx, reason: string, now = Date.now()): Promise<boolean> {
  const isOurs = "EXISTS (SELECT 1 FROM solana_transactions WHERE launch_id = ? AND signature = ?)";
  const [swap] = await db.batch([
    db
      .prepare(
        `UPDATE solana_transactions SET signature = ?, wire = ?, last_valid_block_height = ?, signings = signings + 1, updated_at = ?
         WHERE launch_id = ? AND signature = ?`,
      )
      .bind(next.signature, next.wire, Number(next.lastValidBlockHeight), now, next.launchId, previous),
    db
      .prepare(`INSERT INTO launch_events (launch_id, status, detail, at) SELECT id, status, ?, ? FROM launches WHERE id = ? AND ${guardFor("replace")} AND ${isOurs}`)
      .bind(`${reason}; re-signed as ${next.signature}`, now, next.launchId, next.launchId, next.signature),
    db
      .prepare(`UPDATE launches SET tx_hash = ?, attempts = attempts + 1, updated_at = ? WHERE id = ? AND ${guardFor("replace")} AND ${isOurs}`)
      .bind(next.signature, now, next.launchId, next.launchId, next.signature),
  ]);
  return (swap?.meta.changes ?? 0) === 1;
}
