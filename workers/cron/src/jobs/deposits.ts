// Pending deposits (issue 17): each run looks again at every deposit the api
// accepted before it was final (202), through the chain's gate, and credits the
// ones that are final now — once, whatever else credits them (deposit-store.ts).
// One that left the chain (a reorg took its block) and stays gone past
// DEPOSIT_DROP_SECONDS is dropped, never credited.
import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { chainRegistry, log, type ChainConfig } from "@tokenforge/core";
import { deposits, chainSettings } from "@tokenforge/core/db/schema";
import { evmDepositVerdict, readEvmDeposit, readSolanaDeposit, solanaDepositVerdict, type DepositVerdict } from "@tokenforge/core/credits/deposit";
import { advanceDeposit } from "@tokenforge/core/credits/deposit-store";
import type { RpcBatch } from "@tokenforge/core/quote";
import { gatedRpc } from "@tokenforge/gate/gated-fetch";
import { cronConfig } from "../config";
import type { Env } from "../env";

/** Pending deposits looked at per run: each costs one batched read of its chain. */
const LIMIT = 200;

export async function finishDeposits(env: Env, now = Date.now()) {
  const db = drizzle(env.DB);
  const pending = await db.select().from(deposits).where(eq(deposits.status, "pending")).orderBy(asc(deposits.createdAt)).limit(LIMIT);
  if (!pending.length) return { pending: 0, credited: 0, dropped: 0 };
  const registry = new Map(chainRegistry(env).map((c) => [c.id, c]));
  const treasuries = new Map((await db.select({ chain: chainSettings.chain, treasury: chainSettings.treasury }).from(chainSettings)).map((s) => [s.chain, s.treasury]));
  const { depositDropMs } = cronConfig(env);
  let credited = 0;
  let dropped = 0;
  for (const row of pending) {
    const chain = registry.get(row.chain);
    const treasury = chain?.family === "solana" ? chain.treasury ?? treasuries.get(row.chain) : treasuries.get(row.chain);
    if (!chain || !treasury) continue;
    try {
      const verdict = await look(env, chain, row.tx, treasury);
      const after = await advanceDeposit(env, row, verdict, now, depositDropMs);
      if (after.status === "credited") credited++;
      if (after.status === "dropped") dropped++;
      if (after.status !== "pending") log(after.status === "dropped" ? "warn" : "info", `cron.deposit_${after.status}`, { depositId: row.id, chain: row.chain, tx: row.tx, detail: after.detail });
    } catch (e) {
      log("warn", "cron.deposit_check_failed", { depositId: row.id, chain: row.chain, error: e });
    }
  }
  return { pending: pending.length, credited, dropped };
}

async function look(env: Env, chain: ChainConfig, tx: string, treasury: string): Promise<DepositVerdict> {
  const rpc: RpcBatch = (calls) => gatedRpc(env, chain, calls, "deposits");
  return chain.family === "evm"
    ? evmDepositVerdict(await readEvmDeposit(rpc, tx), treasury, chain.confirmations)
    : solanaDepositVerdict(await readSolanaDeposit(rpc, tx), treasury);
}
