// Operator routes (admin role, or the local admin token): run the cron jobs now,
// re-drive a launch's message, and the dead letters — list, replay one, replay all.
// "failed" is final unless an operator replays: a replay puts the launch back to
// queued with an event saying so, and sends its message again.
import { Hono } from "hono";
import type { z } from "zod";
import { guardFor, targetOf, type LaunchStatus } from "@tokenforge/core/lifecycle";
import type { AppEnv, Env } from "../env";
import { requireAdmin } from "../auth";
import { getLaunches } from "../launch-store";
import { problemResponse } from "../http";
import type { DeadLetterView, Replayed } from "../schemas";

export const adminRoute = new Hono<AppEnv>();
adminRoute.use("*", requireAdmin);

/** Runs the cron Worker's jobs now (wrangler dev does not fire cron triggers; operators may want a sweep). */
adminRoute.post("/cron", async (c) => {
  const res = await c.env.CRON.fetch("https://cron.internal/run", { method: "POST" });
  return new Response(res.body, { status: res.status, headers: { "content-type": "application/json" } });
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

/** A dead letter as GET /admin/dead-letters documents it (schemas.ts DeadLetterView). */
function view(d: DeadLetter): z.infer<typeof DeadLetterView> {
  return {
    id: d.id, launchId: d.launch_id, chain: d.chain, launchStatus: d.status, queue: d.queue, reason: d.reason, attempts: d.attempts,
    createdAt: new Date(d.created_at).toISOString(), replayedAt: d.replayed_at ? new Date(d.replayed_at).toISOString() : null,
    links: { launch: `/api/v1/launches/${d.launch_id}`, replay: `/api/v1/admin/dead-letters/${d.id}/replay` },
  };
}
