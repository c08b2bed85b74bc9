// Request and response shapes of the HTTP API, as zod schemas named for the
// OpenAPI document (`.meta({ id })`). Request bodies reuse the domain schemas of
// packages/core (LaunchRequest …); responses describe what the handlers build.
import { z } from "zod";
import { ChainFees, LaunchError, LaunchEvent, LaunchRequest, LaunchStatus, PaymentMode } from "@tokenforge/core";
import { PaymentTransaction, SolanaPaymentTransaction } from "@tokenforge/core/launch";
import { WebhookEventType } from "@tokenforge/core/webhooks";
import { lookAlikeProblem } from "@tokenforge/core/names";
import { FEATURES } from "@tokenforge/core/evm/token-address";
import { Scope } from "./scopes";
import { SAFETY_CHECKS } from "@tokenforge/core/safety";

const Id = (prefix: string) => z.string().meta({ example: `${prefix}_01jb7x3v9k2m4n6p8q0r2s4t6v` });
const Timestamp = z.string().meta({ description: "RFC 3339 date-time", example: "2026-01-01T00:00:00.000Z" });
const Cursor = z.string().max(200).optional().meta({ description: "The `nextCursor` of the previous page" });

// The request body stays inline (no component id): generators such as
// openapi-typescript treat a field with a default as optional only inside a
// request body, not in a shared component. The accepted request, as a launch
// view echoes it, has every default filled in, so that one is a component.
export const LaunchRequestSchema = LaunchRequest.meta({
  description: "A token to launch. Amounts are decimal strings of whole tokens; features default to false.",
  example: {
    chain: "local-eth", name: "Forge Coin", symbol: "FORGE", decimals: 18, initialSupply: "1000000", maxSupply: "2000000",
    owner: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", features: { mintable: true, burnable: true, pausable: false, permit: true, freezable: false },
  },
});
export const AcceptedLaunchRequest = LaunchRequest.meta({
  id: "AcceptedLaunchRequest",
  description: "The launch request as accepted, defaults filled in.",
});

/** A wallet-paid launch's terms: who must send it and until when. */
export const LaunchPayment = z
  .object({
    mode: PaymentMode,
    payer: z.string().nullable(),
    expiresAt: Timestamp.nullable().meta({ description: "Wallet: after this the launch expires unpaid (EVM: the transaction's deadline)" }),
  })
  .meta({ id: "LaunchPayment" });

export const LaunchAccepted = z
  .object({
    id: Id("lch"),
    status: z.enum(["queued", "awaiting_payment"]).meta({ description: "queued: the platform sends it; awaiting_payment: the payer sends `transaction`" }),
    chain: z.string(),
    address: z.string().meta({ description: "The token address (EVM, predicted) or mint; empty when not yet known" }),
    transaction: PaymentTransaction.optional().meta({
      description:
        "Wallet payment: what the payer sends from its account. EVM: chainId, to, data, value in wei. Solana: a base64 transaction the wallet " +
        "signs and sends itself (signAndSendTransaction; added instructions are fine), valid until lastValidBlockHeight; " +
        "POST /api/v1/launches/{id}/transaction issues a fresh one within the payment window.",
    }),
    payment: LaunchPayment.optional(),
    links: z.object({ self: z.string() }),
  })
  .meta({ id: "LaunchAccepted" });

/** A fresh transaction for a wallet-paid Solana launch. */
export const SolanaWalletTransaction = SolanaPaymentTransaction.extend({ expiresAt: z.string() }).meta({ id: "SolanaWalletTransaction" });

