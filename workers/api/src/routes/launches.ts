// POST /api/v1/launches and GET /api/v1/launches/:id — the core of the launch contract.
import { createRoute, z } from "@hono/zod-openapi";
import type { Address } from "viem";
import { canonicalLaunch, chainRegistry, checkLaunchForChain, findChain, log, newId, withFamilyDefaults, type LaunchRequest } from "@tokenforge/core";
import { evmLaunchAddress } from "@tokenforge/core/launch-evm";
import { factoryForChain } from "@tokenforge/core/contracts/factory";
import type { AppEnv, Env } from "../env";
import type { Context } from "hono";
import { requireScope } from "../auth";
import { canonicalJson, jsonBody, ProblemError, sha256Hex } from "../http";
import { findKey, getLaunchWithEvents, insertLaunch, launchView, markKeyDone, paymentTerms, type NewLaunch } from "../launch-store";
import { evmWalletLaunch, resolvePayment } from "../payments-evm";
import { apiConfig } from "../config";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import { WATCHED_STATUSES } from "@tokenforge/core/lifecycle";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { launchQuotas, recordLaunchQuotas } from "../rate-limit";
import { LaunchAccepted, LaunchRequestSchema, LaunchView } from "../schemas";
import { assertChainOpen } from "../chain-pause";
import type { MintAddressRpc } from "@tokenforge/core/solana/mint-address";
import { paymentTerms as quotePaymentTerms, redeemQuote, releaseQuote } from "../quotes";
import { solanaWalletLaunch } from "../payments-solana";
import { releaseUnwritten, reserveForNewLaunch } from "../credits";
import { hasPresence, isBase58PublicKey } from "@tokenforge/core";
import { metadataUrl } from "@tokenforge/core/assets/metadata";
import { seedAddress } from "@tokenforge/core/solana/seed-address";
import { assertLogo, writeLaunchMetadata } from "../token-metadata";
import { publicOrigin } from "./assets";

// A request whose key row is older than this finished or crashed after its launch
// row was written (the sweep re-enqueues such launches), so it is no longer "in flight".
const KEY_PROCESSING_GRACE_MS = 30_000;
const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,255}$/;
export const LAUNCH_ID_RE = /^lch_[0-9a-z]{26}$/;

export const launchesRoute = router();

const create = createRoute({
  method: "post",
  path: "/",
  operationId: "createLaunch",
  tags: ["launches"],
  summary: "Launch a token",
  description:
    "Validates the request, stores the launch and queues it; the token is deployed asynchronously. " +
    "Needs a session or an API key with `launches:write`. The launch belongs to the caller. " +
    "`payment.mode` (default: wallet for a session, platform for an API key): platform → the platform's deployer sends it " +
    "(status queued); wallet → status awaiting_payment and a `transaction` the payer must send itself before `payment.expiresAt` " +
    "(EVM: value = the chain's platform fee; sent by any other account it reverts). " +
    "With an `Idempotency-Key`, a repeat of the same request answers the same launch. " +
    "A platform-paid launch is paid from the caller's credits on its chain (GET /credits): its quote's total (`payment.quoteId`, or a fresh quote) " +
    "is reserved on acceptance, captured when it confirms and refunded when it fails; without enough credits it answers 402 insufficient-credits.",
  security: security.user,
  middleware: [requireScope("launches:write"), jsonBody] as const,
  request: {
    headers: z.object({
      "idempotency-key": z.string().optional().meta({ description: "1 to 255 printable ASCII characters; unique per caller" }),
    }),
    body: { required: true, content: jsonContent(LaunchRequestSchema) },
  },
  responses: {
    202: {
      description: "Accepted: the launch is stored and queued (platform) or awaits its payer's transaction (wallet)",
      headers: z.object({ location: z.string() }),
      content: jsonContent(LaunchAccepted),
    },
    ...problems(
      "malformed-json", "invalid-idempotency-key", "unauthorized", "forbidden", "idempotency-key-in-flight", "payload-too-large",
      "unsupported-media-type", "validation-error", "unknown-chain", "idempotency-key-reused", ...LIMITED,
      "unavailable", // a Solana mint address could not be had from the deployer, or a wallet launch's fee is not read yet
      "quote-rejected", // payment.quoteId: expired, used, another caller's or body's, or the fee changed on chain
      "chain-paused", // the operators paused new launches on this chain (Retry-After)
      "insufficient-credits", // platform-paid: the caller's credits on the chain are less than the quote's total (`balance`, `required`)
      "spend-cap-exceeded", // platform-paid: the key's or the user's daily spend cap on the chain
      "platform-spend-cap", // platform-paid: the platform's daily spending on the chain is reached (Retry-After)
    ),
  },
});

