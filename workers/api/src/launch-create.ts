// The one path that accepts launches: POST /launches (one item), POST /launches/batch
// (up to 100) and the MCP tool create_launch (one item) all call createLaunches, so
// validation, idempotency, payment, quotas (and, from the credits issue, the credit
// reservation) apply alike. Per item, in order:
//   1. validate (zod, then the chain's rules) and hash the canonical request;
//   2. an Idempotency-Key already used → the same launch (or 422 for another body);
//   3. pause, payment mode, the token's address, a quote's redemption;
//   4. reserve, in item order: a platform-paid item's cost from the caller's credits
//      (402 past the balance, credits.ts), then the daily launch quotas (429 past them);
// then one D1 batch for every accepted item, their metadata documents (issue 18), and one queue sendBatch.
import type { Context } from "hono";
import type { Address } from "viem";
import { canonicalLaunch, chainRegistry, checkLaunchForChain, findChain, LaunchRequest, log, newId, withFamilyDefaults, type ChainConfig } from "@tokenforge/core";
import { evmLaunchAddress } from "@tokenforge/core/launch-evm";
import { factoryForChain } from "@tokenforge/core/contracts/factory";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { MintAddressRpc } from "@tokenforge/core/solana/mint-address";
import type { AppEnv, Env } from "./env";
import { canonicalJson, ProblemError, sha256Hex, zodProblem } from "./http";
import { findKeys, getLaunches, insertLaunches, markKeysDone, paymentTerms, quotaRoom, type NewLaunch } from "./launch-store";
import { evmWalletLaunch, resolvePayment } from "./payments-evm";
import { solanaWalletLaunch } from "./payments-solana";
import { apiConfig } from "./config";
import { launchQuotas, recordLaunchQuotas } from "./rate-limit";
import { assertChainOpen } from "./chain-pause";
import { paymentTerms as quotePaymentTerms, redeemQuote, releaseQuote } from "./quotes";
import { launchCost, releaseUnwritten, reserveForLaunch } from "./credits";
import { hasPresence, isBase58PublicKey } from "@tokenforge/core";
import { metadataUrl } from "@tokenforge/core/assets/metadata";
import { seedAddress } from "@tokenforge/core/solana/seed-address";
import { assertLogo, writeLaunchMetadata } from "./token-metadata";
import { publicOrigin } from "./routes/assets";

// A request whose key row is older than this finished or crashed after its launch
// row was written (the sweep re-enqueues such launches), so it is no longer "in flight".
const KEY_PROCESSING_GRACE_MS = 30_000;
export const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,255}$/;

export type CreateInput = {
  /** The launch body as sent (validated here, so every entry point reports the same 422). */
  body: unknown;
  /** The body is already LaunchRequest's output (POST /launches: its route validator parsed it with the same schema): not parsed again. */
  parsed?: true;
  idempotencyKey: string | null;
};

export type AcceptedBody = ReturnType<typeof acceptedBody>;

export type CreateOutcome =
  | { ok: true; body: AcceptedBody; replayed: boolean }
  | { ok: false; problem: ProblemError };

export type CreateOptions = {
  /** Batches and agents pay with credits only: a wallet-paid item is a 422 naming payment.mode. */
  platformOnly?: boolean;
};

type Prepared = {
  index: number; launch: NewLaunch; quoteId: string | null; chain: ChainConfig;
  /** The platform writes this launch's metadata document (issue 18), served from `origin`. */
  presence: boolean; origin: string;
  /** Its cost is reserved from the caller's credits (released if the row is not written). */
  reserved?: boolean;
};