export const LaunchView = z
  .object({
    id: Id("lch"),
    status: LaunchStatus,
    chain: z.string(),
    address: z.string(),
    txHash: z.string().nullable().optional().meta({ description: "EVM chains" }),
    blockNumber: z.number().nullable().optional().meta({ description: "EVM chains" }),
    signature: z.string().nullable().optional().meta({ description: "Solana" }),
    slot: z.number().nullable().optional().meta({ description: "Solana" }),
    gasUsed: z.string().nullable().meta({ description: "EVM: gas units the deploy transaction used (a decimal string)" }),
    factoryVersion: z.string().nullable(),
    payment: LaunchPayment.extend({ transaction: PaymentTransaction.nullable() }).optional().meta({ description: "Wallet-paid launches" }),
    attempts: z.number().int(),
    error: LaunchError.nullable(),
    request: AcceptedLaunchRequest,
    explorer: z.object({ token: z.string().nullable(), tx: z.string().nullable() }).nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    events: z.array(LaunchEvent),
    links: z.object({ self: z.string() }),
  })
  .meta({ id: "Launch" });

export const LaunchSummary = LaunchView.omit({ events: true, request: true })
  .extend({ name: z.string(), symbol: z.string() })
  .meta({ id: "LaunchSummary" });

export const LaunchList = z
  .object({ launches: z.array(LaunchSummary), nextCursor: z.string().nullable() })
  .meta({ id: "LaunchList" });

export const MyLaunchesQuery = z.strictObject({
  cursor: Cursor,
  limit: z.coerce.number().int().min(1).max(100).default(20),
  all: z.enum(["0", "1"]).optional().meta({ description: "Admins: 1 lists every user's launches" }),
});

/**
 * How an EVM token states its features on chain. Written from the same bit
 * values the factory encodes (core evm/token-address FEATURES), so it cannot drift.
 */
export const FEATURES_ON_CHAIN =
  "On EVM chains the token itself says which features it has: `features()` (selector 0x2b521416) returns a uint8 bitmask, " +
  Object.entries(FEATURES).map(([name, bit]) => `${bit} ${name}`).join(", ") +
  ". Read it instead of probing: every TokenForge token answers `DOMAIN_SEPARATOR()` and `nonces(address)`, with or without the permit feature, " +
  `so EIP-2612 permit works only when bit ${FEATURES.permit} is set (otherwise \`permit\` reverts).`;

const usd = (description: string) => z.number().nullable().meta({ description });
export const MarketView = z
  .object({
    priceUsd: usd("Price in USD (GeckoTerminal)"),
    fdvUsd: usd("Fully diluted valuation, USD"),
    marketCapUsd: usd("Market cap, USD; often null (the provider does not know the circulating supply): show fdvUsd then, labelled FDV"),
    volume24hUsd: usd("24 h trading volume, USD"),
    liquidityUsd: usd("Liquidity (reserve) of the top pool, USD"),
    pool: z.string().nullable().meta({ description: "The top pool's address" }),
    dex: z.string().nullable().meta({ description: "The top pool's DEX id" }),
    stale: z.boolean().meta({ description: "true when the last refresh failed or the figures are older than the API's limit (MARKET_STALE_SECONDS)" }),
    asOf: z.string().nullable().meta({ description: "When the figures were fetched (null: never yet)" }),
  })
  .meta({ id: "TokenMarket" });
export const StatsView = z
  .object({
    holders: z.number().int().meta({ description: "Accounts holding a balance above 0" }),
    transfers: z.number().int().nullable().meta({ description: "Transfers indexed: EVM Transfer events (mints and burns included); Solana Transfer/TransferChecked instructions of finalized transactions (mints and burns are other instructions). null until first counted" }),
    topHoldersShare: z.number().nullable().meta({ description: "Share of supply (0..1) held by the 10 largest holders" }),
    supply: z.string().meta({ description: "Supply as the index counts it (EVM: minted − burned from Transfer logs; Solana: the sum of token accounts), whole tokens" }),
  })
  .meta({ id: "TokenStats" });

