// The D1 schema, in one place. Migrations in /migrations are generated from it
// with `npm run db:generate` (drizzle-kit); row types come from here. JSON
// columns are typed with the zod types of what is written into them, and
// drizzle's json mode parses them on read, so no reader casts a parsed string.
import { sql } from "drizzle-orm";
import { sqliteTable, text, integer, real, index, uniqueIndex, primaryKey, check } from "drizzle-orm/sqlite-core";
import { LaunchStatus, type Features, type LaunchRequest, type PaymentTransaction } from "../launch";
import { PaymentMode } from "../lifecycle";
import type { Scope } from "../scopes";
import type { WebhookEventType } from "../webhooks";

const now = () => Date.now();
const launchStatuses = LaunchStatus.options as [LaunchStatus, ...LaunchStatus[]];
const paymentModes = PaymentMode.options as [PaymentMode, ...PaymentMode[]];

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** EVM: EIP-55 form (core address.ts); Solana: base58, where case is part of the key. */
    walletAddress: text("wallet_address").notNull().unique(),
    role: text("role", { enum: ["user", "admin"] }).notNull().default("user"),
    createdAt: integer("created_at").notNull().$defaultFn(now),
  },
  // One account per EVM wallet whatever the casing a row was written in (rows from
  // before the EIP-55 form were lower-case; sign-in rewrites them as it finds them).
  (t) => [uniqueIndex("users_evm_wallet").on(sql`lower(${t.walletAddress})`).where(sql`${t.walletAddress} LIKE '0x%'`)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole key, hex: the key itself is shown once and never stored. */
    hash: text("hash").notNull().unique(),
    scopes: text("scopes", { mode: "json" }).$type<Scope[]>().notNull(),
    createdAt: integer("created_at").notNull().$defaultFn(now),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("api_keys_user").on(t.userId)],
);

export const launches = sqliteTable(
  "launches",
  {
    id: text("id").primaryKey(),
    creatorId: text("creator_id").notNull(),
    chain: text("chain").notNull(),
    owner: text("owner").notNull(),
    /** The accepted request body (defaults filled in), as JSON. */
    request: text("request", { mode: "json" }).$type<LaunchRequest>().notNull(),
    factoryVersion: text("factory_version"),
    /** The account that sends the transaction (part of the CREATE2 salt on EVM). */
    deployer: text("deployer").notNull(),
    status: text("status", { enum: launchStatuses }).notNull(),
    address: text("address").notNull(),
    txHash: text("tx_hash"),
    nonce: integer("nonce"),
    blockNumber: integer("block_number"),
    gasUsed: text("gas_used"),
    attempts: integer("attempts").notNull().default(0),
    errorType: text("error_type"),
    errorDetail: text("error_detail"),
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash").notNull(),
    /** Who pays the chain (lifecycle.ts): the platform's deployer, or the creator's wallet, which sends the transaction itself. */
    paymentMode: text("payment_mode", { enum: paymentModes }).notNull().default("platform"),
    /** Wallet-paid: the account that must send (and pay for) the launch's transaction. */
    payer: text("payer"),
    /** The quote the launch was accepted under (quotes.id), if any. */
    quoteId: text("quote_id"),
    /** Wallet-paid: ms epoch after which an unpaid launch may expire (EVM: the transaction's deadline; Solana: see the adapter). */
    payBy: integer("pay_by"),
    /** Wallet-paid: what the payer sends or signs, as handed out in the 202 (EVM: { chainId, to, data, value }). */
    payment: text("payment", { mode: "json" }).$type<PaymentTransaction>(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("launches_idempotency").on(t.creatorId, t.idempotencyKey),
    index("launches_status_updated").on(t.status, t.updatedAt),
    index("launches_creator").on(t.creatorId, t.id),
  ],
);

export const launchEvents = sqliteTable(
  "launch_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    launchId: text("launch_id").notNull(),
    status: text("status", { enum: launchStatuses }).notNull(),
    detail: text("detail"),
    at: integer("at").notNull(),
  },
  (t) => [index("launch_events_launch").on(t.launchId, t.id)],
);

/** Idempotency-Key records (IETF draft): which launch a key made and whether that request finished. */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    callerId: text("caller_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    launchId: text("launch_id").notNull(),
    state: text("state", { enum: ["processing", "done"] }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.callerId, t.key] })],
);

