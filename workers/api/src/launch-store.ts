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

/**
 * Inserts launch + first event (+ the idempotency record) and counts the launch
 * against its quotas, in one D1 batch (one transaction): an existing key's
 * UNIQUE violation or a full quota's CHECK violation rolls everything back, so a
 * replay or a refused launch neither writes a launch nor spends quota, and
 * concurrent launches can never count past a quota.
 */
export async function insertLaunch(env: Env, l: NewLaunch, quotas: Quota[] = [], now = Date.now()): Promise<InsertOutcome> {
  const db = drizzle(env.DB);
  const mode = l.payment?.mode ?? "platform";
  const status = initialStatus(mode);
  const launchInsert = db.insert(launches).values({
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
  });
  const eventInsert = db.insert(launchEvents).values({ launchId: l.id, status, detail: mode === "wallet" ? "accepted; awaiting the payer's transaction" : "accepted", at: now });
  // A new day's window starts over at 1; the cap follows the current var.
  const quotaBumps = quotas.map((q) =>
    db
      .insert(launchQuotas)
      .values({ subject: q.subject, windowStart: q.windowStart, used: 1, cap: q.limit })
      .onConflictDoUpdate({
        target: launchQuotas.subject,
        set: {
          used: sql`CASE WHEN ${launchQuotas.windowStart} = excluded.window_start THEN ${launchQuotas.used} + 1 ELSE 1 END`,
          windowStart: sql`excluded.window_start`,
          cap: sql`excluded.cap`,
        },
      })
      .returning({ subject: launchQuotas.subject, used: launchQuotas.used }),
  );
  const keyInsert = l.idempotencyKey
    ? [db.insert(idempotencyKeys).values({ callerId: l.creatorId, key: l.idempotencyKey, requestHash: l.requestHash, launchId: l.id, state: "processing", createdAt: now })]
    : [];
  try {
    // The key first: a replay is recognised before any quota is looked at.
    const results = (await db.batch([...keyInsert, ...quotaBumps, launchInsert, eventInsert] as unknown as Parameters<typeof db.batch>[0])) as unknown as unknown[];
    const used = new Map<string, number>();
    for (const rows of results.slice(keyInsert.length, keyInsert.length + quotaBumps.length)) {
      for (const r of rows as { subject: string; used: number }[]) used.set(r.subject, r.used);
    }
    return { kind: "inserted", used };
  } catch (e) {
    const message = String((e as Error)?.message ?? e) + String((e as { cause?: unknown })?.cause ?? "");
    if (/CHECK constraint/i.test(message)) return { kind: "over-quota", subject: await fullQuota(env, quotas) };
    if (l.idempotencyKey && /UNIQUE|constraint/i.test(message)) return { kind: "duplicate-key" };
    throw e;
  }
}

/** Which quota refused (read after the rolled-back batch). */
async function fullQuota(env: Env, quotas: Quota[]): Promise<string> {
  const rows = quotas.length
    ? await drizzle(env.DB).select().from(launchQuotas).where(inArray(launchQuotas.subject, quotas.map((q) => q.subject)))
    : [];
  const full = quotas.find((q) => rows.some((r) => r.subject === q.subject && r.windowStart === q.windowStart && r.used >= q.limit));
  return (full ?? quotas[0])?.subject ?? "";
}

export async function markKeyDone(env: Env, callerId: string, key: string) {
  await drizzle(env.DB)
    .update(idempotencyKeys)
    .set({ state: "done" })
    .where(and(eq(idempotencyKeys.callerId, callerId), eq(idempotencyKeys.key, key)));
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