export const TokenView = z
  .object({
    chain: z.string(),
    address: z.string(),
    name: z.string(),
    symbol: z.string(),
    decimals: z.number().int(),
    initialSupply: z.string().meta({
      description: "The supply minted at launch, in whole tokens (a decimal string, like the launch request's initialSupply); not the current supply",
      example: "1000000",
    }),
    owner: z.string(),
    features: z.record(z.string(), z.boolean()).meta({
      description:
        "The token's features as launched (mintable, burnable, pausable, permit, freezable). SPL tokens (Solana) are always burnable: every holder can burn their own tokens. " +
        FEATURES_ON_CHAIN,
    }),
    metadataUri: z.string().nullable(),
    logo: z.string().nullable().meta({ description: "The logo's URL (GET /api/v1/assets/{id}), when the launch or its owner set one" }),
    launchId: z.string(),
    txHash: z.string().nullable(),
    createdAt: Timestamp,
    market: MarketView.nullable().meta({ description: "Market figures from the cron (never fetched on this request); null until the token was first looked up" }),
    stats: StatsView.nullable().meta({ description: "Analytics from the cron's index; null until the token was first indexed" }),
  })
  .meta({ id: "Token" });

const VerificationStatus = z.enum(["verified", "pending", "failed", "unsupported"]);

export const Verification = z
  .object({
    etherscan: VerificationStatus.meta({ description: "Etherscan (API v2): the token's clone linked to its verified implementation. unsupported: the explorer plan does not cover the chain, or not an EVM chain" }),
    sourcify: VerificationStatus.meta({ description: "Sourcify: the implementation the token's clone delegates to, verified from source (a clone itself is linked, not compiled)" }),
  })
  .meta({ id: "Verification" });

export const SafetyCheckView = z
  .object({
    id: z.enum(SAFETY_CHECKS),
    label: z.string().meta({ example: "Mintable" }),
    value: z.boolean().nullable().meta({ description: "The answer to the scanner's question (is it mintable? is the owner renounced?); null while unknown or not applicable" }),
    risk: z.enum(["none", "warn", "unknown"]).meta({ description: "warn: a power someone still holds over the supply or the holders" }),
    meaning: z.string().meta({ description: "What it means for a holder, in one line" }),
  })
  .meta({ id: "SafetyCheck" });

export const TokenDetail = TokenView.extend({
  owner: z.string().nullable().meta({ description: "EVM: owner() as the cron last read it, null once renounced (the launch's owner until the first read). Solana: the launch's owner" }),
  launchOwner: z.string().meta({ description: "The owner the token was launched with" }),
  maxSupply: z.string().nullable().meta({ description: "The cap in whole tokens (EVM cap(); the launch request's maxSupply until read); null when uncapped", example: "2000000" }),
  currentSupply: z.string().nullable().meta({ description: "Total supply now, whole tokens (a decimal string), as of chainStateAt; null until the cron has read the chain", example: "1000500" }),
  paused: z.boolean().nullable().meta({ description: "Transfers paused (EVM paused()); always false on Solana; null until read" }),
  authorities: z
    .object({ mint: z.string().nullable(), freeze: z.string().nullable(), update: z.string().nullable() })
    .nullable()
    .optional()
    .meta({ description: "Solana only: the mint, freeze and metadata update authorities, null once revoked; null until read" }),
  chainStateAt: Timestamp.nullable().meta({ description: "When the cron last read the chain (RFC 3339); the detail never calls the chain itself" }),
  verification: Verification,
  safety: z.array(SafetyCheckView).meta({ description: "What the owner or an authority can still do, in scanners' terms, each with a plain meaning" }),
  links: z.object({
    explorer: z.object({ token: z.string().nullable(), tx: z.string().nullable() }).nullable(),
    sourcify: z.string().nullable().meta({ description: "The implementation's page on Sourcify's repository, when verified there" }),
  }),
}).meta({ id: "TokenDetail" });

export const TokenDetailParams = z.object({
  chain: z.string().max(64).meta({ param: { name: "chain", in: "path" }, example: "local-eth" }),
  address: z.string().max(64).meta({ param: { name: "address", in: "path" }, example: "0x5FbDB2315678afecb367f032d93F642f64180aa3" }),
});

export const TokenList = z.object({ tokens: z.array(TokenView), nextCursor: z.string().nullable() }).meta({ id: "TokenList" });