launchesRoute.openapi(create, async (c) => {
  const caller = c.get("caller")!;
  const key = c.req.header("idempotency-key") ?? null;
  if (key !== null && !IDEMPOTENCY_KEY_RE.test(unquote(key))) {
    throw new ProblemError("invalid-idempotency-key", "1 to 255 printable ASCII characters");
  }
  const idemKey = key === null ? null : unquote(key);
  const request = checkForChain(c.env, c.req.valid("json"));
  const requestHash = await sha256Hex(canonicalJson(request));
  await assertChainOpen(c.env, request.chain).catch(async (paused: unknown) => {
    // A replay of a request accepted before the pause launches nothing: the duplicate-key path below answers its launch.
    if (idemKey && (await findKey(c.env, caller.userId, idemKey))?.requestHash === requestHash) return;
    throw paused;
  });

  const id = newId("lch");
  const chain = findChain(chainRegistry(c.env), request.chain)!;
  const { mode, payer } = await resolvePayment(c.env, caller, request);
  const { presence, origin, withUri } = await presenceOf(c, request, chain.id);
  let launch: NewLaunch;
  if (mode === "wallet") {
    // A wallet-paid Solana mint is createWithSeed(payer, launch id): known before its transaction is built with the uri.
    const solanaRequest = chain.family === "solana" && presence && isBase58PublicKey(payer!) ? withUri(await seedAddress(payer!, id)) : request;
    const w = chain.family === "solana"
      ? await solanaWalletLaunch(c.env, id, solanaRequest, payer!, apiConfig(c.env).paymentWindowSeconds, Date.now())
      : await evmWalletLaunch(c.env, chain, id, request, payer!, apiConfig(c.env).paymentWindowSeconds, Date.now());
    launch = {
      id, creatorId: caller.userId, request: chain.family === "solana" ? solanaRequest : withUri(w.address), requestHash, deployer: w.payer, address: w.address, factoryVersion: w.factoryVersion, idempotencyKey: idemKey,
      payment: { mode, payer: w.payer, payBy: w.payBy, transaction: w.transaction },
    };
  } else {
    const deployer = deployerFor(c.env, chain.family);
    // New EVM launches use the chain's current factory (v2 where the registry names its owner); the row keeps the version.
    const factory = chain.family === "evm" ? factoryForChain(chain) : null;
    const address = factory ? evmLaunchAddress(id, deployer as Address, request, factory) : await solanaMintAddress(c.env, id);
    launch = { id, creatorId: caller.userId, request: withUri(address), requestHash, deployer, address, factoryVersion: factory?.version ?? null, idempotencyKey: idemKey };
  }

  // A quote binds the launch's figures: used here (one conditional UPDATE) or 409 quote-rejected.
  const quoteId = request.payment?.quoteId;
  if (quoteId) {
    const terms = await quotePaymentTerms(c.env, caller, request, chain);
    const used = await redeemQuote(c.env, caller, request, chain, { quoteId, launchId: id, terms, idempotencyKey: idemKey });
    if (used.kind === "replay") {
      const replay = await replayIdempotent(c.env, caller.userId, idemKey!, requestHash);
      return c.json(replay, 202, { location: replay.links.self, "idempotent-replayed": "true" });
    }
  }

  // Platform-paid: its cost is reserved from the caller's credits before the row exists (credits.ts).
  const reserving = mode === "platform" && (await reserveForNewLaunch(c.env, caller, { id, request, chain, quoteId, idemKey, requestHash }));

  const quotas = await launchQuotas(c);
  const inserted = await insertLaunch(c.env, { ...launch, quoteId: quoteId ?? null }, quotas);
  if (quoteId && inserted.kind !== "inserted") await releaseQuote(c.env, quoteId, id);
  if (reserving && inserted.kind !== "inserted") await releaseUnwritten(c.env, caller, chain.id, id);
  if (inserted.kind === "duplicate-key") {
    // Same key + same body → the same launch, whatever the quotas say now: a replay launches nothing.
    const replay = await replayIdempotent(c.env, caller.userId, idemKey!, requestHash);
    return c.json(replay, 202, { location: replay.links.self, "idempotent-replayed": "true" });
  }
  if (presence && inserted.kind === "inserted") {
    // After the row: a document never names a launch that was not accepted. Should this write fail, the launch stands
    // without a served document (logged); its owner can write one (PATCH …/metadata).
    await writeLaunchMetadata(c.env, chain.family, origin, launch, Date.now()).catch((e: unknown) => log("error", "launch.metadata_write_failed", { launchId: id, chain: chain.id, error: e }));
  }
  recordLaunchQuotas(c, quotas, inserted.kind === "inserted" ? inserted.used : new Map(quotas.map((q) => [q.subject, q.limit])), inserted.kind === "over-quota" ? inserted.subject : undefined);

  try {
    // A wallet launch is never handed to the deployer's sender: the deployer only watches for it.
    if (mode === "wallet") await c.env.WATCH.send({ launchId: id, reason: "created" }, { delaySeconds: 1 });
    else await c.env.LAUNCHES.send({ launchId: id, reason: "created" });
  } catch (e) {
    // The row is the truth: the cron sweep re-enqueues queued launches (and
    // re-drives watched ones), so the launch is not lost; answer 202 all the same.
    log("error", "launch.enqueue_failed", { launchId: id, chain: chain.id, error: e });
  }
  if (idemKey) await markKeyDone(c.env, caller.userId, idemKey);
  log("info", "launch.accepted", { launchId: id, chain: chain.id, mode, outcome: mode === "wallet" ? "awaiting_payment" : "queued" });
  return c.json(acceptedBody(acceptedRow(launch)), 202, { location: `/api/v1/launches/${id}` });
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  operationId: "getLaunch",
  tags: ["launches"],
  summary: "A launch and its status history",
  description: "Public: anyone with the id may read it.",
  security: security.none,
  request: { params: z.object({ id: z.string().meta({ example: "lch_01jb7x3v9k2m4n6p8q0r2s4t6v" }) }) },
  responses: {
    200: { description: "The launch", content: jsonContent(LaunchView) },
    ...problems("not-found", ...LIMITED),
  },
});

