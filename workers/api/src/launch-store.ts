// D1 reads and writes of launches for the API. A launch is accepted only once
// its row and first event are written together (one D1 batch = one transaction).
import type { z } from "zod";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { idempotencyKeys, launchEvents, launchQuotas, launches, type LaunchRow } from "@tokenforge/core/db/schema";
import type { LaunchRequest, LaunchStatus } from "@tokenforge/core";
import { chainRegistry, explorerLinks, findChain, requestIdFor } from "@tokenforge/core";
import { initialStatus, type PaymentMode } from "@tokenforge/core/lifecycle";
import type { PaymentTransaction } from "@tokenforge/core/launch";
import type { Env } from "./env";
import type { LaunchView } from "./schemas";

export type NewLaunch = {
  id: string;
  creatorId: string;
  request: LaunchRequest;
  requestHash: string;
  deployer: string;
  address: string;
  factoryVersion: string | null;
  idempotencyKey: string | null;
  /** Omitted: platform-paid. */
  payment?: { mode: PaymentMode; payer: string | null; payBy: number | null; transaction: PaymentTransaction | null };
  /** The quote the launch is made under (payment.quoteId), already marked used by it. */
  quoteId?: string | null;
};

export type InsertOutcome =
  | { kind: "inserted"; used: Map<string, number> }
  /** The caller's Idempotency-Key exists: nothing was written, no quota spent. */
  | { kind: "duplicate-key" }
  /** A quota was full: nothing was written; `subject` is the one that refused. */
  | { kind: "over-quota"; subject: string };

type Quota = { subject: string; limit: number; windowStart: number };

/** One launch: see insertLaunches. */
export async function insertLaunch(env: Env, l: NewLaunch, quotas: Quota[] = [], now = Date.now()): Promise<InsertOutcome> {
  return insertLaunches(env, [l], quotas, now);
}

/**
 * Inserts each launch + its first event (+ its idempotency record) and counts
 * them against their quotas, in one D1 batch (one transaction): an existing key's
 * UNIQUE violation or a full quota's CHECK violation rolls everything back, so a
 * replay or a refused launch neither writes a launch nor spends quota, and
 * concurrent launches can never count past a quota. Every launch has the same creator.
 */
