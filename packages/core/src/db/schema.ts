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
import { DepositStatus } from "../credits/deposit";
import { ALERT_KINDS, ALERT_STATUSES } from "../alerts";

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
    /** What the key may reserve from its user's credits per chain per UTC day (smallest unit, decimal strings); null: no cap. */
    spendCapPerDay: text("spend_cap_per_day", { mode: "json" }).$type<Record<string, string>>(),
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
    /** The id of the HTTP request that created it (W3C trace id): every later hop logs it beside the launch id. */
    requestId: text("request_id"),
  },
  (t) => [
    uniqueIndex("launches_idempotency").on(t.creatorId, t.idempotencyKey),
    index("launches_status_updated").on(t.status, t.updatedAt),
    index("launches_creator").on(t.creatorId, t.id),
    // The cron's per-minute metrics read launches and events by time.
    index("launches_created").on(t.createdAt),
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
  (t) => [index("launch_events_launch").on(t.launchId, t.id), index("launch_events_at").on(t.at)],
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

/**
 * What the chain said about a token when the cron last read it (issue 19): read
 * through the chain's gate by workers/cron jobs/token-state.ts, never on a read
 * path. Amounts in base units (decimal strings); an authority or owner null once
 * renounced or revoked. Solana keeps its three authorities; EVM its owner and pause.
 */
export const tokenState = sqliteTable(
  "token_state",
  {
    chain: text("chain").notNull(),
    address: text("address").notNull(),
    /** totalSupply() / the mint's supply, base units. */
    currentSupply: text("current_supply").notNull(),
    /** EVM owner(); null once renounced (owner() is the zero address). Solana: null (see the authorities). */
    owner: text("owner"),
    /** EVM paused(); Solana: false (an SPL mint has no pause). */
    paused: integer("paused", { mode: "boolean" }).notNull().default(false),
    /** EVM cap() in base units, null when uncapped; Solana: null (a mint has no cap, only its mint authority). */
    cap: text("cap"),
    mintAuthority: text("mint_authority"),
    freezeAuthority: text("freeze_authority"),
    updateAuthority: text("update_authority"),
    /** When the chain was read (ms). */
    readAt: integer("read_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.address] }), index("token_state_read").on(t.readAt)],
);
export type TokenStateRow = typeof tokenState.$inferSelect;

/**
 * Source verification of our contracts with the explorers (issue 19): one row per
 * (chain, address, service). The implementation and the factory are verified from
 * source; each clone is linked to its implementation (Etherscan's proxy check).
 * Driven by the deployer's verification queue; the token views read it.
 */
export const contractVerifications = sqliteTable(
  "contract_verifications",
  {
    chain: text("chain").notNull(),
    address: text("address").notNull(),
    /** etherscan | sourcify */
    service: text("service").$type<"etherscan" | "sourcify">().notNull(),
    /** implementation | factory | clone */
    kind: text("kind").$type<"implementation" | "factory" | "clone">().notNull(),
    /** pending | verified | failed | unsupported */
    status: text("status").$type<"pending" | "verified" | "failed" | "unsupported">().notNull(),
    /** The explorer's receipt (Etherscan's GUID) while a submission is checked. */
    guid: text("guid"),
    attempts: integer("attempts").notNull().default(0),
    /** The explorer's last answer, for operators. */
    detail: text("detail"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.address, t.service] })],
);
export type ContractVerificationRow = typeof contractVerifications.$inferSelect;

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
  (t) => [index("webhook_deliveries_webhook").on(t.webhookId, t.id), index("webhook_deliveries_created").on(t.createdAt)],
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

// ── Wallets and deposits (issue 17) ──────────────────────────────────────────

/**
 * Wallets a user linked by signing in with them while signed in (SIWE / SIWS),
 * besides the one they signed up with (users.wallet_address). A wallet belongs to
 * one user: the address is unique here (EVM whatever its casing), and linking
 * checks it is no user's sign-up wallet either.
 */
export const wallets = sqliteTable(
  "wallets",
  {
    /** EVM: EIP-55; Solana: base58. */
    address: text("address").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id),
    family: text("family", { enum: ["evm", "solana"] }).notNull(),
    linkedAt: integer("linked_at").notNull(),
  },
  (t) => [
    index("wallets_user").on(t.userId, t.linkedAt),
    uniqueIndex("wallets_evm").on(sql`lower(${t.address})`).where(sql`${t.address} LIKE '0x%'`),
  ],
);
export type WalletRow = typeof wallets.$inferSelect;

