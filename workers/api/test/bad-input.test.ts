// The bad-input suite (issue 6, acceptance 3): hundreds of generated malformed,
// oversized, wrongly typed or hostile requests — SQL and script payloads in
// every string field, unicode edge cases, huge numbers, broken JSON, wrong media
// types, hostile path/query/header values — across every route. Not one answer
// is a 5xx, every error is problem+json, and nothing is stored that should not
// be: table counts move only by the requests that were accepted, and what was
// accepted reads back verbatim (data stays data).
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, call, createLaunch, createWebhook, goodLaunch, P, signInEvm, type Auth } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;

const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  "1; DELETE FROM launches WHERE 1=1",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(document.cookie)",
  "${7*7}{{7*7}}",
  "../../../../etc/passwd",
  "a\u0000b",
  "\r\nSet-Cookie: tf_session=evil",
  "\u202eCBA",
  "zero\u200bwidth",
  "\ud800",
  "😀".repeat(40),
  "e\u0301\u0301\u0301\u0301",
  "x".repeat(5_000),
  "",
  "1e309",
];
const HOSTILE_VALUES: unknown[] = [null, true, -1, 1.5, 1e308, 9007199254740993, [], { $gt: "" }];
const HEADER_SAFE = HOSTILE_STRINGS.filter((s) => /^[\x20-\x7e]*$/.test(s) && s.length < 1000);

type Probe = { label: string; method: string; path: string; auth: Auth; body?: unknown; headers?: Record<string, string> };
type Outcome = { probe: Probe; status: number; contentType: string | null; text: string };
const sent = <T>(o: Outcome) => (typeof o.probe.body === "string" ? JSON.parse(o.probe.body) : o.probe.body) as T;

const TABLES = ["users", "api_keys", "sessions", "auth_nonces", "launches", "launch_events", "idempotency_keys", "webhooks", "webhook_deliveries", "audit_log", "tokens"];
async function counts() {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await DB.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).first<{ n: number }>())!.n;
  return out;
}

let user: Auth;
let writerKey: Auth;
let launchId: string;
let webhookId: string;
const outcomes: Outcome[] = [];
let before: Record<string, number>;

function bodiesFor(base: Record<string, unknown>): { label: string; body: unknown }[] {
  const out: { label: string; body: unknown }[] = [];
  for (const field of Object.keys(base)) {
    for (const s of HOSTILE_STRINGS) out.push({ label: `${field}=${JSON.stringify(s).slice(0, 30)}`, body: { ...base, [field]: s } });
    for (const v of HOSTILE_VALUES) out.push({ label: `${field}:${JSON.stringify(v)}`, body: { ...base, [field]: v } });
  }
  out.push({ label: "extra field", body: { ...base, isAdmin: true } });
  out.push({ label: "__proto__", body: JSON.parse(`{"__proto__":{"role":"admin"},${JSON.stringify(base).slice(1)}`) });
  return out;
}

const RAW_BODIES = ["{", "[", "nul", '{"a":}', "{'a':1}", '{"a":1}}', "\"just a string\"", "12", "[]", "null", "[".repeat(5000) + "]".repeat(5000), "\ufeff{}"];
const WRONG_TYPES = ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/jsonp", ""];

