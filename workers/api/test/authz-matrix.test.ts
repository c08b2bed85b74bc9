// The authorization matrix (issue 6, acceptance 1): every route × every kind of
// caller — anonymous, user A (session), user B (session), A's API keys with
// each single scope, an admin (session) — answers the expected status, and B
// never sees or changes A's launches, keys or webhooks.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { generatePrivateKey } from "viem/accounts";
import { EVM_LAUNCH_GAS, feesKey } from "@tokenforge/core";
import { ADMIN_KEY, call, createKey, createLaunch, createWebhook, json, signInEvm, signInSolana, type Auth } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;
const ACTORS = ["anonymous", "A", "B", "A:launches:read", "A:launches:write", "A:webhooks:manage", "admin"] as const;
type Actor = (typeof ACTORS)[number];

const auth = {} as Record<Actor, Auth>;
let A: { cookie: string; userId: string };
let launchA: string;
let webhookA: string;

beforeAll(async () => {
  const a = await signInEvm(generatePrivateKey());
  const b = await signInSolana();
  const admin = await signInEvm(ADMIN_KEY);
  expect(admin.user.role).toBe("admin");
  A = { cookie: a.cookie, userId: a.user.id };
  auth.anonymous = {};
  auth.A = { cookie: a.cookie };
  auth.B = { cookie: b.cookie };
  auth.admin = { cookie: admin.cookie };
  for (const scope of ["launches:read", "launches:write", "webhooks:manage"] as const) {
    auth[`A:${scope}`] = { key: (await createKey(a.cookie, [scope], scope)).key };
  }
  launchA = (await createLaunch(auth.A, { symbol: "AAA" })).id;
  webhookA = (await createWebhook(auth.A)).id;
});

type Row = {
  name: string;
  method: string;
  /** The path, possibly needing a fresh resource of A's (made before each cell). */
  path: (fresh: string) => string;
  /** Makes the resource the cell acts on (DELETE cells get their own, so cells do not interfere). */
  fresh?: () => Promise<string>;
  body?: unknown;
  expect: Record<Actor, number>;
  /** After a cell that must not change A's resource: checks it is intact. */
  intact?: (id: string) => Promise<void>;
  /** Sessions that the cell would end: a fresh one of its own instead of the shared one. */
  ownSession?: boolean;
  headers?: Record<string, string>;
};

const all = (s: number): Record<Actor, number> => Object.fromEntries(ACTORS.map((a) => [a, s])) as Record<Actor, number>;
const launchBody = { chain: "local-eth", name: "Matrix Coin", symbol: "MTX", decimals: 18, initialSupply: "1000", owner: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", payment: { mode: "platform" } };

const keyIntact = async (id: string) => {
  const row = await DB.prepare("SELECT revoked_at FROM api_keys WHERE id = ?").bind(id).first<{ revoked_at: number | null }>();
  expect(row?.revoked_at).toBeNull();
};
const DISCORD_URL = `https://discord.com/api/webhooks/123456789012345678/${"t".repeat(68)}`;
const createDiscord = async () => {
  const res = await call("POST", "/api/v1/announcements/discord", { cookie: A.cookie }, { url: DISCORD_URL });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json<{ id: string }>(res)).id;
};
const destinationIntact = async (id: string) => {
  const row = await DB.prepare("SELECT deleted_at FROM announce_destinations WHERE id = ?").bind(id).first<{ deleted_at: number | null }>();
  expect(row?.deleted_at).toBeNull();
};
const webhookIntact = async (id: string) => {
  const row = await DB.prepare("SELECT deleted_at FROM webhooks WHERE id = ?").bind(id).first<{ deleted_at: number | null }>();
  expect(row?.deleted_at).toBeNull();
};

