// RateLimiter Durable Object: one per subject ("key:<id>", "user:<id>",
// "ip:<address>"), holding that subject's fixed-window counters in its SQLite
// storage (rules: requests per minute, launches per day). Single-threaded, so
// two isolates never hand out the same unit twice.
import { DurableObject } from "cloudflare:workers";
import { takeFromWindow, type WindowState } from "./rate-window";

export type TakeResult = { granted: number; remaining: number; resetAt: number };

export class RateLimiter extends DurableObject {
  private sql: SqlStorage;
  private cache = new Map<string, WindowState>();

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS windows (rule TEXT PRIMARY KEY, start INTEGER NOT NULL, used INTEGER NOT NULL)");
  }

  take(rule: string, limit: number, windowSeconds: number, want: number, now = Date.now()): TakeResult {
    let state = this.cache.get(rule) ?? null;
    if (!state) {
      const row = this.sql.exec<{ start: number; used: number }>("SELECT start, used FROM windows WHERE rule = ?", rule).toArray()[0];
      state = row ? { start: row.start, used: row.used } : null;
    }
    const t = takeFromWindow(state, limit, windowSeconds * 1000, Math.max(1, Math.floor(want)), now);
    this.cache.set(rule, t.state);
    if (t.granted > 0) {
      this.sql.exec(
        "INSERT INTO windows (rule, start, used) VALUES (?, ?, ?) ON CONFLICT(rule) DO UPDATE SET start = excluded.start, used = excluded.used",
        rule, t.state.start, t.state.used,
      );
    }
    return { granted: t.granted, remaining: t.remaining, resetAt: t.resetAt };
  }
}
