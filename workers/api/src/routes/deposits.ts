// POST /credits/deposits: claim a transfer to a chain's treasury as credits;
// GET /credits/deposits: the caller's deposits. The chain is read through its
// gate (like every chain read); the verdict and the crediting are the ones the
// cron's pending-deposit job uses (core credits/deposit.ts, deposit-store.ts).
// 201 credited; 202 not final yet (the cron credits it once it is); 409 the
// transaction was submitted before; 422 not a deposit, or not from a wallet of
// the caller's (link it first: POST /me/wallets/siwe|siws).
import { createRoute } from "@hono/zod-openapi";
import { desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { chainRegistry, log, type ChainConfig } from "@tokenforge/core";
import { chainSettings, deposits, type DepositRow } from "@tokenforge/core/db/schema";
import { evmDepositVerdict, readEvmDeposit, readSolanaDeposit, solanaDepositVerdict, type DepositVerdict } from "@tokenforge/core/credits/deposit";
import { advanceDeposit, claimDeposit, findDeposit } from "@tokenforge/core/credits/deposit-store";
import type { RpcBatch } from "@tokenforge/core/quote";
import { gatedRpc } from "@tokenforge/gate/gated-fetch";
import { GateUnavailableError } from "@tokenforge/gate/errors";
import type { GateEnv } from "@tokenforge/gate";
import { requireScope } from "../auth";
import type { Env } from "../env";
import { jsonBody, ProblemError } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { Deposit, DepositAccepted, DepositList, DepositRequest } from "../deposit-schemas";
import { walletOwner } from "../wallets";

export const depositsRoute = router();

/** The pending deposits' own cron run drops them; the api never does, so its window does not matter. */
const NEVER = Number.MAX_SAFE_INTEGER;

const view = (r: DepositRow): Deposit => ({
  id: r.id, chain: r.chain, tx: r.tx, sender: r.sender, amount: r.amount, status: r.status, block: r.block, detail: r.detail,
  createdAt: new Date(r.createdAt).toISOString(), creditedAt: r.creditedAt === null ? null : new Date(r.creditedAt).toISOString(),
});
type Deposit = import("zod").infer<typeof Deposit>;

const invalid = (path: string, message: string) => new ProblemError("validation-error", `${path}: ${message}`, { errors: [{ path, message }] });

/** Where deposits go: EVM the factory's treasury as the cron read it; Solana the registry's. */
async function treasuryOf(env: Env, chain: ChainConfig): Promise<string> {
  if (chain.family === "solana" && chain.treasury) return chain.treasury;
  const row = await drizzle(env.DB).select({ treasury: chainSettings.treasury }).from(chainSettings).where(eq(chainSettings.chain, chain.id)).get();
  if (!row?.treasury) throw new ProblemError("unavailable", `the treasury of ${chain.id} is not known yet; retry shortly`, {}, { "retry-after": "5" });
  return row.treasury;
}

async function look(env: Env, chain: ChainConfig, tx: string, treasury: string): Promise<DepositVerdict> {
  const rpc: RpcBatch = (calls) => gatedRpc(env as unknown as GateEnv, chain, calls, "deposit");
  try {
    return chain.family === "evm"
      ? evmDepositVerdict(await readEvmDeposit(rpc, tx), treasury, chain.confirmations)
      : solanaDepositVerdict(await readSolanaDeposit(rpc, tx), treasury);
  } catch (e) {
    log("warn", "deposit.read_failed", { chain: chain.id, error: e });
    const retry = e instanceof GateUnavailableError && e.retryAfterMs !== undefined ? Math.max(1, Math.ceil(e.retryAfterMs / 1000)) : 2;
    throw new ProblemError("unavailable", `${chain.id} cannot be read right now; retry`, {}, { "retry-after": String(retry) });
  }
}

const submit = createRoute({
  method: "post",
  path: "/",
  operationId: "submitDeposit",
  tags: ["credits"],
  summary: "Credit a transfer to the chain's treasury",
  description:
    "EVM (`txHash`): a top-level transfer whose `to` is the chain's treasury (GET /chains), sent from one of your wallets (GET /me), status 1, " +
    "credited once it is the chain's `confirmations` deep. Solana (`signature`): a top-level System transfer to the treasury signed by one of your " +
    "wallets, credited once finalized. Each transaction is credited once: 201 credited, 202 seen but not final yet (the cron credits it; see " +
    "GET /credits/deposits), 409 submitted before, 422 not a deposit or not from a wallet of yours. A transaction that leaves the chain " +
    "(a reorg) before it is final is never credited. A session, or an API key with `launches:write`.",
  security: security.user,
  middleware: [requireScope("launches:write"), jsonBody] as const,
  request: { body: { required: true, content: jsonContent(DepositRequest) } },
  responses: {
    201: { description: "Credited", content: jsonContent(DepositAccepted) },
    202: { description: "Seen, not final yet: the cron credits it once it is", content: jsonContent(DepositAccepted) },
    ...problems(
      "malformed-json", "unauthorized", "forbidden", "not-found", "deposit-already-submitted", "payload-too-large", "unsupported-media-type",
      "validation-error", "unknown-chain", "not-a-deposit", "unlinked-sender", "unavailable", ...LIMITED,
    ),
  },
});

depositsRoute.openapi(submit, async (c) => {
  const caller = c.get("caller")!;
  const body = c.req.valid("json");
  const chain = chainRegistry(c.env).find((ch) => ch.id === body.chain);
  if (!chain) throw new ProblemError("unknown-chain", `unknown chain "${body.chain}"; see GET /api/v1/chains`);
  const tx = "txHash" in body ? body.txHash : body.signature;
  if (chain.family === "evm" && !("txHash" in body)) throw invalid("txHash", `is required on ${chain.id} (an EVM chain)`);
  if (chain.family === "solana" && !("signature" in body)) throw invalid("signature", `is required on ${chain.id} (a Solana chain)`);

  const seen = await findDeposit(c.env, chain.id, tx);
  if (seen) throw duplicate(seen, caller.userId);
  const treasury = await treasuryOf(c.env, chain);
  const verdict = await look(c.env, chain, tx, treasury);
  if (verdict.kind === "missing") throw new ProblemError("not-found", `${chain.id} knows no transaction ${tx} (not sent, not propagated yet, or reorged away)`);
  if (verdict.kind === "refused") throw new ProblemError("not-a-deposit", verdict.reason);
  if ((await walletOwner(c.env, verdict.sender)) !== caller.userId) {
    throw new ProblemError("unlinked-sender", `${verdict.sender} is not one of your wallets; link it (POST /api/v1/me/wallets/siwe or /siws) before depositing from it`, { sender: verdict.sender });
  }
  const now = Date.now();
  const claimed = await claimDeposit(c.env, { chain: chain.id, tx, userId: caller.userId, sender: verdict.sender, amount: verdict.amount, block: verdict.block }, now);
  if (!claimed) throw duplicate((await findDeposit(c.env, chain.id, tx))!, caller.userId);
  let row = claimed;
  try {
    row = await advanceDeposit(c.env, claimed, verdict, now, NEVER);
  } catch (e) {
    // The row is pending: the cron's next run credits it (the ledger's entry is keyed by the transaction, so never twice).
    log("error", "deposit.credit_failed", { depositId: claimed.id, chain: chain.id, error: e });
  }
  log("info", `deposit.${row.status}`, { depositId: row.id, chain: chain.id, userId: caller.userId, amount: row.amount });
  return c.json({ deposit: view(row) }, row.status === "credited" ? 201 : 202);
});

/** 409, with the deposit when it is the caller's (another user's is not shown). */
function duplicate(row: DepositRow, userId: string) {
  return new ProblemError("deposit-already-submitted", `${row.tx} was submitted before (${row.userId === userId ? row.status : "by another account"})`, row.userId === userId ? { deposit: view(row) } : {});
}

depositsRoute.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "listDeposits",
    tags: ["credits"],
    summary: "Your deposits, newest first (the latest 100)",
    security: security.user,
    middleware: [requireScope("launches:read")] as const,
    responses: { 200: { description: "Your deposits", content: jsonContent(DepositList) }, ...problems("unauthorized", "forbidden", ...LIMITED) },
  }),
  async (c) => {
    const caller = c.get("caller")!;
    const rows = await drizzle(c.env.DB).select().from(deposits).where(eq(deposits.userId, caller.userId)).orderBy(desc(deposits.createdAt), desc(sql`rowid`)).limit(100);
    return c.json({ deposits: rows.map(view) }, 200);
  },
);
