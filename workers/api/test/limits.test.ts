// Rate limits (issue 6, acceptance 4): the N+1th request in the window is 429
// problem+json with Retry-After and the IETF RateLimit fields; other keys and
// IPs are unaffected. The Worker is called with this file's own small limits
// (the env vars the miniflare bindings set are generous for the other suites).
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../src/index";
import { leaseSize, takeFromWindow } from "../src/rate-window";
import { createKey, goodLaunch, json, ORIGIN, P, signInEvm } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;

async function send(limits: Record<string, string>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), { ...env, ...limits } as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Fixed windows: do not start a count in the last seconds of a minute. */
async function awayFromMinuteEdge() {
  const into = Date.now() % 60_000;
  if (into > 50_000) await new Promise((r) => setTimeout(r, 60_000 - into + 50));
}

async function expect429(res: Response, policy: string) {
  expect(res.status).toBe(429);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = await json(res);
  expect(body.type).toBe(P + "rate-limited");
  expect(body.policy).toBe(policy);
  const retry = Number(res.headers.get("retry-after"));
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(res.headers.get("ratelimit-policy")).toContain(`"${policy}";q=`);
  expect(res.headers.get("ratelimit")).toMatch(new RegExp(`"${policy}";r=0;t=\\d+`));
  return retry;
}

let cookie: string;
beforeAll(async () => {
  cookie = (await signInEvm()).cookie;
});