export const TOKEN_SORTS = ["newest", "market_cap", "volume", "holders", "trending"] as const;
export const TokensQuery = z.strictObject({
  chain: z.string().max(64).optional(),
  owner: z.string().max(64).optional(),
  cursor: Cursor,
  limit: z.coerce.number().int().min(1).max(100).default(20),
  sort: z.enum(TOKEN_SORTS).default("newest").meta({
    description: "newest (default); market_cap (market cap, else FDV), volume (24 h), holders: largest first; trending: most 24 h volume growth among tokens with a pool, ties by holders",
  }),
});

export const ChainView = z
  .object({
    id: z.string().meta({ example: "local-eth" }),
    name: z.string(),
    family: z.enum(["evm", "solana"]),
    chainId: z.number().int().optional(),
    nativeSymbol: z.string(),
    rpcUrl: z.string(),
    explorerUrl: z.string().nullable(),
    confirmations: z.number().int(),
    fees: ChainFees.nullable(),
    treasury: z.string().nullable().meta({ description: "Where a wallet-paid launch's platform fee goes (EVM: read from the chain's factory by the cron; Solana: the registry). null until read." }),
    platformFee: z.string().nullable().meta({
      description: "The platform fee of a wallet-paid launch, in the chain's smallest unit (wei or lamports, a decimal string). EVM: the factory's fee(), the single source of it, read by the cron. null until read.",
      example: "1000000000000000",
    }),
    paused: z.boolean().meta({ description: "New launches on this chain are paused by the operators (POST /launches answers 503 chain-paused)" }),
  })
  .meta({ id: "Chain" });

const Amount = (description: string, example: string) => z.string().meta({ description, example });

export const QuoteView = z
  .object({
    id: Id("quo"),
    chain: z.string(),
    currency: z.string().meta({ description: "The chain's native currency; every amount is in its smallest unit (wei, lamports)", example: "ETH" }),
    networkFee: Amount("What the chain charges: EVM gas units × price (+ the L1 data fee on OP-stack chains); Solana signature and priority fees + rent-exempt deposits", "5200000000000000"),
    platformFee: Amount("The platform fee (a wallet-paid launch's factory fee; 0 when the platform pays)", "1000000000000000"),
    total: Amount("networkFee + platformFee", "6200000000000000"),
    expiresAt: Timestamp,
    payment: z.object({
      mode: z.enum(["wallet", "platform"]),
      payer: z.string().nullable().meta({ description: "The account that pays (wallet mode); null when the platform pays" }),
    }),
    gas: z.object({
      units: Amount("eth_estimateGas of the launch's createToken call from the payer (the measured launch gas when it cannot run, e.g. an unfunded payer)", "240000"),
      price: Amount("wei per gas: base fee + priority tip", "20000000000"),
    }).optional().meta({ description: "EVM" }),
    l1Fee: Amount("OP-stack chains: the L1 data fee (GasPriceOracle.getL1Fee), wei; included in networkFee", "30000000000").optional(),
    rentExemptDeposits: z.object({ mint: z.string(), tokenAccount: z.string() }).optional().meta({ description: "Solana: the mint's (with its metadata) and the owner's token account's rent-exempt deposits, lamports; included in networkFee" }),
    signatureFees: Amount("Solana: the transaction's signature fees, lamports; included in networkFee", "10000").optional(),
    priorityFee: Amount("Solana: the priority fee at most, lamports; included in networkFee", "0").optional(),
    usd: z.object({
      networkFee: z.number(), platformFee: z.number(), total: z.number(),
      price: z.number().meta({ description: "USD per native coin (CoinGecko, from the cron)" }),
      asOf: z.string(), stale: z.boolean(),
    }).nullable().meta({ description: "The amounts in USD at the native coin's last known price; null before any price was fetched" }),
  })
  .meta({ id: "Quote" });

export const ChainList = z.object({ chains: z.array(ChainView) }).meta({ id: "ChainList" });

