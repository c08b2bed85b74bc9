// Launch announcements (issue 20), consumed from "tf-announcements":
//  - { kind: "launch" } (from the deployer when a launch is confirmed, or an
//    operator's re-drive) fans out to one { kind: "post" } per destination of the
//    launch's creator (that launch's, or all their launches'), so each Discord
//    webhook / Telegram chat is retried with backoff on its own;
//  - { kind: "post" } posts once per (launch, destination): a D1 claim row with a
//    lease makes redelivered or racing copies skip (already "sent") or wait (lease
//    held). A crash after the platform accepted the post but before "sent" is
//    written leaves the lease to run out, and the next delivery posts again: the
//    one duplicate this cannot rule out (the platforms take no idempotency key).
// Rate limits: a 429's named wait (and an emptied Discord bucket) is stored on the
// destination as not_before, which every post to it honours before sending.
import { and, eq, isNull, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { chainRegistry, explorerLinks, findChain, log, requestIdFor } from "@tokenforge/core";
import { targetOf } from "@tokenforge/core/lifecycle";
import { announceDestinations, announcePosts, launches, type AnnounceDestinationRow } from "@tokenforge/core/db/schema";
import { AnnounceMessage, discordAnnouncement, telegramAnnouncement, type LaunchFacts } from "@tokenforge/core/announce/messages";
import { executeDiscordWebhook } from "@tokenforge/core/announce/discord";
import { telegramSendMessage } from "@tokenforge/core/announce/telegram";
import type { SendOutcome } from "@tokenforge/core/announce/outcome";
import { discordAad, openSecretEnvelope, TELEGRAM_BOT_AAD } from "@tokenforge/core/announce/secrets";
import { apiConfig } from "../config";
import type { Env } from "../env";
import { retryDelaySeconds } from "../webhooks/deliver";

/** How long a claimed post stays claimed: longer than a send (10 s timeout) can take. */
export const POST_LEASE_MS = 30_000;
const MAX_WAIT_SECONDS = 3600;
/** Only confirmed launches are announced (a reorg may send one back to work before its post goes out). */
const CONFIRMED = targetOf("confirm");

type Step = { done: true } | { done: false; at: number | null };

export async function announceBatch(env: Env, batch: MessageBatch<unknown>, now = () => Date.now()) {
  const { retryBaseSeconds: base, maxAttempts } = apiConfig(env).webhooks;
  await Promise.all(
    batch.messages.map(async (msg) => {
      const parsed = AnnounceMessage.safeParse(msg.body);
      if (!parsed.success) {
        log("warn", "announce.message_invalid", { outcome: "dropped" });
        return msg.ack();
      }
      const m = parsed.data;
      let step: Step;
      try {
        step = m.kind === "launch" ? await fanOut(env, m.launchId) : await postOnce(env, m.launchId, m.destinationId, now());
      } catch (e) {
        log("error", "announce.crashed", { launchId: m.launchId, error: e });
        step = { done: false, at: null };
      }
      if (step.done) return msg.ack();
      // A wait the platform named is honoured whatever the attempt count; backoff otherwise, until maxAttempts.
      if (step.at !== null) return msg.retry({ delaySeconds: Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil((step.at - now()) / 1000))) });
      if (msg.attempts >= maxAttempts) {
        log("warn", "announce.gave_up", { launchId: m.launchId, attempt: msg.attempts });
        return msg.ack();
      }
      msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts, base) });
    }),
  );
}

async function fanOut(env: Env, launchId: string): Promise<Step> {
  const db = drizzle(env.DB);
  const launch = await db.select({ creatorId: launches.creatorId, status: launches.status }).from(launches).where(eq(launches.id, launchId)).get();
  if (!launch || launch.status !== CONFIRMED) return { done: true };
  const targets = await db
    .select({ id: announceDestinations.id })
    .from(announceDestinations)
    .where(and(
      eq(announceDestinations.userId, launch.creatorId),
      isNull(announceDestinations.deletedAt),
      or(isNull(announceDestinations.launchId), eq(announceDestinations.launchId, launchId)),
    ));
  const requestId = requestIdFor(launchId);
  if (targets.length) await env.ANNOUNCEMENTS.sendBatch(targets.map((t) => ({ body: { kind: "post" as const, launchId, destinationId: t.id, ...(requestId ? { requestId } : {}) } })));
  // A launch whose creator has no destination is the common case: no line for it (one per confirmed launch).
  if (targets.length) log("info", "announce.fanout", { launchId, outcome: `${targets.length} destinations` });
  return { done: true };
}

