// Quotes (issue 16): what a launch costs its payer, binding until it expires,
// and their use at launch. A quote records the platform fee it was made at; a
// launch under it is refused (409 quote-rejected) when the fee on chain changed
// since (D1 chain_settings, kept by the cron from each factory), when it expired,
// was used, or was made for another caller, body, chain, mode or payer.
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Address } from "viem";
import { canonicalEvmAddress, ChainFees, feesKey, isBase58PublicKey, log, newId, type ChainConfig, type LaunchRequest, type PaymentMode } from "@tokenforge/core";
import { chainSettings, launches, quotes, users, type QuoteRow } from "@tokenforge/core/db/schema";
import { factoryForChain } from "@tokenforge/core/contracts/factory";
import { decodeFactorySettings, factorySettingsCalls } from "@tokenforge/core/contracts/factory-reads";
import { quoteEvm, quoteSolana, type RpcBatch } from "@tokenforge/core/quote";
import { gatedRpc } from "@tokenforge/gate/gated-fetch";
import type { GateEnv } from "@tokenforge/gate";
import type { Caller, Env } from "./env";
import { apiConfig } from "./config";
import { canonicalJson, ProblemError, sha256Hex } from "./http";
import { usdFigures } from "./insights";

/** A cached gas price older than this is read again from the chain. */
const GAS_PRICE_MAX_AGE_MS = 5 * 60_000;
/** getMinimumBalanceForRentExemption(0) per Solana chain: rent changes only with a feature gate. */
const RENT_CACHE_SECONDS = 600;
const rentKey = (chainId: string) => `rent0:v1:${chainId}`;

export type PaymentTerms = { mode: PaymentMode; payer: string | null };

/**
 * Who pays, by the rules: the mode defaults to `wallet` for a web session
 * and `platform` for an API key; a wallet payer is the one given (an API key must
 * give it) or else the session's signed-in wallet, in its canonical form.
 */
export async function paymentTerms(env: Env, caller: Caller, request: LaunchRequest, chain: ChainConfig): Promise<PaymentTerms> {
  const mode = request.payment?.mode ?? (caller.via === "session" ? "wallet" : "platform");
  if (mode === "platform") return { mode, payer: null };
  let payer = request.payment?.payer ?? null;
  if (payer === null && caller.via === "session") {
    const user = await drizzle(env.DB).select({ wallet: users.walletAddress }).from(users).where(eq(users.id, caller.userId)).get();
    payer = user?.wallet ?? null;
  }
  const canonical = payer === null ? null : chain.family === "evm" ? canonicalEvmAddress(payer) : isBase58PublicKey(payer) ? payer : null;
  if (canonical === null) {
    const message = payer === null ? "is required for a wallet-paid launch with an API key" : `is not ${chain.family === "evm" ? "an EVM address" : "a Solana public key"} (the signed-in wallet pays only on its own chain family)`;
    throw new ProblemError("validation-error", `payment.payer: ${message}`, { errors: [{ path: "payment.payer", message }] });
  }
  return { mode, payer: canonical };
}

/** sha256 of the canonical launch body without its payment part: what a quote is for. */
export const quoteRequestHash = (request: LaunchRequest) => sha256Hex(canonicalJson({ ...request, payment: undefined }));

/**
 * The chain's platform fee as D1 holds it; before the cron's first read, read now
 * (EVM: the factory through the gate) and recorded the way the cron records it.
 */
export async function currentPlatformFee(env: Env, chain: ChainConfig, now = Date.now()): Promise<bigint> {
  const row = await drizzle(env.DB).select({ fee: chainSettings.platformFee }).from(chainSettings).where(eq(chainSettings.chain, chain.id)).get();
  if (row?.fee != null) return BigInt(row.fee);
  let read: { platformFee: string; treasury: string } | null = null;
  if (chain.family === "solana") {
    if (chain.platformFee !== undefined && chain.treasury !== undefined) read = { platformFee: chain.platformFee, treasury: chain.treasury };
  } else if (factoryForChain(chain).version === "2") {
    const answers = await gatedRpc<string>(env as unknown as GateEnv, chain, factorySettingsCalls(factoryForChain(chain).factory), "quote");
    const [fee, treasury] = answers.map((a) => (a && "result" in a ? a.result : "0x"));
    read = decodeFactorySettings(fee!, treasury!);
  }
  if (!read) throw new ProblemError("validation-error", `payment.mode: wallet payment is not available on ${chain.id}`, { errors: [{ path: "payment.mode", message: `wallet payment is not available on ${chain.id}` }] });
  await drizzle(env.DB).insert(chainSettings).values({ chain: chain.id, platformFee: read.platformFee, treasury: read.treasury, feeReadAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: chainSettings.chain, set: { platformFee: read.platformFee, treasury: read.treasury, feeReadAt: now, updatedAt: now } });
  return BigInt(read.platformFee);
}