beforeAll(async () => {
  const a = await signInEvm();
  user = { cookie: a.cookie };
  const res = await call("POST", "/api/v1/keys", user, { name: "writer", scopes: ["launches:read", "launches:write", "webhooks:manage"] });
  writerKey = { key: (await res.json<{ key: string }>()).key };
  launchId = (await createLaunch(writerKey)).id;
  webhookId = (await createWebhook(user)).id;
  await signInEvm(ADMIN_KEY);
  before = await counts();

  const probes: Probe[] = [];
  const jsonRoutes: { path: string; auth: Auth; base: Record<string, unknown> }[] = [
    { path: "/api/v1/launches", auth: writerKey, base: { ...goodLaunch, maxSupply: "2000000", metadataUri: "https://example.com/m.json", features: { mintable: true } } },
    { path: "/api/v1/auth/siwe", auth: {}, base: { message: "tf.test wants you to sign in with your Ethereum account:\n0x0", signature: "0x" + "11".repeat(65) } },
    { path: "/api/v1/auth/siws", auth: {}, base: { message: "tf.test wants you to sign in with your Solana account:\n1", signature: "1".repeat(88), publicKey: "1".repeat(32) } },
    { path: "/api/v1/keys", auth: user, base: { name: "bot", scopes: ["launches:read"] } },
    { path: "/api/v1/webhooks", auth: user, base: { url: "https://hooks.example.com/x", events: ["launch.confirmed"], description: "d" } },
  ];
  for (const r of jsonRoutes) {
    for (const { label, body } of bodiesFor(r.base)) probes.push({ label: `POST ${r.path} ${label}`, method: "POST", path: r.path, auth: r.auth, body });
    for (const raw of RAW_BODIES) probes.push({ label: `POST ${r.path} raw ${raw.slice(0, 12)}`, method: "POST", path: r.path, auth: r.auth, body: raw });
    for (const type of WRONG_TYPES) probes.push({ label: `POST ${r.path} as ${type}`, method: "POST", path: r.path, auth: r.auth, body: JSON.stringify(r.base), headers: { "content-type": type } });
    probes.push({ label: `POST ${r.path} 20 KB`, method: "POST", path: r.path, auth: r.auth, body: { ...r.base, pad: "y".repeat(20_000) } });
    probes.push({ label: `PUT ${r.path}`, method: "PUT", path: r.path, auth: r.auth, body: r.base });
  }
  for (const s of HOSTILE_STRINGS) {
    if (s.includes("\ud800") || s.includes("\udfff")) continue; // not encodable in a URL
    const e = encodeURIComponent(s);
    for (const q of ["chain", "owner", "cursor", "limit"]) probes.push({ label: `GET /tokens ${q}=…`, method: "GET", path: `/api/v1/tokens?${q}=${e}`, auth: {} });
    for (const q of ["cursor", "limit", "all"]) probes.push({ label: `GET /me/launches ${q}=…`, method: "GET", path: `/api/v1/me/launches?${q}=${e}`, auth: writerKey });
    probes.push({ label: "GET /deliveries cursor=…", method: "GET", path: `/api/v1/webhooks/${webhookId}/deliveries?cursor=${e}`, auth: user });
    probes.push({ label: "GET /launches/:id", method: "GET", path: `/api/v1/launches/${e}`, auth: {} });
    probes.push({ label: "DELETE /keys/:id", method: "DELETE", path: `/api/v1/keys/${e}`, auth: user });
    probes.push({ label: "DELETE /webhooks/:id", method: "DELETE", path: `/api/v1/webhooks/${e}`, auth: user });
    probes.push({ label: "GET /webhooks/:id/deliveries", method: "GET", path: `/api/v1/webhooks/${e}/deliveries`, auth: user });
  }
  for (const s of HEADER_SAFE) {
    probes.push({ label: "Idempotency-Key …", method: "POST", path: "/api/v1/launches", auth: writerKey, body: { ...goodLaunch, symbol: "IDEM" }, headers: { "idempotency-key": s } });
    probes.push({ label: "Authorization tf_…", method: "GET", path: "/api/v1/me", auth: { headers: { authorization: `Bearer tf_${s}` } } });
    probes.push({ label: "Cookie …", method: "GET", path: "/api/v1/me", auth: { headers: { cookie: `tf_session=${s}` } } });
    probes.push({ label: "cf-connecting-ip …", method: "GET", path: "/api/v1/chains", auth: { headers: { "cf-connecting-ip": s } } });
  }
  probes.push({ label: "huge Authorization", method: "GET", path: "/api/v1/me", auth: { headers: { authorization: `Bearer tf_${"a".repeat(8000)}` } } });
  probes.push({ label: "huge cookie", method: "GET", path: "/api/v1/me", auth: { headers: { cookie: `tf_session=${"a".repeat(8000)}` } } });
  probes.push({ label: "PATCH launch", method: "PATCH", path: `/api/v1/launches/${launchId}`, auth: writerKey, body: { status: "confirmed" } });
  probes.push({ label: "DELETE launch", method: "DELETE", path: `/api/v1/launches/${launchId}`, auth: writerKey });

  const started = Date.now();
  for (let i = 0; i < probes.length; i += 8) {
    await Promise.all(
      probes.slice(i, i + 8).map(async (probe) => {
        const res = await call(probe.method, probe.path, probe.auth, probe.body, probe.headers);
        outcomes.push({ probe, status: res.status, contentType: res.headers.get("content-type"), text: await res.text() });
      }),
    );
  }
  console.log(`bad-input: ${probes.length} requests in ${Date.now() - started} ms`);
}, 240_000);