export const tokens = sqliteTable(
  "tokens",
  {
    chain: text("chain").notNull(),
    address: text("address").notNull(),
    launchId: text("launch_id").notNull().unique(),
    name: text("name").notNull(),
    symbol: text("symbol").notNull(),
    decimals: integer("decimals").notNull(),
    totalSupply: text("total_supply").notNull(),
    owner: text("owner").notNull(),
    features: text("features", { mode: "json" }).$type<Features>().notNull(),
    metadataUri: text("metadata_uri"),
    txHash: text("tx_hash"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chain, t.address] }),
    index("tokens_created").on(t.createdAt, t.address),
    index("tokens_owner").on(t.owner, t.createdAt),
  ],
);

export type LaunchRow = typeof launches.$inferSelect;
export type LaunchEventRow = typeof launchEvents.$inferSelect;
export type TokenRow = typeof tokens.$inferSelect;
export type NewTokenRow = typeof tokens.$inferInsert;

/** Launches the queue gave up on (its dead-letter consumer writes them): listed and replayed by operators. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    launchId: text("launch_id").notNull(),
    queue: text("queue").notNull(),
    reason: text("reason").notNull(),
    attempts: integer("attempts").notNull(),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
    replayedAt: integer("replayed_at"),
  },
  (t) => [index("dead_letters_open").on(t.replayedAt, t.createdAt), index("dead_letters_launch").on(t.launchId)],
);
export type DeadLetterRow = typeof deadLetters.$inferSelect;

// ── Accounts (issue 6): wallet sign-in, sessions, webhooks, audit ─────────────

/** Sign-in nonces (EIP-4361 / SIWS): issued by the server, single use (deleted when used), expiring. */
export const authNonces = sqliteTable(
  "auth_nonces",
  {
    nonce: text("nonce").primaryKey(),
    expiresAt: integer("expires_at").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("auth_nonces_expires").on(t.expiresAt)],
);

/** Browser sessions: the cookie carries a random id; only its SHA-256 (hex) is stored. */
export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user").on(t.userId), index("sessions_expires").on(t.expiresAt)],
);
export type SessionRow = typeof sessions.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** Webhook endpoints of a user. The signing secret is an encrypted envelope (crypto/envelope.ts), never plain. */
export const webhooks = sqliteTable(
  "webhooks",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id),
    url: text("url").notNull(),
    events: text("events", { mode: "json" }).$type<WebhookEventType[]>().notNull(),
    description: text("description"),
    /** JSON envelope { v, iv, ct }: AES-256-GCM of the whsec_… secret under the master key. */
    secret: text("secret").notNull(),
    createdAt: integer("created_at").notNull(),
    deletedAt: integer("deleted_at"),
  },
  (t) => [index("webhooks_user").on(t.userId, t.deletedAt)],
);
export type WebhookRow = typeof webhooks.$inferSelect;

/** One row per delivery attempt: what was sent where, the answer, how long it took. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    webhookId: text("webhook_id").notNull(),
    /** The Standard Webhooks `webhook-id`: the same on every attempt of one message. */
    messageId: text("message_id").notNull(),
    eventType: text("event_type").$type<WebhookEventType>().notNull(),
    launchId: text("launch_id").notNull(),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("webhook_deliveries_webhook").on(t.webhookId, t.id)],
);
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Append-only record of privileged actions: sign-ins, key and webhook changes, admin calls. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: integer("at").notNull(),
    actorUserId: text("actor_user_id"),
    actorKeyId: text("actor_key_id"),
    /** session | api-key | admin-token | anonymous */
    actorKind: text("actor_kind").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    ip: text("ip"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_log_at").on(t.at), index("audit_log_actor").on(t.actorUserId, t.at)],
);
export type AuditRow = typeof auditLog.$inferSelect;

// ── Solana (issue 5) ─────────────────────────────────────────────────────────

/**
 * The one signed transaction of each Solana launch, written before it is broadcast
 * (a compare-and-set: the first writer wins, a racing delivery adopts its signature).
 * Kept so the deployer can re-broadcast the same bytes while the blockhash is valid
 * and knows when it expired (lastValidBlockHeight); only then may it sign anew.
 */