/** Accepts launches for the request's caller; one outcome per input, in order. */
export async function createLaunches(c: Context<AppEnv>, inputs: CreateInput[], opts: CreateOptions = {}): Promise<CreateOutcome[]> {
  const caller = c.get("caller")!;
  const outcomes: (CreateOutcome | null)[] = inputs.map(() => null);
  const keys = inputs.map((i) => i.idempotencyKey).filter((k): k is string => k !== null);
  const existingKeys = keys.length ? await findKeys(c.env, caller.userId, keys) : new Map();
  const replays = new Map<number, string>();
  const prepared: Prepared[] = [];
  const seenKeys = new Set<string>();
  for (const [index, input] of inputs.entries()) {
    try {
      const key = input.idempotencyKey;
      if (key !== null && seenKeys.has(key)) throw new ProblemError("idempotency-key-reused", "this Idempotency-Key is used twice in the same request");
      if (key !== null) seenKeys.add(key);
      const request = input.parsed ? checkForChain(c.env, input.body as LaunchRequest) : validate(c.env, input.body);
      const requestHash = await sha256Hex(canonicalJson(request));
      const existing = key === null ? undefined : existingKeys.get(key);
      if (existing?.requestHash === requestHash) {
        // Same key + same body → the same launch, whatever the pause or the quotas say now: a replay launches nothing.
        checkNotInFlight(existing);
        replays.set(index, existing.launchId);
        continue;
      }
      await assertChainOpen(c.env, request.chain);
      if (existing) throw new ProblemError("idempotency-key-reused", "this Idempotency-Key was first used with a different body");
      if (opts.platformOnly && request.payment?.mode === "wallet") {
        throw invalid("payment.mode", "must be platform here: batches and agents pay with credits, not a wallet");
      }
      prepared.push(await prepare(c, request, requestHash, key, index));
    } catch (e) {
      if (!(e instanceof ProblemError)) throw e;
      outcomes[index] = { ok: false, problem: e };
    }
  }

  const accepted = await reserveAndInsert(c, await reserveCredits(c, prepared, outcomes), outcomes);
  await writeDocuments(c.env, accepted);
  await answerReplays(c.env, replays, outcomes);
  await enqueue(c.env, accepted);
  await markKeysDone(c.env, caller.userId, accepted.map((p) => p.launch.idempotencyKey).filter((k): k is string => k !== null));
  for (const p of accepted) {
    const mode = p.launch.payment?.mode ?? "platform";
    log("info", "launch.accepted", { launchId: p.launch.id, chain: p.chain.id, mode, outcome: mode === "wallet" ? "awaiting_payment" : "queued" });
    outcomes[p.index] = { ok: true, body: acceptedBody(acceptedRow(p.launch)), replayed: false };
  }
  return outcomes.map((o) => o!);
}

/** Step 4a: each platform-paid item's cost reserved from the caller's credits, in item order; past the balance → its 402. */
async function reserveCredits(c: Context<AppEnv>, prepared: Prepared[], outcomes: (CreateOutcome | null)[]): Promise<Prepared[]> {
  const caller = c.get("caller")!;
  const kept: Prepared[] = [];
  for (const p of prepared) {
    if ((p.launch.payment?.mode ?? "platform") !== "platform") {
      kept.push(p);
      continue;
    }
    try {
      await reserveForLaunch(c.env, caller, p.chain.id, p.launch.id, await launchCost(c.env, caller, p.launch.request, p.chain, p.quoteId ?? undefined));
      kept.push({ ...p, reserved: true });
    } catch (e) {
      if (!(e instanceof ProblemError)) throw e;
      if (p.quoteId) await releaseQuote(c.env, p.quoteId, p.launch.id);
      outcomes[p.index] = { ok: false, problem: e };
    }
  }
  return kept;
}

/** After the rows: a document never names a launch that was not accepted. A failed write is logged; the owner can write one (PATCH …/metadata). */
async function writeDocuments(env: Env, accepted: Prepared[]) {
  for (const p of accepted.filter((a) => a.presence)) {
    await writeLaunchMetadata(env, p.chain.family, p.origin, p.launch, Date.now())
      .catch((e: unknown) => log("error", "launch.metadata_write_failed", { launchId: p.launch.id, chain: p.chain.id, error: e }));
  }
}

/**
 * Step 4b: the prepared items are reserved in their order, and those that fit are
 * written in one D1 batch. Today the reservation is the daily launch quotas
 * (per user and per IP; the D1 CHECK is the final word, so a concurrent request
 * can still take the room between the read and the write: then the first
 * `room` items are tried once more). Items not written give back their quote and credits.
 */
async function reserveAndInsert(c: Context<AppEnv>, prepared: Prepared[], outcomes: (CreateOutcome | null)[]): Promise<Prepared[]> {
  if (prepared.length === 0) return [];
  const quotas = await launchQuotas(c);
  let take = prepared;
  let refusedBy: string | undefined;
  for (;;) {
    const inserted = await insertLaunches(c.env, take.map((p) => ({ ...p.launch, quoteId: p.quoteId })), quotas);
    if (inserted.kind === "inserted") {
      // Items past the room get the 429 of the quota that refused them; the fields show what is left.
      const problem = recordLaunchQuotas(c, quotas, inserted.used, take.length < prepared.length ? refusedBy : undefined);
      for (const p of prepared.slice(take.length)) outcomes[p.index] = { ok: false, problem: problem! };
      await releaseUnaccepted(c, prepared.slice(take.length));
      return take;
    }
    if (inserted.kind === "duplicate-key") {
      // Another request with one of these keys won the race: answer it as in flight; a retry finds its launch.
      await releaseUnaccepted(c, prepared);
      for (const p of prepared) outcomes[p.index] = { ok: false, problem: new ProblemError("idempotency-key-in-flight", "a request with this Idempotency-Key is being processed; retry in a moment", {}, { "retry-after": "1" }) };
      return [];
    }
    // Over a quota: the first items that still fit are tried once more (in order), the rest refused.
    const room = refusedBy === undefined ? Math.min(await quotaRoom(c.env, quotas), take.length - 1) : 0;
    refusedBy = inserted.subject;
    if (room <= 0) {
      const problem = recordLaunchQuotas(c, quotas, new Map(quotas.map((q) => [q.subject, q.limit])), inserted.subject)!;
      for (const p of prepared) outcomes[p.index] = { ok: false, problem };
      await releaseUnaccepted(c, prepared);
      return [];
    }
    take = prepared.slice(0, room);
  }
}

