// GET /chains from the isolate's memory (issue 24): within a CHAINS_CACHE_SECONDS bucket a
// repeat reads neither D1 nor KV; a change another isolate or the cron writes shows from the
// next bucket on; a pause, a resume or POST /admin/cron through this isolate shows at once. (The other files run
// with CHAINS_CACHE_SECONDS=0, see vitest.config.ts: they write chain_settings and read it back.)
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { metered } from "@tokenforge/core/meter";
import worker from "../src/index";
import { listChains } from "../src/routes/chains";
import { ORIGIN } from "./helpers";

const BUCKET_MS = 10_000;
const cached = { ...(env as object), CHAINS_CACHE_SECONDS: String(BUCKET_MS / 1000) } as unknown as typeof env & { DB: D1Database };
const admin = { authorization: "Bearer test-admin-token" };
const CHAIN = "local-bsc";

/** One request with the isolate copy on, and the D1 queries and KV reads it made (the meter's usage line). */
async function send(method: string, path: string, headers: Record<string, string> = {}) {
  const lines: string[] = [];
  const original = console.log;
  console.log = (line: unknown) => void lines.push(String(line));
  let res: Response;
  try {
    const ctx = createExecutionContext();
    res = await metered("api", "test", { ...cached, COST_METER: "on" }, (e) => worker.fetch(new Request(`${ORIGIN}${path}`, { method, headers }), e as never, ctx));
    await waitOnExecutionContext(ctx);
  } finally {
    console.log = original;
  }
  const usage = lines.map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter((l) => l?.event === "cost.usage");
  const ops = usage.reduce((s, u) => s + u.d1Queries + u.kvReads, 0);
  return { res, ops, body: res.status === 200 && method === "GET" ? await res.json<{ chains: { id: string; paused: boolean }[] }>() : null };
}
const pausedIn = (b: { chains: { id: string; paused: boolean }[] } | null) => b!.chains.find((c) => c.id === CHAIN)!.paused;

/** Leaves at least `ms` of the current bucket, so the steps below fall in one bucket. */
async function roomInBucket(ms: number) {
  const left = BUCKET_MS - (Date.now() % BUCKET_MS);
  if (left < ms) await new Promise((r) => setTimeout(r, left + 50));
}

afterAll(async () => {
  await cached.DB.prepare("UPDATE chain_settings SET paused = 0, paused_at = NULL, paused_by = NULL, pause_reason = NULL WHERE chain = ?").bind(CHAIN).run();
});

describe("GET /chains from the isolate's copy", () => {
  it("answers repeats in its bucket with no D1 query or KV read; another isolate's pause shows from the next bucket", async () => {
    await roomInBucket(5_000);
    const first = await send("GET", "/api/v1/chains");
    expect(first.res.status).toBe(200);
    expect(pausedIn(first.body)).toBe(false);
    const again = await send("GET", "/api/v1/chains");
    expect(again.body).toEqual(first.body);
    expect(again.ops).toBe(0);

    // Paused in D1 by someone else (another isolate's admin request): this bucket's answer stands, the next one shows it.
    await cached.DB.prepare(
      "INSERT INTO chain_settings (chain, paused, paused_at, paused_by, pause_reason, updated_at) VALUES (?1, 1, ?2, 'elsewhere', 'test', ?2) ON CONFLICT (chain) DO UPDATE SET paused = 1",
    ).bind(CHAIN, Date.now()).run();
    expect(pausedIn((await send("GET", "/api/v1/chains")).body)).toBe(false);
    const next = await listChains(cached as never, Date.now() + BUCKET_MS);
    expect(next.find((c) => c.id === CHAIN)!.paused).toBe(true);
  });

  it("shows a pause and a resume made through this isolate at once", async () => {
    await roomInBucket(5_000);
    await send("POST", `/api/v1/admin/chains/${CHAIN}/resume`, admin);
    expect(pausedIn((await send("GET", "/api/v1/chains")).body)).toBe(false);
    expect((await send("GET", "/api/v1/chains")).ops).toBe(0);
    const paused = await send("POST", `/api/v1/admin/chains/${CHAIN}/pause`, { ...admin, "content-type": "application/json" });
    expect(paused.res.status).toBe(200);
    expect(pausedIn((await send("GET", "/api/v1/chains")).body)).toBe(true);
    await send("POST", `/api/v1/admin/chains/${CHAIN}/resume`, admin);
    expect(pausedIn((await send("GET", "/api/v1/chains")).body)).toBe(false);
  });

  it("shows what the cron wrote once POST /admin/cron (how the local platform runs it) returns", async () => {
    await roomInBucket(5_000);
    const feeOf = async () => ((await send("GET", "/api/v1/chains")).body as unknown as { chains: { id: string; platformFee: string | null }[] }).chains.find((c) => c.id === CHAIN)!.platformFee;
    const before = await feeOf();
    const fee = String(BigInt(before ?? "0") + 7n);
    await cached.DB.prepare("INSERT INTO chain_settings (chain, platform_fee, updated_at) VALUES (?2, ?1, 1) ON CONFLICT (chain) DO UPDATE SET platform_fee = ?1").bind(fee, CHAIN).run();
    expect(await feeOf()).toBe(before);
    expect((await send("POST", "/api/v1/admin/cron", admin)).res.status).toBe(200);
    expect(await feeOf()).toBe(fee);
  });
});