// ── Accounts ─────────────────────────────────────────────────────────────────

export const NonceResponse = z
  .object({
    nonce: z.string().meta({ example: "k3J9x2LmQp7Rt5Vw" }),
    expiresAt: Timestamp,
  })
  .meta({ id: "Nonce" });

export const SiweRequest = z
  .strictObject({
    message: z.string().min(1).max(4096).meta({ description: "The EIP-4361 message text; its nonce from POST /auth/nonce, its domain this host" }),
    signature: z
      .string()
      .regex(/^0x[0-9a-fA-F]{130}$/, "must be a 65-byte hex signature")
      .meta({ description: "The EIP-191 signature of `message` (65 bytes, hex)", example: `0x${"a1".repeat(64)}1b` }),
  })
  .meta({ id: "SiweRequest" });

export const SiwsRequest = z
  .strictObject({
    message: z.string().min(1).max(4096).meta({ description: "The Sign-In With Solana message text (EIP-4361 layout, `Solana account`)" }),
    signature: z.string().min(64).max(128).meta({ description: "The ed25519 signature, base58 or base64" }),
    publicKey: z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/, "must be a base58 public key"),
  })
  .meta({ id: "SiwsRequest" });

export const User = z
  .object({
    id: Id("usr"),
    walletAddress: z.string(),
    role: z.enum(["user", "admin"]),
  })
  .meta({ id: "User" });
export const Me = z.object({ user: User }).meta({ id: "Me" });

// Unicode general category C: control, format (bidi overrides, zero-width),
// surrogate, private-use and unassigned code points. Checked in code, not as a
// schema `pattern`: many generators compile patterns without the `u` flag, where
// `\p{…}` is not a class, so the document states the rule in words instead.
const OTHER_CHARS_RE = /\p{C}/u;
const NO_OTHER_CHARS = "no control, format, private-use or unassigned characters (Unicode category C)";
const noOtherChars = (s: string) => !OTHER_CHARS_RE.test(s);

/** An amount of credits: a non-negative integer in the chain's smallest unit, as a decimal string (wei do not fit a JSON number). */
export const CreditAmount = z.string().regex(/^(0|[1-9][0-9]{0,77})$/, "a non-negative integer as a decimal string").meta({ example: "1000000000000000" });

export const CreateKeyRequest = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .refine(noOtherChars, "must not contain control characters")
      .refine((s) => !lookAlikeProblem(s), { error: (i) => lookAlikeProblem(String(i.input)) ?? "looks like another name" })
      .meta({ description: `1 to 64 characters after trimming spaces; ${NO_OTHER_CHARS}` }),
    scopes: z.array(Scope).min(1).max(3).refine((s) => new Set(s).size === s.length, "must not repeat a scope"),
    spendCapPerDay: z.record(z.string().max(64), CreditAmount).optional().meta({
      description: "Per chain id: what this key may spend of its user's credits on that chain per UTC day (platform-paid launches), " +
        "in the chain's smallest unit. A chain not named has no key cap. Over it a launch answers 402 spend-cap-exceeded.",
      example: { "local-eth": "5000000000000000" },
    }),
  })
  .meta({ id: "CreateKeyRequest", example: { name: "my bot", scopes: ["launches:read", "launches:write"] } });

export const ApiKeyView = z
  .object({
    id: Id("key"),
    name: z.string(),
    prefix: z.string().meta({ description: "The first characters of the key, to recognise it" }),
    scopes: z.array(Scope),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    spendCapPerDay: z.record(z.string(), z.string()).nullable().meta({ description: "The key's daily spend caps per chain (smallest unit); null: none" }),
  })
  .meta({ id: "ApiKey" });

export const CreatedKey = ApiKeyView.extend({
  key: z.string().meta({ description: "The key itself: shown once, store it now", example: "tf_…" }),
}).meta({ id: "CreatedApiKey" });

export const KeyList = z.object({ keys: z.array(ApiKeyView) }).meta({ id: "ApiKeyList" });

