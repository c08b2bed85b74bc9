// A market provider's request budget: the RPC gate's token bucket (packages/gate
// bucket.ts, pure) kept in D1 (market_budgets), since only the cron calls these
// providers. A 429's Retry-After blocks the provider until then. The write is
// conditional on the row read, so two overlapping cron runs cannot both spend
// the same token.
import { newBucket, take, type Bucket, type Quota } from "@tokenforge/gate/bucket";

export type Grant = { ok: true } | { ok: false; waitMs: number };
type Row = { tokens: number; updated_at: number; blocked_until: number };

export async function acquire(db: D1Database, provider: string, quota: Quota, now: number): Promise<Grant> {
  const row = await db.prepare("SELECT tokens, updated_at, blocked_until FROM market_budgets WHERE provider = ?").bind(provider).first<Row>();
  if (row && row.blocked_until > now) return { ok: false, waitMs: row.blocked_until - now };
  const fresh = newBucket(quota, now);
  const bucket: Bucket = row ? { ...fresh, tokens: Math.min(row.tokens, fresh.capacity), updatedAt: row.updated_at } : fresh;
  const r = take(bucket, 1, now);
  if (!r.ok) return { ok: false, waitMs: r.waitMs };
  const res = row
    ? await db.prepare("UPDATE market_budgets SET tokens = ?, updated_at = ? WHERE provider = ? AND tokens = ? AND updated_at = ?")
      .bind(r.bucket.tokens, r.bucket.updatedAt, provider, row.tokens, row.updated_at).run()
    : await db.prepare("INSERT INTO market_budgets (provider, tokens, updated_at, blocked_until) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING")
      .bind(provider, r.bucket.tokens, r.bucket.updatedAt).run();
  return res.meta.changes === 1 ? { ok: true } : { ok: false, waitMs: 1 };
}

/** A 429 said "not before `until`": no call to the provider until then. */
export async function block(db: D1Database, provider: string, until: number): Promise<void> {
  await db.prepare("UPDATE market_budgets SET blocked_until = ? WHERE provider = ?").bind(until, provider).run();
}
