// Launch announcements (issue 20): a user's Discord webhooks and Telegram chats,
// for one launch or all of theirs. Session or an API key with webhooks:manage
// (they are webhook-like destinations); nobody sees another user's.
//  - Discord: only https://discord.com/api/webhooks/{id}/{token}; the id/token is
//    sealed under the master key (the token is the credential) and never returned.
//  - Telegram: POST /announcements/telegram hands out a one-time code; the user
//    sends `/start <code>` to the platform's bot in the chat (t.me links given),
//    Telegram delivers that update to POST /announcements/telegram/updates, which
//    checks X-Telegram-Bot-Api-Secret-Token and links the chat.
// Operators: re-drive a launch's announcement (redelivery must not post twice)
// and run the X digest now, at a given time outside production.
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { log, newId } from "@tokenforge/core";
import { announceDestinations, launches, telegramLinkCodes, type AnnounceDestinationRow } from "@tokenforge/core/db/schema";
import { MasterKeyError, masterKeysFromEnv, sealToString } from "@tokenforge/core/crypto/envelope";
import { parseDiscordWebhookUrl } from "@tokenforge/core/announce/discord";
import { startCode, TELEGRAM_SECRET_HEADER, updateMessage } from "@tokenforge/core/announce/telegram";
import { discordAad } from "@tokenforge/core/announce/secrets";
import type { AppEnv } from "../env";
import { requireAdmin, requireScope } from "../auth";
import { audit } from "../audit";
import { insertUnderCap } from "../capped-insert";
import { apiConfig } from "../config";
import { jsonBody, ProblemError, problemResponse, sha256Hex } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { IdParam } from "../schemas";
import { toBase64Url } from "../random";

const MAX_DESTINATIONS_PER_USER = 20;

const LaunchScope = z.string().max(64).optional().meta({ description: "Announce only this launch (yours); omit for all your launches" });
const CreateDiscordRequest = z
  .strictObject({
    url: z.string().max(300).meta({ description: "A Discord webhook URL: https://discord.com/api/webhooks/{id}/{token}" }),
    launchId: LaunchScope,
    label: z.string().max(64).optional(),
  })
  .meta({ id: "CreateDiscordAnnouncement" });
const CreateTelegramLinkRequest = z.strictObject({ launchId: LaunchScope }).meta({ id: "CreateTelegramLink" });
const DestinationView = z
  .object({
    id: z.string(),
    platform: z.enum(["discord", "telegram"]),
    launchId: z.string().nullable().meta({ description: "null: every launch of yours" }),
    label: z.string().nullable().meta({ description: "Discord: the webhook id; Telegram: the chat's title" }),
    createdAt: z.string(),
  })
  .meta({ id: "AnnouncementDestination" });
const DestinationList = z.object({ destinations: z.array(DestinationView) }).meta({ id: "AnnouncementDestinationList" });
const TelegramLink = z
  .object({
    code: z.string(),
    command: z.string().meta({ description: "What to send to the bot in the chat to link it" }),
    link: z.string().nullable().meta({ description: "t.me link that opens a private chat with the bot and sends the command" }),
    groupLink: z.string().nullable().meta({ description: "t.me link that adds the bot to a group and sends the command" }),
    expiresAt: z.string(),
  })
  .meta({ id: "TelegramLink" });
const TelegramUpdate = z.looseObject({ update_id: z.number().int() }).meta({ id: "TelegramUpdate", description: "https://core.telegram.org/bots/api#update" });

const view = (d: AnnounceDestinationRow): z.infer<typeof DestinationView> => ({
  id: d.id, platform: d.platform, launchId: d.launchId, label: d.label, createdAt: new Date(d.createdAt).toISOString(),
});

/** The caller's launch (404 for someone else's, as for a missing one). */
async function ownLaunch(c: Context<AppEnv>, launchId: string | undefined) {
  if (launchId === undefined) return null;
  const row = await drizzle(c.env.DB).select({ id: launches.id }).from(launches)
    .where(and(eq(launches.id, launchId), eq(launches.creatorId, c.get("caller")!.userId))).get();
  if (!row) throw new ProblemError("not-found", "no launch of yours with this id");
  return row.id;
}

async function insertDestination(c: Context<AppEnv>, row: AnnounceDestinationRow) {
  const inserted = await insertUnderCap(c.env.DB, {
    table: "announce_destinations",
    row: { id: row.id, user_id: row.userId, platform: row.platform, launch_id: row.launchId, target: row.target, secret: row.secret, label: row.label, created_at: row.createdAt },
    live: { where: "user_id = ? AND deleted_at IS NULL", params: [row.userId] },
    cap: MAX_DESTINATIONS_PER_USER,
  });
  return inserted;
}

export const announcementsRoute = router();
const manage = requireScope("webhooks:manage");

