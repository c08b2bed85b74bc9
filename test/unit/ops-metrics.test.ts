// Metrics helpers (core's metrics.ts) and the Ops page's series (api ops-charts.ts):
// the text exposition parses with a published parser, histograms are cumulative,
// quantiles interpolate like histogram_quantile, chart points align to the window.
import { expect, it } from "vitest";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { bucketOf, labelKey, quantileFromBuckets, renderPrometheus } from "../../packages/core/src/metrics";
import { chartSeries } from "../../workers/api/src/ops-charts";

it("renders series the Prometheus text parser reads back, the latency histogram cumulative with count and sum", () => {
  const text = renderPrometheus([
    { name: "tf_launches_total", labels: labelKey({ outcome: "accepted", chain: "local-eth" }), value: 7 },
    { name: "tf_confirm_seconds", labels: labelKey({ chain: "local-eth", le: "2" }), value: 3 },
    { name: "tf_confirm_seconds", labels: labelKey({ chain: "local-eth", le: "+Inf" }), value: 1 },
    { name: "tf_confirm_seconds_sum", labels: labelKey({ chain: "local-eth" }), value: 9.5 },
    { name: "tf_queue_backlog", labels: labelKey({ chain: 'we"ird\\' }), value: 2 },
  ]);
  const families = parsePrometheusTextFormat(text) as { name: string; type: string; metrics: any[] }[];
  const by = (n: string) => families.find((f) => f.name === n)!;
  expect(by("tf_launches_total")).toMatchObject({ type: "COUNTER", metrics: [{ labels: { chain: "local-eth", outcome: "accepted" }, value: "7" }] });
  const h = by("tf_confirm_seconds");
  expect(h.type).toBe("HISTOGRAM");
  expect(h.metrics).toHaveLength(1); // one histogram over every chain
  expect(h.metrics[0]).toMatchObject({ count: "4", sum: "9.5" });
  expect(h.metrics[0].buckets).toMatchObject({ "1": "0", "2": "3", "5": "3", "600": "3", "+Inf": "4" });
  expect(by("tf_queue_backlog").metrics[0].labels.chain).toBe('we"ird\\');
});

it("puts a latency in its bucket and reads quantiles from bucket counts", () => {
  expect([bucketOf(0.3), bucketOf(2), bucketOf(2.1), bucketOf(9999)]).toEqual(["1", "2", "5", "+Inf"]);
  const counts = new Map([["1", 50], ["2", 40], ["5", 10]]);
  expect(quantileFromBuckets(counts, 0.5)).toBeCloseTo(1);
  expect(quantileFromBuckets(counts, 0.7)).toBeCloseTo(1.5);
  expect(quantileFromBuckets(counts, 0.99)).toBeCloseTo(4.7);
  expect(quantileFromBuckets(new Map([["+Inf", 3], ["600", 0]]), 0.5)).toBe(600);
  expect(quantileFromBuckets(new Map(), 0.5)).toBeNull();
});

it("aligns chart points to the window: launches per minute, latency percentiles, error rate from lifetime counters, backlog peaks", () => {
  const now = 1_000 * 60_000 + 5_000; // minute 1000
  const rows = [
    { name: "tf_launches_total", labels: 'chain="a",outcome="accepted"', t: 999, total: 30, peak: 30 },
    { name: "tf_launches_total", labels: 'chain="b",outcome="accepted"', t: 999, total: 10, peak: 10 },
    { name: "tf_confirm_seconds", labels: 'chain="a",le="2"', t: 1000, total: 4, peak: 4 },
    { name: "tf_rpc_calls_total", labels: 'chain="a",endpoint="0",provider="p"', t: 998, total: 100, peak: 100 },
    { name: "tf_rpc_errors_total", labels: 'chain="a",endpoint="0",provider="p"', t: 998, total: 10, peak: 10 },
    { name: "tf_rpc_calls_total", labels: 'chain="a",endpoint="0",provider="p"', t: 999, total: 120, peak: 120 },
    { name: "tf_rpc_errors_total", labels: 'chain="a",endpoint="0",provider="p"', t: 999, total: 20, peak: 20 },
    { name: "tf_queue_backlog", labels: 'chain="a"', t: 1000, total: 5, peak: 5 },
    { name: "tf_launches_total", labels: 'chain="a",outcome="accepted"', t: 900, total: 99, peak: 99 }, // outside the hour
  ];
  const s = chartSeries(rows, "hour", now);
  expect(s.t).toHaveLength(60);
  expect(s.t.at(-1)).toBe(1000 * 60);
  expect(s.launches.accepted.at(-2)).toBe(40);
  expect(s.launches.accepted.reduce((a, b) => a + b, 0)).toBe(40);
  expect(s.latency.p50.at(-1)).toBeCloseTo(1.5);
  expect(s.latency.p50.at(-2)).toBeNull();
  expect(s.errorRate["a #0"]!.at(-2)).toBeCloseTo(0.5); // 10 new errors of 20 new calls
  expect(s.errorRate["a #0"]!.at(-3)).toBeNull(); // no earlier reading to difference against
  expect(s.backlog.a!.at(-1)).toBe(5);
  const day = chartSeries(rows, "day", now);
  expect(day.t).toHaveLength(144);
  expect(day.stepSeconds).toBe(600);
});