export const IdParam = z.object({ id: z.string().max(64) });

export const CreateWebhookRequest = z
  .strictObject({
    url: z.string().min(1).max(2048).meta({ description: "https:// URL; private, loopback and metadata hosts are refused", example: "https://example.com/hooks/tokenforge" }),
    events: z.array(WebhookEventType).min(1).max(2).refine((s) => new Set(s).size === s.length, "must not repeat an event"),
    description: z
      .string()
      .max(200)
      .refine(noOtherChars, "must not contain control or format characters")
      .refine((s) => !lookAlikeProblem(s), { error: (i) => lookAlikeProblem(String(i.input)) ?? "looks like another name" })
      .optional()
      .meta({ description: `At most 200 characters; ${NO_OTHER_CHARS}` }),
  })
  .meta({ id: "CreateWebhookRequest", example: { url: "https://example.com/hooks/tokenforge", events: ["launch.confirmed", "launch.failed"] } });

export const WebhookView = z
  .object({
    id: Id("whk"),
    url: z.string(),
    events: z.array(WebhookEventType),
    description: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: "Webhook" });

export const CreatedWebhook = WebhookView.extend({
  secret: z.string().meta({ description: "The signing secret (Standard Webhooks `whsec_…`): shown once", example: "whsec_…" }),
}).meta({ id: "CreatedWebhook" });

export const WebhookList = z.object({ webhooks: z.array(WebhookView) }).meta({ id: "WebhookList" });

export const DeliveryView = z
  .object({
    id: Id("dlv"),
    messageId: z.string().meta({ description: "The webhook-id header: the same on every attempt of one message" }),
    eventType: WebhookEventType,
    launchId: z.string(),
    attempt: z.number().int(),
    statusCode: z.number().int().nullable(),
    durationMs: z.number().int(),
    error: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: "WebhookDelivery" });

export const DeliveryList = z.object({ deliveries: z.array(DeliveryView), nextCursor: z.string().nullable() }).meta({ id: "WebhookDeliveryList" });
export const PageQuery = z.strictObject({ cursor: Cursor, limit: z.coerce.number().int().min(1).max(100).default(20) });

/** The body POSTed to a webhook URL (documented under `webhooks` in the OpenAPI document). */
export const WebhookPayload = z
  .object({ type: WebhookEventType, timestamp: Timestamp, data: LaunchView })
  .meta({ id: "WebhookPayload" });

// ── Operators (admin routes; handlers in routes/admin.ts) ────────────────────

export const CronRun = z
  .object({
    sweep: z.unknown().meta({ description: "Stuck launches found and re-enqueued" }),
    fees: z.unknown().meta({ description: "Launch cost estimates refreshed into KV, per chain" }),
    probes: z.unknown().meta({ description: "RPC endpoint probes, per chain" }),
    tookMs: z.number().int(),
  })
  .meta({ id: "CronRun", description: "What each of the cron Worker's jobs did" });

export const Enqueued = z.object({ id: Id("lch"), enqueued: z.number().int().min(1).max(10) }).meta({ id: "Enqueued" });

export const DeadLetterView = z
  .object({
    id: Id("dlq"),
    launchId: Id("lch"),
    chain: z.string(),
    launchStatus: LaunchStatus,
    queue: z.string().meta({ description: "The queue the message was dead-lettered from" }),
    reason: z.string().meta({ description: "Why the last delivery failed" }),
    attempts: z.number().int(),
    createdAt: Timestamp,
    replayedAt: Timestamp.nullable(),
    links: z.object({ launch: z.string(), replay: z.string() }),
  })
  .meta({ id: "DeadLetter" });

export const DeadLetterList = z.object({ deadLetters: z.array(DeadLetterView) }).meta({ id: "DeadLetterList" });

export const Replayed = z
  .object({ replayed: z.array(z.object({ id: Id("dlq"), launchId: Id("lch") })) })
  .meta({ id: "Replayed", description: "The dead letters replayed: each launch is queued again" });