/**
 * Deposits to a chain's treasury claimed by a user (POST /credits/deposits). One
 * row per transaction, whoever claims it: the unique (chain, tx) is what makes a
 * transaction credited at most once. `pending` until final and credited; `dropped`
 * when it left the chain (a reorg) or turned out not to be a deposit.
 */
export const deposits = sqliteTable(
  "deposits",
  {
    id: text("id").primaryKey(),
    chain: text("chain").notNull(),
    /** EVM: the transaction hash, lower-case; Solana: the signature. */
    tx: text("tx").notNull(),
    userId: text("user_id").notNull(),
    /** The linked wallet that sent it. */
    sender: text("sender").notNull(),
    /** In the chain's smallest unit, a decimal string. */
    amount: text("amount").notNull(),
    status: text("status", { enum: DepositStatus.options as [DepositStatus, ...DepositStatus[]] }).notNull(),
    /** EVM block number / Solana slot where it was last seen (null: not mined yet). */
    block: integer("block"),
    detail: text("detail"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    creditedAt: integer("credited_at"),
  },
  (t) => [
    uniqueIndex("deposits_tx").on(t.chain, t.tx),
    index("deposits_status").on(t.status, t.updatedAt),
    index("deposits_user").on(t.userId, t.createdAt),
  ],
);
export type DepositRow = typeof deposits.$inferSelect;
/**
 * A copy of every user's credit ledger entries (issue 17). The truth is each
 * user's Ledger Durable Object (workers/api/src/ledger.do.ts), which writes its
 * entries here through an idempotent outbox (key = the entry's unique key). The
 * cron reads it to settle reservations left open by a crash and to release
 * reservations whose launch was never written. Amounts are decimal strings
 * (wei overflow SQLite's integers).
 */
export const creditEntries = sqliteTable(
  "credit_entries",
  {
    /** Unique within its user's ledger (a grant's key is the granter's), so the copy is keyed by both. */
    key: text("key").notNull(),
    userId: text("user_id").notNull(),
    seq: integer("seq").notNull(),
    kind: text("kind", { enum: ["deposit", "grant", "reserve", "capture", "refund"] }).notNull(),
    chain: text("chain").notNull(),
    amount: text("amount").notNull(),
    cause: text("cause", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    launchId: text("launch_id"),
    reservation: integer("reservation"),
    keyId: text("key_id"),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index("credit_entries_user").on(t.userId, t.seq), index("credit_entries_launch").on(t.launchId, t.reservation),
    // The cron's spend alert reads today's reservations every minute (jobs/alerts.ts): by kind and time, not a scan.
    index("credit_entries_kind_at").on(t.kind, t.at)],
);
export type CreditEntryRow = typeof creditEntries.$inferSelect;
// ── Announcements (issue 20) ─────────────────────────────────────────────────

/**
 * Where a user's launches are announced: a Discord webhook (`secret` is the sealed
 * `{id}/{token}`, never plain) or a Telegram chat linked through the platform's bot
 * (`target` is the chat id). `launchId` null: every launch of the user. `notBefore`
 * is the platform's "wait until" (429s, empty rate-limit buckets), shared by all
 * posts to the destination.
 */
export const announceDestinations = sqliteTable(
  "announce_destinations",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id),
    platform: text("platform", { enum: ["discord", "telegram"] }).notNull(),
    launchId: text("launch_id"),
    target: text("target"),
    secret: text("secret"),
    label: text("label"),
    notBefore: integer("not_before"),
    createdAt: integer("created_at").notNull(),
    deletedAt: integer("deleted_at"),
  },
  (t) => [index("announce_destinations_user").on(t.userId, t.deletedAt)],
);
export type AnnounceDestinationRow = typeof announceDestinations.$inferSelect;