launchesRoute.openapi(get, async (c) => {
  const { id } = c.req.valid("param");
  if (!LAUNCH_ID_RE.test(id)) throw new ProblemError("not-found", "no launch with this id");
  const found = await getLaunchWithEvents(c.env, id);
  if (!found) throw new ProblemError("not-found", "no launch with this id");
  return c.json(launchView(c.env, found.row, found.events), 200);
});

const PaymentNotice = z
  .union([
    z.strictObject({ txHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/).meta({ description: "EVM: the hash of the payer's transaction" }) }),
    z.strictObject({ signature: z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/).meta({ description: "Solana: the transaction's signature" }) }),
  ])
  .meta({ id: "PaymentNotice" });

const notifyPayment = createRoute({
  method: "post",
  path: "/{id}/payment",
  operationId: "notifyLaunchPayment",
  tags: ["launches"],
  summary: "Tell the platform a wallet launch's transaction was sent",
  description:
    "Optional: the platform finds the payment on chain by itself. Naming the sent transaction makes it look now instead of at its next round. " +
    "Only the launch's creator, only while it awaits payment.",
  security: security.user,
  middleware: [requireScope("launches:write"), jsonBody] as const,
  request: {
    params: z.object({ id: z.string() }),
    body: { required: true, content: jsonContent(PaymentNotice) },
  },
  responses: {
    202: { description: "The launch is being looked for on chain now", content: jsonContent(z.object({ id: z.string(), status: LaunchView.shape.status })) },
    ...problems("malformed-json", "unauthorized", "forbidden", "not-found", "conflict", "unsupported-media-type", "validation-error", ...LIMITED),
  },
});