export const PauseRequest = z
  .strictObject({ reason: z.string().trim().min(1).max(200).optional().meta({ description: "Why (shown to operators and in the 503's detail)" }) })
  .meta({ id: "PauseRequest" });

export const ChainPauseView = z
  .object({
    chain: z.string(),
    paused: z.boolean(),
    pausedAt: Timestamp.nullable(),
    pausedBy: z.string().nullable().meta({ description: "The admin's user id, or admin-token" }),
    reason: z.string().nullable(),
  })
  .meta({ id: "ChainPause" });

export const ChainPauseList = z.object({ chains: z.array(ChainPauseView) }).meta({ id: "ChainPauseList" });

export const ChainResumed = ChainPauseView.extend({
  requeued: z.number().int().meta({ description: "The chain's queued (and submitted) platform-paid launches put back on the queue" }),
}).meta({ id: "ChainResumed" });

// ── Health (GET /health and /health/deep, routes/health.ts; documented in operators-doc.ts) ──
// Objects stay open (additional properties allowed): the report may grow fields,
// and a client must not break on one. test/api-types.test.ts parses real answers with these.

const Check = z.object({ ok: z.boolean(), latencyMs: z.number().optional(), error: z.string().optional() });
const HealthState = z.enum(["ok", "degraded", "down"]);

export const HealthEndpoint = z
  .looseObject({
    provider: z.string(),
    endpoint: z.string().meta({ description: "The endpoint's origin only (paths and queries carry provider keys)" }),
    reachable: z.boolean().nullable().meta({ description: "Public: as its breaker says (null without the gate's view). Deep: the live read's outcome" }),
    breaker: z
      .object({
        state: z.enum(["closed", "open", "half-open"]),
        since: Timestamp,
        reason: z.string().nullable(),
        retryInMs: z.number(),
        errorRate: z.number().meta({ description: "Recent error rate, 0..1" }),
        recentCalls: z.number().int(),
        opens: z.number().int(),
        lastFailure: z.object({ kind: z.string(), at: Timestamp }).nullable(),
      })
      .optional(),
    latency: z.object({ p50Ms: z.number().nullable(), avgMs: z.number().nullable() }).optional(),
    bucket: z.object({ provider: z.string(), fill: z.number().meta({ description: "The provider's token bucket fill, 0..1" }) }).optional(),
    calls: z.number().int().optional(),
    failures: z.number().int().optional(),
    latencyMs: z.number().optional().meta({ description: "Deep: the live head read's latency" }),
    latest: z.object({ block: z.number().int().optional(), slot: z.number().int().optional() }).optional().meta({ description: "Deep: the head the endpoint reported" }),
    error: z.string().optional(),
    probe: z.string().optional().meta({ description: "Deep: why no live read was made" }),
  })
  .meta({ id: "HealthEndpoint" });

export const HealthChain = z
  .looseObject({
    id: z.string(),
    family: z.enum(["evm", "solana"]),
    status: HealthState,
    healthy: z.boolean().nullable().meta({ description: "The ChainGate's view: false when every breaker is open; null without it" }),
    gate: Check.optional(),
    endpoints: z.array(HealthEndpoint),
    deployer: z
      .object({
        address: z.string(),
        balanceWei: z.string().optional(),
        minimumWei: z.string().optional(),
        balanceLamports: z.string().optional(),
        minimumLamports: z.string().optional(),
        sufficient: z.boolean(),
      })
      .optional()
      .meta({ description: "Deep: the account that pays for launches; below the minimum, launches wait" }),
  })
  .meta({ id: "HealthChain" });

export const Health = z
  .looseObject({
    status: HealthState,
    environment: z.string().optional(),
    time: Timestamp,
    d1: Check,
    kv: Check,
    backlog: z.object({ queued: z.number().int(), submitted: z.number().int() }).nullable(),
    unhealthyChains: z.array(z.string()).optional(),
    chains: z.array(HealthChain),
  })
  .meta({ id: "Health" });
