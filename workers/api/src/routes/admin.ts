// Operator routes (admin role, or the local admin token): run the cron jobs now, copy D1 to R2 now,
// re-seal stored secrets after a master key rotation,
// re-drive a launch's message, the dead letters — list, replay one, replay all —
// and the emergency pause of a chain (chain-pause.ts): list, pause, resume.
// "failed" is final unless an operator replays: a replay puts the launch back to
// queued with an event saying so, and sends its message again.
import { Hono } from "hono";
import type { z } from "zod";
import { guardFor, targetOf, type LaunchStatus } from "@tokenforge/core/lifecycle";
import { chainRegistry, findChain, log } from "@tokenforge/core";
import type { AppEnv, Env } from "../env";
import { requireAdmin } from "../auth";
import { getLaunches } from "../launch-store";
import { problemResponse, ProblemError, zodProblem } from "../http";
import { PauseRequest, type ChainPauseView, type DeadLetterView, type Replayed } from "../schemas";
import { audit } from "../audit";
import { pauseChain, pausedChains, resumeChain, type ChainPause } from "../chain-pause";
import { forgetChains } from "./chains";
import { resealEnvelopes } from "../reseal";
import { refundLaunch, reserveLaunch } from "@tokenforge/core/credits/store";

export const adminRoute = new Hono<AppEnv>();
adminRoute.use("*", requireAdmin);

/** Runs the cron Worker's jobs now (wrangler dev does not fire cron triggers; operators may want a sweep). */
adminRoute.post("/cron", async (c) => {
  const res = await c.env.CRON.fetch("https://cron.internal/run", { method: "POST" });
  const body = await res.text();
  // The jobs wrote fees and chain settings: this isolate's GET /chains reads them now, not at its next bucket.
  forgetChains();
  return new Response(body, { status: res.status, headers: { "content-type": "application/json" } });
});

/** Copies D1 into R2 now (the cron Worker's backup job, whatever its interval); answers the copy's id and tables. */
adminRoute.post("/backups", async (c) => {
  // Audited as every admin call is (admin.request, by requireAdmin).
  const res = await c.env.CRON.fetch("https://cron.internal/backup", { method: "POST" });
  return new Response(res.body, { status: res.status, headers: { "content-type": "application/json" } });
});

/** Re-seals envelopes stored under an older master key version (after a rotation; docs/operations.md). */
adminRoute.post("/reseal", async (c) => {
  const limit = Math.min(Math.max(Number(c.req.query("limit") ?? "500") || 500, 1), 1000);
  return c.json(await resealEnvelopes(c.env, limit), 200);
});

/** Puts a launch's message on the queue again, whatever its state: the deployer must cope with redelivery. */
adminRoute.post("/launches/:id/enqueue", async (c) => {
  const id = c.req.param("id");
  const [row] = await getLaunches(c.env, [id]);
  if (!row) return problemResponse("not-found", "no launch with this id");
  const copies = Math.min(Math.max(Number(c.req.query("copies") ?? "1") || 1, 1), 10);
  await c.env.LAUNCHES.sendBatch(Array.from({ length: copies }, () => ({ body: { launchId: id, reason: "redrive" as const } })));
  return c.json({ id, enqueued: copies }, 202);
});

/** Every chain of the registry with its pause state (the Ops page lists the paused ones). */
adminRoute.get("/chains", async (c) => {
  const paused = await pausedChains(c.env);
  return c.json({ chains: chainRegistry(c.env).map((ch) => pauseView(ch.id, paused.get(ch.id) ?? null)) });
});

/** Pauses new launches on a chain (body: optional `{ "reason" }`); idempotent: a paused chain keeps its first pause time. */
adminRoute.post("/chains/:id/pause", async (c) => {
  const chain = knownChain(c.env, c.req.param("id"));
  const body = PauseRequest.safeParse(await optionalJson(c.req.raw));
  if (!body.success) throw zodProblem(body.error);
  const caller = c.get("caller");
  const by = caller?.userId ?? "admin-token";
  const { pause, changed } = await pauseChain(c.env, chain, by, body.data.reason ?? null, Date.now());
  forgetChains();
  await audit(c, "chain.paused", chain, { reason: pause.reason, changed });
  log("warn", "admin.chain_paused", { chain, by, reason: pause.reason, changed });
  return c.json(pauseView(chain, pause), 200);
});