async function releaseUnaccepted(c: Context<AppEnv>, ps: Prepared[]) {
  for (const p of ps) {
    if (p.quoteId) await releaseQuote(c.env, p.quoteId, p.launch.id);
    if (p.reserved) await releaseUnwritten(c.env, c.get("caller")!, p.chain.id, p.launch.id);
  }
}

/** Step 1: the schema's rules, then the chain's; every failure is a 422 listing each field. */
function validate(env: Env, body: unknown) {
  const parsed = LaunchRequest.safeParse(body);
  if (!parsed.success) throw zodProblem(parsed.error);
  return checkForChain(env, parsed.data);
}

/** Step 3: the launch row to write, with its address; a quote is redeemed by it. */
async function prepare(c: Context<AppEnv>, request: LaunchRequest, requestHash: string, idemKey: string | null, index: number): Promise<Prepared> {
  const caller = c.get("caller")!;
  const id = newId("lch");
  const chain = findChain(chainRegistry(c.env), request.chain)!;
  const { mode, payer } = await resolvePayment(c.env, caller, request);
  // Presence fields (issue 18): the platform writes the metadata document, and the token's metadataUri is its URL
  // (the Solana mint's on-chain uri; EVM v2 answers it from contractURI()).
  const presence = hasPresence(request);
  if (presence) await assertLogo(c.env, request.logo);
  const origin = publicOrigin(c);
  const withUri = (address: string): LaunchRequest => (presence ? { ...request, metadataUri: metadataUrl(origin, chain.id, address) } : request);
  let launch: NewLaunch;
  if (mode === "wallet") {
    // A wallet-paid Solana mint is createWithSeed(payer, launch id): known before its transaction is built with the uri.
    const solanaRequest = chain.family === "solana" && presence && isBase58PublicKey(payer!) ? withUri(await seedAddress(payer!, id)) : request;
    const w = chain.family === "solana"
      ? await solanaWalletLaunch(c.env, id, solanaRequest, payer!, apiConfig(c.env).paymentWindowSeconds, Date.now())
      : await evmWalletLaunch(c.env, chain, id, request, payer!, apiConfig(c.env).paymentWindowSeconds, Date.now());
    launch = {
      id, creatorId: caller.userId, request: chain.family === "solana" ? solanaRequest : withUri(w.address), requestHash, deployer: w.payer, address: w.address,
      factoryVersion: w.factoryVersion, idempotencyKey: idemKey, payment: { mode, payer: w.payer, payBy: w.payBy, transaction: w.transaction },
    };
  } else {
    const deployer = deployerFor(c.env, chain.family);
    // New EVM launches use the chain's current factory (v2 where the registry names its owner); the row keeps the version.
    const factory = chain.family === "evm" ? factoryForChain(chain) : null;
    const address = factory ? evmLaunchAddress(id, deployer as Address, request, factory) : await solanaMintAddress(c.env, id);
    launch = { id, creatorId: caller.userId, request: withUri(address), requestHash, deployer, address, factoryVersion: factory?.version ?? null, idempotencyKey: idemKey };
  }
  // A quote binds the launch's figures: used here (one conditional UPDATE) or 409 quote-rejected.
  const quoteId = request.payment?.quoteId ?? null;
  if (quoteId) {
    const terms = await quotePaymentTerms(c.env, caller, request, chain);
    const used = await redeemQuote(c.env, caller, request, chain, { quoteId, launchId: id, terms, idempotencyKey: idemKey });
    if (used.kind === "replay") {
      // The quote was redeemed by this key's first request, whose key row is not visible yet: still in flight.
      throw new ProblemError("idempotency-key-in-flight", "the first request with this key is still being processed", {}, { "retry-after": "1" });
    }
  }
  return { index, launch, quoteId, chain, presence, origin };
}

async function enqueue(env: Env, accepted: Prepared[]) {
  const platform = accepted.filter((p) => (p.launch.payment?.mode ?? "platform") === "platform");
  const wallet = accepted.filter((p) => p.launch.payment?.mode === "wallet");
  try {
    // A wallet launch is never handed to the deployer's sender: the deployer only watches for it.
    if (platform.length) await env.LAUNCHES.sendBatch(platform.map((p) => ({ body: { launchId: p.launch.id, reason: "created" as const } })));
    if (wallet.length) await env.WATCH.sendBatch(wallet.map((p) => ({ body: { launchId: p.launch.id, reason: "created" as const }, delaySeconds: 1 })));
  } catch (e) {
    // The rows are the truth: the cron sweep re-enqueues queued launches (and
    // re-drives watched ones), so no launch is lost; answer 202 all the same.
    log("error", "launch.enqueue_failed", { launchIds: accepted.map((p) => p.launch.id), error: e });
  }
}