const gated = (env: Env, chain: ChainConfig): RpcBatch => (calls) => gatedRpc(env as unknown as GateEnv, chain, calls, "quote");

// Per isolate: createToken's gas by calldata shape for the deployer's own sends (core quote.ts).
const platformEstimates = new Map<string, bigint>();

type Figures = { networkFee: bigint; gasUnits?: bigint; gasPrice?: bigint; l1Fee?: bigint | null; solana?: ReturnType<typeof quoteSolana> };

async function evmFigures(env: Env, chain: ChainConfig, request: LaunchRequest, terms: PaymentTerms, platformFee: bigint, now: number): Promise<Figures> {
  const cached = ChainFees.safeParse(await env.CACHE.get(feesKey(chain.id), "json").catch(() => null)).data;
  const fresh = cached && now - Date.parse(cached.updatedAt) < GAS_PRICE_MAX_AGE_MS ? BigInt(cached.gasPrice) : null;
  // Platform mode: the fee-exempt deployer sends createToken as its own payer, with no value.
  const payer = (terms.payer ?? env.EVM_DEPLOYER_ADDRESS) as Address;
  const f = await quoteEvm(gated(env, chain), {
    chain, request, payer, value: terms.mode === "wallet" ? platformFee : 0n, cachedGasPrice: fresh, now,
    // A wallet's estimate depends on its balance and state: only the deployer's are kept.
    ...(terms.mode === "platform" ? { estimates: platformEstimates } : {}),
  });
  return { networkFee: f.networkFee, gasUnits: f.gasUnits, gasPrice: f.gasPrice, l1Fee: f.l1Fee };
}

async function solanaFigures(env: Env, chain: ChainConfig, request: LaunchRequest): Promise<Figures> {
  let rent0 = await env.CACHE.get(rentKey(chain.id));
  if (rent0 === null) {
    const [a] = await gatedRpc<number | string>(env as unknown as GateEnv, chain, [{ method: "getMinimumBalanceForRentExemption", params: [0] }], "quote");
    if (!a || !("result" in a)) throw new Error(`getMinimumBalanceForRentExemption: ${JSON.stringify(a)}`);
    rent0 = String(a.result);
    await env.CACHE.put(rentKey(chain.id), rent0, { expirationTtl: RENT_CACHE_SECONDS });
  }
  const solana = quoteSolana(request, BigInt(rent0), apiConfig(env).solanaPriorityFee);
  return { networkFee: solana.networkFee, solana };
}

/** What a launch costs its payer now: the figures a quote records (503 unavailable when the chain cannot be priced). */
async function price(env: Env, caller: Caller, request: LaunchRequest, chain: ChainConfig, now: number) {
  const terms = await paymentTerms(env, caller, request, chain);
  let platformFee = 0n;
  try {
    if (terms.mode === "wallet") platformFee = await currentPlatformFee(env, chain, now);
    const figures = chain.family === "evm" ? await evmFigures(env, chain, request, terms, platformFee, now) : await solanaFigures(env, chain, request);
    return { terms, figures, platformFee };
  } catch (e) {
    if (e instanceof ProblemError) throw e;
    log("warn", "quote.unavailable", { chain: chain.id, error: e });
    throw new ProblemError("unavailable", `${chain.id} cannot be priced right now; retry`, {}, { "retry-after": "5" });
  }
}

/**
 * A launch's total as a fresh quote would state it, without storing one: a platform
 * launch sent without a quoteId reserves this (no quote row, USD figures or log line per launch).
 */
export async function launchTotal(env: Env, caller: Caller, request: LaunchRequest, chain: ChainConfig, now = Date.now()): Promise<bigint> {
  const { figures, platformFee } = await price(env, caller, request, chain, now);
  return figures.networkFee + platformFee;
}

/** Prices a launch for its payer and stores the quote. `request` is the canonical launch body (checkForChain). */
export async function createQuote(env: Env, caller: Caller, request: LaunchRequest, chain: ChainConfig, now = Date.now()) {
  const { terms, figures, platformFee } = await price(env, caller, request, chain, now);
  const row: QuoteRow = {
    id: newId("quo", now), userId: caller.userId, chain: chain.id, mode: terms.mode, payer: terms.payer,
    requestHash: await quoteRequestHash(request), currency: chain.nativeSymbol,
    networkFee: figures.networkFee.toString(), platformFee: platformFee.toString(), total: (figures.networkFee + platformFee).toString(),
    gasUnits: figures.gasUnits?.toString() ?? null, gasPrice: figures.gasPrice?.toString() ?? null, l1Fee: figures.l1Fee?.toString() ?? null,
    expiresAt: now + apiConfig(env).quoteTtlMs, createdAt: now, launchId: null,
  };
  await drizzle(env.DB).insert(quotes).values(row);
  log("info", "quote.created", { quoteId: row.id, chain: chain.id, mode: terms.mode, outcome: "ok" });
  // USD at the cron's last native price (KV): no provider call on this path.
  const usd = await usdFigures(env.CACHE, chain, { networkFee: figures.networkFee, platformFee, total: figures.networkFee + platformFee },
    chain.family === "solana" ? 9 : 18, now, apiConfig(env).marketStaleMs);
  return quoteView(row, figures.solana, usd);
}