launchesRoute.openapi(notifyPayment, async (c) => {
  const caller = c.get("caller")!;
  const { id } = c.req.valid("param");
  const notice = c.req.valid("json");
  const found = LAUNCH_ID_RE.test(id) ? await getLaunchWithEvents(c.env, id) : null;
  // Someone else's launch is answered like a missing one: ids are public, payments are not.
  if (!found || found.row.creatorId !== caller.userId) throw new ProblemError("not-found", "no launch of yours with this id");
  const row = found.row;
  if (row.paymentMode !== "wallet") throw new ProblemError("conflict", "this launch is paid by the platform; there is no payment to report");
  if (!WATCHED_STATUSES.includes(row.status)) throw new ProblemError("conflict", `the launch is ${row.status}, not awaiting payment`);
  const family = findChain(chainRegistry(c.env), row.chain)?.family;
  if ((family === "evm") !== ("txHash" in notice)) {
    const path = family === "evm" ? "txHash" : "signature";
    throw new ProblemError("validation-error", `${path}: is required on ${row.chain}`, { errors: [{ path, message: `is required on ${row.chain}` }] });
  }
  await c.env.WATCH.send({ launchId: id, reason: "payment" });
  log("info", "launch.payment_noted", { launchId: id, chain: row.chain, tx: "txHash" in notice ? notice.txHash : notice.signature });
  return c.json({ id, status: row.status }, 202);
});

type AcceptedRow = Pick<LaunchRow, "id" | "chain" | "address" | "paymentMode" | "payer" | "payBy" | "payment">;

function acceptedRow(l: NewLaunch): AcceptedRow {
  return { id: l.id, chain: l.request.chain, address: l.address, paymentMode: l.payment?.mode ?? "platform", payer: l.payment?.payer ?? null, payBy: l.payment?.payBy ?? null, payment: l.payment?.transaction ?? null };
}

function acceptedBody(row: AcceptedRow) {
  const base = { id: row.id, chain: row.chain, address: row.address, links: { self: `/api/v1/launches/${row.id}` } };
  if (row.paymentMode !== "wallet") return { ...base, status: "queued" as const };
  const { transaction, ...payment } = paymentTerms(row);
  return { ...base, status: "awaiting_payment" as const, ...(transaction ? { transaction } : {}), payment };
}

/**
 * Presence fields (issue 18): the platform writes the metadata document, and the token's
 * metadataUri is its URL (the Solana mint's on-chain uri; EVM v2 answers it from contractURI()).
 */
async function presenceOf(c: Context<AppEnv>, request: LaunchRequest, chain: string) {
  const presence = hasPresence(request);
  if (presence) await assertLogo(c.env, request.logo);
  const origin = publicOrigin(c);
  const withUri = (address: string): LaunchRequest => (presence ? { ...request, metadataUri: metadataUrl(origin, chain, address) } : request);
  return { presence, origin, withUri };
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

async function replayIdempotent(env: Env, callerId: string, key: string, requestHash: string) {
  const existing = await findKey(env, callerId, key);
  if (!existing) throw new ProblemError("idempotency-key-in-flight", "retry in a moment");
  if (existing.requestHash !== requestHash) {
    throw new ProblemError("idempotency-key-reused", "this Idempotency-Key was first used with a different body");
  }
  if (existing.state === "processing" && Date.now() - existing.createdAt < KEY_PROCESSING_GRACE_MS) {
    throw new ProblemError("idempotency-key-in-flight", "the first request with this key is still being processed", {}, { "retry-after": "1" });
  }
  const found = await getLaunchWithEvents(env, existing.launchId);
  return acceptedBody(found!.row);
}

// The draft allows the key as a structured-field string ("abc"); accept both forms.
function unquote(v: string) {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}
