// Webhooks of the caller: register (the signing secret is shown once and kept
// encrypted under the master key), list, delete, and each one's delivery log.
// Session or an API key with webhooks:manage; nobody sees another user's.
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, isNull, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { log, newId } from "@tokenforge/core";
import { webhookDeliveries, webhooks, type WebhookDeliveryRow, type WebhookRow } from "@tokenforge/core/db/schema";
import { MasterKeyError, masterKeysFromEnv, sealToString } from "@tokenforge/core/crypto/envelope";
import type { AppEnv } from "../env";
import type { Context } from "hono";
import { requireScope } from "../auth";
import { audit } from "../audit";
import { jsonBody, ProblemError } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { CreatedWebhook, CreateWebhookRequest, DeliveryList, DeliveryView, IdParam, PageQuery, WebhookList, WebhookView } from "../schemas";
import { allowPrivateWebhooks, webhookAad } from "../webhooks/deliver";
import { newWebhookSecret } from "../webhooks/sign";
import { checkWebhookUrl } from "../webhooks/url-guard";
import { insertUnderCap } from "../capped-insert";

const MAX_WEBHOOKS_PER_USER = 20;

export const webhooksRoute = router();
webhooksRoute.use("*", requireScope("webhooks:manage"));

const view = (w: WebhookRow): z.infer<typeof WebhookView> => ({
  id: w.id,
  url: w.url,
  events: w.events,
  description: w.description,
  createdAt: new Date(w.createdAt).toISOString(),
});

const deliveryView = (d: WebhookDeliveryRow): z.infer<typeof DeliveryView> => ({
  id: d.id,
  messageId: d.messageId,
  eventType: d.eventType,
  launchId: d.launchId,
  attempt: d.attempt,
  statusCode: d.statusCode,
  durationMs: d.durationMs,
  error: d.error,
  createdAt: new Date(d.createdAt).toISOString(),
});

/** The caller's live webhook, or 404 (someone else's answers exactly like a missing one). */
async function ownWebhook(c: Context<AppEnv>, id: string) {
  const row = await drizzle(c.env.DB)
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, id), eq(webhooks.userId, c.get("caller")!.userId), isNull(webhooks.deletedAt)))
    .get();
  if (!row) throw new ProblemError("not-found", "no webhook with this id");
  return row;
}

webhooksRoute.openapi(
  createRoute({
    method: "post",
    path: "/",
    operationId: "createWebhook",
    tags: ["webhooks"],
    summary: "Register a webhook (the signing secret is shown once)",
    description:
      "Deliveries are POSTs of `{ type, timestamp, data: <Launch> }` signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, " +
      "`webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>` keyed with the base64-decoded part of the secret after `whsec_`). " +
      "Failed deliveries are retried with exponential backoff; redirects are not followed.",
    security: security.user,
    middleware: [jsonBody] as const,
    request: { body: { required: true, content: jsonContent(CreateWebhookRequest) } },
    responses: {
      201: { description: "Registered", content: jsonContent(CreatedWebhook) },
      ...problems("malformed-json", "unauthorized", "forbidden", "payload-too-large", "unsupported-media-type", "validation-error", "unavailable", ...LIMITED),
    },
  }),
  async (c) => {
    const caller = c.get("caller")!;
    const body = c.req.valid("json");
    const verdict = checkWebhookUrl(body.url, allowPrivateWebhooks(c.env));
    if (!verdict.ok) {
      throw new ProblemError("validation-error", `url: ${verdict.reason}`, { errors: [{ path: "url", message: verdict.reason }] });
    }
    const id = newId("whk");
    const secret = newWebhookSecret();
    let sealed: string;
    try {
      sealed = await sealToString(await masterKeysFromEnv(c.env), secret, webhookAad(id));
    } catch (e) {
      if (!(e instanceof MasterKeyError)) throw e;
      log("error", "webhook.master_key_missing", { error: e });
      throw new ProblemError("unavailable", "webhooks are not configured on this server (no master key)");
    }
    const row: WebhookRow = {
      id, userId: caller.userId, url: verdict.url.toString(), events: body.events, description: body.description ?? null,
      secret: sealed, createdAt: Date.now(), deletedAt: null,
    };
    const inserted = await insertUnderCap(c.env.DB, {
      table: "webhooks",
      row: { id, user_id: row.userId, url: row.url, events: JSON.stringify(row.events), description: row.description, secret: row.secret, created_at: row.createdAt },
      live: { where: "user_id = ? AND deleted_at IS NULL", params: [caller.userId] },
      cap: MAX_WEBHOOKS_PER_USER,
    });
    if (!inserted) throw new ProblemError("validation-error", `at most ${MAX_WEBHOOKS_PER_USER} webhooks; delete one first`);
    await audit(c, "webhook.created", id, { url: row.url, events: row.events });
    return c.json({ ...view(row), secret }, 201, { "cache-control": "no-store" });
  },
);

webhooksRoute.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "listWebhooks",
    tags: ["webhooks"],
    summary: "Your webhooks",
    security: security.user,
    responses: { 200: { description: "Webhooks, newest first", content: jsonContent(WebhookList) }, ...problems("unauthorized", "forbidden", ...LIMITED) },
  }),
  async (c) => {
    const rows = await drizzle(c.env.DB)
      .select()
      .from(webhooks)
      .where(and(eq(webhooks.userId, c.get("caller")!.userId), isNull(webhooks.deletedAt)))
      .orderBy(desc(webhooks.createdAt));
    return c.json({ webhooks: rows.map(view) }, 200);
  },
);

webhooksRoute.openapi(
  createRoute({
    method: "delete",
    path: "/{id}",
    operationId: "deleteWebhook",
    tags: ["webhooks"],
    summary: "Delete a webhook (its delivery log stays for the audit)",
    security: security.user,
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...problems("unauthorized", "forbidden", "not-found", "validation-error", ...LIMITED) },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    await ownWebhook(c, id);
    await drizzle(c.env.DB).update(webhooks).set({ deletedAt: Date.now() }).where(eq(webhooks.id, id));
    await audit(c, "webhook.deleted", id);
    return c.body(null, 204);
  },
);

webhooksRoute.openapi(
  createRoute({
    method: "get",
    path: "/{id}/deliveries",
    operationId: "listWebhookDeliveries",
    tags: ["webhooks"],
    summary: "The delivery log of a webhook: one row per attempt, newest first",
    security: security.user,
    request: { params: IdParam, query: PageQuery },
    responses: {
      200: { description: "A page of attempts", content: jsonContent(DeliveryList) },
      ...problems("invalid-cursor", "unauthorized", "forbidden", "not-found", "validation-error", ...LIMITED),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { cursor, limit } = c.req.valid("query");
    await ownWebhook(c, id);
    if (cursor !== undefined && !/^dlv_[0-9a-z]{26}$/.test(cursor)) throw new ProblemError("invalid-cursor", "use the nextCursor of a previous page");
    const rows = await drizzle(c.env.DB)
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.webhookId, id), cursor ? lt(webhookDeliveries.id, cursor) : undefined))
      .orderBy(desc(webhookDeliveries.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    return c.json({ deliveries: page.map(deliveryView), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null }, 200);
  },
);