describe("hostile input", () => {
  it("sends at least 200 generated requests across every route", () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(200);
    const routes = new Set(outcomes.map((o) => `${o.probe.method} ${o.probe.path.split("?")[0]!.replace(/\/(lch|whk|key)_[^/]+|\/[^/]*%[^/]*/g, "/:id")}`));
    expect(routes.size).toBeGreaterThanOrEqual(12);
  });

  it("never answers 5xx", () => {
    const fivexx = outcomes.filter((o) => o.status >= 500).map((o) => `${o.status} ${o.probe.label}: ${o.text.slice(0, 200)}`);
    expect(fivexx).toEqual([]);
  });

  it("answers every error as problem+json with a known type", () => {
    const bad = outcomes
      .filter((o) => o.status >= 400)
      .filter((o) => o.contentType !== "application/problem+json" || !(JSON.parse(o.text) as { type: string }).type.startsWith(P))
      .map((o) => `${o.status} ${o.probe.label} ${o.contentType}`);
    expect(bad).toEqual([]);
  });

  it("stores only what it accepted, and that verbatim", async () => {
    const after = await counts();
    const accepted = (method: string, path: string) => outcomes.filter((o) => o.probe.method === method && o.probe.path === path && o.status < 300);
    const launchesAccepted = accepted("POST", "/api/v1/launches");
    const keysAccepted = accepted("POST", "/api/v1/keys");
    const hooksAccepted = accepted("POST", "/api/v1/webhooks");
    // Idempotent replays answer 202 with the same launch: count launches, not answers.
    const distinctLaunches = new Set(launchesAccepted.map((o) => JSON.parse(o.text).id)).size;
    expect(after.launches - before.launches).toBe(distinctLaunches);
    expect(after.api_keys - before.api_keys).toBe(keysAccepted.length);
    expect(after.webhooks - before.webhooks).toBe(hooksAccepted.length);
    expect(after.users - before.users).toBe(0);
    expect(after.sessions - before.sessions).toBe(0);
    expect(after.tokens - before.tokens).toBe(0);
    // The schema is intact (no table dropped, none added).
    const tables = await DB.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").first<{ n: number }>();
    expect(tables!.n).toBeGreaterThanOrEqual(TABLES.length);

    // Hostile strings that are valid data come back exactly as sent.
    const keys = await (await call("GET", "/api/v1/keys", user)).json<{ keys: { name: string }[] }>();
    for (const o of keysAccepted) expect(keys.keys.map((k) => k.name)).toContain(sent<{ name: string }>(o).name.trim());
    const launched = launchesAccepted.find((o) => sent<{ name?: string }>(o).name === "<script>alert(1)</script>");
    expect(launched, "a launch named <script>… is valid data").toBeTruthy();
    const view = await (await call("GET", `/api/v1/launches/${JSON.parse(launched!.text).id}`)).json<{ request: { name: string } }>();
    expect(view.request.name).toBe("<script>alert(1)</script>");
    const hooks = await (await call("GET", "/api/v1/webhooks", user)).json<{ webhooks: { description: string | null }[] }>();
    for (const o of hooksAccepted) expect(hooks.webhooks.map((w) => w.description)).toContain(sent<{ description?: string }>(o).description ?? null);
  });

  it("refused every sign-in and every launch with a wrongly typed field", () => {
    expect(outcomes.filter((o) => o.probe.path.startsWith("/api/v1/auth/") && o.status < 300)).toEqual([]);
    const typed = outcomes.filter((o) => o.probe.path === "/api/v1/launches" && /:(null|true|false|-?\d|\[|\{)/.test(o.probe.label) && !/^POST \/api\/v1\/launches (decimals|features):/.test(o.probe.label));
    expect(typed.filter((o) => o.status < 300).map((o) => o.probe.label)).toEqual([]);
  });
});