const ROWS: Row[] = [
  // Assets and metadata (issue 18).
  { name: "GET /tokens/{chain}/{address}/metadata.json", method: "GET", path: () => `/api/v1/tokens/local-eth/0x${"12".repeat(20)}/metadata.json`, expect: all(404) },
  {
    // Sessions only (the owner's wallet); no confirmed token at this address.
    name: "PATCH /tokens/{chain}/{address}/metadata", method: "PATCH", path: () => `/api/v1/tokens/local-eth/0x${"12".repeat(20)}/metadata`, body: { description: "x" },
    expect: { anonymous: 401, A: 404, B: 404, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 404 },
  },
  {
    // A JSON body is no image: 415 once the caller may upload.
    name: "POST /assets", method: "POST", path: () => "/api/v1/assets", body: { not: "an image" },
    expect: { anonymous: 401, A: 415, B: 415, "A:launches:read": 403, "A:launches:write": 415, "A:webhooks:manage": 403, admin: 415 },
  },
  { name: "GET /assets/{sha256}", method: "GET", path: () => `/api/v1/assets/${"0".repeat(64)}`, expect: all(404) },
  {
    name: "DELETE /assets/{sha256}", method: "DELETE", path: () => `/api/v1/assets/${"0".repeat(64)}`,
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  { name: "GET /tokenlists/{file}", method: "GET", path: () => "/api/v1/tokenlists/local-eth.json", expect: all(404) },
  { name: "GET /chains", method: "GET", path: () => "/api/v1/chains", expect: all(200) },
  { name: "GET /tokens", method: "GET", path: () => "/api/v1/tokens", expect: all(200) },
  { name: "GET /tokens/{chain}/{address}/history", method: "GET", path: () => `/api/v1/tokens/local-eth/0x${"34".repeat(20)}/history`, expect: all(200) },
  { name: "GET /tokens/{chain}/{address}", method: "GET", path: () => `/api/v1/tokens/local-eth/0x${"34".repeat(20)}`, expect: all(404) },
  { name: "POST /tokens/{chain}/{address}/refresh", method: "POST", path: () => `/api/v1/tokens/local-eth/0x${"34".repeat(20)}/refresh`, expect: all(404) },
  { name: "GET /launches/:id (A's)", method: "GET", path: () => `/api/v1/launches/${launchA}`, expect: all(200) },
  {
    name: "GET /launches/:id/stream (A's)", method: "GET", path: () => `/api/v1/launches/${launchA}/stream`, expect: all(200),
  },
  {
    name: "POST /launches", method: "POST", path: () => "/api/v1/launches", body: launchBody,
    expect: { anonymous: 401, A: 202, B: 202, "A:launches:read": 403, "A:launches:write": 202, "A:webhooks:manage": 403, admin: 202 },
  },
  {
    // Each item is judged on its own (results); the batch itself answers 200 to whoever may write launches.
    name: "POST /launches/batch", method: "POST", path: () => "/api/v1/launches/batch", body: { launches: [launchBody] },
    expect: { anonymous: 401, A: 200, B: 200, "A:launches:read": 403, "A:launches:write": 200, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    // A's launch is platform-paid: its creator learns 409 (nothing to sign); anyone else cannot tell it exists.
    name: "POST /launches/:id/transaction (A's)", method: "POST", path: () => `/api/v1/launches/${launchA}/transaction`,
    expect: { anonymous: 401, A: 409, B: 404, "A:launches:read": 403, "A:launches:write": 409, "A:webhooks:manage": 403, admin: 404 },
  },
  {
    // A's launch is platform-paid: its creator gets 409 (nothing to report); anyone else cannot see it is there.
    name: "POST /launches/:id/payment (A's)", method: "POST", path: () => `/api/v1/launches/${launchA}/payment`, body: { txHash: `0x${"ab".repeat(32)}` },
    expect: { anonymous: 401, A: 409, B: 404, "A:launches:read": 403, "A:launches:write": 409, "A:webhooks:manage": 403, admin: 404 },
  },
  { name: "GET /me", method: "GET", path: () => "/api/v1/me", expect: { ...all(200), anonymous: 401 } },
  {
    name: "GET /me/launches", method: "GET", path: () => "/api/v1/me/launches",
    expect: { anonymous: 401, A: 200, B: 200, "A:launches:read": 200, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "GET /me/launches?all=1", method: "GET", path: () => "/api/v1/me/launches?all=1",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "POST /keys", method: "POST", path: () => "/api/v1/keys", body: { name: "matrix", scopes: ["launches:read"] },
    expect: { anonymous: 401, A: 201, B: 201, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 201 },
  },
  {
    name: "GET /keys", method: "GET", path: () => "/api/v1/keys",
    expect: { anonymous: 401, A: 200, B: 200, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "DELETE /keys/:id (A's)", method: "DELETE", path: (id) => `/api/v1/keys/${id}`,
    fresh: async () => (await createKey(A.cookie, ["launches:read"], "to revoke")).id,
    expect: { anonymous: 401, A: 200, B: 404, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 404 },
    intact: keyIntact,
  },
  {
    name: "POST /webhooks", method: "POST", path: () => "/api/v1/webhooks", body: { url: "https://hooks.example.com/matrix", events: ["launch.confirmed"] },
    expect: { anonymous: 401, A: 201, B: 201, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 201, admin: 201 },
  },
  {
    name: "GET /webhooks", method: "GET", path: () => "/api/v1/webhooks",
    expect: { anonymous: 401, A: 200, B: 200, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 200, admin: 200 },
  },
  {
    name: "DELETE /webhooks/:id (A's)", method: "DELETE", path: (id) => `/api/v1/webhooks/${id}`,
    fresh: async () => (await createWebhook({ cookie: A.cookie }, "https://hooks.example.com/delete-me")).id,
    expect: { anonymous: 401, A: 204, B: 404, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 204, admin: 404 },
    intact: webhookIntact,
  },
  {
    name: "GET /webhooks/:id/deliveries (A's)", method: "GET", path: () => `/api/v1/webhooks/${webhookA}/deliveries`,
    expect: { anonymous: 401, A: 200, B: 404, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 200, admin: 404 },
  },
  {
    name: "POST /announcements/discord", method: "POST", path: () => "/api/v1/announcements/discord", body: { url: DISCORD_URL },
    expect: { anonymous: 401, A: 201, B: 201, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 201, admin: 201 },
  },
  {
    name: "POST /announcements/telegram (A's launch)", method: "POST", path: () => "/api/v1/announcements/telegram",
    get body() {
      return { launchId: launchA };
    },
    expect: { anonymous: 401, A: 201, B: 404, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 201, admin: 404 },
  },
  {
    name: "GET /announcements/destinations", method: "GET", path: () => "/api/v1/announcements/destinations",
    expect: { anonymous: 401, A: 200, B: 200, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 200, admin: 200 },
  },
  {
    name: "DELETE /announcements/destinations/:id (A's)", method: "DELETE", path: (id) => `/api/v1/announcements/destinations/${id}`,
    fresh: createDiscord,
    expect: { anonymous: 401, A: 204, B: 404, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 204, admin: 404 },
    intact: destinationIntact,
  },
  // Telegram's call: no user, only the secret_token header (missing here).
  { name: "POST /announcements/telegram/updates (no secret)", method: "POST", path: () => "/api/v1/announcements/telegram/updates", body: { update_id: 1 }, expect: all(401) },
  {
    name: "POST /announcements/launches/:id/enqueue", method: "POST", path: () => `/api/v1/announcements/launches/${launchA}/enqueue`,
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 202 },
  },
  {
    name: "POST /announcements/digest", method: "POST", path: () => "/api/v1/announcements/digest",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  { name: "POST /auth/nonce", method: "POST", path: () => "/api/v1/auth/nonce", expect: all(201) },
  { name: "POST /auth/logout", method: "POST", path: () => "/api/v1/auth/logout", expect: all(204), ownSession: true },
  { name: "POST /auth/siwe (bad signature)", method: "POST", path: () => "/api/v1/auth/siwe", body: { message: "x", signature: "0x00" }, expect: all(422) },
  { name: "POST /auth/siws (bad signature)", method: "POST", path: () => "/api/v1/auth/siws", body: { message: "x", signature: "1".repeat(64), publicKey: "1".repeat(32) }, expect: all(422) },
  { name: "GET /health", method: "GET", path: () => "/api/v1/health", expect: all(200) },
  {
    name: "GET /health/deep", method: "GET", path: () => "/api/v1/health/deep",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "POST /admin/cron", method: "POST", path: () => "/api/v1/admin/cron",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "POST /admin/backups", method: "POST", path: () => "/api/v1/admin/backups",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "POST /admin/reconcile-credits", method: "POST", path: () => "/api/v1/admin/reconcile-credits",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "POST /admin/reseal", method: "POST", path: () => "/api/v1/admin/reseal",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "POST /admin/launches/:id/enqueue", method: "POST", path: () => `/api/v1/admin/launches/${launchA}/enqueue`,
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 202 },
  },
  {
    name: "GET /admin/dead-letters", method: "GET", path: () => "/api/v1/admin/dead-letters",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "POST /admin/dead-letters/replay", method: "POST", path: () => "/api/v1/admin/dead-letters/replay",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 202 },
  },
  {
    name: "POST /admin/dead-letters/:id/replay (unknown)", method: "POST", path: () => "/api/v1/admin/dead-letters/dlq_none/replay",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 404 },
  },
  {
    // Platform-paid, at a gas price the cron cached (the stand-in gate reaches no chain).
    name: "POST /quotes", method: "POST", path: () => "/api/v1/quotes", body: { ...launchBody, payment: { mode: "platform" } },
    fresh: async () => {
      await env.CACHE.put(feesKey("local-eth"), JSON.stringify({ chain: "local-eth", gasPrice: "1000000000", launchUnits: EVM_LAUNCH_GAS, estimatedCost: "0", updatedAt: new Date().toISOString() }));
      return "";
    },
    expect: { anonymous: 401, A: 201, B: 201, "A:launches:read": 403, "A:launches:write": 201, "A:webhooks:manage": 403, admin: 201 },
  },
  {
    name: "GET /admin/chains", method: "GET", path: () => "/api/v1/admin/chains",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "GET /metrics", method: "GET", path: () => "/api/v1/metrics",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "GET /ops/charts", method: "GET", path: () => "/api/v1/ops/charts?window=day",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "GET /ops/charts?window=week", method: "GET", path: () => "/api/v1/ops/charts?window=week",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 422 },
  },
  {
    name: "GET /ops/alerts", method: "GET", path: () => "/api/v1/ops/alerts",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  // Paused, then resumed at once (local-bsc: no other row launches there).
  {
    name: "POST /admin/chains/:id/pause", method: "POST", path: () => "/api/v1/admin/chains/local-bsc/pause", body: { reason: "matrix" },
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "POST /admin/chains/:id/resume", method: "POST", path: () => "/api/v1/admin/chains/local-bsc/resume",
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  // Credits (issue 17): one's own with launches:read; grants are the operators'.
  {
    name: "GET /credits", method: "GET", path: () => "/api/v1/credits",
    expect: { anonymous: 401, A: 200, B: 200, "A:launches:read": 200, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "POST /admin/credits", method: "POST", path: () => "/api/v1/admin/credits",
    body: { get userId() { return A.userId; }, chain: "local-eth", amount: "1", reason: "matrix" },
    expect: { anonymous: 401, A: 403, B: 403, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 201 },
  },
  // Deposits and linked wallets (issue 17): deposits with launches:write (listed with launches:read); linking wallets is a session's.
  // The bodies fail on their merits (an unknown chain, an unparsable message) after the authorization checks.
  {
    name: "POST /credits/deposits", method: "POST", path: () => "/api/v1/credits/deposits", body: { chain: "nowhere", txHash: `0x${"ab".repeat(32)}` },
    expect: { anonymous: 401, A: 422, B: 422, "A:launches:read": 403, "A:launches:write": 422, "A:webhooks:manage": 403, admin: 422 },
  },
  {
    name: "GET /credits/deposits", method: "GET", path: () => "/api/v1/credits/deposits",
    expect: { anonymous: 401, A: 200, B: 200, "A:launches:read": 200, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 200 },
  },
  {
    name: "POST /me/wallets/siwe", method: "POST", path: () => "/api/v1/me/wallets/siwe", body: { message: "not a SIWE message", signature: `0x${"a1".repeat(65)}` },
    expect: { anonymous: 401, A: 422, B: 422, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 422 },
  },
  {
    name: "POST /me/wallets/siws", method: "POST", path: () => "/api/v1/me/wallets/siws",
    body: { message: "not a SIWS message", signature: "1".repeat(88), publicKey: "8T6JHaFycqrpbLb4JhXShGV1DtbKScyozCyDW6gCjzVU" },
    expect: { anonymous: 401, A: 422, B: 422, "A:launches:read": 403, "A:launches:write": 403, "A:webhooks:manage": 403, admin: 422 },
  },
  // MCP takes API keys only (any scope lists the tools; each tool checks its own scope).
  {
    name: "POST /mcp", method: "POST", path: () => "/api/v1/mcp", body: { jsonrpc: "2.0", id: 1, method: "tools/list" }, headers: { accept: "application/json, text/event-stream" },
    expect: { anonymous: 401, A: 401, B: 401, "A:launches:read": 200, "A:launches:write": 200, "A:webhooks:manage": 200, admin: 401 },
  },
  { name: "GET /openapi.json", method: "GET", path: () => "/api/v1/openapi.json", expect: all(200) },
  { name: "GET /docs", method: "GET", path: () => "/api/v1/docs", expect: all(200) },
];

describe("authorization matrix", () => {
  for (const row of ROWS) {
    for (const actor of ACTORS) {
      it(`${row.name} as ${actor} → ${row.expect[actor]}`, async () => {
        const id = row.fresh ? await row.fresh() : "";
        const who = row.ownSession && auth[actor].cookie ? { cookie: (await signInEvm()).cookie } : auth[actor];
        const res = await call(row.method, row.path(id), who, row.body, row.headers);
        // Read the body only to explain a failure (a stream's body does not end).
        if (res.status !== row.expect[actor]) expect(res.status, await res.text()).toBe(row.expect[actor]);
        if (res.status >= 400) expect(res.headers.get("content-type")).toBe("application/problem+json");
        await res.body?.cancel();
        if (row.intact && res.status >= 400) await row.intact(id);
      });
    }
  }

  it("covers every route of the OpenAPI document", async () => {
    const doc = await json(await call("GET", "/api/v1/openapi.json"));
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace("/api/v1", "").replace(/\{id\}/g, ":id")}`),
    );
    const tested = new Set(ROWS.map((r) => `${r.method} ${r.name.split(" ")[1]!.replace(/\?.*$/, "")}`));
    expect(documented.filter((d) => !tested.has(d))).toEqual([]);
  });

  it("the admin token (outside production) is an admin too", async () => {
    const res = await call("POST", "/api/v1/admin/cron", { headers: { authorization: "Bearer test-admin-token" } });
    expect(res.status).toBe(200);
    const row = await DB.prepare("SELECT actor_kind, action, target FROM audit_log WHERE action = 'admin.request' ORDER BY at DESC LIMIT 1").first();
    expect(row).toEqual({ actor_kind: "admin-token", action: "admin.request", target: "POST /api/v1/admin/cron" });
    expect((await call("POST", "/api/v1/admin/cron", { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
  });
});

describe("B never sees A's data", () => {
  it("lists only their own launches, keys and webhooks", async () => {
    const mine = await json(await call("GET", "/api/v1/me/launches?limit=100", auth.A));
    expect(mine.launches.map((l: { id: string }) => l.id)).toContain(launchA);
    for (const path of ["/api/v1/me/launches?limit=100", "/api/v1/keys", "/api/v1/webhooks"]) {
      const text = await (await call("GET", path, auth.B)).text();
      expect(text).not.toContain(launchA);
      expect(text).not.toContain(webhookA);
      expect(text).not.toContain(A.userId);
      for (const scope of ["launches:read", "launches:write", "webhooks:manage"] as const) expect(text).not.toContain(auth[`A:${scope}`].key!.slice(0, 10));
    }
    // An admin's all=1 does list A's launch.
    const everyone = await json(await call("GET", "/api/v1/me/launches?all=1&limit=100", auth.admin));
    expect(everyone.launches.map((l: { id: string }) => l.id)).toContain(launchA);
  });

  it("cannot use A's resources by id", async () => {
    expect((await call("GET", `/api/v1/webhooks/${webhookA}/deliveries`, auth.B)).status).toBe(404);
    expect((await call("DELETE", `/api/v1/webhooks/${webhookA}`, auth.B)).status).toBe(404);
    await webhookIntact(webhookA);
  });

  it("pages through its own launches with the cursor", async () => {
    const c = await signInEvm();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await createLaunch({ cookie: c.cookie }, { symbol: `P${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { launches: { id: string; symbol: string }[]; nextCursor: string | null } = await json(
        await call("GET", `/api/v1/me/launches?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { cookie: c.cookie }),
      );
      seen.push(...page.launches.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });
});
