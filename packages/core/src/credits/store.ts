// The credits ledger's interface for every Worker (issue 17): credit a deposit,
// grant, reserve a launch's cost, capture or refund it, read a user's balances
// and entries. The truth is one Ledger Durable Object per user (defined in the
// api Worker, workers/api/src/ledger.do.ts; the deployer and the cron bind it by
// script_name): its SQLite holds the entries, balances and reservations and
// changes them in one synchronous transaction, so two requests of one user never
// interleave, and it sums in bigint (wei overflow SQLite's 64-bit integers).
// Each entry is then copied to D1's credit_entries through an idempotent outbox
// (INSERT … ON CONFLICT DO NOTHING by the entry's key; an alarm retries).
//
// Amounts cross the RPC boundary as decimal strings; callers here use bigint.
// Platform-wide daily caps need one counter for all users: a PlatformSpend
// Durable Object per chain (same file), taken before the user's reservation.
import type { Caps, ChainBalance, EntryCause, EntryKind, LedgerEntry } from "./ledger";
import { log } from "../log";

/** A command as it crosses the RPC boundary (amounts as decimal strings). */
export type WireCommand =
  | { kind: "deposit"; chain: string; tx: string; from: string; amount: string; reconcile?: string }
  | { kind: "grant"; chain: string; amount: string; by: string; reason: string; key: string }
  | { kind: "reserve"; chain: string; launchId: string; amount: string; keyId: string | null; caps: { perKeyPerDay: string | null; perUserPerDay: string | null } }
  | { kind: "capture"; launchId: string; reservation?: number; reconcile?: string }
  | { kind: "refund"; launchId: string; reason?: string; reservation?: number; reconcile?: string };

export type WireBalance = { available: string; reserved: string };

export type WireRefusal =
  | { refused: "insufficient-credits"; balance: string; required: string }
  | { refused: "spend-cap"; scope: "key" | "user"; cap: string; spent: string; required: string }
  | { refused: "already-reserved"; reservation: number }
  | { refused: "no-reservation" }
  | { refused: "invalid-amount" };

export type WireApplied = { duplicate: boolean; balance: WireBalance; reservation?: { n: number; chain: string; amount: string; closed: "capture" | "refund" | null } };

export type WireResult = ({ ok: true } & WireApplied) | ({ ok: false } & WireRefusal);

export type EntryView = { seq: number; key: string; kind: EntryKind; chain: string; amount: string; cause: EntryCause; keyId: string | null; at: number };

export type LedgerSnapshot = { balances: Record<string, WireBalance>; entries: EntryView[] };

export interface LedgerRpc extends Rpc.DurableObjectBranded {
  /** Applies one command for `userId` at `now` (ms): one SQLite transaction, then the D1 copy. */
  command(userId: string, cmd: WireCommand, now: number): Promise<WireResult>;
  /** Balances per chain and the newest `limit` entries (newest first). */
  snapshot(userId: string, limit: number): Promise<LedgerSnapshot>;
  /** Entries after `afterSeq` in the ledger's order, at most `limit` (the reconciliation reads them all). */
  entries(userId: string, afterSeq: number, limit: number): Promise<EntryView[]>;
  /** Takes back entries the ledger lost, from D1's copy (ledger.ts restoreEntry); answers how many it took and refused. */
  restore(userId: string, entries: EntryView[]): Promise<{ restored: number; duplicate: number; refused: string[] }>;
  /** Copies these entries to D1 again (D1 was restored to a point before they were copied). */
  recopy(userId: string, keys: string[]): Promise<{ marked: number }>;
}

export type SpendTake = { ok: true; duplicate: boolean; spent: string } | { ok: false; cap: string; spent: string; retryAfterSeconds: number };

export interface PlatformSpendRpc extends Rpc.DurableObjectBranded {
  /** Counts `amount` for `launchId` against the chain's cap for now's UTC day, or refuses. Idempotent per launch. */
  take(chain: string, launchId: string, amount: string, cap: string, now: number): Promise<SpendTake>;
  /** Gives a launch's take back (the launch was never written). */
  release(launchId: string): Promise<{ released: boolean }>;
  spentToday(chain: string, now: number): Promise<string>;
}

export type LedgerEnv = { LEDGER: DurableObjectNamespace<LedgerRpc> };
export type PlatformSpendEnv = { PLATFORM_SPEND: DurableObjectNamespace<PlatformSpendRpc> };

/** An entry as the model holds it (amount as bigint), from its wire or D1 form. */
export const entryOfView = (v: Omit<EntryView, "seq">): LedgerEntry => ({ key: v.key, kind: v.kind, chain: v.chain, amount: BigInt(v.amount), cause: v.cause, keyId: v.keyId, at: v.at });

export const ledgerOf = (env: LedgerEnv, userId: string) => env.LEDGER.get(env.LEDGER.idFromName(userId));
const big = (b: WireBalance): ChainBalance => ({ available: BigInt(b.available), reserved: BigInt(b.reserved) });

export type Credited = { status: "credited" | "duplicate"; balance: ChainBalance };

/** Credits a confirmed deposit once per (chain, transaction): a second call answers `duplicate` and changes nothing. */
export async function creditDeposit(
  env: LedgerEnv, d: { userId: string; chain: string; txId: string; amount: bigint; from: string }, now = Date.now(),
): Promise<Credited> {
  const r = await ledgerOf(env, d.userId).command(d.userId, { kind: "deposit", chain: d.chain, tx: d.txId, from: d.from, amount: d.amount.toString() }, now);
  if (!r.ok) throw new Error(`deposit refused: ${r.refused}`);
  return { status: r.duplicate ? "duplicate" : "credited", balance: big(r.balance) };
}

