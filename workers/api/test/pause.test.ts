// The emergency pause of a chain (issue 16): admin-only and audited; while a chain
// is paused its new launches answer 503 chain-paused with Retry-After, other chains
// launch; GET /chains shows it; resume puts the chain's queued platform launches
// back on the queue (read from a recording producer that passes them on).
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { call, expectProblem, goodLaunch, json, ORIGIN } from "./helpers";
import { KEYS } from "./setup";

const admin = { headers: { authorization: "Bearer test-admin-token" } };
const writer = { key: KEYS.writer };
const e = env as unknown as { DB: D1Database; LAUNCHES: Queue };

/** A request with a LAUNCHES producer that records what is sent (and passes it on). */
async function callRecording(method: string, path: string) {
  const sent: { launchId: string; reason?: string }[] = [];
  const LAUNCHES = {
    send: async (body: { launchId: string; reason?: string }) => { sent.push(body); await e.LAUNCHES.send(body); },
    sendBatch: async (msgs: { body: { launchId: string; reason?: string } }[]) => { sent.push(...msgs.map((m) => m.body)); await e.LAUNCHES.sendBatch(msgs); },
  };
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { method, headers: admin.headers }), { ...env, LAUNCHES } as never, ctx);
  await waitOnExecutionContext(ctx);
  return { res, sent };
}

const launchOn = (chain: string, key?: string) => call("POST", "/api/v1/launches", writer, { ...goodLaunch, chain }, key ? { "idempotency-key": key } : {});

