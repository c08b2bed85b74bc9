// Webhook deliveries. Two queues: "tf-webhook-events" carries one message per
// final launch (from the deployer); fanOut turns it into one message per
// matching webhook on "tf-webhook-deliveries", so each endpoint is retried on
// its own (exponential backoff with jitter) without re-sending to the others.
// Every attempt writes a webhook_deliveries row. Redirects are never followed.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { log, newId, outgoingTraceparent } from "@tokenforge/core";
import { launches, webhookDeliveries, webhooks } from "@tokenforge/core/db/schema";
import { masterKeysFromEnv, openFromString } from "@tokenforge/core/crypto/envelope";
import { WebhookEventMessage, type WebhookEventType } from "@tokenforge/core/webhooks";
import { apiConfig } from "../config";
import type { Env } from "../env";
import { sha256Hex } from "../http";
import { getLaunchWithEvents, launchView } from "../launch-store";
import { signWebhook } from "./sign";
import { checkWebhookUrl } from "./url-guard";

export type WebhookDeliveryMessage = { webhookId: string; messageId: string; type: WebhookEventType; launchId: string; at: number; requestId?: string };

const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_DELAY_SECONDS = 3600;

export const webhookAad = (webhookId: string) => `webhook:${webhookId}`;
export const allowPrivateWebhooks = (env: Env) => apiConfig(env).webhooks.allowPrivate;

/** Delay before attempt `attempt + 1`: base·2^(attempt−1), capped, with equal jitter (half fixed, half random). */
export function retryDelaySeconds(attempt: number, baseSeconds: number, random = Math.random()): number {
  const d = Math.min(MAX_DELAY_SECONDS, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(d / 2 + random * (d / 2)));
}

/** The Standard Webhooks `webhook-id`: stable for (launch, event, endpoint), so a receiver can drop duplicates. */
export async function messageIdFor(launchId: string, type: string, webhookId: string) {
  return "msg_" + (await sha256Hex(`${launchId}|${type}|${webhookId}`)).slice(0, 32);
}

/** Launch ids per D1 query (D1 binds at most 100 parameters). */
const TARGETS_PER_QUERY = 90;

/**
 * The subscribed webhooks of a queue batch's events: their launches' creators' webhooks, read in one
 * query per 90 launches (one query per event was a D1 round trip per confirmed launch, on the Worker
 * that also takes new launches). One line per event that has deliveries; one line for the batch.
 */
export async function fanOut(env: Env, batch: MessageBatch<unknown>) {
  const events: { msg: Message<unknown>; ev: WebhookEventMessage }[] = [];
  for (const msg of batch.messages) {
    const parsed = WebhookEventMessage.safeParse(msg.body);
    if (parsed.success) events.push({ msg, ev: parsed.data });
    else {
      log("warn", "webhook.event_invalid", { outcome: "dropped" });
      msg.ack();
    }
  }
  if (!events.length) return;
  let targets: Map<string, { id: string; events: string[] }[]>;
  try {
    targets = await webhooksOfLaunches(env, [...new Set(events.map((e) => e.ev.launchId))]);
  } catch (e) {
    log("error", "webhook.fanout_failed", { launchIds: events.map((e) => e.ev.launchId).slice(0, 20), launches: events.length, error: e });
    for (const { msg } of events) msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts, 5) });
    return;
  }
  let deliveries = 0;
  for (const { msg, ev } of events) {
    try {
      const matching = (targets.get(ev.launchId) ?? []).filter((w) => w.events.includes(ev.type));
      if (matching.length) {
        const bodies = await Promise.all(
          matching.map(async (w) => ({
            body: { webhookId: w.id, messageId: await messageIdFor(ev.launchId, ev.type, w.id), type: ev.type, launchId: ev.launchId, at: ev.at, requestId: ev.requestId },
          })),
        );
        await env.WEBHOOK_DELIVERIES.sendBatch(bodies);
        deliveries += matching.length;
        log("info", "webhook.fanout", { launchId: ev.launchId, outcome: `${matching.length} deliveries` });
      }
      msg.ack();
    } catch (e) {
      log("error", "webhook.fanout_failed", { launchId: ev.launchId, error: e });
      msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts, 5) });
    }
  }
  log("info", "webhook.fanout_batch", { events: events.length, deliveries });
}