/** One attempt at one post; done when posted, already posted, or pointless. */
export async function postOnce(env: Env, launchId: string, destinationId: string, now: number): Promise<Step> {
  const db = drizzle(env.DB);
  const dest = await db.select().from(announceDestinations).where(eq(announceDestinations.id, destinationId)).get();
  if (!dest || dest.deletedAt) return { done: true };
  const launch = await db.select().from(launches).where(eq(launches.id, launchId)).get();
  if (!launch || launch.status !== CONFIRMED || launch.creatorId !== dest.userId) return { done: true };
  if (dest.notBefore && dest.notBefore > now) return { done: false, at: dest.notBefore };

  // The claim: insert, or take over a row that is neither sent nor leased.
  const claimed = await env.DB.prepare(
    `INSERT INTO announce_posts (launch_id, destination_id, status, lease_until, attempts, updated_at) VALUES (?1, ?2, 'sending', ?3, 1, ?4)
     ON CONFLICT (launch_id, destination_id) DO UPDATE SET status = 'sending', lease_until = ?3, attempts = announce_posts.attempts + 1, updated_at = ?4
     WHERE announce_posts.status = 'sending' AND announce_posts.lease_until <= ?4
     RETURNING attempts`,
  ).bind(launchId, destinationId, now + POST_LEASE_MS, now).first<{ attempts: number }>();
  if (!claimed) {
    const row = await db.select().from(announcePosts).where(and(eq(announcePosts.launchId, launchId), eq(announcePosts.destinationId, destinationId))).get();
    if (!row || row.status !== "sending") return { done: true }; // sent (or failed for good)
    return { done: false, at: row.leaseUntil }; // another delivery is sending it now
  }

  const outcome = await send(env, dest, facts(env, launch, now));
  const where = and(eq(announcePosts.launchId, launchId), eq(announcePosts.destinationId, destinationId));
  const at = Date.now();
  if (outcome.kind === "sent") {
    await db.update(announcePosts).set({ status: "sent", externalId: outcome.externalId, error: null, updatedAt: at }).where(where);
    if (outcome.pauseUntil) await db.update(announceDestinations).set({ notBefore: outcome.pauseUntil }).where(eq(announceDestinations.id, dest.id));
    log("info", "announce.posted", { launchId, outcome: `${dest.platform} posted`, attempt: claimed.attempts });
    return { done: true };
  }
  if (outcome.kind === "retry") {
    // Release the claim so the retry (or a racing copy) may take it.
    await db.update(announcePosts).set({ leaseUntil: 0, error: outcome.reason, updatedAt: at }).where(where);
    if (outcome.at) await db.update(announceDestinations).set({ notBefore: outcome.at }).where(eq(announceDestinations.id, dest.id));
    log("warn", "announce.retry", { launchId, outcome: outcome.reason, attempt: claimed.attempts });
    return { done: false, at: outcome.at };
  }
  if (outcome.migrateToChatId && dest.platform === "telegram") {
    // The group became a supergroup: follow it and post there.
    await db.update(announceDestinations).set({ target: outcome.migrateToChatId }).where(eq(announceDestinations.id, dest.id));
    await db.update(announcePosts).set({ leaseUntil: 0, error: outcome.reason, updatedAt: at }).where(where);
    return { done: false, at: at + 1000 };
  }
  await db.update(announcePosts).set({ status: "failed", error: outcome.reason, updatedAt: at }).where(where);
  log("warn", "announce.rejected", { launchId, outcome: outcome.reason });
  return { done: true };
}

function facts(env: Env, launch: typeof launches.$inferSelect, now: number): LaunchFacts {
  const chain = findChain(chainRegistry(env), launch.chain);
  return {
    name: launch.request.name,
    symbol: launch.request.symbol,
    chainName: chain?.name ?? launch.chain,
    address: launch.address,
    totalSupply: launch.request.initialSupply,
    explorerUrl: chain ? explorerLinks(chain, launch.address, null)?.token ?? null : null,
    confirmedAt: launch.updatedAt ?? now,
  };
}

async function send(env: Env, dest: AnnounceDestinationRow, f: LaunchFacts): Promise<SendOutcome> {
  const cfg = apiConfig(env).announce;
  if (dest.platform === "discord") {
    const [id, token] = (await openSecretEnvelope(env, dest.secret ?? "", discordAad(dest.id))).split("/");
    return executeDiscordWebhook({ id: id!, token: token! }, discordAnnouncement(f), { apiBase: cfg.discordApiBase });
  }
  if (!env.TELEGRAM_BOT_TOKEN_ENVELOPE) return { kind: "rejected", reason: "no Telegram bot configured" };
  const bot = await openSecretEnvelope(env, env.TELEGRAM_BOT_TOKEN_ENVELOPE, TELEGRAM_BOT_AAD);
  return telegramSendMessage(bot, dest.target ?? "", telegramAnnouncement(f), { apiBase: cfg.telegramApiBase });
}
