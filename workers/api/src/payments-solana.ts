// Wallet-paid Solana launches in the api (issue 16, design (b), docs/architecture.md
// "Wallet-paid Solana launches"). The api builds no transaction itself (no
// @solana/kit in its bundle): the deployer's MintAddress entrypoint does, on the
// newest blockhash, over Workers RPC. The payer's wallet signs and sends it; the
// deployer's watch finds the mint and checks the fee was paid.
//
// POST /api/v1/launches/{id}/transaction issues a fresh transaction (a blockhash
// lives ~60–90 s, the payment window 15 min): only within the window, and it
// records the new lastValidBlockHeight, so the launch expires only once the last
// transaction issued can no longer land.
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, gt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { isBase58PublicKey, log, solanaWalletMetadataIssues, type LaunchRequest, type SolanaPaymentTransaction } from "@tokenforge/core";
import { launches } from "@tokenforge/core/db/schema";
import type { MintAddressRpc, WalletTransactionIssued } from "@tokenforge/core/solana/mint-address";
import type { Env } from "./env";
import { ProblemError } from "./http";
import { jsonContent, LIMITED, problems, router, security } from "./openapi";
import { requireScope } from "./auth";
import { SolanaWalletTransaction } from "./schemas";

export type SolanaWalletLaunch = { address: string; factoryVersion: null; payer: string; payBy: number; transaction: SolanaPaymentTransaction };

/** A wallet-paid Solana launch for the create handler (payments-evm.ts's resolvePayment chose the payer): 422 for a payer that is no Solana key or metadata over the wallet budget. */
export async function solanaWalletLaunch(env: Env, launchId: string, request: LaunchRequest, payer: string, windowSeconds: number, now: number): Promise<SolanaWalletLaunch> {
  const issues = solanaWalletMetadataIssues(request);
  if (!isBase58PublicKey(payer)) issues.push({ path: "payment.payer", message: "must be a base58 Solana public key (the wallet that signs and pays)" });
  if (issues.length) throw new ProblemError("validation-error", issues.map((e) => `${e.path}: ${e.message}`).join("; "), { errors: issues });
  const { mint, payment } = await issueSolanaTransaction(env, launchId, request, payer);
  return { address: mint, factoryVersion: null, payer, payBy: now + windowSeconds * 1000, transaction: payment };
}

/** A fresh transaction from the deployer (503 when it cannot be had right now). */
export async function issueSolanaTransaction(env: Env, launchId: string, request: LaunchRequest, payer: string): Promise<{ mint: string; payment: SolanaPaymentTransaction }> {
  const deployer: MintAddressRpc | undefined = env.DEPLOYER;
  let issued: WalletTransactionIssued;
  try {
    if (!deployer) throw new Error("no DEPLOYER service binding");
    issued = await deployer.walletTransaction({ chain: request.chain, launchId, payer, request });
  } catch (e) {
    log("error", "launch.wallet_tx_failed", { launchId, error: e });
    throw new ProblemError("unavailable", "a Solana transaction cannot be prepared right now; retry", {}, { "retry-after": "1" });
  }
  const { mint, ...payment } = issued;
  return { mint, payment };
}

export const solanaPaymentRoute = router();

const fresh = createRoute({
  method: "post",
  path: "/{id}/transaction",
  operationId: "issueSolanaLaunchTransaction",
  tags: ["launches"],
  summary: "A fresh transaction for a wallet-paid Solana launch",
  description:
    "A Solana transaction is valid for about 150 blocks; within the launch's payment window this issues the same launch on the newest blockhash " +
    "for the payer's wallet to sign and send (signAndSendTransaction; instructions the wallet adds, such as Lighthouse guards, are fine). " +
    "Only the launch's creator; 409 once it is no longer awaiting payment or the window has passed.",
  security: security.user,
  middleware: [requireScope("launches:write")] as const,
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: { description: "The transaction to sign and send", content: jsonContent(SolanaWalletTransaction) },
    ...problems("unauthorized", "forbidden", "not-found", "conflict", "unavailable", ...LIMITED),
  },
});

solanaPaymentRoute.openapi(fresh, async (c) => {
  const caller = c.get("caller")!;
  const { id } = c.req.valid("param");
  const db = drizzle(c.env.DB);
  const [row] = await db.select().from(launches).where(eq(launches.id, id));
  if (!row || row.creatorId !== caller.userId) throw new ProblemError("not-found", "no launch with this id");
  if (row.paymentMode !== "wallet" || !row.payer || row.payBy === null || !row.payment || !("transaction" in row.payment)) {
    throw new ProblemError("conflict", "this launch is not a wallet-paid Solana launch");
  }
  const now = Date.now();
  if (row.status !== "awaiting_payment" || now >= row.payBy) {
    throw new ProblemError("conflict", row.status !== "awaiting_payment" ? `the launch is ${row.status}` : "the payment window has passed: no fresh transaction is issued");
  }
  const { payment } = await issueSolanaTransaction(c.env, id, row.request, row.payer);
  // Recorded only while still awaiting payment inside the window, so the watch's expiry height is the last one handed out.
  const updated = await db
    .update(launches)
    .set({ payment, updatedAt: now })
    .where(and(eq(launches.id, id), eq(launches.status, "awaiting_payment"), gt(launches.payBy, now)))
    .returning({ id: launches.id });
  if (!updated.length) throw new ProblemError("conflict", "the launch stopped awaiting payment");
  return c.json({ ...payment, expiresAt: new Date(row.payBy).toISOString() }, 200);
});
