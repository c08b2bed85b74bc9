// Ledger Durable Object (issue 17): one per user, the single source of truth of
// that user's credits. Commands go through core's pure ledger model
// (credits/ledger.ts); the entries, balances and reservations it yields are
// written in one synchronous SQLite transaction, so a crash leaves all of a
// command or none of it, and the object's single thread means two launches of
// one user never both spend the same credit. Why not D1 alone: sums in bigint
// (wei overflow SQLite's integers) and no cross-request race to reason about.
//
// D1's credit_entries is a derived copy: every entry starts uncopied (the
// outbox), is inserted into D1 by its unique key (ON CONFLICT DO NOTHING, so a
// retried copy is harmless) and then marked copied; an alarm retries until the
// outbox is empty. PlatformSpend (below) is the per-chain counter of the
// platform-wide daily cap.
import { DurableObject } from "cloudflare:workers";
import { apply, emptyLedger, isRefusal, restoreEntry, type Command, type LedgerEntry, type LedgerState, type Reservation } from "@tokenforge/core/credits/ledger";
import { entryOfView, type EntryView, type LedgerSnapshot, type SpendTake, type WireBalance, type WireCommand, type WireResult } from "@tokenforge/core/credits/store";
import { log } from "@tokenforge/core";

const OUTBOX_RETRY_MS = 5_000;
const COPY_BATCH = 50;

type EntryRow = { seq: number; key: string; kind: string; chain: string; amount: string; cause: string; key_id: string | null; at: number };
type Env = { DB: D1Database };