function checkNotInFlight(existing: { state: string; createdAt: number }) {
  if (existing.state === "processing" && Date.now() - existing.createdAt < KEY_PROCESSING_GRACE_MS) {
    throw new ProblemError("idempotency-key-in-flight", "the first request with this key is still being processed", {}, { "retry-after": "1" });
  }
}

async function answerReplays(env: Env, replays: Map<number, string>, outcomes: (CreateOutcome | null)[]) {
  if (replays.size === 0) return;
  const rows = new Map((await getLaunches(env, [...new Set(replays.values())])).map((r) => [r.id, r]));
  for (const [index, launchId] of replays) {
    const row = rows.get(launchId);
    outcomes[index] = row
      ? { ok: true, body: acceptedBody(row), replayed: true }
      : { ok: false, problem: new ProblemError("idempotency-key-in-flight", "retry in a moment", {}, { "retry-after": "1" }) };
  }
}

type AcceptedRow = Pick<LaunchRow, "id" | "chain" | "address" | "paymentMode" | "payer" | "payBy" | "payment">;

function acceptedRow(l: NewLaunch): AcceptedRow {
  return { id: l.id, chain: l.request.chain, address: l.address, paymentMode: l.payment?.mode ?? "platform", payer: l.payment?.payer ?? null, payBy: l.payment?.payBy ?? null, payment: l.payment?.transaction ?? null };
}

export function acceptedBody(row: AcceptedRow) {
  const base = { id: row.id, chain: row.chain, address: row.address, links: { self: `/api/v1/launches/${row.id}` } };
  if (row.paymentMode !== "wallet") return { ...base, status: "queued" as const };
  const { transaction, ...payment } = paymentTerms(row);
  return { ...base, status: "awaiting_payment" as const, ...(transaction ? { transaction } : {}), payment };
}

/** The chain's rules, after the schema's (the zod validator ran first); every failure is a 422 listing each field. Returns the canonical request. */
export function checkForChain(env: Env, request: LaunchRequest): LaunchRequest {
  const chain = findChain(chainRegistry(env), request.chain);
  if (!chain) {
    throw new ProblemError("unknown-chain", `unknown chain "${request.chain}"; see GET /api/v1/chains`, {
      errors: [{ path: "chain", message: "is not a supported chain" }],
    });
  }
  const issues = checkLaunchForChain(request, chain);
  if (issues.length) {
    throw new ProblemError("validation-error", issues.map((e) => `${e.path}: ${e.message}`).join("; "), { errors: issues });
  }
  // One form before the idempotency hash and the row: a lower-case owner is the same launch as its checksum form.
  return withFamilyDefaults(canonicalLaunch(request, chain), chain.family);
}

function invalid(path: string, message: string) {
  return new ProblemError("validation-error", `${path}: ${message}`, { errors: [{ path, message }] });
}

/** An Idempotency-Key header's value: the draft allows it as a structured-field string ("abc"); 400 when not 1–255 printable ASCII. */
export function idempotencyKeyOf(header: string | undefined | null): string | null {
  if (header === undefined || header === null) return null;
  const key = header.length >= 2 && header.startsWith('"') && header.endsWith('"') ? header.slice(1, -1) : header;
  if (!IDEMPOTENCY_KEY_RE.test(key)) throw new ProblemError("invalid-idempotency-key", "1 to 255 printable ASCII characters");
  return key;
}

/**
 * A Solana launch's mint is a keypair derived from a secret only the deployer
 * holds (so a launch makes at most one mint), so the api asks the deployer for the public
 * address over Workers RPC (binding DEPLOYER → its MintAddress entrypoint)
 * instead of holding the secret itself.
 */
async function solanaMintAddress(env: Env, launchId: string): Promise<string> {
  const deployer: MintAddressRpc | undefined = env.DEPLOYER;
  try {
    if (!deployer) throw new Error("no DEPLOYER service binding");
    return await deployer.address(launchId);
  } catch (e) {
    log("error", "launch.mint_address_failed", { launchId, error: e });
    throw new ProblemError("unavailable", "Solana launches are unavailable for a moment; retry", {}, { "retry-after": "1" });
  }
}

function deployerFor(env: Env, family: "evm" | "solana"): string {
  if (family === "evm") return env.EVM_DEPLOYER_ADDRESS;
  return String(env.SOLANA_FEE_PAYER ?? "");
}
