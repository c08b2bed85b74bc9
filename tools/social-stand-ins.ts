// Stand-ins for Discord, Telegram and X on one local HTTP server, answering the
// shapes their docs give, so `npm start` and the e2e tests post without the
// internet:
//   POST /api/v10/webhooks/{id}/{token}?wait=true   Discord execute webhook → 200 message (X-RateLimit-* headers)
//   POST /bot{token}/sendMessage                    Telegram → { ok, result: Message }
//   POST /2/tweets                                  X → 201 { data: { id, text } } (x-rate-limit-* headers)
// Each platform can be told to answer the next N calls with a 429 (naming its
// wait the platform's way), a 500, or slowly; every call is recorded (also over
// HTTP: POST /__control, GET /__received, for tests running inside workerd).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type SocialPlatform = "discord" | "telegram" | "x";
export type Received = { platform: SocialPlatform; path: string; headers: Record<string, string>; body: any; status: number; at: number };
export type Fault = { status: 429 | 500; retryAfterSeconds?: number; delayMs?: number };

export type SocialStandIns = {
  url: string;
  /** The bot token the Telegram stand-in accepts (others get 401). */
  telegramBotToken: string;
  /** The access token the X stand-in accepts. */
  xAccessToken: string;
  received: Received[];
  /** The next `count` calls to `platform` answer with `fault`. */
  fail: (platform: SocialPlatform, fault: Fault, count?: number) => void;
  close: () => Promise<void>;
};

export async function startSocialStandIns(opts: { telegramBotToken: string; xAccessToken: string }): Promise<SocialStandIns> {
  const received: Received[] = [];
  const faults: Record<SocialPlatform, Fault[]> = { discord: [], telegram: [], x: [] };
  let nextId = 1_000_000_000_000_000_000n;

  const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body === null ? "" : JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const url = new URL(req.url ?? "/", "http://stand-in");
    // Control for tests that cannot call fail() (workerd): POST /__control { platform, fault, count }, GET /__received.
    if (url.pathname === "/__control" && req.method === "POST") {
      faults[body.platform as SocialPlatform].push(...Array.from({ length: body.count ?? 1 }, () => body.fault as Fault));
      return reply(res, 204, null);
    }
    if (url.pathname === "/__received") return reply(res, 200, received);
    const platform: SocialPlatform | null = url.pathname.startsWith("/api/v10/webhooks/") ? "discord" : url.pathname.startsWith("/bot") ? "telegram" : url.pathname === "/2/tweets" ? "x" : null;
    if (!platform || req.method !== "POST") return reply(res, 404, { message: "404: Not Found", code: 0 });
    const fault = faults[platform].shift();
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    const record = (status: number) =>
      received.push({ platform, path: url.pathname, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body, status, at: Date.now() });
    const wait = fault?.retryAfterSeconds ?? 1;

    if (platform === "discord") {
      // https://discord.com/developers/docs/topics/rate-limits
      if (fault?.status === 429) {
        record(429);
        return reply(res, 429, { message: "You are being rate limited.", retry_after: wait, global: false }, {
          "retry-after": String(Math.ceil(wait)), "x-ratelimit-limit": "5", "x-ratelimit-remaining": "0", "x-ratelimit-reset-after": String(wait), "x-ratelimit-scope": "shared",
        });
      }
      if (fault?.status === 500) return record(500), reply(res, 500, { message: "500: Internal Server Error", code: 0 });
      record(200);
      const id = String(nextId++);
      return reply(res, 200, { id, type: 0, channel_id: "100000000000000001", content: body?.content ?? "", embeds: body?.embeds ?? [], webhook_id: url.pathname.split("/")[4] }, {
        "x-ratelimit-limit": "5", "x-ratelimit-remaining": "4", "x-ratelimit-reset-after": "2", "x-ratelimit-bucket": "stand-in",
      });
    }
    if (platform === "telegram") {
      // https://core.telegram.org/bots/api#making-requests
      const [, botPart, method] = url.pathname.split("/");
      if (botPart !== `bot${opts.telegramBotToken}`) return record(401), reply(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      if (method !== "sendMessage") return record(404), reply(res, 404, { ok: false, error_code: 404, description: "Not Found: method not found" });
      if (fault?.status === 429) {
        record(429);
        return reply(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${wait}`, parameters: { retry_after: wait } });
      }
      if (fault?.status === 500) return record(500), reply(res, 500, { ok: false, error_code: 500, description: "Internal Server Error" });
      record(200);
      return reply(res, 200, {
        ok: true,
        result: { message_id: Number(nextId++ % 1_000_000n), date: Math.floor(Date.now() / 1000), chat: { id: Number(body?.chat_id), type: "group" }, text: body?.text ?? "" },
      });
    }
    // X API v2: https://docs.x.com/x-api/posts/creation-of-a-post
    if (req.headers.authorization !== `Bearer ${opts.xAccessToken}`) return record(401), reply(res, 401, { title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" });
    const reset = String(Math.ceil(Date.now() / 1000 + wait));
    if (fault?.status === 429) return record(429), reply(res, 429, { title: "Too Many Requests", detail: "Too Many Requests", type: "about:blank", status: 429 }, { "x-rate-limit-limit": "100", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset });
    if (fault?.status === 500) return record(500), reply(res, 500, { title: "Internal Error", status: 500 });
    record(201);
    return reply(res, 201, { data: { id: String(nextId++), text: body?.text ?? "", edit_history_tweet_ids: [] } }, { "x-rate-limit-limit": "100", "x-rate-limit-remaining": "99", "x-rate-limit-reset": reset });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => reply(res, 500, { message: "stand-in error" }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    telegramBotToken: opts.telegramBotToken,
    xAccessToken: opts.xAccessToken,
    received,
    fail: (platform, fault, count = 1) => faults[platform].push(...Array.from({ length: count }, () => fault)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
