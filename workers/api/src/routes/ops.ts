// Operators' monitoring (admin role or the local admin token):
//   GET /api/v1/metrics          — Prometheus text exposition (scraped by Prometheus/Grafana)
//   GET /api/v1/ops/charts?window=hour|day — the Ops page's chart series
//   GET /api/v1/ops/alerts       — open alerts and the paging history
// All read D1, written once a minute by the cron (metric_samples, alerts, alert_events).
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { requireAdmin } from "../auth";
import { ProblemError } from "../http";
import { CHART_WINDOWS, chartRows, chartSeries, prometheusText, type ChartWindow } from "../ops-charts";
import type { OpsAlerts } from "../ops-schemas";
import { drizzle } from "drizzle-orm/d1";
import { desc, ne } from "drizzle-orm";
import { alertEvents, alerts } from "@tokenforge/core/db/schema";
import type { ALERT_STATUSES } from "@tokenforge/core";

export const opsRoute = new Hono<AppEnv>();

opsRoute.get("/metrics", requireAdmin, async (c) =>
  new Response(await prometheusText(c.env.DB), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" } }),
);

opsRoute.get("/ops/charts", requireAdmin, async (c) => {
  const window = c.req.query("window") ?? "hour";
  if (!(window in CHART_WINDOWS)) throw new ProblemError("validation-error", `window must be one of: ${Object.keys(CHART_WINDOWS).join(", ")}`);
  const now = Date.now();
  return c.json(chartSeries(await chartRows(c.env.DB, window as ChartWindow, now), window as ChartWindow, now));
});

opsRoute.get("/ops/alerts", requireAdmin, async (c) => {
  const db = drizzle(c.env.DB);
  const [open, history] = await db.batch([
    db.select({ key: alerts.key, kind: alerts.kind, status: alerts.status, since: alerts.since, summary: alerts.summary })
      .from(alerts).where(ne(alerts.status, "ok")).orderBy(desc(alerts.since)),
    db.select({ id: alertEvents.id, key: alertEvents.alertKey, kind: alertEvents.kind, action: alertEvents.action, summary: alertEvents.summary, at: alertEvents.at, delivered: alertEvents.delivered, lastError: alertEvents.lastError })
      .from(alertEvents).orderBy(desc(alertEvents.id)).limit(100),
  ]);
  const answer: OpsAlerts = { open: open.map((a) => ({ ...a, status: openStatus(a.status) })), history };
  return c.json(answer);
});

/** The query keeps only alerts not ok; this tells the type so. */
function openStatus(status: (typeof ALERT_STATUSES)[number]): Exclude<(typeof ALERT_STATUSES)[number], "ok"> {
  if (status === "ok") throw new Error("an ok alert among the open ones");
  return status;
}