/** Resumes a chain: its queued platform launches go back on the queue. */
adminRoute.post("/chains/:id/resume", async (c) => {
  const chain = knownChain(c.env, c.req.param("id"));
  const { changed, requeued } = await resumeChain(c.env, chain, Date.now());
  forgetChains();
  await audit(c, "chain.resumed", chain, { changed, requeued });
  log("warn", "admin.chain_resumed", { chain, changed, requeued });
  return c.json({ ...pauseView(chain, null), requeued }, 200);
});

function knownChain(env: Env, id: string): string {
  if (!findChain(chainRegistry(env), id)) throw new ProblemError("not-found", `no chain "${id}"; see GET /api/v1/chains`);
  return id;
}

/** The pause body is optional: none (or an empty one) means no reason; anything else must be a JSON object. */
async function optionalJson(req: Request): Promise<unknown> {
  const text = (await req.text()).trim();
  if (!text) return {};
  if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;.*)?$/i.test(req.headers.get("content-type") ?? "")) {
    throw new ProblemError("unsupported-media-type", "send the body as application/json");
  }
  if (text.length > 2048) throw new ProblemError("payload-too-large", "at most 2048 bytes");
  try {
    return JSON.parse(text);
  } catch {
    throw new ProblemError("malformed-json", "the body could not be parsed as JSON");
  }
}

function pauseView(chain: string, p: ChainPause | null): z.infer<typeof ChainPauseView> {
  return { chain, paused: !!p, pausedAt: p ? new Date(p.pausedAt).toISOString() : null, pausedBy: p?.pausedBy ?? null, reason: p?.reason ?? null };
}

type DeadLetter = { id: string; launch_id: string; queue: string; reason: string; attempts: number; created_at: number; replayed_at: number | null; chain: string; status: LaunchStatus };

/** Dead letters, newest first; `?all=1` includes replayed ones. */
adminRoute.get("/dead-letters", async (c) => {
  const all = c.req.query("all") === "1";
  const limit = Math.min(Math.max(Number(c.req.query("limit") ?? "100") || 100, 1), 500);
  const { results } = await c.env.DB.prepare(
    `SELECT d.*, l.chain, l.status FROM dead_letters d JOIN launches l ON l.id = d.launch_id
     ${all ? "" : "WHERE d.replayed_at IS NULL"} ORDER BY d.created_at DESC LIMIT ?`,
  ).bind(limit).all<DeadLetter>();
  return c.json({ deadLetters: results.map(view) });
});

adminRoute.post("/dead-letters/replay", async (c) => {
  const { results } = await c.env.DB.prepare("SELECT id FROM dead_letters WHERE replayed_at IS NULL ORDER BY created_at LIMIT 1000").all<{ id: string }>();
  const replayed = await replay(c.env, results.map((r) => r.id));
  return c.json({ replayed }, 202);
});

adminRoute.post("/dead-letters/:id/replay", async (c) => {
  const id = c.req.param("id");
  const row = await c.env.DB.prepare("SELECT id, replayed_at FROM dead_letters WHERE id = ?").bind(id).first<{ id: string; replayed_at: number | null }>();
  if (!row) return problemResponse("not-found", "no dead letter with this id");
  if (row.replayed_at) return problemResponse("conflict", "this dead letter was already replayed");
  const replayed = await replay(c.env, [id]);
  return c.json({ replayed }, 202);
});

