// The cost meter (core meter.ts) on real workerd bindings: it counts what D1, KV,
// queues and Durable Objects report or are asked for, and stays out of the way
// unless COST_METER is "on".
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { emptyUsage, metered } from "@tokenforge/core/meter";
import { grantCredits } from "@tokenforge/core/credits/store";
import type { Env } from "../src/env";
import { reserveForLaunch } from "../src/credits";

const base = env as unknown as Env;

async function usageOf(run: (e: Env) => Promise<unknown>) {
  const lines: string[] = [];
  const original = console.log;
  console.log = (line: unknown) => void lines.push(String(line));
  try {
    await metered("api", "test", { ...base, COST_METER: "on" }, run);
  } finally {
    console.log = original;
  }
  const line = lines.map((l) => { try { return JSON.parse(l); } catch { return null; } }).find((l) => l?.event === "cost.usage");
  expect(line, lines.join("\n")).toBeTruthy();
  return line as ReturnType<typeof emptyUsage> & { worker: string; handler: string };
}

it("counts D1 rows read and written, KV reads and writes, queue messages", async () => {
  await base.DB.exec("CREATE TABLE IF NOT EXISTS meter_probe (id INTEGER PRIMARY KEY, v TEXT)");
  const u = await usageOf(async (e) => {
    await e.DB.batch([1, 2, 3].map((i) => e.DB.prepare("INSERT INTO meter_probe (id, v) VALUES (?, ?)").bind(i, `v${i}`)));
    await e.DB.prepare("SELECT * FROM meter_probe").all();
    await e.DB.prepare("SELECT v FROM meter_probe WHERE id = ?").bind(2).first();
    await e.CACHE.put("meter:k", "v");
    await e.CACHE.get("meter:k");
    await e.CACHE.get("meter:k");
  });
  expect(u.worker).toBe("api");
  expect(u.d1Queries).toBe(5);
  expect(u.d1RoundTrips).toBe(3);
  expect(u.d1RowsWritten).toBeGreaterThanOrEqual(3);
  expect(u.d1RowsRead).toBeGreaterThanOrEqual(4);
  expect([u.kvReads, u.kvWrites]).toEqual([2, 1]);
});

it("logs nothing and wraps nothing when off", async () => {
  let seen: unknown;
  const lines: string[] = [];
  const original = console.log;
  console.log = (line: unknown) => void lines.push(String(line));
  try {
    await metered("api", "test", base, async (e) => (seen = e));
  } finally {
    console.log = original;
  }
  expect(seen).toBe(base);
  expect(lines.filter((l) => l.includes("cost.usage"))).toEqual([]);
});

it("counts Durable Object requests through the namespace's stubs", async () => {
  const u = await usageOf(async (e) => {
    const stub = e.RATE_LIMITER.get(e.RATE_LIMITER.idFromName("meter-probe"));
    await stub.take("meter", 100, 60, 1);
    await stub.take("meter", 100, 60, 1);
  });
  expect(u.doRequests).toBe(2);
});

it("reserves an API key's launch with the caps read with its key: no D1 round trip of its own", async () => {
  const caller = { userId: "usr_meter_caps", role: "user" as const, via: "api-key" as const, keyId: "key_meter_caps", scopes: [], spendCaps: { "local-eth": "5" } };
  await grantCredits(base, { userId: caller.userId, chain: "local-eth", amount: 100n, by: "test", reason: "meter", key: "meter-caps" });
  let refused: unknown;
  const u = await usageOf((e) => reserveForLaunch(e, caller, "local-eth", "lch_meter_caps", 10n).catch((err: unknown) => (refused = err)));
  // The key's cap (5) refused the 10: it came from the caller, not from a SELECT on api_keys.
  expect(refused).toMatchObject({ kind: "spend-cap-exceeded" });
  expect(u.d1RoundTrips).toBe(0);
  expect(u.doRequests).toBe(1);
});