export async function insertLaunches(env: Env, ls: NewLaunch[], quotas: Quota[] = [], now = Date.now()): Promise<InsertOutcome> {
  if (ls.length === 0) return { kind: "inserted", used: new Map() };
  const db = drizzle(env.DB);
  const n = ls.length;
  const rows = ls.map((l) => {
    const mode = l.payment?.mode ?? "platform";
    const status = initialStatus(mode);
    const launch = {
      id: l.id,
      creatorId: l.creatorId,
      chain: l.request.chain,
      owner: l.request.owner,
      request: l.request,
      factoryVersion: l.factoryVersion,
      deployer: l.deployer,
      status,
      address: l.address,
      paymentMode: mode,
      payer: l.payment?.payer ?? null,
      payBy: l.payment?.payBy ?? null,
      payment: l.payment?.transaction ?? null,
      idempotencyKey: l.idempotencyKey,
      quoteId: l.quoteId ?? null,
      requestHash: l.requestHash,
      requestId: requestIdFor() ?? null,
      createdAt: now,
      updatedAt: now,
    };
    const event = { launchId: l.id, status, detail: mode === "wallet" ? "accepted; awaiting the payer's transaction" : "accepted", at: now };
    return { launch, event };
  });
  // A new day's window starts over at n; the cap follows the current var.
  const quotaBumps = quotas.map((q) =>
    db
      .insert(launchQuotas)
      .values({ subject: q.subject, windowStart: q.windowStart, used: n, cap: q.limit })
      .onConflictDoUpdate({
        target: launchQuotas.subject,
        set: {
          used: sql`CASE WHEN ${launchQuotas.windowStart} = excluded.window_start THEN ${launchQuotas.used} + ${n} ELSE ${n} END`,
          windowStart: sql`excluded.window_start`,
          cap: sql`excluded.cap`,
        },
      })
      .returning({ subject: launchQuotas.subject, used: launchQuotas.used }),
  );
  const keyed = ls.filter((l) => l.idempotencyKey);
  // Multi-row inserts: D1 binds at most 100 parameters per statement, so a batch's launches go in rows of a few.
  const launchInserts = chunks(rows.map((r) => r.launch), 3).map((part) => db.insert(launches).values(part));
  const eventInserts = chunks(rows.map((r) => r.event), 20).map((part) => db.insert(launchEvents).values(part));
  const keyChunks = chunks(keyed, 15).map((part) =>
    db.insert(idempotencyKeys).values(part.map((l) => ({ callerId: l.creatorId, key: l.idempotencyKey!, requestHash: l.requestHash, launchId: l.id, state: "processing" as const, createdAt: now }))),
  );
  try {
    // The keys first: a replay is recognised before any quota is looked at.
    const results = (await db.batch([...keyChunks, ...quotaBumps, ...launchInserts, ...eventInserts] as unknown as Parameters<typeof db.batch>[0])) as unknown as unknown[];
    const used = new Map<string, number>();
    for (const rows of results.slice(keyChunks.length, keyChunks.length + quotaBumps.length)) {
      for (const r of rows as { subject: string; used: number }[]) used.set(r.subject, r.used);
    }
    return { kind: "inserted", used };
  } catch (e) {
    const message = String((e as Error)?.message ?? e) + String((e as { cause?: unknown })?.cause ?? "");
    if (/CHECK constraint/i.test(message)) return { kind: "over-quota", subject: await fullQuota(env, quotas, n) };
    if (keyed.length && /UNIQUE|constraint/i.test(message)) return { kind: "duplicate-key" };
    throw e;
  }
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** How many more launches the quotas take today (the smallest room among them). */
export async function quotaRoom(env: Env, quotas: Quota[]): Promise<number> {
  if (quotas.length === 0) return Number.POSITIVE_INFINITY;
  const rows = await drizzle(env.DB).select().from(launchQuotas).where(inArray(launchQuotas.subject, quotas.map((q) => q.subject)));
  return Math.min(...quotas.map((q) => {
    const r = rows.find((row) => row.subject === q.subject && row.windowStart === q.windowStart);
    return Math.max(0, q.limit - (r?.used ?? 0));
  }));
}

/** Which quota refused `n` more launches (read after the rolled-back batch). */
async function fullQuota(env: Env, quotas: Quota[], n = 1): Promise<string> {
  const rows = quotas.length
    ? await drizzle(env.DB).select().from(launchQuotas).where(inArray(launchQuotas.subject, quotas.map((q) => q.subject)))
    : [];
  const full = quotas.find((q) => rows.some((r) => r.subject === q.subject && r.windowStart === q.windowStart && r.used + n > q.limit));
  return (full ?? quotas[0])?.subject ?? "";
}

export async function markKeyDone(env: Env, callerId: string, key: string) {
  await drizzle(env.DB)
    .update(idempotencyKeys)
    .set({ state: "done" })
    .where(and(eq(idempotencyKeys.callerId, callerId), eq(idempotencyKeys.key, key)));
}

/** Marks the caller's keys done in one statement. */
export async function markKeysDone(env: Env, callerId: string, keys: string[]) {
  if (keys.length === 0) return;
  for (const part of chunks(keys, 90)) {
    await drizzle(env.DB).update(idempotencyKeys).set({ state: "done" }).where(and(eq(idempotencyKeys.callerId, callerId), inArray(idempotencyKeys.key, part)));
  }
}

/** The caller's idempotency records for these keys, by key. */
export async function findKeys(env: Env, callerId: string, keys: string[]) {
  const found = new Map<string, NonNullable<Awaited<ReturnType<typeof findKey>>>>();
  for (const part of chunks(keys, 90)) {
    const rows = await drizzle(env.DB).select().from(idempotencyKeys).where(and(eq(idempotencyKeys.callerId, callerId), inArray(idempotencyKeys.key, part)));
    for (const r of rows) found.set(r.key, r);
  }
  return found;
}

export async function findKey(env: Env, callerId: string, key: string) {
  return drizzle(env.DB)
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.callerId, callerId), eq(idempotencyKeys.key, key)))
    .get();
}

export async function getLaunchWithEvents(env: Env, id: string) {
  const db = drizzle(env.DB);
  const [rows, events] = await db.batch([
    db.select().from(launches).where(eq(launches.id, id)),
    db.select().from(launchEvents).where(eq(launchEvents.launchId, id)).orderBy(asc(launchEvents.id)),
  ]);
  const row = rows[0];
  return row ? { row, events } : null;
}

export async function getLaunches(env: Env, ids: string[]) {
  if (ids.length === 0) return [];
  return drizzle(env.DB).select().from(launches).where(inArray(launches.id, ids));
}

/** The public view of a launch (the launch contract's GET /launches/:id shape). */
export function launchView(env: Env, row: LaunchRow, events: { status: LaunchStatus; at: number; detail: string | null }[]): z.infer<typeof LaunchView> {
  const chain = findChain(chainRegistry(env), row.chain);
  const solana = chain?.family === "solana";
  return {
    id: row.id,
    status: row.status,
    chain: row.chain,
    address: row.address,
    ...(solana ? { signature: row.txHash, slot: row.blockNumber } : { txHash: row.txHash, blockNumber: row.blockNumber }),
    gasUsed: row.gasUsed,
    factoryVersion: row.factoryVersion,
    ...(row.paymentMode === "wallet" ? { payment: paymentTerms(row) } : {}),
    attempts: row.attempts,
    error: row.errorType ? { type: row.errorType, detail: row.errorDetail ?? "" } : null,
    request: row.request,
    explorer: chain ? explorerLinks(chain, row.address, row.txHash) : null,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    events: events.map((e) => ({ status: e.status, at: new Date(e.at).toISOString(), detail: e.detail })),
    links: { self: `/api/v1/launches/${row.id}` },
  };
}

/** A wallet-paid launch's payment terms, as the 202 and the launch view show them. */
export function paymentTerms(row: Pick<LaunchRow, "paymentMode" | "payer" | "payBy" | "payment">) {
  return {
    mode: row.paymentMode,
    payer: row.payer,
    expiresAt: row.payBy === null ? null : new Date(row.payBy).toISOString(),
    transaction: row.payment ?? null,
  };
}
