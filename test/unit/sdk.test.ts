// The SDK (packages/sdk, issue 23 item 2) against a small local HTTP server that
// plays the API's failure modes (5xx, 429 with Retry-After, a broken event
// stream), and its webhook verification against the api Worker's own signer.
// The real platform is exercised through the CLI in test/e2e/agents.test.ts.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createTokenForge, retryDelay, serverSentEvents, verifyWebhook, WebhookVerificationError } from "../../packages/sdk/src/index";
import { newWebhookSecret, signWebhook } from "../../workers/api/src/webhooks/sign";

const launch = (status: string, n: number) => ({ id: "lch_x", status, chain: "local-eth", address: "0x1", events: Array.from({ length: n }, () => ({ status, at: "", detail: null })) });
const servers: { close: () => void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => handler(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const body = { chain: "local-eth", name: "Sdk Coin", symbol: "SDK", decimals: 18, initialSupply: "1", owner: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" };

describe("retries", () => {
  it("retryDelay: 429 waits its Retry-After, 5xx and network errors back off, a 4xx or the last try is final", () => {
    expect(retryDelay(1, { status: 429, retryAfter: "3" })).toBe(3000);
    expect(retryDelay(1, { status: 400, retryAfter: null })).toBeNull();
    expect(retryDelay(1, { status: 422, retryAfter: "1" })).toBeNull();
    expect(retryDelay(2, { status: 503, retryAfter: null }, { retries: 4, baseMs: 100, maxMs: 1000 }, 0, 0.5)).toBe(100);
    expect(retryDelay(1, { error: new TypeError("fetch failed") }, { retries: 4, baseMs: 100, maxMs: 1000 }, 0, 0.99)).toBe(99);
    expect(retryDelay(5, { status: 503, retryAfter: null }, { retries: 4, baseMs: 100, maxMs: 1000 })).toBeNull();
  });

  it("createLaunch sends one Idempotency-Key and retries it through a 503 and a 429 to the 202", async () => {
    const seen: { key: string | undefined; body: string }[] = [];
    const url = await serve((req, res, b) => {
      seen.push({ key: req.headers["idempotency-key"] as string | undefined, body: b });
      if (seen.length === 1) return res.writeHead(503).end();
      if (seen.length === 2) return res.writeHead(429, { "retry-after": "0", "content-type": "application/problem+json" }).end("{}");
      res.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ id: "lch_x", status: "queued", chain: "local-eth", address: "0x1", links: { self: "/x" } }));
    });
    const tf = createTokenForge({ baseUrl: url, apiKey: "tf_test", sleep: async () => {} });
    const accepted = await tf.createLaunch(body);
    expect(accepted.id).toBe("lch_x");
    expect(seen).toHaveLength(3);
    expect(seen[0]!.key).toMatch(/^sdk-/);
    expect(new Set(seen.map((s) => s.key)).size).toBe(1);
    expect(new Set(seen.map((s) => s.body)).size).toBe(1);
  });

  it("a refused create (422) is not retried and throws the problem", async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      n++;
      res.writeHead(422, { "content-type": "application/problem+json" }).end(JSON.stringify({ type: "t", title: "The request is not valid", status: 422, detail: "decimals: too big" }));
    });
    const tf = createTokenForge({ baseUrl: url, sleep: async () => {} });
    await expect(tf.createLaunch(body, { idempotencyKey: "k1" })).rejects.toMatchObject({ status: 422, problem: { detail: "decimals: too big" } });
    expect(n).toBe(1);
  });
});

describe("waitForLaunch", () => {
  it("follows the event stream to the final view, reporting each status", async () => {
    const url = await serve((req, res) => {
      expect(req.url).toBe("/api/v1/launches/lch_x/stream");
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`retry: 1000\n\nevent: launch\nid: 1\ndata: ${JSON.stringify(launch("queued", 1))}\n\n`);
      setTimeout(() => res.end(`event: launch\nid: 2\ndata: ${JSON.stringify(launch("submitted", 2))}\n\nevent: launch\nid: 3\ndata: ${JSON.stringify(launch("confirmed", 3))}\n\nevent: end\ndata: final\n\n`), 20);
    });
    const seen: string[] = [];
    const done = await createTokenForge({ baseUrl: url }).waitForLaunch("lch_x", { onUpdate: (v) => seen.push(v.status) });
    expect(done.status).toBe("confirmed");
    expect(seen).toEqual(["queued", "submitted", "confirmed"]);
  });

  it("polls GET /launches/{id} when the stream cannot be had", async () => {
    let polls = 0;
    const url = await serve((req, res) => {
      if (req.url!.endsWith("/stream")) return res.writeHead(502).end();
      polls++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(launch(polls < 3 ? "submitted" : "confirmed", polls < 3 ? 2 : 3)));
    });
    const done = await createTokenForge({ baseUrl: url, sleep: async () => {} }).waitForLaunch("lch_x", { pollMs: 1 });
    expect(done.status).toBe("confirmed");
    expect(polls).toBe(3);
  });

  it("serverSentEvents splits events on blank lines, joins data lines and skips comments", async () => {
    const text = ": hi\r\nevent: launch\r\ndata: a\r\ndata: b\r\nid: 7\r\n\r\ndata: c\n\n";
    const stream = new Blob([text]).stream();
    const events = [];
    for await (const e of serverSentEvents(stream)) events.push(e);
    expect(events).toEqual([{ event: "launch", data: "a\nb", id: "7" }, { event: "message", data: "c", id: "7" }]);
  });
});

describe("verifyWebhook", () => {
  it("accepts what the platform signs and refuses a changed body, a wrong secret or an old timestamp", async () => {
    const secret = newWebhookSecret();
    const payload = JSON.stringify({ type: "launch.confirmed", data: { id: "lch_x" } });
    const now = Date.now();
    const ts = Math.floor(now / 1000);
    const headers = { "webhook-id": "msg_1", "webhook-timestamp": String(ts), "webhook-signature": `v1,bm90IGl0 ${await signWebhook(secret, "msg_1", ts, payload)}` };
    expect(await verifyWebhook(secret, headers, payload, { now })).toMatchObject({ type: "launch.confirmed" });
    expect(await verifyWebhook(secret, new Headers(headers), payload, { now })).toMatchObject({ data: { id: "lch_x" } });
    await expect(verifyWebhook(secret, headers, payload.replace("lch_x", "lch_y"), { now })).rejects.toThrow(WebhookVerificationError);
    await expect(verifyWebhook(newWebhookSecret(), headers, payload, { now })).rejects.toThrow(/no valid signature/);
    await expect(verifyWebhook(secret, headers, payload, { now: now + 301_000 })).rejects.toThrow(/too far/);
    await expect(verifyWebhook(secret, { "webhook-id": "msg_1" }, payload, { now })).rejects.toThrow(/missing/);
  });
});