/** Grants credits; `key` makes the grant idempotent (a retried admin request grants once). */
export async function grantCredits(
  env: LedgerEnv, g: { userId: string; chain: string; amount: bigint; by: string; reason: string; key: string }, now = Date.now(),
): Promise<Credited> {
  const r = await ledgerOf(env, g.userId).command(g.userId, { kind: "grant", chain: g.chain, amount: g.amount.toString(), by: g.by, reason: g.reason, key: g.key }, now);
  if (!r.ok) throw new Error(`grant refused: ${r.refused}`);
  return { status: r.duplicate ? "duplicate" : "credited", balance: big(r.balance) };
}

export type Reserved = { ok: true; duplicate: boolean; reservation: number } | { ok: false; refusal: WireRefusal };

/** Reserves a launch's cost from its creator's credits on `chain`, within the key's and the user's daily caps. */
export async function reserveLaunch(
  env: LedgerEnv, r: { userId: string; chain: string; launchId: string; amount: bigint; keyId: string | null; caps: Caps }, now = Date.now(),
): Promise<Reserved> {
  const caps = { perKeyPerDay: r.caps.perKeyPerDay?.toString() ?? null, perUserPerDay: r.caps.perUserPerDay?.toString() ?? null };
  const res = await ledgerOf(env, r.userId).command(r.userId, { kind: "reserve", chain: r.chain, launchId: r.launchId, amount: r.amount.toString(), keyId: r.keyId, caps }, now);
  if (!res.ok) {
    const { ok: _ok, ...refusal } = res;
    return { ok: false, refusal };
  }
  return { ok: true, duplicate: res.duplicate, reservation: res.reservation!.n };
}

export type Settled = "captured" | "refunded" | "duplicate" | "none";

/** Captures a launch's open reservation (it confirmed). `none`: it has no open one (never reserved, or refunded). */
export async function captureLaunch(env: LedgerEnv, s: { userId: string; launchId: string; reservation?: number }, now = Date.now()): Promise<Settled> {
  const r = await ledgerOf(env, s.userId).command(s.userId, { kind: "capture", launchId: s.launchId, ...(s.reservation !== undefined ? { reservation: s.reservation } : {}) }, now);
  return !r.ok ? "none" : r.duplicate ? "duplicate" : "captured";
}

/** Refunds a launch's open reservation (failed, dead letter, expiry, never written). */
export async function refundLaunch(env: LedgerEnv, s: { userId: string; launchId: string; reason?: string; reservation?: number }, now = Date.now()): Promise<Settled> {
  const cmd: WireCommand = { kind: "refund", launchId: s.launchId, ...(s.reason ? { reason: s.reason } : {}), ...(s.reservation !== undefined ? { reservation: s.reservation } : {}) };
  const r = await ledgerOf(env, s.userId).command(s.userId, cmd, now);
  return !r.ok ? "none" : r.duplicate ? "duplicate" : "refunded";
}

/** A user's balances per chain and newest entries, from the ledger itself. */
export async function creditsOf(env: LedgerEnv, userId: string, limit = 100): Promise<LedgerSnapshot> {
  return ledgerOf(env, userId).snapshot(userId, limit);
}

const platformSpendOf = (env: PlatformSpendEnv, chain: string) => env.PLATFORM_SPEND.get(env.PLATFORM_SPEND.idFromName(chain));

/** Counts a launch against the platform's daily cap on its chain, or says when the next day starts. */
export async function takePlatformSpend(env: PlatformSpendEnv, t: { chain: string; launchId: string; amount: bigint; cap: bigint }, now = Date.now()): Promise<SpendTake> {
  return platformSpendOf(env, t.chain).take(t.chain, t.launchId, t.amount.toString(), t.cap.toString(), now);
}

export async function releasePlatformSpend(env: PlatformSpendEnv, t: { chain: string; launchId: string }): Promise<void> {
  await platformSpendOf(env, t.chain).release(t.launchId);
}

/**
 * Settles platform-paid launches that became final: confirmed → capture, failed
 * or expired → refund. Errors are logged, not thrown: the launch is final either
 * way, and the cron's settle job finds reservations left open (from D1's copy).
 */
export async function settleFinalLaunches(
  env: LedgerEnv & { DB: D1Database }, finals: readonly { launchId: string; status: "confirmed" | "failed" | "expired" }[], now = Date.now(),
): Promise<void> {
  if (!finals.length) return;
  try {
    const { results } = await env.DB.prepare("SELECT id, creator_id FROM launches WHERE id IN (SELECT value FROM json_each(?)) AND payment_mode = 'platform'")
      .bind(JSON.stringify(finals.map((f) => f.launchId))).all<{ id: string; creator_id: string }>();
    const owner = new Map(results.map((r) => [r.id, r.creator_id]));
    await Promise.all(finals.filter((f) => owner.has(f.launchId)).map((f) => {
      const s = { userId: owner.get(f.launchId)!, launchId: f.launchId };
      return f.status === "confirmed" ? captureLaunch(env, s, now) : refundLaunch(env, { ...s, reason: `launch ${f.status}` }, now);
    }));
  } catch (e) {
    log("error", "credits.settle_failed", { count: finals.length, error: e });
  }
}
