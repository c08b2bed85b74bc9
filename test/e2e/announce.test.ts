// Launch announcements (issue 20, acceptance 4) against the Discord, Telegram and
// X stand-ins (tools/social-stand-ins.ts): a confirmed launch is posted once to
// each destination though its message is delivered several times; a hostile
// name arrives inert; a 429 is retried no sooner than the wait it names; the X
// digest goes out once a day (the test moves the digest's clock).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform, type Platform } from "../../tools/platform";
import type { Received } from "../../tools/social-stand-ins";
import { baseLaunch, postLaunch, waitFinal } from "./client";

const HOSTILE = "@everyone [x](http://evil) <b>";
const DISCORD_URL = `https://discord.com/api/webhooks/123456789012345678/${"T".repeat(34)}_${"k".repeat(33)}`;
const DAY = 24 * 3600 * 1000;

let p: Platform;
beforeAll(async () => {
  // The digest's hour is midnight UTC; retries back off from 1 s.
  p = await startPlatform({ port: "auto", quiet: true, vars: { X_DIGEST_HOUR_UTC: "0", WEBHOOK_RETRY_BASE_SECONDS: "1" } });
});
afterAll(async () => {
  await p?.stop();
});

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${p.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${p.apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as any) : null };
}
const adminPost = async (path: string) => {
  const res = await fetch(`${p.url}/api/v1${path}`, { method: "POST", headers: { authorization: `Bearer ${p.adminToken}` } });
  return { status: res.status, json: (await res.json()) as any };
};

/** What a stand-in received about a launch (its name, as sent, is escaped: match the symbol). */
const postsOf = (platform: "discord" | "telegram", symbol: string) =>
  p.social.received.filter((r) => r.platform === platform && JSON.stringify(r.body).includes(`(${symbol})`));
const ok = (rs: Received[]) => rs.filter((r) => r.status === 200);

async function launchConfirmed(name: string, symbol: string) {
  const res = await postLaunch(p, baseLaunch({ name, symbol }));
  expect(res.status).toBe(202);
  const [view] = await waitFinal(p, [res.json.id], 90_000);
  expect(view.status).toBe("confirmed");
  return res.json.id as string;
}

describe("announcements", () => {
  it("links a Discord webhook and a Telegram chat (one-time code, secret-token checked)", async () => {
    expect((await api("POST", "/announcements/discord", { url: "https://evil.example/api/webhooks/1/2" })).status).toBe(422);
    const discord = await api("POST", "/announcements/discord", { url: DISCORD_URL });
    expect(discord.status).toBe(201);
    expect(JSON.stringify(discord.json)).not.toContain("kkkk"); // the token is never returned

    const link = await api("POST", "/announcements/telegram", {});
    expect(link.status).toBe(201);
    expect(link.json.link).toBe(`https://t.me/TokenForgeLocalBot?start=${link.json.code}`);
    const update = { update_id: 1, message: { message_id: 7, date: 1, chat: { id: -1001234567890, type: "supergroup", title: "Launch watchers" }, text: link.json.command } };
    const send = (secret: string) => api("POST", "/announcements/telegram/updates", update, { authorization: "", "x-telegram-bot-api-secret-token": secret });
    expect((await send("wrong")).status).toBe(401);
    expect((await send(p.social.telegramWebhookSecret)).json).toEqual({ ok: true, linked: true });
    expect((await send(p.social.telegramWebhookSecret)).json).toEqual({ ok: true, linked: false }); // the code is single use

    const list = await api("GET", "/announcements/destinations");
    expect(list.json.destinations.map((d: any) => d.platform).sort()).toEqual(["discord", "telegram"]);
  });

  it("posts a confirmed launch once to Discord and Telegram though its message is delivered 3 more times, with a hostile name inert", async () => {
    const id = await launchConfirmed(HOSTILE, "EVIL");
    expect((await adminPost(`/announcements/launches/${id}/enqueue?copies=3`)).status).toBe(202);
    await expect.poll(() => ok(postsOf("discord", "EVIL")).length, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => ok(postsOf("telegram", "EVIL")).length, { timeout: 30_000 }).toBeGreaterThan(0);
    // Let every copy reach the consumer, and one more late re-drive.
    await adminPost(`/announcements/launches/${id}/enqueue?copies=2`);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(postsOf("discord", "EVIL")).toHaveLength(1);
    expect(postsOf("telegram", "EVIL")).toHaveLength(1);

    const discord = postsOf("discord", "EVIL")[0]!.body;
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    const title: string = discord.embeds[0].title;
    // Every markdown character escaped, the mention and the URL broken by a zero-width space.
    expect(title).toBe("New token: \\@\u200beveryone \\[x\\]\\(http\\:\u200b\\/\\/evil\\) \\<b\\> (EVIL)");
    expect(JSON.stringify(discord)).not.toContain("@everyone");
    expect(JSON.stringify(discord)).not.toContain("](http");

    const tg = postsOf("telegram", "EVIL")[0]!.body;
    expect(tg.parse_mode).toBe("HTML");
    expect(tg.chat_id).toBe("-1001234567890");
    expect(tg.text).toContain("@\u200beveryone [x](http:\u200b//evil) &lt;b&gt;");
    expect(tg.text).not.toContain("@everyone");
    expect(tg.text).not.toContain("http://evil");
  });

  it("retries a 429 no sooner than the wait it names (Discord retry_after, Telegram parameters.retry_after)", async () => {
    p.social.fail("discord", { status: 429, retryAfterSeconds: 3 });
    p.social.fail("telegram", { status: 429, retryAfterSeconds: 4 });
    await launchConfirmed("Patient Coin", "WAIT");
    await expect.poll(() => ok(postsOf("discord", "WAIT")).length, { timeout: 40_000 }).toBe(1);
    await expect.poll(() => ok(postsOf("telegram", "WAIT")).length, { timeout: 40_000 }).toBe(1);
    for (const [platform, wait] of [["discord", 3], ["telegram", 4]] as const) {
      const [limited, posted] = postsOf(platform, "WAIT");
      expect([limited!.status, posted!.status]).toEqual([429, 200]);
      expect(posted!.at - limited!.at).toBeGreaterThanOrEqual(wait * 1000 - 50);
    }
  });

  it("posts the X digest once a day, cron-driven, with the day's launches inert", async () => {
    const tomorrow = Math.floor(Date.now() / DAY) * DAY + DAY;
    const run = async (at: number) => (await adminPost(`/announcements/digest?now=${at}`)).json;
    expect(await run(tomorrow + 5 * 60_000)).toMatchObject({ outcome: "posted" });
    expect(await run(tomorrow + 10 * 60_000)).toMatchObject({ outcome: "done or in progress" });
    await p.runCron(); // the regular cron run (today's digest: the day before this platform existed)
    const tweets = p.social.received.filter((r) => r.platform === "x" && r.status === 201);
    expect(tweets).toHaveLength(1);
    const text: string = tweets[0]!.body.text;
    expect(text).toContain(`Top launches on TokenForge, ${new Date(tomorrow).toISOString().slice(0, 10)}:`);
    expect(text).toContain("Patient Coin (WAIT)");
    expect(text).toContain("@\u200beveryone [x](http:\u200b//evil) <b> (EVIL)");
    expect(text).not.toContain("http://evil");
    // The next day has nothing new: no post.
    expect(await run(tomorrow + DAY + 5 * 60_000)).toMatchObject({ outcome: "nothing launched" });
    expect(p.social.received.filter((r) => r.platform === "x")).toHaveLength(1);
  });
});
