// The api's side of credits (issue 17): a platform-paid launch reserves its
// quote's total from its creator's credits when it is accepted (the deployer
// captures it on confirmation, the deployer or the cron refunds it), within the
// key's, the user's and the platform's daily caps. The ledger itself is the
// user's Ledger Durable Object (ledger.do.ts), reached through core's credits/store.ts.
import type { ChainConfig, LaunchRequest } from "@tokenforge/core";
import { log } from "@tokenforge/core";
import { releasePlatformSpend, refundLaunch, reserveLaunch, takePlatformSpend } from "@tokenforge/core/credits/store";
import type { Caller, Env } from "./env";
import { ProblemError } from "./http";
import { apiConfig } from "./config";
import { launchTotal, releaseQuote } from "./quotes";
import { findKey } from "./launch-store";

/** What a platform launch costs: the total of its redeemed quote, or what a fresh one would say (none is stored). */
export async function launchCost(env: Env, caller: Caller, request: LaunchRequest, chain: ChainConfig, quoteId: string | undefined): Promise<bigint> {
  if (quoteId) {
    const q = await env.DB.prepare("SELECT total FROM quotes WHERE id = ?").bind(quoteId).first<{ total: string }>();
    if (q) return BigInt(q.total);
  }
  try {
    return await launchTotal(env, caller, request, chain);
  } catch (e) {
    // The chain cannot be priced right now (its endpoints fail, no recent price cached): reserve the
    // configured ceiling for it instead of refusing, or answer the quote's 503 when none is set.
    const ceiling = apiConfig(env).creditCaps.unpricedReserve.get(chain.id);
    if (!(e instanceof ProblemError) || e.kind !== "unavailable" || ceiling === undefined) throw e;
    log("warn", "credits.unpriced_reserve", { chain: chain.id, outcome: "ceiling" });
    return ceiling;
  }
}

async function keyCap(env: Env, caller: Caller, chain: string): Promise<bigint | null> {
  const keyId = caller.keyId;
  if (!keyId) return null;
  // Read with the key by identify (a key's caps never change after it is made): no D1 round trip per launch.
  if (caller.spendCaps !== undefined) {
    const cap = caller.spendCaps?.[chain];
    return cap !== undefined ? BigInt(cap) : null;
  }
  const row = await env.DB.prepare("SELECT spend_cap_per_day FROM api_keys WHERE id = ?").bind(keyId).first<{ spend_cap_per_day: string | null }>();
  const caps = row?.spend_cap_per_day ? (JSON.parse(row.spend_cap_per_day) as Record<string, string>) : {};
  return caps[chain] !== undefined ? BigInt(caps[chain]) : null;
}

/**
 * Reserves `amount` for launch `launchId` or throws the problem that refuses it:
 * 503 platform-spend-cap (Retry-After: the next UTC day), 402 spend-cap-exceeded,
 * 402 insufficient-credits (with `balance` and `required`). The platform's counter
 * is taken first and given back when the user's ledger refuses, so a refused
 * launch leaves no entry in the user's ledger.
 */
export async function reserveForLaunch(env: Env, caller: Caller, chain: string, launchId: string, amount: bigint, now = Date.now()): Promise<void> {
  const caps = apiConfig(env).creditCaps;
  const platformCap = caps.platformPerDay.get(chain);
  if (platformCap !== undefined) {
    const taken = await takePlatformSpend(env, { chain, launchId, amount, cap: platformCap }, now);
    if (!taken.ok) {
      log("warn", "credits.platform_cap", { chain, launchId, outcome: "refused" });
      throw new ProblemError("platform-spend-cap", `the platform's spending on ${chain} reached its daily cap; retry after the UTC day ends`,
        { chain }, { "retry-after": String(taken.retryAfterSeconds) });
    }
  }
  const r = await reserveLaunch(env, {
    userId: caller.userId, chain, launchId, amount, keyId: caller.keyId,
    caps: { perKeyPerDay: await keyCap(env, caller, chain), perUserPerDay: caps.perUserPerDay.get(chain) ?? null },
  }, now);
  if (r.ok) return;
  if (platformCap !== undefined) await releasePlatformSpend(env, { chain, launchId });
  const f = r.refusal;
  log("info", "credits.reserve_refused", { chain, launchId, reason: f.refused, outcome: "refused" });
  if (f.refused === "insufficient-credits") {
    throw new ProblemError("insufficient-credits", `this launch costs ${f.required} on ${chain}; your available credits there are ${f.balance}`,
      { chain, balance: f.balance, required: f.required });
  }
  if (f.refused === "spend-cap") {
    throw new ProblemError("spend-cap-exceeded", `the ${f.scope === "key" ? "API key's" : "user's"} daily spend cap on ${chain} is ${f.cap}; ${f.spent} is spent today`,
      { chain, scope: f.scope, cap: f.cap, spent: f.spent, required: f.required });
  }
  throw new Error(`reservation refused: ${f.refused}`);
}

/**
 * The create handler's step for a platform-paid launch: reserves its cost (the
 * quote's total, or a fresh quote's) or throws the problem, giving the quote back.
 * A repeated Idempotency-Key with the same body reserves nothing (false): it
 * answers the first launch. A reservation whose row is then not written is given
 * back by releaseUnwritten, or by the cron if the request dies first.
 */
export async function reserveForNewLaunch(
  env: Env, caller: Caller,
  l: { id: string; request: LaunchRequest; chain: ChainConfig; quoteId: string | undefined; idemKey: string | null; requestHash: string },
): Promise<boolean> {
  if (l.idemKey && (await findKey(env, caller.userId, l.idemKey))?.requestHash === l.requestHash) return false;
  try {
    await reserveForLaunch(env, caller, l.chain.id, l.id, await launchCost(env, caller, l.request, l.chain, l.quoteId));
  } catch (e) {
    if (l.quoteId) await releaseQuote(env, l.quoteId, l.id);
    throw e;
  }
  return true;
}

/** Gives a reservation back when its launch was not written after all (idempotent replay, quota). */
export async function releaseUnwritten(env: Env, caller: Caller, chain: string, launchId: string): Promise<void> {
  await refundLaunch(env, { userId: caller.userId, launchId, reason: "launch not written" });
  if (apiConfig(env).creditCaps.platformPerDay.has(chain)) await releasePlatformSpend(env, { chain, launchId });
}
