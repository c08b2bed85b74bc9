// Who pays a new launch (issue 16), and for a wallet-paid EVM launch what its
// payer sends: ForgeFactoryV2.createToken with the payer and a deadline, value =
// the chain's platform fee as the cron last read it from the factory
// (chain_settings). The payer must be the sender (the factory checks it and
// the CREATE2 salt binds the address to it), so the same calldata from any
// other account reverts.
import type { Address } from "viem";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { canonicalEvmAddress, type ChainConfig, type LaunchRequest, type PaymentMode } from "@tokenforge/core";
import { chainSettings, users } from "@tokenforge/core/db/schema";
import { factoryForChain } from "@tokenforge/core/contracts/factory";
import { evmCreateCall, evmDeadlineSeconds, evmLaunchAddress } from "@tokenforge/core/launch-evm";
import type { z } from "zod";
import type { EvmPaymentTransaction } from "@tokenforge/core/launch";
import type { Caller, Env } from "./env";
import { ProblemError } from "./http";

export type Payment = { mode: PaymentMode; payer: string | null };

/** The payment mode (default: wallet for a session, platform for an API key) and the payer of a wallet launch. */
export async function resolvePayment(env: Env, caller: Caller, request: LaunchRequest): Promise<Payment> {
  const mode = request.payment?.mode ?? (caller.via === "session" ? "wallet" : "platform");
  if (mode === "platform") {
    if (request.payment?.payer !== undefined) throw invalid("payment.payer", "is only for wallet payment");
    return { mode, payer: null };
  }
  const named = request.payment?.payer;
  if (caller.via === "api-key") {
    if (named === undefined) throw invalid("payment.payer", "is required for wallet payment with an API key");
    return { mode, payer: named };
  }
  // A session pays from its signed-in wallet; naming another one is refused.
  const user = await drizzle(env.DB).select({ wallet: users.walletAddress }).from(users).where(eq(users.id, caller.userId)).get();
  if (!user) throw new ProblemError("unauthorized", "the session's user is gone");
  if (named !== undefined && named.toLowerCase() !== user.wallet.toLowerCase()) throw invalid("payment.payer", "must be the signed-in wallet");
  return { mode, payer: user.wallet };
}

export type EvmWalletLaunch = { address: Address; factoryVersion: "2"; payer: Address; payBy: number; transaction: z.infer<typeof EvmPaymentTransaction> };

/**
 * The transaction a wallet-paid EVM launch's payer sends. 503 `unavailable` while
 * the cron has not read the chain's fee yet (the fee is never guessed).
 */
export async function evmWalletLaunch(env: Env, chain: ChainConfig, launchId: string, request: LaunchRequest, payer: string, windowSeconds: number, now: number): Promise<EvmWalletLaunch> {
  const factory = factoryForChain(chain);
  if (factory.version !== "2") throw invalid("payment.mode", `wallet payment is not available on ${chain.id}`);
  const account = canonicalEvmAddress(payer);
  if (!account) throw invalid("payment.payer", "must be an EVM address (0x and 40 hex digits)");
  const settings = await drizzle(env.DB).select({ fee: chainSettings.platformFee }).from(chainSettings).where(eq(chainSettings.chain, chain.id)).get();
  if (!settings?.fee) {
    throw new ProblemError("unavailable", `the platform fee of ${chain.id} is not known yet; retry shortly`, {}, { "retry-after": "5" });
  }
  const payBy = now + windowSeconds * 1000;
  const { to, data } = evmCreateCall(launchId, request, factory, account, evmDeadlineSeconds(payBy));
  return {
    address: evmLaunchAddress(launchId, account, request, factory),
    factoryVersion: "2",
    payer: account,
    payBy,
    transaction: { chainId: chain.chainId!, to, data, value: settings.fee },
  };
}

const invalid = (path: string, message: string) => new ProblemError("validation-error", `${path}: ${message}`, { errors: [{ path, message }] });
