// The KV cache in front of GET /tokens holds a bounded set of keys (issue 12,
// item 6): the first page of each known chain and of all chains. Queries that
// vary the owner, cursor, limit or name an unknown chain are answered from D1
// and write nothing to KV; smaller first pages are slices of the cached one.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { call, json } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;
const KV = (env as unknown as { CACHE: KVNamespace }).CACHE;
const addr = () => privateKeyToAccount(generatePrivateKey()).address;
const tokenKeys = async () => (await KV.list({ prefix: "tokens:" })).keys.map((k) => k.name);

// Newer than any token another file writes into the shared D1 (files share one runtime), so these seven lead the list.
const FIRST = Date.now() + 365 * 86_400_000;

beforeAll(async () => {
  const now = Date.now();
  for (let i = 0; i < 7; i++) {
    await DB.prepare(
      `INSERT INTO tokens (chain, address, launch_id, name, symbol, decimals, total_supply, owner, features, created_at)
       VALUES ('local-bsc', ?, ?, ?, ?, 18, '1', ?, '{}', ?)`,
    ).bind(addr(), `lch_kv${i}${now}`, `KV Coin ${i}`, `KV${i}`, addr(), FIRST - i * 1000).run();
  }
});

describe("GET /tokens with KV in front", () => {
  it("writes at most one key per chain (and one for all chains) however many distinct queries come", async () => {
    // Test files share one runtime (and its KV): start from no cached page.
    for (const k of await tokenKeys()) await KV.delete(k);
    const before = new Set(await tokenKeys());
    const queries = [
      ...Array.from({ length: 20 }, (_, i) => `?limit=${i + 1}`),
      ...Array.from({ length: 15 }, () => `?owner=${addr()}`),
      ...Array.from({ length: 15 }, (_, i) => `?chain=no-such-chain-${i}`),
      ...Array.from({ length: 10 }, (_, i) => `?chain=local-bsc&limit=${i + 1}`),
      "?chain=local-eth", "?chain=local-sol", "",
    ];
    for (const q of queries) expect((await call("GET", `/api/v1/tokens${q}`)).status, q).toBe(200);
    const added = (await tokenKeys()).filter((k) => !before.has(k));
    // 3 chains + "all", in at most two 10 s buckets if the run crossed a boundary.
    expect(added.length).toBeLessThanOrEqual(8);
    // Only per-chain (and all-chains) keys; a page the isolate still holds in memory from another file is written to no key.
    const scopes = new Set(added.map((k) => k.split(":")[2]));
    expect(scopes.size).toBeGreaterThan(0);
    for (const scope of scopes) expect(["*", "local-bsc", "local-eth", "local-sol"]).toContain(scope);
  });

  it("answers a small first page from the cached one, with a cursor that leads on", async () => {
    await call("GET", "/api/v1/tokens?chain=local-bsc"); // warm
    const first = await call("GET", "/api/v1/tokens?chain=local-bsc&limit=3");
    expect(first.headers.get("x-cache")).toBe("hit");
    const p1 = await json(first);
    expect(p1.tokens.map((t: any) => t.symbol)).toEqual(["KV0", "KV1", "KV2"]);
    const p2 = await json(await call("GET", `/api/v1/tokens?chain=local-bsc&limit=3&cursor=${p1.nextCursor}`));
    expect(p2.tokens.map((t: any) => t.symbol)).toEqual(["KV3", "KV4", "KV5"]);
    const all = await json(await call("GET", "/api/v1/tokens?chain=local-bsc&limit=7"));
    // Newest first: this file's seven (other files' earlier tokens may follow on later pages).
    expect(all.tokens.map((t: any) => t.symbol)).toEqual(["KV0", "KV1", "KV2", "KV3", "KV4", "KV5", "KV6"]);
  });
});

describe("GET /tokens from the isolate's copy", () => {
  it("answers a first page again with no KV read while its bucket lasts", async () => {
    const { metered } = await import("@tokenforge/core/meter");
    const worker = (await import("../src/index")).default;
    const { createExecutionContext, waitOnExecutionContext } = await import("cloudflare:test");
    const kvReads: number[] = [];
    const original = console.log;
    for (let i = 0; i < 2; i++) {
      const lines: string[] = [];
      console.log = (line: unknown) => void lines.push(String(line));
      try {
        const ctx = createExecutionContext();
        const res = await metered("api", "test", { ...(env as object), COST_METER: "on" }, (e) => worker.fetch(new Request("http://x/api/v1/tokens?chain=local-sol&sort=volume"), e as never, ctx));
        expect(res.status).toBe(200);
        await waitOnExecutionContext(ctx);
      } finally {
        console.log = original;
      }
      const usage = lines.map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter((l) => l?.event === "cost.usage");
      kvReads.push(usage.reduce((s, u) => s + u.kvReads, 0));
    }
    // The first read asks KV (a miss, or another test's copy); the second, within the bucket, asks nothing.
    expect(kvReads[1]).toBe(0);
    expect(kvReads[0]).toBeGreaterThan(0);
  });
});
