// D1 writes of the deployer. Each queue batch ends in one D1 batch (one round
// trip), and every status change is conditional on the current status (the
// guards and targets of core's lifecycle.ts, never a status written here), so a
// late or duplicate message can never move a launch backwards. Plain SQL here:
// the conditional INSERT … SELECT of the event rows reads clearer than a builder.
import { drizzle } from "drizzle-orm/d1";
import { inArray } from "drizzle-orm";
import { launches, type LaunchRow, type NewTokenRow } from "@tokenforge/core/db/schema";
import { INITIAL, guardFor, statusIn, targetOf, type LaunchErrorKind, type LaunchStatus } from "@tokenforge/core/lifecycle";
import { noteLaunches } from "@tokenforge/core/trace";

/** A confirmed launch's tokens row; its created_at is the time of the batch that writes it. */
export type TokenInsert = Omit<NewTokenRow, "createdAt">;

export type Change =
  | { kind: "submitted"; launchId: string; txHash: string; nonce: number | null; detail: string }
  | { kind: "confirmed"; launchId: string; txHash: string | null; blockNumber: number; gasUsed: string | null; detail: string; token: TokenInsert }
  | { kind: "failed"; launchId: string; errorType: LaunchErrorKind; detail: string }
  /** An attempt that did not decide the launch; `event` (a retry's why and when) is added to its history. */
  | { kind: "attempt"; launchId: string; detail: string | null; event?: string }
  /** A line in a not-final launch's history that changes nothing else (e.g. a dead letter kept for the sweep). */
  | { kind: "note"; launchId: string; event: string }
  /** A wallet-paid launch whose payment window and transaction deadline passed with nothing deployed. */
  | { kind: "expired"; launchId: string; detail: string };

export async function loadLaunches(db: D1Database, ids: string[]): Promise<LaunchRow[]> {
  if (!ids.length) return [];
  const rows = await drizzle(db).select().from(launches).where(inArray(launches.id, [...new Set(ids)]));
  noteLaunches(rows); // from here on, this batch's log lines about a launch carry its request id
  return rows;
}

export function changeStatements(db: D1Database, ch: Change, now: number): D1PreparedStatement[] {
  const event = (status: LaunchStatus, detail: string | null, cond: string, ...binds: unknown[]) =>
    db.prepare(`INSERT INTO launch_events (launch_id, status, detail, at) SELECT id, ?, ?, ? FROM launches WHERE id = ? AND ${cond}`)
      .bind(status, detail, now, ch.launchId, ...binds);
  switch (ch.kind) {
    case "submitted": {
      // Event first, guarded by the same condition as the update that follows. A
      // submitted launch whose transaction was replaced by a new one (its nonce was
      // taken, it was sent again) shows the new hash at once, not the dead one.
      const cond = `(${guardFor("submit")} OR (${guardFor("replace")} AND tx_hash IS NOT ?))`;
      const to = targetOf("submit");
      return [
        event(to, ch.detail, cond, ch.txHash),
        db.prepare(`UPDATE launches SET status = ?, tx_hash = ?, nonce = ?, attempts = attempts + 1, updated_at = ? WHERE id = ? AND ${cond}`)
          .bind(to, ch.txHash, ch.nonce, now, ch.launchId, ch.txHash),
      ];
    }
    case "confirmed": {
      const t = ch.token;
      return [
        event(targetOf("confirm"), ch.detail, guardFor("confirm")),
        db.prepare(`UPDATE launches SET status = ?, tx_hash = COALESCE(?, tx_hash), block_number = ?, gas_used = ?, error_type = NULL, error_detail = NULL, updated_at = ? WHERE id = ? AND ${guardFor("confirm")}`)
          .bind(targetOf("confirm"), ch.txHash, ch.blockNumber, ch.gasUsed, now, ch.launchId),
        db.prepare(`INSERT INTO tokens (chain, address, launch_id, name, symbol, decimals, total_supply, owner, features, metadata_uri, tx_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
          .bind(t.chain, t.address, t.launchId, t.name, t.symbol, t.decimals, t.totalSupply, t.owner, JSON.stringify(t.features), t.metadataUri ?? null, t.txHash ?? null, now),
      ];
    }
    case "failed":
      return [
        event(targetOf("fail"), ch.detail, guardFor("fail")),
        db.prepare(`UPDATE launches SET status = ?, error_type = ?, error_detail = ?, updated_at = ? WHERE id = ? AND ${guardFor("fail")}`)
          .bind(targetOf("fail"), ch.errorType, ch.detail, now, ch.launchId),
      ];
    case "attempt":
      return [
        // A retry's line is written only while the launch is still in its first status.
        ...(ch.event ? [event(INITIAL, ch.event, statusIn([INITIAL]))] : []),
        db.prepare(`UPDATE launches SET attempts = attempts + 1, error_detail = ?, updated_at = ? WHERE id = ? AND ${guardFor("attempt")}`)
          .bind(ch.detail, now, ch.launchId),
      ];
    case "expired":
      return [
        event(targetOf("expire"), ch.detail, guardFor("expire")),
        db.prepare(`UPDATE launches SET status = ?, error_detail = ?, updated_at = ? WHERE id = ? AND ${guardFor("expire")}`)
          .bind(targetOf("expire"), ch.detail, now, ch.launchId),
      ];
    case "note":
      return [
        db.prepare(`INSERT INTO launch_events (launch_id, status, detail, at) SELECT id, status, ?, ? FROM launches WHERE id = ? AND ${guardFor("note")}`)
          .bind(ch.event, now, ch.launchId),
      ];
  }
}

export type Finalized = { launchId: string; status: "confirmed" | "failed" | "expired"; at: number };

/**
 * Writes the changes in one D1 batch and returns the launches that became final
 * by it (the conditional UPDATE changed a row), so each is announced exactly once.
 */
export async function applyChanges(db: D1Database, changes: Change[], now = Date.now()): Promise<Finalized[]> {
  if (!changes.length) return [];
  const statements: D1PreparedStatement[] = [];
  const watch: { index: number; launchId: string; status: Finalized["status"] }[] = [];
  for (const ch of changes) {
    const stmts = changeStatements(db, ch, now);
    // The status UPDATE is the second statement of a confirmed/failed/expired change.
    if (ch.kind === "confirmed" || ch.kind === "failed" || ch.kind === "expired") watch.push({ index: statements.length + 1, launchId: ch.launchId, status: ch.kind });
    statements.push(...stmts);
  }
  const results = await db.batch(statements);
  return watch.filter((w) => (results[w.index]?.meta.changes ?? 0) > 0).map((w) => ({ launchId: w.launchId, status: w.status, at: now }));
}