export const solanaTransactions = sqliteTable("solana_transactions", {
  launchId: text("launch_id").primaryKey(),
  signature: text("signature").notNull(),
  /** The signed wire transaction, base64. */
  wire: text("wire").notNull(),
  lastValidBlockHeight: integer("last_valid_block_height").notNull(),
  /** How many different transactions were signed for this launch (1 + re-signs after expiry). */
  signings: integer("signings").notNull().default(1),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
export type SolanaTransactionRow = typeof solanaTransactions.$inferSelect;

/**
 * Launch quotas (issue 12): accepted launches per subject ("user:<id>" across all
 * of a user's keys and sessions, "ip:<sha-256>") in the current UTC day. The row
 * is bumped in the same D1 batch (one transaction) as the launch row, so only an
 * accepted new launch counts: a replay, a refusal or a failed insert rolls it
 * back, and the CHECK makes the count-and-insert atomic under concurrency.
 */
export const launchQuotas = sqliteTable(
  "launch_quotas",
  {
    subject: text("subject").primaryKey(),
    windowStart: integer("window_start").notNull(),
    used: integer("used").notNull(),
    cap: integer("cap").notNull(),
  },
  () => [check("launch_quotas_cap", sql`used <= cap`)],
);

// ── Payments (issue 16) ──────────────────────────────────────────────────────

/**
 * Price quotes: what a launch on a chain costs its payer, binding until expires_at.
 * `platform_fee` is the factory's fee when quoted: a launch under a quote whose fee
 * differs from the chain's current one is refused (409), so nobody pays a fee they
 * were not shown. Amounts are decimal strings in the chain's smallest unit.
 */
export const quotes = sqliteTable(
  "quotes",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    chain: text("chain").notNull(),
    mode: text("mode", { enum: paymentModes }).notNull(),
    payer: text("payer"),
    /** sha256 of the canonical launch body quoted (without its payment part). */
    requestHash: text("request_hash").notNull(),
    currency: text("currency").notNull(),
    networkFee: text("network_fee").notNull(),
    platformFee: text("platform_fee").notNull(),
    total: text("total").notNull(),
    gasUnits: text("gas_units"),
    gasPrice: text("gas_price"),
    l1Fee: text("l1_fee"),
    expiresAt: integer("expires_at").notNull(),
    createdAt: integer("created_at").notNull(),
    /** The launch accepted under this quote (a quote is used once). */
    launchId: text("launch_id"),
  },
  (t) => [index("quotes_user").on(t.userId, t.createdAt), index("quotes_expires").on(t.expiresAt)],
);
export type QuoteRow = typeof quotes.$inferSelect;

/**
 * Per chain: what the platform knows of its factory (fee and treasury, read from
 * the chain by the cron: the factory is the single source of the fee) and the
 * operators' emergency pause.
 */
export const chainSettings = sqliteTable("chain_settings", {
  chain: text("chain").primaryKey(),
  paused: integer("paused", { mode: "boolean" }).notNull().default(false),
  pausedAt: integer("paused_at"),
  /** Who paused it (audit actor), and why. */
  pausedBy: text("paused_by"),
  pauseReason: text("pause_reason"),
  /** The factory's platform fee and treasury as last read (null: not read yet). */
  platformFee: text("platform_fee"),
  treasury: text("treasury"),
  feeReadAt: integer("fee_read_at"),
  updatedAt: integer("updated_at").notNull(),
});
export type ChainSettingsRow = typeof chainSettings.$inferSelect;

// ── Market data and analytics (issue 20) ─────────────────────────────────────

/**
 * Latest market figures per token, written only by the cron's market job (the
 * providers are never called on a read). `as_of` is when the figures were last
 * fetched; `failed_at` the last refresh that failed: a read shows the figures as
 * stale when the last attempt failed or they are older than the API's limit.
 * `next_refresh_at` is the refresh schedule (market/policy.ts).
 */
export const tokenMarket = sqliteTable(
  "token_market",
  {
    chain: text("chain").notNull(),
    address: text("address").notNull(),
    priceUsd: real("price_usd"),
    fdvUsd: real("fdv_usd"),
    marketCapUsd: real("market_cap_usd"),
    volume24hUsd: real("volume_24h_usd"),
    /** The 24 h volume one day earlier (from the series), for the trending score. */
    volumePrev24hUsd: real("volume_prev_24h_usd"),
    liquidityUsd: real("liquidity_usd"),
    pool: text("pool"),
    dex: text("dex"),
    asOf: integer("as_of"),
    failedAt: integer("failed_at"),
    nextRefreshAt: integer("next_refresh_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chain, t.address] }),
    index("token_market_due").on(t.nextRefreshAt),
    index("token_market_cap").on(t.marketCapUsd),
    index("token_market_volume").on(t.volume24hUsd),
  ],
);
export type TokenMarketRow = typeof tokenMarket.$inferSelect;

/** Market history for charts: 5-minute points (resolution 300) for a day, hourly (3600) after. */
export const marketPoints = sqliteTable(
  "market_points",
  {
    chain: text("chain").notNull(),
    address: text("address").notNull(),
    resolution: integer("resolution").notNull(),
    /** Start of the point's interval, ms. */
    t: integer("t").notNull(),
    priceUsd: real("price_usd"),
    marketCapUsd: real("market_cap_usd"),
    volume24hUsd: real("volume_24h_usd"),
    liquidityUsd: real("liquidity_usd"),
  },
  (t) => [primaryKey({ columns: [t.chain, t.address, t.resolution, t.t] }), index("market_points_age").on(t.resolution, t.t)],
);
export type MarketPointRow = typeof marketPoints.$inferSelect;

/** Each market provider's token bucket (packages/gate bucket.ts) and the Retry-After it was told. */
export const marketBudgets = sqliteTable("market_budgets", {
  provider: text("provider").primaryKey(),
  tokens: real("tokens").notNull(),
  updatedAt: integer("updated_at").notNull(),
  /** A 429's Retry-After: no call before this time (ms). */
  blockedUntil: integer("blocked_until").notNull().default(0),
});

/** Per token: the analytics roll-up (holders with a balance > 0, Transfer events, top-10 holders' share of supply). */
export const tokenStats = sqliteTable(
  "token_stats",
  {
    chain: text("chain").notNull(),
    address: text("address").notNull(),
    holders: integer("holders").notNull(),
    /** null where the chain's index cannot count transfers (Solana's account scan). */
    transfers: integer("transfers"),
    topHoldersShare: real("top_holders_share"),
    /** Supply as the index sees it (minted − burned), base units. */
    supply: text("supply").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.address] }), index("token_stats_holders").on(t.holders)],
);
export type TokenStatsRow = typeof tokenStats.$inferSelect;

