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
  const [open, history] = await c.env.DB.batch<Record<string, unknown>>([
    c.env.DB.prepare("SELECT key, kind, status, since, summary FROM alerts WHERE status <> 'ok' ORDER BY since DESC"),
    c.env.DB.prepare("SELECT id, alert_key AS key, kind, action, summary, at, delivered, last_error AS lastError FROM alert_events ORDER BY id DESC LIMIT 100"),
  ]);
  return c.json({
    open: open!.results,
    history: history!.results.map((h) => ({ ...h, delivered: JSON.parse(String(h.delivered)) as Record<string, number> })),
  });
});