/**
 * One row per (launch, destination): the claim that makes a post happen once
 * however often its message is delivered. "sending" with a lease while a send is
 * in flight; "sent" is final.
 */
export const announcePosts = sqliteTable(
  "announce_posts",
  {
    launchId: text("launch_id").notNull(),
    destinationId: text("destination_id").notNull(),
    status: text("status", { enum: ["sending", "sent", "failed"] }).notNull(),
    leaseUntil: integer("lease_until").notNull(),
    attempts: integer("attempts").notNull(),
    externalId: text("external_id"),
    error: text("error"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.launchId, t.destinationId] })],
);
export type AnnouncePostRow = typeof announcePosts.$inferSelect;

/** One-time codes that link a Telegram chat (`/start <code>` to our bot): stored as SHA-256, single use. */
export const telegramLinkCodes = sqliteTable("telegram_link_codes", {
  codeHash: text("code_hash").primaryKey(),
  userId: text("user_id").notNull(),
  launchId: text("launch_id"),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
  createdAt: integer("created_at").notNull(),
});

/** The X digest, one row per day (UTC date of its hour): claimed, then sent (or empty: nothing launched). */
export const xDigests = sqliteTable("x_digests", {
  day: text("day").primaryKey(),
  status: text("status", { enum: ["sending", "sent", "empty", "failed"] }).notNull(),
  leaseUntil: integer("lease_until").notNull(),
  notBefore: integer("not_before"),
  launches: integer("launches"),
  externalId: text("external_id"),
  error: text("error"),
  updatedAt: integer("updated_at").notNull(),
});
/**
 * Per-minute metric samples (core's metrics.ts): one row per series and minute,
 * written by the cron. Minute 0 holds what older delta rows were folded into.
 */