/**
 * EVM Transfer logs as indexed, keyed by block hash and log index: a log of an
 * orphaned block has another key than its replacement, so a reorg can never
 * count a transfer twice; the indexer deletes orphaned blocks' logs (and takes
 * their amounts back out of the balances).
 */
export const transferLogs = sqliteTable(
  "transfer_logs",
  {
    chain: text("chain").notNull(),
    blockHash: text("block_hash").notNull(),
    logIndex: integer("log_index").notNull(),
    blockNumber: integer("block_number").notNull(),
    token: text("token").notNull(),
    from: text("from_address").notNull(),
    to: text("to_address").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.blockHash, t.logIndex] }), index("transfer_logs_block").on(t.chain, t.blockNumber)],
);
export type TransferLogRow = typeof transferLogs.$inferSelect;

/**
 * Balances per (chain, token, holder). `balance` is a base-unit amount written
 * as 78 zero-padded digits (any uint256 fits), so text order is numeric order and
 * the top holders are an ORDER BY.
 */
export const tokenBalances = sqliteTable(
  "token_balances",
  {
    chain: text("chain").notNull(),
    token: text("token").notNull(),
    holder: text("holder").notNull(),
    balance: text("balance").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.token, t.holder] }), index("token_balances_top").on(t.chain, t.token, t.balance)],
);

/** Where each chain's Transfer index stands: the last block indexed and its hash (a changed hash there is a reorg). */
export const indexCursors = sqliteTable("index_cursors", {
  chain: text("chain").primaryKey(),
  blockNumber: integer("block_number").notNull(),
  blockHash: text("block_hash").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
