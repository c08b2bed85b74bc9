// D1 reads and writes of launches for the API. A launch is accepted only once
// its row and first event are written together (one D1 batch = one transaction).
import { and, asc, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { idempotencyKeys, launchEvents, launches, type LaunchRow } from "@tokenforge/core/db/schema";
import type { LaunchRequest, LaunchStatus } from "@tokenforge/core";
import { chainRegistry, explorerLinks, findChain } from "@tokenforge/core";
import type { Env } from "./env";

export type NewLaunch = {
  id: string;
  creatorId: string;
  request: LaunchRequest;
  requestHash: string;
  deployer: string;
  address: string;
  factoryVersion: string | null;
  idempotencyKey: string | null;
};

/** Inserts launch + first event (+ the idempotency record) atomically. False if the key already exists. */
export async function insertLaunch(env: Env, l: NewLaunch, now = Date.now()): Promise<boolean> {
  const db = drizzle(env.DB);
  const launchInsert = db.insert(launches).values({
    id: l.id,
    creatorId: l.creatorId,
    chain: l.request.chain,
    owner: l.request.owner,
    request: JSON.stringify(l.request),
    factoryVersion: l.factoryVersion,
    deployer: l.deployer,
    status: "queued",
    address: l.address,
    idempotencyKey: l.idempotencyKey,
    requestHash: l.requestHash,
    createdAt: now,
    updatedAt: now,
  });
  const eventInsert = db.insert(launchEvents).values({ launchId: l.id, status: "queued", detail: "accepted", at: now });
  if (!l.idempotencyKey) {
    await db.batch([launchInsert, eventInsert]);
    return true;
  }
  const keyInsert = db
    .insert(idempotencyKeys)
    .values({ callerId: l.creatorId, key: l.idempotencyKey, requestHash: l.requestHash, launchId: l.id, state: "processing", createdAt: now });
  // A D1 batch is one transaction: when the key exists, its UNIQUE violation
  // rolls back the launch and event too, so a reused key never writes a launch.
  try {
    await db.batch([keyInsert, launchInsert, eventInsert]);
    return true;
  } catch (e) {
    if (/UNIQUE|constraint/i.test(String((e as Error)?.message ?? e) + String((e as { cause?: unknown })?.cause ?? ""))) return false;
    throw e;
  }
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
export function launchView(env: Env, row: LaunchRow, events: { status: LaunchStatus; at: number; detail: string | null }[]) {
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
    attempts: row.attempts,
    error: row.errorType ? { type: row.errorType, detail: row.errorDetail ?? "" } : null,
    request: JSON.parse(row.request) as LaunchRequest,
    explorer: chain ? explorerLinks(chain, row.address, row.txHash) : null,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    events: events.map((e) => ({ status: e.status, at: new Date(e.at).toISOString(), detail: e.detail })),
    links: { self: `/api/v1/launches/${row.id}` },
  };
}