export const metricSamples = sqliteTable(
  "metric_samples",
  {
    name: text("name").notNull(),
    /** The labels as the Prometheus text format writes them, sorted (core's labelKey). */
    labels: text("labels").notNull(),
    minute: integer("minute").notNull(),
    value: real("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.labels, t.minute] }), index("metric_samples_minute").on(t.minute)],
);

/** The state of each alert key (core's alerts.ts state machine), written by the cron under a guard. */
export const alerts = sqliteTable("alerts", {
  key: text("key").primaryKey(),
  kind: text("kind", { enum: ALERT_KINDS }).notNull(),
  status: text("status", { enum: ALERT_STATUSES }).notNull(),
  since: integer("since").notNull(),
  summary: text("summary").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Every page sent or to send (trigger / resolve): the alert history, and the outbox its delivery works from. */
export const alertEvents = sqliteTable(
  "alert_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    alertKey: text("alert_key").notNull(),
    kind: text("kind", { enum: ALERT_KINDS }).notNull(),
    action: text("action", { enum: ["trigger", "resolve"] }).notNull(),
    summary: text("summary").notNull(),
    at: integer("at").notNull(),
    /** Per sink ("pagerduty", …): when it accepted the event (epoch ms), or -1 when it refused it for good; a sink not listed yet is tried by the next run. */
    delivered: text("delivered", { mode: "json" }).$type<Record<string, number>>().notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [index("alert_events_at").on(t.at)],
);
export type AlertEventRow = typeof alertEvents.$inferSelect;
// ── Assets, token metadata, pinning (issue 18) ──────────────────────────────

/**
 * Uploaded images, keyed by the sha256 of the stored (stripped) bytes, which is
 * also the R2 key and, with the pinning profile of assets/cid.ts, the CID's digest.
 * A blocked row stays as the takedown's record: the same bytes cannot come back.
 */
export const assets = sqliteTable(
  "assets",
  {
    sha256: text("sha256").primaryKey(),
    mime: text("mime").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    size: integer("size").notNull(),
    uploaderId: text("uploader_id").notNull(),
    /** Ours (assets/cid.ts), known at upload. */
    cid: text("cid").notNull(),
    createdAt: integer("created_at").notNull(),
    /** Set once a launch uses it: only used logos go to public IPFS. */
    pinRequestedAt: integer("pin_requested_at"),
    /** What the pinning service answered: its file id and CID. */
    pinId: text("pin_id"),
    pinnedCid: text("pinned_cid"),
    pinnedAt: integer("pinned_at"),
    pinError: text("pin_error"),
    blockedAt: integer("blocked_at"),
    blockedReason: text("blocked_reason"),
  },
  (t) => [index("assets_pin_pending").on(t.pinnedAt, t.pinRequestedAt)],
);
export type AssetRow = typeof assets.$inferSelect;

/** One row per upload (the per-user quota counts these, duplicates included). */
export const assetUploads = sqliteTable(
  "asset_uploads",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id").notNull(),
    sha256: text("sha256").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("asset_uploads_user_at").on(t.userId, t.at)],
);

/**
 * A token's metadata document (assets/metadata.ts), written at launch and on the
 * owner's changes; `document` holds the exact bytes served and pinned.
 */
export const tokenMetadata = sqliteTable(
  "token_metadata",
  {
    chain: text("chain").notNull(),
    /** As the launch row has it: EVM checksummed, Solana base58. */
    address: text("address").notNull(),
    launchId: text("launch_id").notNull(),
    name: text("name").notNull(),
    symbol: text("symbol").notNull(),
    decimals: integer("decimals").notNull(),
    logo: text("logo"),
    description: text("description"),
    website: text("website"),
    links: text("links", { mode: "json" }).$type<Record<string, string>>(),
    document: text("document").notNull(),
    documentCid: text("document_cid").notNull(),
    pinId: text("pin_id"),
    pinnedCid: text("pinned_cid"),
    pinnedAt: integer("pinned_at"),
    pinError: text("pin_error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.address] }), index("token_metadata_pin_pending").on(t.pinnedAt), index("token_metadata_chain_created").on(t.chain, t.createdAt)],
);
export type TokenMetadataRow = typeof tokenMetadata.$inferSelect;
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
    /** Transfers indexed: EVM Transfer logs; Solana Transfer/TransferChecked instructions (solana_transfers). null: not counted yet. */
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

/**
 * Solana transfers as counted: per (mint, transaction signature), how many
 * Transfer / TransferChecked instructions of that mint the transaction made.
 * Only finalized transactions are read, and a signature is one key however many
 * of the mint's token accounts list it or however often it is read again, so
 * no transfer is counted twice.
 */
export const solanaTransfers = sqliteTable(
  "solana_transfers",
  {
    chain: text("chain").notNull(),
    mint: text("mint").notNull(),
    signature: text("signature").notNull(),
    slot: integer("slot").notNull(),
    transfers: integer("transfers").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.mint, t.signature] }), index("solana_transfers_signature").on(t.chain, t.signature)],
);

/**
 * Where the Solana transfer index stands on each token account: the newest
 * signature of the account already counted (getSignaturesForAddress's `until`),
 * and when the account was last read (the least recently read go first).
 */
export const solanaAccountCursors = sqliteTable(
  "solana_account_cursors",
  {
    chain: text("chain").notNull(),
    account: text("account").notNull(),
    mint: text("mint").notNull(),
    untilSignature: text("until_signature"),
    scannedAt: integer("scanned_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.account] }), index("solana_account_cursors_mint").on(t.chain, t.mint)],
);

/** Where each chain's Transfer index stands: the last block indexed and its hash (a changed hash there is a reorg). */
export const indexCursors = sqliteTable("index_cursors", {
  chain: text("chain").primaryKey(),
  blockNumber: integer("block_number").notNull(),
  blockHash: text("block_hash").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
