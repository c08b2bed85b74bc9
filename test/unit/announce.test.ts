// Announcements' pure core (issue 20): per-platform escaping, each platform's
// rate-limit answer read with a moved clock, Discord URL checks, the X digest's
// text and its daily window.
import { describe, expect, it } from "vitest";
import { defang, escapeDiscord, escapeTelegramHtml, escapeX } from "../../packages/core/src/announce/escape";
import { discordOutcome, telegramOutcome, xOutcome } from "../../packages/core/src/announce/outcome";
import { parseDiscordWebhookUrl } from "../../packages/core/src/announce/discord";
import { startCode, updateMessage } from "../../packages/core/src/announce/telegram";
import { discordAnnouncement, telegramAnnouncement, xDigestText } from "../../packages/core/src/announce/messages";
import { digestWindow } from "../../packages/core/src/announce/digest";

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, body, headers: new Headers(headers) });
const HOSTILE = "@everyone [x](http://evil) <b>";

describe("escaping", () => {
  it("breaks mentions, hashtags, cashtags, scheme URLs and bare domains with a zero-width space", () => {
    expect(defang("@here #tag $CASH https://a.io evil.com v1.2")).toBe("@\u200bhere #\u200btag $\u200bCASH https:\u200b//a.\u200bio evil.\u200bcom v1.\u200b2");
  });
  it("leaves no Discord markdown, masked link or mention in a hostile name", () => {
    const out = escapeDiscord(HOSTILE + " **b** `c` ~~d~~ ||e|| <@123> # h");
    expect(out).not.toMatch(/(^|[^\\])[*_~`|[\]()<>#@]/);
    expect(out).not.toContain("@everyone");
  });
  it("leaves no Telegram HTML tag or entity in a hostile name", () => {
    expect(escapeTelegramHtml(`${HOSTILE} &amp; <a href="x">`)).toBe("@\u200beveryone [x](http:\u200b//evil) &lt;b&gt; &amp;amp; &lt;a href=&quot;x&quot;&gt;");
  });
  it("X text is plain, with links and mentions broken", () => {
    expect(escapeX(HOSTILE)).toBe("@\u200beveryone [x](http:\u200b//evil) <b>");
  });
  it("announcements carry the escaped name, and Discord's no mentions at all", () => {
    const facts = { name: HOSTILE, symbol: "EVIL", chainName: "Local", address: "0xabc", totalSupply: "1000", explorerUrl: null, confirmedAt: NOW };
    expect(discordAnnouncement(facts).embeds![0]!.title).toBe(`New token: ${escapeDiscord(HOSTILE)} (EVIL)`);
    expect(telegramAnnouncement(facts)).toContain("&lt;b&gt;");
    expect(telegramAnnouncement(facts)).not.toContain("http://evil");
  });
});

describe("rate limits and failures", () => {
  it("Discord: a 429 waits its JSON retry_after; an emptied bucket pauses the destination", () => {
    expect(discordOutcome(answer(429, { retry_after: 1.5, global: false }, { "retry-after": "2" }), NOW)).toEqual({ kind: "retry", at: NOW + 1500, reason: "discord 429" });
    expect(discordOutcome(answer(429, null, { "retry-after": "7" }), NOW)).toMatchObject({ at: NOW + 7000 });
    expect(discordOutcome(answer(200, { id: "9" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset-after": "2.5" }), NOW)).toEqual({ kind: "sent", externalId: "9", pauseUntil: NOW + 2500 });
    expect(discordOutcome(answer(200, { id: "9" }, { "x-ratelimit-remaining": "3", "x-ratelimit-reset-after": "2.5" }), NOW)).toMatchObject({ pauseUntil: null });
    expect(discordOutcome(answer(502, null), NOW)).toEqual({ kind: "retry", at: null, reason: "discord 502" });
    expect(discordOutcome(answer(404, { message: "Unknown Webhook" }), NOW).kind).toBe("rejected");
  });
  it("Telegram: parameters.retry_after, chat migration, a kicked bot", () => {
    expect(telegramOutcome(answer(429, { ok: false, error_code: 429, parameters: { retry_after: 4 } }), NOW)).toEqual({ kind: "retry", at: NOW + 4000, reason: "telegram 429" });
    expect(telegramOutcome(answer(400, { ok: false, error_code: 400, parameters: { migrate_to_chat_id: -100987 } }), NOW)).toMatchObject({ kind: "rejected", migrateToChatId: "-100987" });
    expect(telegramOutcome(answer(403, { ok: false, error_code: 403, description: "Forbidden: bot was kicked" }), NOW).kind).toBe("rejected");
    expect(telegramOutcome(answer(200, { ok: true, result: { message_id: 5 } }), NOW)).toEqual({ kind: "sent", externalId: "5", pauseUntil: null });
  });
  it("X: a 429 waits for x-rate-limit-reset (epoch seconds)", () => {
    const reset = NOW / 1000 + 900;
    expect(xOutcome(answer(429, {}, { "x-rate-limit-reset": String(reset) }), NOW)).toEqual({ kind: "retry", at: reset * 1000, reason: "x 429" });
    expect(xOutcome(answer(201, { data: { id: "77" } }), NOW)).toMatchObject({ kind: "sent", externalId: "77" });
  });
});

describe("inputs", () => {
  it("accepts only https://discord.com/api/webhooks/{id}/{token}", () => {
    const token = "a".repeat(68);
    expect(parseDiscordWebhookUrl(`https://discord.com/api/webhooks/123456789012345678/${token}`)).toEqual({ id: "123456789012345678", token });
    for (const bad of [
      `http://discord.com/api/webhooks/123456789012345678/${token}`,
      `https://discord.com.evil.io/api/webhooks/123456789012345678/${token}`,
      `https://evil.io/api/webhooks/123456789012345678/${token}`,
      `https://user@discord.com/api/webhooks/123456789012345678/${token}`,
      `https://discord.com/api/webhooks/123456789012345678/${token}?x=1`,
      `https://discord.com/api/webhooks/123456789012345678/${token}/../../x`,
    ]) expect(parseDiscordWebhookUrl(bad)).toBeNull();
  });
  it("reads /start codes and the chat of an update", () => {
    expect(startCode("/start abcdefghijklmnop_-12")).toBe("abcdefghijklmnop_-12");
    expect(startCode("/start@TokenForgeBot abcdefghijklmnop")).toBe("abcdefghijklmnop");
    expect(startCode("/start short")).toBeNull();
    expect(updateMessage({ update_id: 1, channel_post: { chat: { id: -100, title: "News" }, text: "x" } })).toEqual({ chatId: "-100", chatTitle: "News", text: "x" });
  });
});

describe("the X digest", () => {
  it("is due once per day at the operator's hour, over the 24 hours before it", () => {
    const hour18 = Date.UTC(2026, 10, 28, 18);
    expect(digestWindow(hour18 - 1, 18)).toBeNull(); // yesterday's is past its grace, today's not yet due
    expect(digestWindow(hour18 + 60_000, 18)).toEqual({ day: "2026-11-28", from: hour18 - 24 * 3600_000, to: hour18 });
    expect(digestWindow(Date.UTC(2026, 10, 29, 1), 0)).toEqual({ day: "2026-11-29", from: Date.UTC(2026, 10, 28), to: Date.UTC(2026, 10, 29) });
  });
  it("fits one post, counting the launches it could not name", () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `Token number ${i}`, symbol: `T${i}`, chainName: "Ethereum" }));
    const text = xDigestText("2026-11-28", many);
    expect([...text].length).toBeLessThanOrEqual(280);
    expect(text).toMatch(/\n\+\d+ more$/);
  });
});