announcementsRoute.openapi(
  createRoute({
    method: "get",
    path: "/destinations",
    operationId: "listAnnouncementDestinations",
    tags: ["announcements"],
    summary: "Your Discord webhooks and Telegram chats for launch announcements",
    security: security.user,
    middleware: [manage] as const,
    responses: { 200: { description: "Destinations, newest first", content: jsonContent(DestinationList) }, ...problems("unauthorized", "forbidden", ...LIMITED) },
  }),
  async (c) => {
    const rows = await drizzle(c.env.DB).select().from(announceDestinations)
      .where(and(eq(announceDestinations.userId, c.get("caller")!.userId), isNull(announceDestinations.deletedAt)))
      .orderBy(desc(announceDestinations.createdAt));
    return c.json({ destinations: rows.map(view) }, 200);
  },
);

announcementsRoute.openapi(
  createRoute({
    method: "post",
    path: "/discord",
    operationId: "createDiscordAnnouncement",
    tags: ["announcements"],
    summary: "Announce confirmed launches to a Discord webhook",
    description:
      "Each confirmed launch (of `launchId`, or all of yours) is posted once as an embed, with `allowed_mentions: { parse: [] }` and " +
      "every name escaped, so nothing in a token name can ping, format or link. The webhook URL is stored encrypted and never shown again.",
    security: security.user,
    middleware: [manage, jsonBody] as const,
    request: { body: { required: true, content: jsonContent(CreateDiscordRequest) } },
    responses: {
      201: { description: "Registered", content: jsonContent(DestinationView) },
      ...problems("malformed-json", "unauthorized", "forbidden", "not-found", "payload-too-large", "unsupported-media-type", "validation-error", "unavailable", ...LIMITED),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const hook = parseDiscordWebhookUrl(body.url);
    if (!hook) {
      const message = "must be a Discord webhook URL: https://discord.com/api/webhooks/{id}/{token}";
      throw new ProblemError("validation-error", `url: ${message}`, { errors: [{ path: "url", message }] });
    }
    const launchId = await ownLaunch(c, body.launchId);
    const id = newId("ann");
    let secret: string;
    try {
      secret = await sealToString(await masterKeysFromEnv(c.env), `${hook.id}/${hook.token}`, discordAad(id));
    } catch (e) {
      if (!(e instanceof MasterKeyError)) throw e;
      log("error", "announce.master_key_missing", { error: e });
      throw new ProblemError("unavailable", "announcements are not configured on this server (no master key)");
    }
    const row: AnnounceDestinationRow = {
      id, userId: c.get("caller")!.userId, platform: "discord", launchId, target: null, secret, label: body.label ?? `webhook ${hook.id}`,
      notBefore: null, createdAt: Date.now(), deletedAt: null,
    };
    if (!(await insertDestination(c, row))) throw new ProblemError("validation-error", `at most ${MAX_DESTINATIONS_PER_USER} destinations; delete one first`);
    await audit(c, "announce.created", id, { platform: "discord", launchId });
    return c.json(view(row), 201);
  },
);

announcementsRoute.openapi(
  createRoute({
    method: "post",
    path: "/telegram",
    operationId: "createTelegramLink",
    tags: ["announcements"],
    summary: "A one-time code that links a Telegram chat to your announcements",
    description: "Send the `command` to the platform's bot in the chat (or open a link) before `expiresAt`; the chat then gets each confirmed launch once.",
    security: security.user,
    middleware: [manage, jsonBody] as const,
    request: { body: { required: true, content: jsonContent(CreateTelegramLinkRequest) } },
    responses: {
      201: { description: "A code, valid once until expiresAt", content: jsonContent(TelegramLink) },
      ...problems("malformed-json", "unauthorized", "forbidden", "not-found", "payload-too-large", "unsupported-media-type", "validation-error", ...LIMITED),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const launchId = await ownLaunch(c, body.launchId);
    const cfg = apiConfig(c.env).announce;
    const code = toBase64Url(crypto.getRandomValues(new Uint8Array(24)));
    const now = Date.now();
    const expiresAt = now + cfg.telegramLinkTtlMs;
    await drizzle(c.env.DB).insert(telegramLinkCodes).values({ codeHash: await sha256Hex(code), userId: c.get("caller")!.userId, launchId, expiresAt, createdAt: now });
    const bot = cfg.telegramBotUsername;
    return c.json({
      code,
      command: `/start ${code}`,
      link: bot ? `https://t.me/${bot}?start=${code}` : null,
      groupLink: bot ? `https://t.me/${bot}?startgroup=${code}` : null,
      expiresAt: new Date(expiresAt).toISOString(),
    }, 201, { "cache-control": "no-store" });
  },
);

announcementsRoute.openapi(
  createRoute({
    method: "post",
    path: "/telegram/updates",
    operationId: "receiveTelegramUpdate",
    tags: ["announcements"],
    summary: "The platform bot's webhook (called by Telegram, not by users)",
    description: "Requires `X-Telegram-Bot-Api-Secret-Token` equal to the secret_token given to setWebhook. A `/start <code>` message links its chat.",
    security: security.none,
    middleware: [jsonBody] as const,
    request: { body: { required: true, content: jsonContent(TelegramUpdate) } },
    responses: {
      200: { description: "Handled (linked, or ignored)", content: jsonContent(z.object({ ok: z.boolean(), linked: z.boolean() })) },
      ...problems("malformed-json", "unauthorized", "payload-too-large", "unsupported-media-type", "validation-error", "unavailable", ...LIMITED),
    },
  }),
  async (c) => {
    const expected = c.env.TELEGRAM_WEBHOOK_SECRET;
    if (!expected) throw new ProblemError("unavailable", "no Telegram bot is configured on this server");
    const given = c.req.header(TELEGRAM_SECRET_HEADER) ?? "";
    if (!(await sameSecret(given, expected))) throw new ProblemError("unauthorized", "wrong or missing X-Telegram-Bot-Api-Secret-Token");
    const msg = updateMessage(c.req.valid("json"));
    const code = msg ? startCode(msg.text) : null;
    if (!msg || !code) return c.json({ ok: true, linked: false }, 200);
    const now = Date.now();
    // Single use: the UPDATE that marks the code used is the one that may link.
    const db: D1Database = c.env.DB;
    const used = await db.prepare(
      "UPDATE telegram_link_codes SET used_at = ?1 WHERE code_hash = ?2 AND used_at IS NULL AND expires_at > ?1 RETURNING user_id, launch_id",
    ).bind(now, await sha256Hex(code)).first<{ user_id: string; launch_id: string | null }>();
    if (!used) return c.json({ ok: true, linked: false }, 200);
    const row: AnnounceDestinationRow = {
      id: newId("ann"), userId: used.user_id, platform: "telegram", launchId: used.launch_id, target: msg.chatId, secret: null,
      label: msg.chatTitle, notBefore: null, createdAt: now, deletedAt: null,
    };
    const linked = await insertDestination(c, row);
    await audit(c, "announce.created", row.id, { platform: "telegram", launchId: row.launchId }, used.user_id);
    log("info", "announce.telegram_linked", { outcome: linked ? "linked" : "over the cap" });
    return c.json({ ok: true, linked }, 200);
  },
);

announcementsRoute.openapi(
  createRoute({
    method: "delete",
    path: "/destinations/{id}",
    operationId: "deleteAnnouncementDestination",
    tags: ["announcements"],
    summary: "Stop announcing to a Discord webhook or Telegram chat",
    security: security.user,
    middleware: [manage] as const,
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...problems("unauthorized", "forbidden", "not-found", "validation-error", ...LIMITED) },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const db = drizzle(c.env.DB);
    const mine = and(eq(announceDestinations.id, id), eq(announceDestinations.userId, c.get("caller")!.userId), isNull(announceDestinations.deletedAt));
    const row = await db.select({ id: announceDestinations.id }).from(announceDestinations).where(mine).get();
    if (!row) throw new ProblemError("not-found", "no destination with this id");
    await db.update(announceDestinations).set({ deletedAt: Date.now(), secret: null }).where(eq(announceDestinations.id, id));
    await audit(c, "announce.deleted", id);
    return c.body(null, 204);
  },
);

/** Operators: the launch's announcement message again, `copies` times (redelivery must not post twice). */
announcementsRoute.post("/launches/:id/enqueue", requireAdmin, async (c) => {
  const id = c.req.param("id");
  const row = await drizzle(c.env.DB).select({ id: launches.id }).from(launches).where(eq(launches.id, id)).get();
  if (!row) return problemResponse("not-found", "no launch with this id");
  const copies = Math.min(Math.max(Number(c.req.query("copies") ?? "1") || 1, 1), 10);
  await c.env.ANNOUNCEMENTS.sendBatch(Array.from({ length: copies }, () => ({ body: { kind: "launch" as const, launchId: id, at: Date.now() } })));
  return c.json({ id, enqueued: copies }, 202);
});

/** Operators: run the X digest job now (the cron Worker runs it every minute); `now` (ms or ISO) only outside production. */
announcementsRoute.post("/digest", requireAdmin, async (c) => {
  const now = c.req.query("now");
  // Checked here so a bad value is a problem+json like every bad input (the cron Worker's own check answers plain JSON).
  if (now && !/^\d+$/.test(now) && Number.isNaN(Date.parse(now))) throw new ProblemError("validation-error", "now: epoch ms or an ISO date");
  const qs = now ? `?now=${encodeURIComponent(now)}` : "";
  const res = await c.env.CRON.fetch(`https://cron.internal/x-digest${qs}`, { method: "POST" });
  return new Response(res.body, { status: res.status, headers: { "content-type": "application/json" } });
});

async function sameSecret(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([sha256Hex(a), sha256Hex(b)]);
  let diff = 0;
  for (let i = 0; i < ha.length; i++) diff |= ha.charCodeAt(i) ^ hb.charCodeAt(i);
  return diff === 0;
}