function quoteView(q: QuoteRow, solana: ReturnType<typeof quoteSolana> | undefined, usd: Awaited<ReturnType<typeof usdFigures>>) {
  return {
    usd,
    id: q.id, chain: q.chain, currency: q.currency, networkFee: q.networkFee, platformFee: q.platformFee, total: q.total,
    expiresAt: new Date(q.expiresAt).toISOString(),
    payment: { mode: q.mode, payer: q.payer },
    ...(q.gasUnits !== null && q.gasPrice !== null ? { gas: { units: q.gasUnits, price: q.gasPrice } } : {}),
    ...(q.l1Fee !== null ? { l1Fee: q.l1Fee } : {}),
    ...(solana ? {
      rentExemptDeposits: { mint: solana.mintRent.toString(), tokenAccount: solana.tokenAccountRent.toString() },
      signatureFees: solana.signatureFees.toString(), priorityFee: solana.priorityFee.toString(),
    } : {}),
  };
}

export type Redeemed = { kind: "redeemed"; platformFee: bigint } | { kind: "replay"; launchId: string };

/**
 * Uses the quote `quoteId` for launch `launchId` in one conditional UPDATE (two
 * launches can never both use it), or throws 409 quote-rejected saying why. With
 * the request's Idempotency-Key, a quote already used by the launch that key made
 * is a replay (the create handler then answers that launch). `terms` are the
 * launch's resolved mode and payer (paymentTerms). When the launch is then not
 * written, releaseQuote gives the quote back.
 */
export async function redeemQuote(
  env: Env, caller: Caller, request: LaunchRequest, chain: ChainConfig,
  use: { quoteId: string; launchId: string; terms: PaymentTerms; idempotencyKey?: string | null }, now = Date.now(),
): Promise<Redeemed> {
  const hash = await quoteRequestHash(request);
  const { meta } = await env.DB.prepare(
    `UPDATE quotes SET launch_id = ?1
     WHERE id = ?2 AND launch_id IS NULL AND expires_at > ?3 AND user_id = ?4 AND chain = ?5 AND mode = ?6 AND payer IS ?7 AND request_hash = ?8
       AND (mode = 'platform' OR platform_fee = (SELECT platform_fee FROM chain_settings WHERE chain_settings.chain = quotes.chain))`,
  ).bind(use.launchId, use.quoteId, now, caller.userId, chain.id, use.terms.mode, use.terms.payer, hash).run();
  const q = await drizzle(env.DB).select().from(quotes).where(eq(quotes.id, use.quoteId)).get();
  if (meta.changes === 1 && q) return { kind: "redeemed", platformFee: BigInt(q.platformFee) };
  const refuse = (reason: string, detail: string) => {
    log("info", "quote.rejected", { quoteId: use.quoteId, chain: chain.id, reason, outcome: "refused" });
    return new ProblemError("quote-rejected", detail, { reason });
  };
  if (!q || q.userId !== caller.userId) throw refuse("not-yours", "no quote with this id was made for you");
  if (q.launchId !== null) {
    if (use.idempotencyKey && (await isReplay(env, q.launchId, caller.userId, use.idempotencyKey))) return { kind: "replay", launchId: q.launchId };
    throw refuse("used", "this quote was already used by another launch; ask for a new one");
  }
  if (q.expiresAt <= now) throw refuse("expired", "this quote expired; ask for a new one");
  if (q.chain !== chain.id || q.mode !== use.terms.mode || q.payer !== use.terms.payer || q.requestHash !== hash) {
    throw refuse("other-request", "this quote was made for another launch body, chain, payment mode or payer");
  }
  throw refuse("fee-changed", "the platform fee changed on chain since this quote; ask for a new one");
}

async function isReplay(env: Env, launchId: string, callerId: string, key: string): Promise<boolean> {
  const l = await drizzle(env.DB).select({ id: launches.id }).from(launches)
    .where(and(eq(launches.id, launchId), eq(launches.creatorId, callerId), eq(launches.idempotencyKey, key))).get();
  return l !== undefined;
}

/** Gives a quote back when the launch that took it was not written after all (quota, idempotency replay). */
export async function releaseQuote(env: Env, quoteId: string, launchId: string): Promise<void> {
  await drizzle(env.DB).update(quotes).set({ launchId: sql`NULL` }).where(and(eq(quotes.id, quoteId), eq(quotes.launchId, launchId)));
}