async function webhooksOfLaunches(env: Env, launchIds: string[]) {
  const db = drizzle(env.DB);
  const out = new Map<string, { id: string; events: string[] }[]>();
  for (let i = 0; i < launchIds.length; i += TARGETS_PER_QUERY) {
    const rows = await db
      .select({ launchId: launches.id, id: webhooks.id, events: webhooks.events })
      .from(webhooks)
      .innerJoin(launches, eq(launches.creatorId, webhooks.userId))
      .where(and(inArray(launches.id, launchIds.slice(i, i + TARGETS_PER_QUERY)), isNull(webhooks.deletedAt)));
    for (const r of rows) out.set(r.launchId, [...(out.get(r.launchId) ?? []), { id: r.id, events: r.events }]);
  }
  return out;
}

export async function deliverBatch(env: Env, batch: MessageBatch<WebhookDeliveryMessage>) {
  const { retryBaseSeconds: base, maxAttempts } = apiConfig(env).webhooks;
  await Promise.all(
    batch.messages.map(async (msg) => {
      let done: boolean;
      try {
        done = await deliverOnce(env, msg.body, msg.attempts);
      } catch (e) {
        log("error", "webhook.delivery_crashed", { launchId: msg.body.launchId, error: e });
        done = false;
      }
      if (done || msg.attempts >= maxAttempts) msg.ack();
      else msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts, base) });
    }),
  );
}

/** One attempt. True when finished (delivered, or nothing left to deliver to); false to retry. */
export async function deliverOnce(env: Env, m: WebhookDeliveryMessage, attempt: number, now = Date.now()): Promise<boolean> {
  const db = drizzle(env.DB);
  const hook = await db.select().from(webhooks).where(eq(webhooks.id, m.webhookId)).get();
  if (!hook || hook.deletedAt) return true;
  const found = await getLaunchWithEvents(env, m.launchId);
  if (!found) return true;

  const body = JSON.stringify({ type: m.type, timestamp: new Date(now).toISOString(), data: launchView(env, found.row, found.events) });
  const timestamp = Math.floor(now / 1000);
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  const verdict = checkWebhookUrl(hook.url, allowPrivateWebhooks(env));
  if (!verdict.ok) {
    error = `url refused: ${verdict.reason}`;
  } else {
    try {
      const secret = await openFromString(await masterKeysFromEnv(env), hook.secret, webhookAad(hook.id));
      const res = await fetch(verdict.url.toString(), {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        headers: {
          "content-type": "application/json",
          "user-agent": "TokenForge-Webhooks/1",
          traceparent: outgoingTraceparent(m.launchId),
          "webhook-id": m.messageId,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": await signWebhook(secret, m.messageId, timestamp, body),
        },
        body,
      });
      statusCode = res.status;
      await res.body?.cancel();
      if (res.status >= 300 && res.status < 400) error = "redirect not followed";
      else if (res.status >= 300) error = `HTTP ${res.status}`;
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : "fetch failed";
    }
  }
  const ok = error === null;
  await db.insert(webhookDeliveries).values({
    id: newId("dlv"),
    webhookId: hook.id,
    messageId: m.messageId,
    eventType: m.type,
    launchId: m.launchId,
    attempt,
    statusCode,
    durationMs: Date.now() - started,
    error,
    createdAt: now,
  });
  log(ok ? "info" : "warn", "webhook.delivery", { launchId: m.launchId, outcome: ok ? `delivered ${statusCode}` : `failed: ${error}`, attempt });
  // A refused URL will not become acceptable by waiting.
  return ok || (!verdict.ok);
}
