// POST /api/v1/launches/batch (issue 23 item 4) in workerd: per-item results in
// order, one D1 transaction for the accepted items, the batch Idempotency-Key
// (item key = batch key + ":" + index) replaying the same launches, items past
// the daily quota refused in order, and platform payment only.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../src/index";
import { call, createKey, expectProblem, goodLaunch, json, ORIGIN, signInEvm } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;
let key: string;
let userId: string;

beforeAll(async () => {
  const a = await signInEvm();
  userId = a.user.id;
  key = (await createKey(a.cookie, ["launches:write"], "batch bot")).key;
});

const item = (i: number) => ({ ...goodLaunch, name: `Batch Coin ${i}`, symbol: `BAT${i}` });
const launchesOf = async (uid: string) =>
  (await DB.prepare("SELECT COUNT(*) AS n FROM launches WHERE creator_id = ?").bind(uid).first<{ n: number }>())!.n;

async function batch(body: unknown, headers: Record<string, string> = {}, k = key, vars: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const req = new Request(`${ORIGIN}/api/v1/launches/batch`, {
    method: "POST",
    headers: { authorization: `Bearer ${k}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const res = await worker.fetch(req, { ...env, ...vars } as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("POST /launches/batch", () => {
  it("answers 100 items in order: 97 accepted, the 3 invalid ones a 422 naming the field; the same batch again answers the same ids and writes nothing", async () => {
    const launches: unknown[] = Array.from({ length: 100 }, (_, i) => item(i));
    launches[7] = { ...item(7), decimals: 99 };
    launches[50] = { ...item(50), owner: "not-an-address" };
    launches[99] = { ...item(99), chain: "nope-chain" };
    const res = await batch({ launches }, { "idempotency-key": "batch-100" });
    expect(res.status, await res.clone().text()).toBe(200);
    const { results } = await json<{ results: any[] }>(res);
    expect(results.map((r) => r.index)).toEqual([...Array(100).keys()]);
    const accepted = results.filter((r) => r.status === 202);
    expect(accepted).toHaveLength(97);
    for (const r of accepted) expect(r).toMatchObject({ id: expect.stringMatching(/^lch_/), address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/) });
    expect(results[7]).toMatchObject({ status: 422, problem: { errors: [expect.objectContaining({ path: "decimals" })] } });
    expect(results[50]).toMatchObject({ status: 422, problem: { errors: [expect.objectContaining({ path: "owner" })] } });
    expect(results[99]).toMatchObject({ status: 422, problem: { type: expect.stringContaining("unknown-chain"), errors: [{ path: "chain", message: expect.any(String) }] } });
    expect(await launchesOf(userId)).toBe(97);
    // Every accepted item is queued and has its first event; the item keys are the batch key and the index.
    const keys = await DB.prepare("SELECT key FROM idempotency_keys WHERE caller_id = ? AND key LIKE 'batch-100:%'").bind(userId).all<{ key: string }>();
    expect(keys.results.map((k) => k.key).sort()).toEqual(accepted.map((r) => `batch-100:${r.index}`).sort());

    const again = await json<{ results: any[] }>(await batch({ launches }, { "idempotency-key": "batch-100" }));
    expect(again.results.map((r) => r.id ?? r.status)).toEqual(results.map((r) => r.id ?? r.status));
    expect(again.results.filter((r) => r.replayed)).toHaveLength(97);
    expect(await launchesOf(userId)).toBe(97);
  });

  it("an item's key with another body is a 422 for that item alone; a repeated key inside one batch is refused", async () => {
    const first = await json<{ results: any[] }>(await batch({ launches: [item(1), item(2)] }, { "idempotency-key": "batch-two" }));
    expect(first.results.map((r) => r.status)).toEqual([202, 202]);
    const changed = await json<{ results: any[] }>(await batch({ launches: [item(1), item(3)] }, { "idempotency-key": "batch-two" }));
    expect(changed.results[0]).toMatchObject({ status: 202, id: first.results[0].id, replayed: true });
    expect(changed.results[1]).toMatchObject({ status: 422, problem: { type: expect.stringContaining("idempotency-key-reused") } });
  });

  it("reserves items in order: past the day's launch quota the rest get 429, and nothing past it is stored", async () => {
    const a = await signInEvm();
    const k = (await createKey(a.cookie, ["launches:write"], "quota bot")).key;
    const vars = { RATE_LIMIT_LAUNCHES_PER_DAY: "5" };
    const one = await json<{ results: any[] }>(await batch({ launches: [item(0), item(1)] }, {}, k, vars));
    expect(one.results.map((r) => r.status)).toEqual([202, 202]);
    const res = await batch({ launches: [item(2), { ...item(3), decimals: -1 }, item(4), item(5), item(6), item(7)] }, {}, k, vars);
    const { results } = await json<{ results: any[] }>(res);
    expect(results.map((r) => r.status)).toEqual([202, 422, 202, 202, 429, 429]);
    expect(results[4].problem).toMatchObject({ type: expect.stringContaining("rate-limited"), policy: "user-launches-day" });
    expect(res.headers.get("ratelimit")).toMatch(/"user-launches-day";r=0/);
    expect(await launchesOf(a.user.id)).toBe(5);
  });

  it("takes platform payment only, at most 100 items, and answers only POST", async () => {
    const wallet = await json<{ results: any[] }>(await batch({ launches: [{ ...item(0), payment: { mode: "wallet", payer: goodLaunch.owner } }] }));
    expect(wallet.results[0]).toMatchObject({ status: 422, problem: { errors: [{ path: "payment.mode" }] } });
    await expectProblem(await batch({ launches: Array.from({ length: 101 }, (_, i) => item(i)) }), 422, "validation-error");
    await expectProblem(await batch({ launches: [] }), 422, "validation-error");
    await expectProblem(await batch({ launches: [item(0)] }, { "idempotency-key": "k".repeat(254) }), 400, "invalid-idempotency-key");
    const get = await call("GET", "/api/v1/launches/batch", { key });
    await expectProblem(get.clone(), 405, "method-not-allowed");
    expect(get.headers.get("allow")).toBe("OPTIONS, POST");
    await expectProblem(await call("POST", "/api/v1/launches/batch", {}, { launches: [item(0)] }), 401, "unauthorized");
  });
});
