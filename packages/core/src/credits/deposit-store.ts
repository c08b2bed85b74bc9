// A claimed deposit's row in D1 and its crediting, shared by the api (first look,
// POST /credits/deposits) and the cron (later looks at pending ones). Exactly once
// per transaction holds twice over: the row is unique per (chain, tx), so one
// claim wins, and the ledger's deposit entry is keyed by chain and transaction,
// so crediting again (a crash between the credit and the row's update, the api
// and the cron racing) answers "duplicate" and changes nothing.
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { deposits, type DepositRow } from "../db/schema";
import { newId } from "../ids";
import { creditDeposit, type LedgerEnv } from "./store";
import type { DepositVerdict } from "./deposit";

export type DepositEnv = LedgerEnv & { DB: D1Database };

/** The one form a transaction id is stored in: EVM hashes lower-case, Solana signatures as given (base58 is case-sensitive). */
export const depositTxId = (tx: string) => (tx.startsWith("0x") ? tx.toLowerCase() : tx);

export async function findDeposit(env: DepositEnv, chain: string, tx: string): Promise<DepositRow | undefined> {
  return drizzle(env.DB).select().from(deposits).where(and(eq(deposits.chain, chain), eq(deposits.tx, depositTxId(tx)))).get();
}

/**
 * Claims the transaction for `userId` as a pending deposit: the new row, or null
 * when it was claimed already (by a concurrent request, or before).
 */
export async function claimDeposit(
  env: DepositEnv, d: { chain: string; tx: string; userId: string; sender: string; amount: bigint; block: number | null }, now: number,
): Promise<DepositRow | null> {
  const rows = await drizzle(env.DB).insert(deposits)
    .values({ id: newId("dep", now), chain: d.chain, tx: depositTxId(d.tx), userId: d.userId, sender: d.sender, amount: d.amount.toString(), status: "pending", block: d.block, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  return rows[0] ?? null;
}

/**
 * What a fresh look at the chain does to a pending deposit: final → credited;
 * still pending → its block noted; gone from the chain (a reorg, or dropped from
 * the mempool) for longer than `dropAfterMs` since it was last seen, or no longer
 * a deposit → dropped, never credited. A row that is not pending is left alone.
 */
export async function advanceDeposit(env: DepositEnv, row: DepositRow, verdict: DepositVerdict, now: number, dropAfterMs: number): Promise<DepositRow> {
  if (row.status !== "pending") return row;
  const db = drizzle(env.DB);
  const update = async (set: Partial<DepositRow>) =>
    (await db.update(deposits).set({ ...set, updatedAt: now }).where(and(eq(deposits.id, row.id), eq(deposits.status, "pending"))).returning())[0]
    ?? (await db.select().from(deposits).where(eq(deposits.id, row.id)).get())!;
  switch (verdict.kind) {
    case "final": {
      // The hash binds sender and value, so the verdict's figures are the row's; the ledger takes the row's.
      await creditDeposit(env, { userId: row.userId, chain: row.chain, txId: row.tx, amount: BigInt(row.amount), from: row.sender }, now);
      return update({ status: "credited", block: verdict.block, creditedAt: now, detail: null });
    }
    case "pending":
      return update({ block: verdict.block, detail: `${verdict.confirmations} of ${verdict.needed} confirmations` });
    case "refused":
      return update({ status: "dropped", detail: verdict.reason });
    case "missing":
      // updatedAt is when it was last seen on chain: not touched here, so the window runs from then.
      if (now - row.updatedAt < dropAfterMs) return row;
      return update({ status: "dropped", block: null, detail: "left the chain before it was final (reorg or dropped); not credited" });
  }
}