/** Back to queued (event + cleared error + fresh attempts), dead letter marked, message sent. One D1 batch. */
async function replay(env: Env, deadLetterIds: string[]): Promise<z.infer<typeof Replayed>["replayed"]> {
  if (!deadLetterIds.length) return [];
  const now = Date.now();
  const ids = JSON.stringify(deadLetterIds);
  const claimed = await env.DB.prepare(
    `UPDATE dead_letters SET replayed_at = ? WHERE id IN (SELECT value FROM json_each(?)) AND replayed_at IS NULL RETURNING id, launch_id`,
  ).bind(now, ids).all<{ id: string; launch_id: string }>();
  // A platform-paid launch's first reservation was refunded when it failed: sending it again needs a new one.
  const refused = await reserveForReplays(env, claimed.results.map((r) => r.launch_id), now);
  if (refused.size) {
    await env.DB.prepare("UPDATE dead_letters SET replayed_at = NULL WHERE launch_id IN (SELECT value FROM json_each(?)) AND replayed_at = ?")
      .bind(JSON.stringify([...refused.keys()]), now).run();
    claimed.results = claimed.results.filter((r) => !refused.has(r.launch_id));
    if (deadLetterIds.length === 1) throw [...refused.values()][0]!;
  }
  const launchIds = JSON.stringify(claimed.results.map((r) => r.launch_id));
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO launch_events (launch_id, status, detail, at)
       SELECT id, ?, 'replayed by an operator from the dead-letter queue', ? FROM launches WHERE id IN (SELECT value FROM json_each(?)) AND ${guardFor("replay")}`,
    ).bind(targetOf("replay"), now, launchIds),
    env.DB.prepare(
      `UPDATE launches SET status = ?, attempts = 0, error_type = NULL, error_detail = NULL, updated_at = ?
       WHERE id IN (SELECT value FROM json_each(?)) AND ${guardFor("replay")}`,
    ).bind(targetOf("replay"), now, launchIds),
  ]);
  for (let i = 0; i < claimed.results.length; i += 100) {
    await env.LAUNCHES.sendBatch(claimed.results.slice(i, i + 100).map((r) => ({ body: { launchId: r.launch_id, reason: "replay" as const } })));
  }
  return claimed.results.map((r) => ({ id: r.id, launchId: r.launch_id }));
}

/**
 * Reserves again, for each failed platform-paid launch about to be replayed, what
 * its last reservation held (the user's credits pay for the new try). Returns the
 * launches refused (402), with the problem saying why; those stay failed.
 */
async function reserveForReplays(env: Env, launchIds: string[], now: number): Promise<Map<string, ProblemError>> {
  const refused = new Map<string, ProblemError>();
  if (!launchIds.length) return refused;
  const { results } = await env.DB.prepare(
    `SELECT l.id, l.creator_id, l.chain, l.status, (SELECT e.amount FROM credit_entries e WHERE e.launch_id = l.id AND e.kind = 'reserve' ORDER BY e.reservation DESC LIMIT 1) AS amount
     FROM launches l WHERE l.id IN (SELECT value FROM json_each(?)) AND l.payment_mode = 'platform'`,
  ).bind(JSON.stringify(launchIds)).all<{ id: string; creator_id: string; chain: string; status: string; amount: string | null }>();
  for (const l of results) {
    // Launches from before credits have no reservation to renew; only failed ones are replayed.
    if (l.amount === null || l.status !== "failed") continue;
    // Its refund may still be on its way from the deployer or the cron: close the open one first (idempotent).
    await refundLaunch(env, { userId: l.creator_id, launchId: l.id, reason: "launch failed" }, now);
    const r = await reserveLaunch(env, { userId: l.creator_id, chain: l.chain, launchId: l.id, amount: BigInt(l.amount), keyId: null, caps: { perKeyPerDay: null, perUserPerDay: null } }, now);
    if (!r.ok) {
      const f = r.refusal;
      refused.set(l.id, f.refused === "insufficient-credits"
        ? new ProblemError("insufficient-credits", `replaying ${l.id} needs ${f.required} on ${l.chain}; its creator has ${f.balance}`, { chain: l.chain, balance: f.balance, required: f.required })
        : new ProblemError("conflict", `replaying ${l.id} was refused by the ledger (${f.refused})`));
    }
  }
  return refused;
}

/** A dead letter as GET /admin/dead-letters documents it (schemas.ts DeadLetterView). */
function view(d: DeadLetter): z.infer<typeof DeadLetterView> {
  return {
    id: d.id, launchId: d.launch_id, chain: d.chain, launchStatus: d.status, queue: d.queue, reason: d.reason, attempts: d.attempts,
    createdAt: new Date(d.created_at).toISOString(), replayedAt: d.replayed_at ? new Date(d.replayed_at).toISOString() : null,
    links: { launch: `/api/v1/launches/${d.launch_id}`, replay: `/api/v1/admin/dead-letters/${d.id}/replay` },
  };
}
