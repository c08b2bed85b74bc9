// Webhooks in workerd: where a URL may point (SSRF guard), the fan-out of
// "tf-webhook-events" to the creator's matching webhooks, signed delivery per
// Standard Webhooks, retries with backoff, redirects not followed, delivery log.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../src/index";
import { checkWebhookUrl } from "../src/webhooks/url-guard";
import { retryDelaySeconds, type WebhookDeliveryMessage } from "../src/webhooks/deliver";
import { call, createLaunch, createWebhook, expectProblem, json, signInEvm } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;

describe("webhook URLs", () => {
  const refused = [
    "http://hooks.example.com/x",
    "https://127.0.0.1/x",
    "https://127.1/x",
    "https://2130706433/x",
    "https://0x7f000001/x",
    "https://0177.0.0.1/x",
    "https://0x7f.1/x",
    "https://localhost/x",
    "https://api.localhost/x",
    "https://10.0.0.5/x",
    "https://172.16.3.4/x",
    "https://192.168.1.1/x",
    "https://100.64.0.1/x",
    "https://169.254.169.254/latest/meta-data/",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://service.internal/x",
    "https://printer.local/x",
    "https://[::1]/x",
    "https://[::ffff:127.0.0.1]/x",
    "https://[::ffff:a9fe:a9fe]/x",
    "https://[fc00::1]/x",
    "https://[fd12:3456::1]/x",
    "https://[fe80::1]/x",
    "https://[64:ff9b::10.0.0.1]/x",
    "https://8.8.8.8/x",
    "https://user:pass@hooks.example.com/x",
    "https://intranet/x",
    "https://hooks.example.com.1/x",
    "ftp://hooks.example.com/x",
    "javascript:alert(1)",
    "not a url",
  ];
  for (const url of refused) {
    it(`refuses ${url}`, () => {
      expect(checkWebhookUrl(url, false).ok).toBe(false);
    });
  }

  // Issue 12 item 7: every trailing dot, IDNA and numeric spellings, judged after normalization.
  const spelled = [
    "https://127.0.0.1../x",
    "https://127.0.0.1.../x",
    "https://localhost../x",
    "https://LOCALHOST.../x",
    "https://169.254.169.254../latest/meta-data/",
    "https://0x7f000001../x",
    "https://2130706433../x",
    "https://0251.0376.0251.0376../x",
    "https://metadata.google.internal../x",
    "https://api.localhost../x",
    "https://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/x", // full-width "localhost"
    "https://localhost\u3002\u3002/x", // ideographic full stops
    "https://127\u30020\u30020\u30021\u3002\u3002/x",
    "https://[::ffff:7f00:1]/x",
    "https://[0:0:0:0:0:ffff:a9fe:a9fe]/x",
  ];
  for (const url of spelled) {
    it(`refuses ${JSON.stringify(url)} in any spelling`, () => {
      expect(checkWebhookUrl(url, false).ok).toBe(false);
    });
  }

  it("stores a public name without its trailing dots", async () => {
    const verdict = checkWebhookUrl("https://hooks.example.com../tf", false);
    expect(verdict.ok && verdict.url.toString()).toBe("https://hooks.example.com/tf");
    const { cookie } = await signInEvm();
    for (const url of ["https://127.0.0.1../", "https://localhost../", "https://169.254.169.254../"]) {
      await expectProblem(await call("POST", "/api/v1/webhooks", { cookie }, { url, events: ["launch.confirmed"] }), 422, "validation-error");
    }
  });

  it("accepts public https host names", () => {
    for (const url of ["https://hooks.example.com/tf", "https://example.com:8443/a?b=c", "https://xn--bcher-kva.example/x"]) {
      expect(checkWebhookUrl(url, false)).toMatchObject({ ok: true });
    }
  });

  it("allows http and private hosts only with ALLOW_PRIVATE_WEBHOOKS (local dev), never other schemes or credentials", () => {
    expect(checkWebhookUrl("http://127.0.0.1:9999/hook", true).ok).toBe(true);
    expect(checkWebhookUrl("ftp://127.0.0.1/hook", true).ok).toBe(false);
    expect(checkWebhookUrl("http://a:b@127.0.0.1/hook", true).ok).toBe(false);
  });

  it("refuses them through the API with 422, storing nothing", async () => {
    const { cookie, user } = await signInEvm();
    for (const url of ["https://169.254.169.254/", "http://hooks.example.com/x", "https://[::1]/"]) {
      const body = await expectProblem(await call("POST", "/api/v1/webhooks", { cookie }, { url, events: ["launch.confirmed"] }), 422, "validation-error");
      expect((body as { errors?: { path: string }[] }).errors?.[0]?.path).toBe("url");
    }
    expect((await DB.prepare("SELECT COUNT(*) AS n FROM webhooks WHERE user_id = ?").bind(user.id).first<{ n: number }>())!.n).toBe(0);
  });
});