describe("emergency pause of a chain", () => {
  it("is for admins only", async () => {
    await expectProblem(await call("POST", "/api/v1/admin/chains/local-eth/pause", {}, { reason: "x" }), 401, "unauthorized");
    await expectProblem(await call("POST", "/api/v1/admin/chains/local-eth/pause", writer, { reason: "x" }), 403, "forbidden");
    await expectProblem(await call("POST", "/api/v1/admin/chains/local-eth/resume", writer), 403, "forbidden");
    await expectProblem(await call("GET", "/api/v1/admin/chains", writer), 403, "forbidden");
    const row = await e.DB.prepare("SELECT paused FROM chain_settings WHERE chain = 'local-eth'").first<{ paused: number }>();
    expect(row?.paused ?? 0).toBe(0);
  });

  it("refuses an unknown chain (404) and a bad body (422, 415)", async () => {
    await expectProblem(await call("POST", "/api/v1/admin/chains/nope/pause", admin), 404, "not-found");
    await expectProblem(await call("POST", "/api/v1/admin/chains/local-eth/pause", admin, { reason: "" }), 422, "validation-error");
    await expectProblem(await call("POST", "/api/v1/admin/chains/local-eth/pause", admin, { reason: "x", extra: 1 }), 422, "validation-error");
    await expectProblem(await call("POST", "/api/v1/admin/chains/local-eth/pause", admin, "{not json"), 400, "malformed-json");
    await expectProblem(await call("POST", "/api/v1/admin/chains/local-eth/pause", admin, "reason", { "content-type": "text/plain" }), 415, "unsupported-media-type");
  });

  it("pauses one chain: its launches answer 503 chain-paused with Retry-After, others launch; GET /chains shows it; resume re-enqueues its queued launches", async () => {
    // Launched before the pause: stays queued while paused, goes back on the queue on resume.
    const before = await launchOn("local-eth", "before-pause");
    expect(before.status).toBe(202);
    const queuedId = (await json<{ id: string }>(before)).id;
    const failed = await json<{ id: string }>(await launchOn("local-eth"));
    await e.DB.prepare("UPDATE launches SET status = 'failed' WHERE id = ?").bind(failed.id).run();

    const paused = await call("POST", "/api/v1/admin/chains/local-eth/pause", admin, { reason: "factory upgrade" });
    expect(paused.status, await paused.clone().text()).toBe(200);
    const view = await json(paused);
    expect(view).toMatchObject({ chain: "local-eth", paused: true, reason: "factory upgrade", pausedBy: "admin-token" });
    expect(Date.parse(view.pausedAt)).toBeGreaterThan(Date.now() - 60_000);

    const refused = await launchOn("local-eth", "paused-1");
    expect(refused.headers.get("retry-after")).toBe("60");
    const problem = await expectProblem(refused, 503, "chain-paused");
    expect((problem as unknown as { detail: string }).detail).toContain("factory upgrade");
    // Nothing was stored for the refused request (no launch, no idempotency key).
    expect(await e.DB.prepare("SELECT count(*) AS n FROM idempotency_keys WHERE key = 'paused-1'").first<{ n: number }>()).toEqual({ n: 0 });
    expect((await launchOn("local-bsc")).status).toBe(202);
    // No quotes on the paused chain either.
    const quote = await call("POST", "/api/v1/quotes", writer, { ...goodLaunch, chain: "local-eth", payment: { mode: "platform" } });
    await expectProblem(quote, 503, "chain-paused");
    // A replay (same key, same body) of a launch accepted before the pause still answers that launch; a new key does not.
    const replay = await launchOn("local-eth", "before-pause");
    expect(replay.status, await replay.clone().text()).toBe(202);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect((await json<{ id: string }>(replay)).id).toBe(queuedId);

    const chains = await json<{ chains: { id: string; paused: boolean }[] }>(await call("GET", "/api/v1/chains"));
    expect(chains.chains.find((c) => c.id === "local-eth")?.paused).toBe(true);
    expect(chains.chains.filter((c) => c.id !== "local-eth").every((c) => c.paused === false)).toBe(true);
    const list = await json<{ chains: { chain: string; paused: boolean; reason: string | null }[] }>(await call("GET", "/api/v1/admin/chains", admin));
    expect(list.chains.filter((c) => c.paused)).toEqual([expect.objectContaining({ chain: "local-eth", reason: "factory upgrade" })]);

    // Pausing again keeps the first pause time.
    const again = await json(await call("POST", "/api/v1/admin/chains/local-eth/pause", admin));
    expect(again).toMatchObject({ paused: true, pausedAt: view.pausedAt, reason: "factory upgrade" });

    const { res, sent } = await callRecording("POST", "/api/v1/admin/chains/local-eth/resume");
    expect(res.status, await res.clone().text()).toBe(200);
    const resumed = await json<{ paused: boolean; requeued: number }>(res);
    expect(resumed.paused).toBe(false);
    expect(sent).toContainEqual({ launchId: queuedId, reason: "resume" });
    expect(sent.map((m) => m.launchId)).not.toContain(failed.id);
    expect(resumed.requeued).toBe(sent.length);
    const onEth = await e.DB.prepare("SELECT id FROM launches WHERE chain = 'local-eth' AND status = 'queued'").all<{ id: string }>();
    expect(sent.map((m) => m.launchId).sort()).toEqual(onEth.results.map((r) => r.id).sort());

    // Open again; a second resume changes nothing and sends nothing.
    expect((await launchOn("local-eth")).status).toBe(202);
    const second = await callRecording("POST", "/api/v1/admin/chains/local-eth/resume");
    expect(await json(second.res)).toMatchObject({ paused: false, requeued: 0 });
    expect(second.sent).toEqual([]);
  });

  it("writes an audit row for each pause and resume, with the reason", async () => {
    // Test files share one D1: count only this test's rows.
    const since = Date.now();
    await call("POST", "/api/v1/admin/chains/local-bsc/pause", admin, { reason: "rpc incident" });
    await call("POST", "/api/v1/admin/chains/local-bsc/resume", admin);
    const { results } = await e.DB.prepare("SELECT action, target, detail, actor_kind FROM audit_log WHERE target = 'local-bsc' AND action LIKE 'chain.%' AND at >= ? ORDER BY at").bind(since).all<{ action: string; target: string; detail: string; actor_kind: string }>();
    expect(results.map((r) => r.action)).toEqual(["chain.paused", "chain.resumed"]);
    expect(JSON.parse(results[0]!.detail)).toMatchObject({ reason: "rpc incident", changed: true });
    expect(results[0]!.actor_kind).toBe("admin-token");
  });
});
