// The Ops page's charts and the Prometheus scrape, both read from D1
// `metric_samples` (written once a minute by the cron's jobs/metrics.ts). Pure
// shaping (chartSeries) apart from the queries, so it is tested without D1.
import type { ChartSeries } from "./ops-schemas";
import { DELTA_NAMES, LATEST_METRICS, minuteOf, quantileFromBuckets, renderPrometheus, type StoredSeries } from "@tokenforge/core";

export const CHART_WINDOWS = { hour: { minutes: 60, step: 1 }, day: { minutes: 24 * 60, step: 10 } } as const;
export type ChartWindow = keyof typeof CHART_WINDOWS;

type Bucketed = { name: string; labels: string; t: number; total: number; peak: number };

/** Counters summed over every minute, readings from their newest minute: the text exposition. */
export async function prometheusText(db: D1Database): Promise<string> {
  const deltas = DELTA_NAMES.map(() => "?").join(",");
  const latest = LATEST_METRICS.map(() => "?").join(",");
  const [summed, newest] = await db.batch<StoredSeries>([
    db.prepare(`SELECT name, labels, SUM(value) AS value FROM metric_samples WHERE name IN (${deltas}) GROUP BY name, labels ORDER BY name, labels`).bind(...DELTA_NAMES),
    db.prepare(`SELECT s.name, s.labels, s.value FROM metric_samples s
                JOIN (SELECT name, labels, MAX(minute) AS minute FROM metric_samples WHERE name IN (${latest}) GROUP BY name, labels) m
                  ON m.name = s.name AND m.labels = s.labels AND m.minute = s.minute ORDER BY s.name, s.labels`).bind(...LATEST_METRICS),
  ]);
  return renderPrometheus([...summed!.results, ...newest!.results]);
}

/** The window's samples grouped into steps of its width. */
export async function chartRows(db: D1Database, window: ChartWindow, now: number): Promise<Bucketed[]> {
  const { minutes, step } = CHART_WINDOWS[window];
  const from = Math.floor((minuteOf(now) - minutes + 1) / step) * step;
  const rows = await db
    .prepare(`SELECT name, labels, (minute / ?1) * ?1 AS t, SUM(value) AS total, MAX(value) AS peak FROM metric_samples
              WHERE minute >= ?2 AND name IN ('tf_launches_total', 'tf_confirm_seconds', 'tf_rpc_calls_total', 'tf_rpc_errors_total', 'tf_queue_backlog')
              GROUP BY 1, 2, 3`)
    .bind(step, from)
    .all<Bucketed>();
  return rows.results;
}

const label = (labels: string, name: string) => new RegExp(`(?:^|,)${name}="([^"]*)"`).exec(labels)?.[1] ?? "";

/** Pure: bucketed rows → aligned series (every step of the window has a point, zero or null when nothing was recorded). */
export function chartSeries(rows: Bucketed[], window: ChartWindow, now: number): ChartSeries {
  const { minutes, step } = CHART_WINDOWS[window];
  const last = Math.floor(minuteOf(now) / step) * step;
  const steps = Array.from({ length: Math.ceil(minutes / step) }, (_, i) => last - (Math.ceil(minutes / step) - 1 - i) * step);
  const at = new Map(steps.map((m, i) => [m, i]));
  const zeros = () => steps.map(() => 0);
  const launches = { accepted: zeros(), confirmed: zeros(), failed: zeros(), expired: zeros() };
  const hist = steps.map(() => new Map<string, number>());
  const cum = new Map<string, { calls: number[]; errors: number[] }>();
  const backlog: Record<string, number[]> = {};
  for (const r of rows) {
    const i = at.get(r.t);
    if (i === undefined) continue;
    if (r.name === "tf_launches_total") {
      const o = label(r.labels, "outcome") as keyof typeof launches;
      if (launches[o]) launches[o][i]! += r.total / step;
    } else if (r.name === "tf_confirm_seconds") {
      const le = label(r.labels, "le");
      hist[i]!.set(le, (hist[i]!.get(le) ?? 0) + r.total);
    } else if (r.name === "tf_queue_backlog") {
      const chain = label(r.labels, "chain");
      (backlog[chain] ??= zeros())[i] = Math.max(backlog[chain]![i]!, r.peak);
    } else {
      const key = `${label(r.labels, "chain")} #${label(r.labels, "endpoint")}`;
      const c = cum.get(key) ?? { calls: steps.map(() => NaN), errors: steps.map(() => NaN) };
      (r.name === "tf_rpc_calls_total" ? c.calls : c.errors)[i] = r.peak;
      cum.set(key, c);
    }
  }
  const q = (p: number) => hist.map((h) => quantileFromBuckets(h, p));
  return {
    window, stepSeconds: step * 60, t: steps.map((m) => m * 60), launches,
    latency: { p50: q(0.5), p95: q(0.95), p99: q(0.99) },
    errorRate: Object.fromEntries([...cum].map(([k, c]) => [k, rates(c.calls, c.errors)])),
    backlog,
  };
}

/** Per step: new errors / new calls from lifetime counters (a counter reset, e.g. a registry edit, counts from zero). */
function rates(calls: number[], errors: number[]): (number | null)[] {
  let prev: { c: number; e: number } | null = null;
  return calls.map((c, i) => {
    const e = errors[i]!;
    if (Number.isNaN(c) || Number.isNaN(e)) return null;
    const base = prev && c >= prev.c && e >= prev.e ? prev : { c: 0, e: 0 };
    const first = prev === null;
    prev = { c, e };
    const dc = c - base.c;
    if (first || dc <= 0) return null;
    return Math.min(1, (e - base.e) / dc);
  });
}
