// Operator routes (admin token): run the cron jobs now, re-drive a launch's message.
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { requireAdmin } from "../auth";
import { getLaunches } from "../launch-store";
import { problemResponse } from "../http";

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
