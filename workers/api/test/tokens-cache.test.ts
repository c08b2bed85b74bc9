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

beforeAll(async () => {
  const now = Date.now();
  for (let i = 0; i < 7; i++) {
    await DB.prepare(
      `INSERT INTO tokens (chain, address, launch_id, name, symbol, decimals, total_supply, owner, features, created_at)
       VALUES ('local-bsc', ?, ?, ?, ?, 18, '1', ?, '{}', ?)`,
    ).bind(addr(), `lch_kv${i}${now}`, `KV Coin ${i}`, `KV${i}`, addr(), now - i * 1000).run();
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
    expect(new Set(added.map((k) => k.split(":")[2]))).toEqual(new Set(["*", "local-bsc", "local-eth", "local-sol"]));
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