describe("requests per minute per API key", () => {
  it("answers the 6th request of a 5/min key with 429; another key goes on", async () => {
    const limits = { RATE_LIMIT_KEY_PER_MINUTE: "5" };
    const [k1, k2] = [await createKey(cookie, ["launches:read"], "k1"), await createKey(cookie, ["launches:read"], "k2")];
    await awayFromMinuteEdge();
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await send(limits, "/api/v1/me/launches", { headers: { authorization: `Bearer ${k1.key}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-policy")).toContain('"key-minute";q=5;w=60');
      seen.push(/"key-minute";r=(\d+)/.exec(res.headers.get("ratelimit")!)![1]!);
    }
    expect(seen).toEqual(["4", "3", "2", "1", "0"]);
    const retry = await expect429(await send(limits, "/api/v1/me/launches", { headers: { authorization: `Bearer ${k1.key}` } }), "key-minute");
    expect(retry).toBeLessThanOrEqual(60);
    expect((await send(limits, "/api/v1/me/launches", { headers: { authorization: `Bearer ${k2.key}` } })).status).toBe(200);
  }, 90_000);

  it("never lets more than the limit through, also when isolates reserve units in slices", async () => {
    const limit = 400; // leaseSize(400) = 2
    expect(leaseSize(limit)).toBe(2);
    const { key } = await createKey(cookie, ["launches:read"], "burst");
    await awayFromMinuteEdge();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, () => send({ RATE_LIMIT_KEY_PER_MINUTE: String(limit) }, "/api/v1/chains", { headers: { authorization: `Bearer ${key}` } })),
      );
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  }, 90_000);
});

describe("requests per minute per IP", () => {
  it("limits each client IP on its own, signed in or not", async () => {
    const limits = { RATE_LIMIT_IP_PER_MINUTE: "3" };
    await awayFromMinuteEdge();
    const ip = (a: string) => ({ headers: { "cf-connecting-ip": a } });
    for (let i = 0; i < 3; i++) expect((await send(limits, "/api/v1/chains", ip("203.0.113.7"))).status).toBe(200);
    await expect429(await send(limits, "/api/v1/chains", ip("203.0.113.7")), "ip-minute");
    await expect429(await send(limits, "/api/v1/me", { headers: { "cf-connecting-ip": "203.0.113.7", cookie } }), "ip-minute");
    expect((await send(limits, "/api/v1/chains", ip("203.0.113.8"))).status).toBe(200);
  }, 90_000);
});

describe("launches per day", () => {
  const post = (limits: Record<string, string>, auth: { key?: string; cookie?: string; ip?: string; idem?: string }, symbol: string) =>
    send(limits, "/api/v1/launches", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(auth.key ? { authorization: `Bearer ${auth.key}` } : {}),
        ...(auth.cookie ? { cookie: auth.cookie } : {}),
        ...(auth.ip ? { "cf-connecting-ip": auth.ip } : {}),
        ...(auth.idem ? { "idempotency-key": auth.idem } : {}),
      },
      body: JSON.stringify({ ...goodLaunch, symbol }),
    });
  const launchesOf = async (userId: string) =>
    (await DB.prepare("SELECT COUNT(*) AS n FROM launches WHERE creator_id = ?").bind(userId).first<{ n: number }>())!.n;

  it("accepts 2 launches of a 2/day user, refuses the 3rd without storing it; another user goes on", async () => {
    const limits = { RATE_LIMIT_LAUNCHES_PER_DAY: "2" };
    const a = await signInEvm();
    const k1 = await createKey(a.cookie, ["launches:write"], "day1");
    expect((await post(limits, { key: k1.key }, "DAYA")).status).toBe(202);
    const second = await post(limits, { key: k1.key }, "DAYB");
    expect(second.status).toBe(202);
    expect(second.headers.get("ratelimit")).toMatch(/"user-launches-day";r=0;t=\d+/);
    const res = await post(limits, { key: k1.key }, "DAYC");
    await expect429(res, "user-launches-day");
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(86_400);
    expect(await launchesOf(a.user.id)).toBe(2);
    expect((await DB.prepare("SELECT COUNT(*) AS n FROM launches WHERE request LIKE '%DAYC%'").first<{ n: number }>())!.n).toBe(0);
    const b = await signInEvm();
    expect((await post(limits, { cookie: b.cookie }, "DAYD")).status).toBe(202);
  });

  it("counts only valid launches: a refused body does not use the day's quota", async () => {
    const limits = { RATE_LIMIT_LAUNCHES_PER_DAY: "1" };
    const { cookie: own } = await signInEvm();
    const k = await createKey(own, ["launches:write"], "valid-only");
    for (let i = 0; i < 3; i++) expect((await post(limits, { key: k.key }, "bad-symbol")).status).toBe(422);
    expect((await post(limits, { key: k.key }, "GOOD")).status).toBe(202);
    await expect429(await post(limits, { key: k.key }, "GOOD2"), "user-launches-day");
  });

  // Issue 12 item 3: same key + same body → the same launch, also at the limit.
  it("answers an idempotent replay with the same launch without using quota, also when the quota is full", async () => {
    const limits = { RATE_LIMIT_LAUNCHES_PER_DAY: "2" };
    const a = await signInEvm();
    const { key } = await createKey(a.cookie, ["launches:write"], "retrying bot");
    const first = await post(limits, { key, idem: "bot-1" }, "IDEMA");
    expect(first.status).toBe(202);
    const id = (await json(first)).id;
    for (let i = 0; i < 3; i++) {
      const again = await post(limits, { key, idem: "bot-1" }, "IDEMA");
      expect(again.status).toBe(202);
      expect((await json(again)).id).toBe(id);
    }
    // The replays used nothing: one more new launch fits, and replays of both still answer at the limit.
    const second = await post(limits, { key, idem: "bot-2" }, "IDEMB");
    expect(second.status).toBe(202);
    const again = await post(limits, { key, idem: "bot-1" }, "IDEMA");
    expect(again.status).toBe(202);
    expect((await json(again)).id).toBe(id);
    await expect429(await post(limits, { key, idem: "bot-3" }, "IDEMC"), "user-launches-day");
    expect(await launchesOf(a.user.id)).toBe(2);
  });

  it("does not spend a user's quota on a launch another limit refused", async () => {
    const limits = { RATE_LIMIT_LAUNCHES_PER_DAY: "2", RATE_LIMIT_IP_LAUNCHES_PER_DAY: "1" };
    const a = await signInEvm();
    const { key } = await createKey(a.cookie, ["launches:write"], "two ips");
    const ip1 = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const ip2 = `2001:db8::${Math.floor(Math.random() * 0xfff).toString(16)}`;
    expect((await post(limits, { key, ip: ip1 }, "IPA")).status).toBe(202);
    for (let i = 0; i < 3; i++) await expect429(await post(limits, { key, ip: ip1 }, `IPB${i}`), "ip-launches-day");
    // The user has used 1 of 2: the refused ones did not count.
    expect((await post(limits, { key, ip: ip2 }, "IPC")).status).toBe(202);
    expect(await launchesOf(a.user.id)).toBe(2);
  });

  // Issue 12 item 4: more keys (or revoke + create) do not multiply the launch limit.
  it("holds the launch limit per user across all their keys and their session", async () => {
    const limits = { RATE_LIMIT_LAUNCHES_PER_DAY: "3" };
    const a = await signInEvm();
    const keys = await Promise.all([1, 2].map((i) => createKey(a.cookie, ["launches:write"], `multi${i}`)));
    expect((await post(limits, { key: keys[0]!.key }, "MULTA")).status).toBe(202);
    expect((await post(limits, { key: keys[1]!.key }, "MULTB")).status).toBe(202);
    expect((await post(limits, { cookie: a.cookie }, "MULTC")).status).toBe(202);
    await expect429(await post(limits, { key: keys[1]!.key }, "MULTD"), "user-launches-day");
    await expect429(await post(limits, { cookie: a.cookie }, "MULTE"), "user-launches-day");
    // Revoke and create: still the same user's day.
    expect((await send({}, `/api/v1/keys/${keys[0]!.id}`, { method: "DELETE", headers: { cookie: a.cookie } })).status).toBe(200);
    const fresh = await createKey(a.cookie, ["launches:write"], "fresh");
    await expect429(await post(limits, { key: fresh.key }, "MULTF"), "user-launches-day");
    expect(await launchesOf(a.user.id)).toBe(3);
  });

  it("never counts past the limit under concurrency (count and insert in one transaction)", async () => {
    const limits = { RATE_LIMIT_LAUNCHES_PER_DAY: "5" };
    const a = await signInEvm();
    const { key } = await createKey(a.cookie, ["launches:write"], "burst");
    const statuses = (await Promise.all(Array.from({ length: 20 }, (_, i) => post(limits, { key }, `BURST${i}`)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect(await launchesOf(a.user.id)).toBe(5);
  });
});

describe("fixed windows (pure)", () => {
  it("grants up to the limit, then nothing until the next window", () => {
    let s = takeFromWindow(null, 3, 60_000, 2, 120_500);
    expect(s).toMatchObject({ granted: 2, remaining: 1, resetAt: 180_000 });
    s = takeFromWindow(s.state, 3, 60_000, 2, 130_000);
    expect(s).toMatchObject({ granted: 1, remaining: 0 });
    expect(takeFromWindow(s.state, 3, 60_000, 1, 179_999).granted).toBe(0);
    expect(takeFromWindow(s.state, 3, 60_000, 1, 180_000)).toMatchObject({ granted: 1, remaining: 2, resetAt: 240_000 });
  });

  it("reserves 1 unit at a time for small limits, slices of 0.5 % (at most 500) for big ones", () => {
    expect([1, 5, 399, 400, 100_000, 10_000_000].map(leaseSize)).toEqual([1, 1, 1, 2, 500, 500]);
  });
});

describe("the limits are vars parsed once at the entry", () => {
  it("answers 500 problem+json on a non-numeric limit, naming it in the log, instead of limiting by NaN", async () => {
    const logged: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    try {
      const res = await send({ RATE_LIMIT_IP_PER_MINUTE: "lots" }, "/api/v1/chains");
      expect(res.status).toBe(500);
      expect(((await res.json()) as { type: string }).type).toBe(P + "internal-error");
      expect(logged.join("\n")).toMatch(/RATE_LIMIT_IP_PER_MINUTE: Invalid input: expected number, received NaN/);
    } finally {
      spy.mockRestore();
    }
    expect((await send({}, "/api/v1/chains")).status).toBe(200);
  });
});