export class Ledger extends DurableObject<Env> {
  private sql: SqlStorage;
  private state: LedgerState | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, chain TEXT NOT NULL,
        amount TEXT NOT NULL, cause TEXT NOT NULL, key_id TEXT, at INTEGER NOT NULL, copied INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX IF NOT EXISTS entries_outbox ON entries (copied, seq);
      CREATE TABLE IF NOT EXISTS balances (chain TEXT PRIMARY KEY, available TEXT NOT NULL, reserved TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS reservations (launch_id TEXT NOT NULL, n INTEGER NOT NULL, chain TEXT NOT NULL, amount TEXT NOT NULL,
        key_id TEXT, at INTEGER NOT NULL, closed TEXT, PRIMARY KEY (launch_id, n));`);
  }

  async command(userId: string, cmd: WireCommand, now: number): Promise<WireResult> {
    this.remember(userId);
    const s = this.load();
    const res = apply(s, toCommand(cmd), now);
    if (isRefusal(res)) return { ok: false, ...wireRefusal(res) } as WireResult;
    if (res.entries.length) {
      this.ctx.storage.transactionSync(() => this.persist(res.state, res.entries, res.reservation));
      this.state = res.state;
      await this.copySoon();
    }
    const chain = "chain" in cmd ? cmd.chain : res.reservation!.chain;
    const b = res.state.balances[chain] ?? { available: 0n, reserved: 0n };
    const r = res.reservation;
    return {
      ok: true, duplicate: res.duplicate, balance: wire(b),
      ...(r ? { reservation: { n: r.n, chain: r.chain, amount: r.amount.toString(), closed: r.closed } } : {}),
    };
  }

  snapshot(userId: string, limit: number): LedgerSnapshot {
    this.remember(userId);
    const s = this.load();
    const rows = this.sql.exec<EntryRow>("SELECT seq, key, kind, chain, amount, cause, key_id, at FROM entries ORDER BY seq DESC LIMIT ?", Math.max(1, Math.min(limit, 1000))).toArray();
    return {
      balances: Object.fromEntries(Object.entries(s.balances).map(([c, b]) => [c, wire(b)])),
      entries: rows.map(entryView),
    };
  }

  entries(userId: string, afterSeq: number, limit: number): EntryView[] {
    this.remember(userId);
    return this.sql.exec<EntryRow>("SELECT seq, key, kind, chain, amount, cause, key_id, at FROM entries WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, Math.max(1, Math.min(limit, 1000)))
      .toArray().map(entryView);
  }

  /** Entries taken back from D1's copy (the reconciliation), in the order given, in one transaction; each through the model's checks. */
  async restore(userId: string, views: EntryView[]): Promise<{ restored: number; duplicate: number; refused: string[] }> {
    this.remember(userId);
    let s = this.load();
    const taken: { e: LedgerEntry; r: Reservation | undefined }[] = [];
    const refused: string[] = [];
    let duplicate = 0;
    for (const v of views) {
      const res = restoreEntry(s, entryOfView(v));
      if (isRefusal(res)) refused.push(v.key);
      else if (res.duplicate) duplicate++;
      else {
        s = res.state;
        taken.push({ e: res.entries[0]!, r: res.reservation });
      }
    }
    if (taken.length) {
      const final = s;
      // Written as the copy holds them, then copied out again (already in D1: ON CONFLICT DO NOTHING).
      this.ctx.storage.transactionSync(() => { for (const t of taken) this.persist(final, [t.e], t.r); });
      this.state = s;
      await this.copySoon();
    }
    return { restored: taken.length, duplicate, refused };
  }

  async recopy(userId: string, keys: string[]): Promise<{ marked: number }> {
    this.remember(userId);
    let marked = 0;
    for (let i = 0; i < keys.length; i += 50) {
      const chunk = keys.slice(i, i + 50);
      marked += this.sql.exec(`UPDATE entries SET copied = 0 WHERE key IN (${chunk.map(() => "?").join(",")})`, ...chunk).rowsWritten;
    }
    if (marked) await this.copySoon();
    return { marked };
  }

  /** The outbox: copies uncopied entries to D1 by key until none is left; retried by the alarm. */
  async alarm(): Promise<void> {
    await this.copyOut();
  }

  /** The copy round that takes every entry written from now until it starts (null: none waiting). */
  private nextCopy: Promise<void> | null = null;
  /** The last round started or waiting; rounds run one after the other. */
  private lastCopy: Promise<void> = Promise.resolve();

  /**
   * Group commit: a command returns once D1 holds its entries, but commands that write while a copy
   * is running wait for the next round together, and that round copies all their entries in one D1
   * batch. (Each command used to copy every uncopied entry itself: under concurrent launches of one
   * user, the same entries went to D1 many times over and every command paid a D1 batch.)
   */
  private copySoon(): Promise<void> {
    if (!this.nextCopy) {
      const round = this.lastCopy.then(() => {
        this.nextCopy = null; // entries written from here on wait for the round after this one
        return this.copyRound();
      });
      this.nextCopy = round;
      this.lastCopy = round;
    }
    return this.nextCopy;
  }

  private async copyRound() {
    try {
      // Armed before the copy: if the process dies mid-copy, the alarm finishes it after a restart.
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + OUTBOX_RETRY_MS);
      await this.copyOut();
    } catch (e) {
      log("warn", "credits.copy_failed", { error: e });
    }
  }

  private async copyOut(): Promise<void> {
    const userId = this.userId();
    for (;;) {
      const rows = this.sql.exec<EntryRow>("SELECT seq, key, kind, chain, amount, cause, key_id, at FROM entries WHERE copied = 0 ORDER BY seq LIMIT ?", COPY_BATCH).toArray();
      if (!rows.length || !userId) break;
      await this.env.DB.batch(rows.map((r) => {
        const cause = JSON.parse(r.cause) as { launchId?: string; reservation?: number };
        return this.env.DB.prepare(
          `INSERT INTO credit_entries (key, user_id, seq, kind, chain, amount, cause, launch_id, reservation, key_id, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO NOTHING`,
        ).bind(r.key, userId, r.seq, r.kind, r.chain, r.amount, r.cause, cause.launchId ?? null, cause.reservation ?? null, r.key_id, r.at);
      }));
      this.sql.exec(`UPDATE entries SET copied = 1 WHERE seq IN (${rows.map(() => "?").join(",")})`, ...rows.map((r) => r.seq));
    }
    const left = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM entries WHERE copied = 0").one().n;
    if (left > 0) await this.ctx.storage.setAlarm(Date.now() + OUTBOX_RETRY_MS);
    else await this.ctx.storage.deleteAlarm();
  }

  private remember(userId: string) {
    if (this.userId() === null) this.sql.exec("INSERT INTO meta (k, v) VALUES ('user', ?) ON CONFLICT DO NOTHING", userId);
  }

  private userId(): string | null {
    // Written once per object and never changed: read once per lifetime (it was a SQLite read on every command and copy).
    this.user ??= this.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = 'user'").toArray()[0]?.v ?? null;
    return this.user;
  }
  private user: string | null = null;

  /** The model's state, read from SQLite once per object lifetime and then kept in step with every write. */
  private load(): LedgerState {
    if (this.state) return this.state;
    const s = emptyLedger();
    for (const b of this.sql.exec<{ chain: string; available: string; reserved: string }>("SELECT * FROM balances")) {
      s.balances[b.chain] = { available: BigInt(b.available), reserved: BigInt(b.reserved) };
    }
    for (const r of this.sql.exec<{ launch_id: string; n: number; chain: string; amount: string; key_id: string | null; at: number; closed: string | null }>("SELECT * FROM reservations")) {
      s.reservations[`${r.launch_id}:${r.n}`] = {
        launchId: r.launch_id, n: r.n, chain: r.chain, amount: BigInt(r.amount), keyId: r.key_id, at: r.at, closed: r.closed as Reservation["closed"],
      };
    }
    for (const e of this.sql.exec<{ key: string }>("SELECT key FROM entries")) s.keys.add(e.key);
    this.state = s;
    return s;
  }

  private persist(s: LedgerState, entries: LedgerEntry[], r: Reservation | undefined) {
    for (const e of entries) {
      this.sql.exec("INSERT INTO entries (key, kind, chain, amount, cause, key_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        e.key, e.kind, e.chain, e.amount.toString(), JSON.stringify(e.cause), e.keyId, e.at);
      const b = s.balances[e.chain]!;
      if (b.available < 0n || b.reserved < 0n) throw new Error(`ledger invariant: negative balance on ${e.chain}`);
      this.sql.exec("INSERT INTO balances (chain, available, reserved) VALUES (?, ?, ?) ON CONFLICT (chain) DO UPDATE SET available = excluded.available, reserved = excluded.reserved",
        e.chain, b.available.toString(), b.reserved.toString());
    }
    if (r) {
      this.sql.exec(`INSERT INTO reservations (launch_id, n, chain, amount, key_id, at, closed) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (launch_id, n) DO UPDATE SET closed = excluded.closed`, r.launchId, r.n, r.chain, r.amount.toString(), r.keyId, r.at, r.closed);
    }
  }
}

const DAY_MS = 86_400_000;

/**
 * The platform's spending on one chain (one object per chain): what launches took
 * per UTC day, against the platform-wide cap. One thread, so concurrent launches
 * never both fit under the cap's last unit.
 */
export class PlatformSpend extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS takes (launch_id TEXT PRIMARY KEY, chain TEXT NOT NULL, day INTEGER NOT NULL, amount TEXT NOT NULL)");
  }

  take(chain: string, launchId: string, amount: string, cap: string, now: number): SpendTake {
    const day = Math.floor(now / DAY_MS);
    const spent = this.spentOn(chain, day);
    if (this.sql.exec("SELECT 1 FROM takes WHERE launch_id = ?", launchId).toArray().length) return { ok: true, duplicate: true, spent: spent.toString() };
    if (spent + BigInt(amount) > BigInt(cap)) {
      return { ok: false, cap, spent: spent.toString(), retryAfterSeconds: Math.max(1, Math.ceil(((day + 1) * DAY_MS - now) / 1000)) };
    }
    this.sql.exec("INSERT INTO takes (launch_id, chain, day, amount) VALUES (?, ?, ?, ?)", launchId, chain, day, amount);
    return { ok: true, duplicate: false, spent: (spent + BigInt(amount)).toString() };
  }

  release(launchId: string): { released: boolean } {
    return { released: this.sql.exec("DELETE FROM takes WHERE launch_id = ?", launchId).rowsWritten > 0 };
  }

  spentToday(chain: string, now: number): string {
    return this.spentOn(chain, Math.floor(now / DAY_MS)).toString();
  }

  private spentOn(chain: string, day: number): bigint {
    let sum = 0n;
    for (const r of this.sql.exec<{ amount: string }>("SELECT amount FROM takes WHERE chain = ? AND day = ?", chain, day)) sum += BigInt(r.amount);
    return sum;
  }
}

function toCommand(c: WireCommand): Command {
  switch (c.kind) {
    case "deposit":
    case "grant":
      return { ...c, amount: BigInt(c.amount) };
    case "reserve":
      return {
        ...c, amount: BigInt(c.amount),
        caps: { perKeyPerDay: c.caps.perKeyPerDay === null ? null : BigInt(c.caps.perKeyPerDay), perUserPerDay: c.caps.perUserPerDay === null ? null : BigInt(c.caps.perUserPerDay) },
      };
    default:
      return c;
  }
}

const wire = (b: { available: bigint; reserved: bigint }): WireBalance => ({ available: b.available.toString(), reserved: b.reserved.toString() });

function wireRefusal(r: ReturnType<typeof apply> & { refused: string }) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = typeof v === "bigint" ? v.toString() : v;
  return out as Omit<Extract<WireResult, { ok: false }>, "ok">;
}

function entryView(r: EntryRow): EntryView {
  return { seq: r.seq, key: r.key, kind: r.kind as EntryView["kind"], chain: r.chain, amount: r.amount, cause: JSON.parse(r.cause), keyId: r.key_id, at: r.at };
}