describe("delivery", () => {
  let A: { cookie: string };
  let launchId: string;
  let confirmedHook: { id: string; secret: string; url: string };
  let failedHook: { id: string };
  let otherUsersHook: { id: string };

  beforeAll(async () => {
    A = await signInEvm();
    const B = await signInEvm();
    launchId = (await createLaunch(A)).id;
    confirmedHook = await createWebhook(A, "https://hooks.example.com/confirmed", ["launch.confirmed"]);
    failedHook = await createWebhook(A, "https://hooks.example.com/failed", ["launch.failed"]);
    otherUsersHook = await createWebhook(B, "https://hooks.example.com/b", ["launch.confirmed", "launch.failed"]);
  });
  afterEach(() => vi.restoreAllMocks());

  async function fanOut(type: "launch.confirmed" | "launch.failed") {
    const sent: { body: WebhookDeliveryMessage }[] = [];
    const capture = { ...env, WEBHOOK_DELIVERIES: { sendBatch: async (m: { body: WebhookDeliveryMessage }[]) => void sent.push(...m) } };
    const batch = createMessageBatch("tf-webhook-events", [{ id: "ev1", timestamp: new Date(), attempts: 1, body: { type, launchId, at: Date.now() } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, capture as never);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["ev1"]);
    return sent.map((m) => m.body);
  }

  async function deliver(messages: WebhookDeliveryMessage[], attempts = 1) {
    const batch = createMessageBatch<WebhookDeliveryMessage>(
      "tf-webhook-deliveries",
      messages.map((body, i) => ({ id: `d${i}`, timestamp: new Date(), attempts, body })),
    );
    // getQueueResult reports which messages were retried, not the delay: watch retry() for it.
    const delays: (number | undefined)[] = [];
    for (const m of batch.messages) {
      const retry = m.retry.bind(m);
      vi.spyOn(m, "retry").mockImplementation((opts?: QueueRetryOptions) => {
        delays.push(opts?.delaySeconds);
        retry(opts);
      });
    }
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch<unknown>, env as never);
    const result = await getQueueResult(batch, ctx);
    return { ...result, retryMessages: result.retryMessages.map((r: { msgId: string }, i: number) => ({ ...r, delaySeconds: delays[i] })) };
  }

  it("fans an event out to the creator's webhooks that subscribed to it, only", async () => {
    const confirmed = await fanOut("launch.confirmed");
    expect(confirmed.map((m) => m.webhookId)).toEqual([confirmedHook.id]);
    expect(confirmed[0]).toMatchObject({ type: "launch.confirmed", launchId, messageId: expect.stringMatching(/^msg_[0-9a-f]{32}$/) });
    const failed = await fanOut("launch.failed");
    expect(failed.map((m) => m.webhookId)).toEqual([failedHook.id]);
    expect(failed.map((m) => m.webhookId)).not.toContain(otherUsersHook.id);
    // The same event twice gets the same webhook-id, so a receiver can drop the duplicate.
    expect((await fanOut("launch.confirmed"))[0]!.messageId).toBe(confirmed[0]!.messageId);
  });

  it("reads the webhooks of a whole batch of events in one D1 query", async () => {
    const second = (await createLaunch(A)).id;
    let queries = 0;
    // Every statement the fan-out prepares, passed on to the real database.
    const DB = new Proxy(env.DB, {
      get: (target, k) => (k === "prepare" ? (sql: string) => { queries++; return target.prepare(sql); } : (Reflect.get(target, k) as unknown)),
    });
    const sent: { body: WebhookDeliveryMessage }[] = [];
    const capture = { ...env, DB, WEBHOOK_DELIVERIES: { sendBatch: async (m: { body: WebhookDeliveryMessage }[]) => void sent.push(...m) } };
    const ids = [launchId, second, launchId];
    const batch = createMessageBatch("tf-webhook-events", ids.map((id, i) => ({ id: `ev${i}`, timestamp: new Date(), attempts: 1, body: { type: "launch.confirmed", launchId: id, at: Date.now() } })));
    const ctx = createExecutionContext();
    await worker.queue(batch, capture as never);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["ev0", "ev1", "ev2"]);
    expect(queries).toBe(1);
    expect(sent.map((m) => m.body.launchId).sort()).toEqual([...ids].sort());
    expect(new Set(sent.map((m) => m.body.webhookId))).toEqual(new Set([confirmedHook.id]));
  });

  it("POSTs the launch signed per Standard Webhooks, without following redirects, and logs the attempt", async () => {
    const [msg] = await fanOut("launch.confirmed");
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("ok", { status: 200 }));
    const result = await deliver([msg!]);
    expect(result.explicitAcks).toEqual(["d0"]);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0]! as [string, RequestInit];
    expect(url).toBe(confirmedHook.url);
    expect(init.redirect).toBe("manual");
    const headers = init.headers as Record<string, string>;
    const body = init.body as string;
    expect(headers["webhook-id"]).toBe(msg!.messageId);
    expect(Math.abs(Number(headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(10);
    // Verify exactly as a receiver would (standardwebhooks.com).
    const key = await crypto.subtle.importKey("raw", Uint8Array.from(atob(confirmedHook.secret.slice("whsec_".length)), (c) => c.charCodeAt(0)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`));
    expect(headers["webhook-signature"]).toBe(`v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`);
    const payload = JSON.parse(body);
    expect(payload).toMatchObject({ type: "launch.confirmed", data: { id: launchId, status: "queued", links: { self: `/api/v1/launches/${launchId}` } } });
    expect(new Date(payload.timestamp).getTime()).toBeGreaterThan(Date.now() - 10_000);

    const log = await json(await call("GET", `/api/v1/webhooks/${confirmedHook.id}/deliveries`, A));
    expect(log.deliveries[0]).toMatchObject({ messageId: msg!.messageId, eventType: "launch.confirmed", launchId, attempt: 1, statusCode: 200, error: null });
  });

  it("retries a failed delivery with exponential backoff and jitter, and logs each attempt", async () => {
    const [msg] = await fanOut("launch.failed");
    vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("down", { status: 503 }));
    const first = await deliver([msg!], 1);
    expect(first.retryMessages).toHaveLength(1);
    expect(first.retryMessages[0]!.delaySeconds).toBeGreaterThanOrEqual(5); // base 10 s: 5..10 s
    expect(first.retryMessages[0]!.delaySeconds).toBeLessThanOrEqual(10);
    const third = await deliver([msg!], 3);
    expect(third.retryMessages[0]!.delaySeconds).toBeGreaterThanOrEqual(20); // 40 s: 20..40 s
    expect(third.retryMessages[0]!.delaySeconds).toBeLessThanOrEqual(40);
    // After the last attempt (WEBHOOK_MAX_ATTEMPTS, default 8) the message is dropped, logged.
    const last = await deliver([msg!], 8);
    expect(last.retryMessages).toHaveLength(0);
    expect(last.explicitAcks).toEqual(["d0"]);
    const log = await json(await call("GET", `/api/v1/webhooks/${failedHook.id}/deliveries`, A));
    expect(log.deliveries.map((d: { attempt: number; statusCode: number; error: string }) => [d.attempt, d.statusCode, d.error])).toEqual([
      [8, 503, "HTTP 503"],
      [3, 503, "HTTP 503"],
      [1, 503, "HTTP 503"],
    ]);
  });

  it("counts a redirect as a failure and never follows it; a network error is logged too", async () => {
    const [msg] = await fanOut("launch.confirmed");
    const spy = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(null, { status: 302, headers: { location: "http://169.254.169.254/" } }));
    expect((await deliver([msg!])).retryMessages).toHaveLength(1);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRejectedValue(new TypeError("connection refused"));
    expect((await deliver([msg!], 2)).retryMessages).toHaveLength(1);
    const log = await json(await call("GET", `/api/v1/webhooks/${confirmedHook.id}/deliveries?limit=2`, A));
    expect(log.deliveries.map((d: { statusCode: number | null; error: string }) => [d.statusCode, d.error])).toEqual([
      [null, "TypeError: connection refused"],
      [302, "redirect not followed"],
    ]);
    expect(log.nextCursor).toBeTruthy();
  });

  it("drops deliveries to a deleted webhook without calling it", async () => {
    const hook = await createWebhook(A, "https://hooks.example.com/gone", ["launch.confirmed"]);
    const msgs = await fanOut("launch.confirmed");
    const mine = msgs.find((m) => m.webhookId === hook.id)!;
    expect((await call("DELETE", `/api/v1/webhooks/${hook.id}`, A)).status).toBe(204);
    const spy = vi.spyOn(globalThis, "fetch");
    expect((await deliver([mine])).explicitAcks).toEqual(["d0"]);
    expect(spy).not.toHaveBeenCalled();
    expect((await fanOut("launch.confirmed")).map((m) => m.webhookId)).not.toContain(hook.id);
  });

  it("backs off exponentially, capped at an hour", () => {
    expect([1, 2, 3, 4].map((a) => retryDelaySeconds(a, 10, 1))).toEqual([10, 20, 40, 80]);
    expect([1, 2, 3, 4].map((a) => retryDelaySeconds(a, 10, 0))).toEqual([5, 10, 20, 40]);
    expect(retryDelaySeconds(30, 10, 1)).toBe(3600);
  });
});
