// Operations on the real platform (issue 21): one launch followed through every
// Worker's log lines by its launch id and request id; the admin-only Prometheus
// scrape, parsed by a real parser, its counters never lower after the Workers
// restart; and alerts paging the PagerDuty stand-in (tools/pagerduty): the
// primary RPC failing behind a fault proxy → one trigger, healed → one resolve
// with the same dedup_key; a flapping endpoint inside the minimum duration →
// no page; drained deployer funds → a page, refunded → resolved.
// The cron is driven by the test (runCron), not the platform's timer.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { rpc } from "../../tools/chains/anvil";
import { startPlatform, type Platform } from "../../tools/platform";
import { startRpcProxy, type RpcProxy } from "../../tools/rpc-proxy/index";
import { baseLaunch, getLaunch, postLaunch, waitStatus } from "./client";

const NOWHERE = "http://127.0.0.1:9";
const FIRE_AFTER_S = 6;
const RESOLVE_AFTER_S = 3;
const CAP = 10n ** 18n;
const SWEEP_STALE_S = 2;
let p: Platform;
let primary: RpcProxy;
let secondary: RpcProxy;
let anvil: string;
let hook: Server;
const hookHits: { traceparent: string | undefined; body: string }[] = [];

beforeAll(async () => {
  [primary, secondary] = await Promise.all([startRpcProxy({ upstream: NOWHERE }), startRpcProxy({ upstream: NOWHERE })]);
  hook = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      hookHits.push({ traceparent: req.headers.traceparent as string | undefined, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  p = await startPlatform({
    port: "auto", quiet: true, cronIntervalMs: 3_600_000,
    vars: {
      LOCAL_ETH_PRIMARY_URL: primary.url, LOCAL_ETH_SECONDARY_URL: secondary.url,
      BREAKER_WINDOW_MS: "10000", BREAKER_MIN_CALLS: "2", BREAKER_COOLDOWN_MS: "1500", RPC_TIMEOUT_MS: "1000",
      ALERT_FIRE_AFTER_SECONDS: String(FIRE_AFTER_S), ALERT_RESOLVE_AFTER_SECONDS: String(RESOLVE_AFTER_S), ALERT_BREAKER_OPEN_SECONDS: "0",
      // The breaker alert stands for the failing endpoint; the error-rate page would repeat it here.
      ALERT_ERROR_MIN_CALLS: "100000", ALERT_FUNDS_MIN_LAUNCHES: "1000", SWEEP_STALE_SECONDS: String(SWEEP_STALE_S),
      // Daily credit caps on local-bsc only (1 BNB, the platform's and each user's), near at 0.001%
      // (10^13 wei): nothing spent pages nobody, one launch's reservation (gas alone is ~10^14) pages.
      CREDITS_PLATFORM_CAP_PER_DAY: `local-bsc=${CAP}`, CREDITS_USER_CAP_PER_DAY: `local-bsc=${CAP}`, ALERT_SPEND_CAP_FRACTION: "0.00001",
    },
  });
  anvil = p.chains.find((c) => c.id === "local-eth")!.rpcUrl;
  for (const proxy of [primary, secondary]) proxy.setUpstream(anvil);
});
afterAll(async () => {
  await p?.stop();
  await Promise.all([primary?.close(), secondary?.close(), new Promise((r) => hook?.close(r))]);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const adminGet = (path: string) => fetch(`${p.url}${path}`, { headers: { authorization: `Bearer ${p.adminToken}` } });

/** The JSON log lines the Workers printed (wrangler passes their stdout through). */
function jsonLines(from = 0): Record<string, unknown>[] {
  return p.logs.slice(from).flatMap((l) => {
    const i = l.indexOf("{\"level\"");
    if (i < 0) return [];
    try {
      // wrangler wraps warn and error lines in ANSI colour codes: the JSON ends at the last brace.
      return [JSON.parse(l.slice(i, l.lastIndexOf("}") + 1)) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

it("follows one launch through the api, the queues, the deployer, confirmation and webhooks by its launch id and request id, and a stuck one into the cron's sweep", async () => {
  const reg = await fetch(`${p.url}/api/v1/webhooks`, {
    method: "POST", headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, events: ["launch.confirmed"] }),
  });
  expect(reg.status, await reg.clone().text()).toBe(201);
  // The launch is announced too (a Discord webhook on the social stand-in): tf_announce_deliveries_total below.
  const dest = await fetch(`${p.url}/api/v1/announcements/discord`, {
    method: "POST", headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ url: `https://discord.com/api/webhooks/123456789012345678/${"T".repeat(34)}_${"k".repeat(33)}` }),
  });
  expect(dest.status, await dest.clone().text()).toBe(201);
  const trace = "4bf92f3577b34da6a3ce929d0e0e4736";
  const r = await postLaunch(p, baseLaunch({ symbol: "TRACE" }), { traceparent: `00-${trace}-00f067aa0ba902b7-01` });
  expect(r.status).toBe(202);
  expect(r.headers.get("x-request-id")).toBe(trace);
  const id = r.json.id as string;
  await waitStatus(p, id, "confirmed", 60_000);
  const deadline = Date.now() + 30_000;
  while (!hookHits.some((h) => h.body.includes(id)) && Date.now() < deadline) await sleep(200);
  await sleep(500);

  const mine = jsonLines().filter((x) => x.launchId === id || (Array.isArray(x.launchIds) && x.launchIds.length === 1 && x.launchIds[0] === id));
  const events = new Set(mine.map((x) => String(x.event)));
  // Every hop spoke: the api's acceptance, the sender, the confirmation, the webhook fan-out.
  for (const e of ["launch.accepted", "deployer.submitted", "deployer.confirmed", "webhook.fanout"]) expect(events, [...events].join(", ")).toContain(e);
  for (const x of mine) expect(x.requestId, JSON.stringify(x)).toBe(trace);
  // Outgoing HTTP carries the same trace: the webhook, and the RPC calls made for this launch alone.
  const delivered = hookHits.find((h) => h.body.includes(id))!;
  expect(delivered.traceparent).toMatch(new RegExp(`^00-${trace}-[0-9a-f]{16}-01$`));

  // Into the cron: a launch the deployer cannot pay for waits queued (an attempt counted, its message acked);
  // once stale (SWEEP_STALE_SECONDS) the cron's sweep puts it back on the queue, and the sweep's line about it
  // carries its launch id and the request id; so does everything after, until it confirms once funded.
  const balance = await rpc<string>(anvil, "eth_getBalance", [p.deployer, "latest"]);
  await rpc(anvil, "anvil_setBalance", [p.deployer, "0x0"]);
  const trace2 = "0af7651916cd43dd8448eb211c80319c";
  let swept = "";
  try {
    const w = await postLaunch(p, baseLaunch({ symbol: "SWEPT" }), { traceparent: `00-${trace2}-b7ad6b7169203331-01` });
    expect(w.status, JSON.stringify(w.json)).toBe(202);
    swept = w.json.id as string;
    const t0 = Date.now();
    while ((await getLaunch(p, swept)).attempts < 1) {
      if (Date.now() - t0 > 30_000) throw new Error("the deployer never tried the unfunded launch");
      await sleep(200);
    }
    await sleep(SWEEP_STALE_S * 1000 + 500);
    await p.runCron();
    await sleep(300);
  } finally {
    await rpc(anvil, "anvil_setBalance", [p.deployer, balance]);
  }
  const cronLines = jsonLines().filter((x) => x.launchId === swept && String(x.event).startsWith("cron."));
  expect(cronLines.map((x) => x.event)).toContain("cron.sweep_requeued");
  const t1 = Date.now();
  while ((await getLaunch(p, swept)).status !== "confirmed") {
    if (Date.now() - t1 > 60_000) throw new Error("the swept launch never confirmed");
    await p.runCron().catch(() => undefined);
    await sleep(500);
  }
  const sweptLines = jsonLines().filter((l) => l.launchId === swept);
  expect(new Set(sweptLines.map((x) => String(x.event)))).toContain("deployer.confirmed");
  for (const x of sweptLines) expect(x.requestId, JSON.stringify(x)).toBe(trace2);
}, 150_000);

it("serves /api/v1/metrics to admins only, in the Prometheus text format, with counters that never decrease across a restart", async () => {
  const anon = await fetch(`${p.url}/api/v1/metrics`);
  expect(anon.status).toBe(401);
  expect(anon.headers.get("www-authenticate")).toMatch(/^Bearer/i);
  await p.runCron();
  const before = await scrape();
  expect(before.get('tf_launches_total{chain="local-eth",outcome="accepted"}')).toBeGreaterThanOrEqual(1);
  expect(before.get('tf_launches_total{chain="local-eth",outcome="confirmed"}')).toBeGreaterThanOrEqual(1);
  expect(before.get("tf_confirm_seconds_count{}")).toBeGreaterThanOrEqual(1);
  expect([...before.keys()].some((k) => k.startsWith('tf_rpc_calls_total{chain="local-eth"'))).toBe(true);
  // RPC errors per endpoint and class, every class present from the start (zero until one happens).
  for (const cls of ["timeout", "network", "http_5xx", "http_429", "http_4xx", "bad_response", "rpc_error"]) {
    expect(series(before, "tf_rpc_errors_by_class_total", { chain: "local-eth", endpoint: "0", class: cls }), cls).toHaveLength(1);
  }
  // The Signer's in-flight set (EVM, from its Durable Object) and Solana's submitted launches: gauges per chain.
  for (const chain of ["local-eth", "local-bsc", "local-sol"]) expect(series(before, "tf_signer_inflight", { chain }), chain).toHaveLength(1);
  // The traced launch was announced to Discord, and its credits reserved and captured.
  expect(before.get('tf_announce_deliveries_total{destination="discord",outcome="sent"}')).toBeGreaterThanOrEqual(1);
  expect(before.get('tf_credits_reserved_total{chain="local-eth"}')).toBeGreaterThan(0);
  expect(before.get('tf_credits_captured_total{chain="local-eth"}')).toBeGreaterThan(0);
  expect(before.get('tf_webhook_deliveries_total{result="ok"}')).toBeGreaterThanOrEqual(1);

  await p.killWorkers();
  await p.startWorkers();
  await p.runCron();
  const after = await scrape();
  for (const [series, value] of before) {
    if (!series.includes("_total") && !series.includes("_count") && !series.includes("_bucket") && !series.includes("_sum")) continue;
    expect(after.get(series), series).toBeGreaterThanOrEqual(value);
  }
}, 120_000);

/** Counter-like series of the scrape, parsed by parse-prometheus-text-format: `name{labels}` → value. */
async function scrape(): Promise<Map<string, number>> {
  const res = await adminGet("/api/v1/metrics");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await res.text()) as { name: string; type: string; metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string }[] }[];
  const out = new Map<string, number>();
  const key = (n: string, l: Record<string, string> = {}) => `${n}{${Object.entries(l).map(([k, v]) => `${k}="${v}"`).join(",")}}`;
  for (const f of families) {
    for (const m of f.metrics) {
      if (f.type === "HISTOGRAM") {
        out.set(key(`${f.name}_count`, m.labels), Number(m.count));
        out.set(key(`${f.name}_sum`, m.labels), Number(m.sum));
        for (const [le, v] of Object.entries(m.buckets ?? {})) out.set(key(`${f.name}_bucket`, { ...m.labels, le }), Number(v));
      } else out.set(key(f.name, m.labels), Number(m.value));
    }
  }
  return out;
}

/** The series of `name` whose labels include `labels` (label order as the scrape printed it). */
function series(scraped: Map<string, number>, name: string, labels: Record<string, string>): number[] {
  return [...scraped].filter(([k]) => k.startsWith(`${name}{`) && Object.entries(labels).every(([l, v]) => k.includes(`${l}="${v}"`))).map(([, v]) => v);
}

/** Runs the cron until `pred` holds over the stand-in's events (or the time is up). */
async function cronUntil(pred: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}; PagerDuty got ${JSON.stringify(p.pagerduty.events.map((e) => [e.event_action, e.dedup_key]))}`);
    await p.runCron().catch(() => undefined);
    await sleep(500);
  }
}

const pages = (from: number) => p.pagerduty.events.slice(from).map((e) => ({ action: e.event_action, key: e.dedup_key }));

it("pages PagerDuty once when the primary RPC fails and resolves it once, with the same dedup_key, when it heals; Discord and Telegram get both too", async () => {
  const from = p.pagerduty.events.length;
  const socialFrom = p.social.received.length;
  const key = "breaker_open:local-eth:0";
  primary.setMode("fail500");
  try {
    await cronUntil(() => pages(from).some((e) => e.action === "trigger" && e.key === key), 60_000, "the trigger");
    // Still failing: more runs page nobody again.
    for (let i = 0; i < 3; i++) await p.runCron();
  } finally {
    primary.setMode("pass");
  }
  await cronUntil(() => pages(from).some((e) => e.action === "resolve"), 60_000, "the resolve");
  for (let i = 0; i < 2; i++) await p.runCron();
  expect(pages(from)).toEqual([{ action: "trigger", key }, { action: "resolve", key }]);
  // The primary's 500s counted by class on its endpoint (the ChainGate's lifetime counters).
  expect(series(await scrape(), "tf_rpc_errors_by_class_total", { chain: "local-eth", endpoint: "0", class: "http_5xx" })[0]).toBeGreaterThan(0);
  const trigger = p.pagerduty.events[from]!;
  expect(trigger.payload).toMatchObject({ severity: "critical", source: "tokenforge-local", summary: expect.stringContaining("local-eth endpoint #0") });
  expect(p.pagerduty.incidents().get(key)).toBe("resolved");
  // The Ops page's history shows both.
  const alerts = (await (await adminGet("/api/v1/ops/alerts")).json()) as { history: { key: string; action: string; delivered: Record<string, number> }[] };
  expect(alerts.history.filter((h) => h.key === key).map((h) => h.action)).toEqual(["resolve", "trigger"]);
  expect(alerts.history.every((h) => h.delivered.pagerduty > 0)).toBe(true);
  // The same two pages as messages to the operators' Discord channel and Telegram chat (the announcements' clients).
  // Text as a person reads it: the platform escaping (backslashes, zero-width breaks) taken out.
  const plain = (t: string) => t.replace(/[\\\u200b\u2060]/g, "");
  const said = (platform: string) => p.social.received.slice(socialFrom)
    .filter((r) => r.platform === platform && r.status === 200)
    .map((r) => plain((r.body as { content?: string; text?: string }).content ?? (r.body as { text?: string }).text ?? ""))
    .filter((t) => t.includes(key));
  for (const platform of ["discord", "telegram"]) {
    const messages = said(platform);
    expect(messages, platform).toHaveLength(2);
    expect(messages[0]).toMatch(/ALERT/);
    expect(messages[1]).toMatch(/RESOLVED/);
  }
  expect((p.social.received.find((r) => r.platform === "discord" && r.status === 200 && JSON.stringify(r.body).includes("ALERT"))!.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
}, 150_000);

it("pages nobody when an endpoint flaps inside the minimum duration", async () => {
  const from = p.pagerduty.events.length;
  for (let round = 0; round < 2; round++) {
    primary.setMode("fail500");
    // Until the breaker leaves closed (the alert goes pending), then heal at once.
    const t0 = Date.now();
    for (;;) {
      await p.runCron();
      const open = (await (await adminGet("/api/v1/ops/alerts")).json()) as { open: { key: string; status: string }[] };
      if (open.open.some((a) => a.key === "breaker_open:local-eth:0" && a.status === "pending")) break;
      if (Date.now() - t0 > 30_000) throw new Error("the breaker never opened");
    }
    primary.setMode("pass");
    await sleep(1_600); // the breaker's cooldown, then the cron's probe closes it
    await p.runCron();
    await p.runCron();
  }
  // Long past the minimum duration, healthy all along: still nothing paged.
  await sleep(FIRE_AFTER_S * 1000);
  await p.runCron();
  expect(pages(from)).toEqual([]);
}, 120_000);

it("pages when the deployer's funds run low and resolves when they are refunded", async () => {
  const from = p.pagerduty.events.length;
  const key = "funds_low:local-eth";
  const [balance] = [await rpc<string>(anvil, "eth_getBalance", [p.deployer, "latest"])];
  await rpc(anvil, "anvil_setBalance", [p.deployer, "0x2386f26fc10000"]); // 0.01 ETH: a few launches' worth
  await cronUntil(() => pages(from).some((e) => e.action === "trigger" && e.key === key), 60_000, "the funds trigger");
  await rpc(anvil, "anvil_setBalance", [p.deployer, balance]);
  await cronUntil(() => pages(from).some((e) => e.action === "resolve" && e.key === key), 60_000, "the funds resolve");
  expect(pages(from)).toEqual([{ action: "trigger", key }, { action: "resolve", key }]);
  const metrics = await scrape();
  expect(metrics.get('tf_deployer_funds_launches{chain="local-eth"}')).toBeGreaterThan(1000);
}, 150_000);

// Last: a reached cap stays reached until the UTC day ends, so its alerts stay open.
it("pages when today's spending nears a daily credit cap: the platform's (its PlatformSpend counter) and a user's (the ledgers' D1 copy)", async () => {
  const from = p.pagerduty.events.length;
  const keys = ["spend_cap_near:platform:local-bsc", "spend_cap_near:user:local-bsc"];
  // Nothing spent on local-bsc yet: runs past the minimum duration page nobody.
  await p.runCron();
  await sleep(FIRE_AFTER_S * 1000);
  await p.runCron();
  expect(pages(from).filter((e) => e.key.startsWith("spend_cap_near"))).toEqual([]);

  const r = await postLaunch(p, baseLaunch({ chain: "local-bsc", symbol: "CAPS" }));
  expect(r.status, JSON.stringify(r.json)).toBe(202);
  await cronUntil(() => keys.every((k) => pages(from).some((e) => e.action === "trigger" && e.key === k)), 60_000, "the spend cap triggers");
  for (let i = 0; i < 2; i++) await p.runCron();
  // Once each, never resolved while the spending stands.
  expect(pages(from).filter((e) => e.key.startsWith("spend_cap_near")).sort((a, b) => a.key.localeCompare(b.key))).toEqual(keys.map((key) => ({ action: "trigger", key })));
  const platform = p.pagerduty.events.slice(from).find((e) => e.dedup_key === keys[0])!;
  const spent = BigInt(/spent (\d+) of its daily cap/.exec(String((platform.payload as { summary: string }).summary))![1]!);
  expect(spent).toBeGreaterThanOrEqual(CAP / 100_000n);
  expect(spent).toBeLessThan(CAP);
  const user = p.pagerduty.events.slice(from).find((e) => e.dedup_key === keys[1])!;
  expect((user.payload as { summary: string }).summary).toMatch(/^local-bsc: 1 user\(s\) spent at least 0.001% of the per-user daily cap 1000000000000000000 today \(most: usr_dev, /);
  const alerts = (await (await adminGet("/api/v1/ops/alerts")).json()) as { open: { key: string; status: string }[] };
  for (const k of keys) expect(alerts.open.find((a) => a.key === k)?.status).toBe("firing");
}, 120_000);
