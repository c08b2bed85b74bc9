// Metrics: per-minute samples in D1 (metric_samples), written once a minute by
// the cron's jobs/metrics.ts, read by the api's GET /api/v1/metrics (Prometheus
// text) and the Ops page's charts. Pure helpers only: the catalog, label keys,
// the text format and quantiles from histogram buckets.
//
// Two kinds of series:
//   "delta"  — what happened in that minute (recomputed from D1's append-only
//              rows, so writing it again is harmless); the Prometheus counter is
//              the sum over all minutes, which can only grow;
//   "latest" — a reading at that minute (backlog, funds, the ChainGate's lifetime
//              RPC counters, kept in its Durable Object's storage); Prometheus
//              gets the newest reading.

export type MetricKind = "delta" | "latest";
export type MetricDef = { help: string; type: "counter" | "gauge" | "histogram"; kind: MetricKind };

export const METRICS = {
  tf_launches_total: { help: "Launch status changes per chain: accepted, confirmed, failed, expired.", type: "counter", kind: "delta" },
  tf_confirm_seconds: { help: "Time from acceptance to confirmation.", type: "histogram", kind: "delta" },
  tf_webhook_deliveries_total: { help: "Webhook delivery attempts by result.", type: "counter", kind: "delta" },
  tf_rpc_calls_total: { help: "RPC calls per endpoint, as the chain's ChainGate counted them.", type: "counter", kind: "latest" },
  tf_rpc_errors_total: { help: "RPC calls per endpoint that failed on the endpoint's account.", type: "counter", kind: "latest" },
  tf_rpc_errors_by_class_total: { help: "RPC errors per endpoint by class: timeout, network, http_5xx, http_429, http_4xx, bad_response (the endpoint's) and rpc_error (a JSON-RPC error the request earned: revert, nonce).", type: "counter", kind: "latest" },
  tf_breaker_open: { help: "1 while an endpoint's circuit breaker is open.", type: "gauge", kind: "latest" },
  tf_queue_backlog: { help: "Platform launches queued, not yet sent.", type: "gauge", kind: "latest" },
  tf_queue_oldest_seconds: { help: "Age of the oldest queued launch.", type: "gauge", kind: "latest" },
  tf_dead_letters_open: { help: "Dead letters not replayed.", type: "gauge", kind: "latest" },
  tf_deployer_funds_launches: { help: "How many launches the deployer's balance pays for at the current fee estimate.", type: "gauge", kind: "latest" },
  tf_signer_inflight: { help: "Transactions signed and not yet settled per chain: the EVM Signer's in-flight set, Solana's submitted launches.", type: "gauge", kind: "latest" },
  tf_announce_deliveries_total: { help: "Launch announcements that ended, per destination platform and outcome (sent, failed).", type: "counter", kind: "delta" },
  tf_credits_reserved_total: { help: "Credits reserved for platform launches per chain: gwei on EVM chains, lamports on Solana.", type: "counter", kind: "delta" },
  tf_credits_captured_total: { help: "Credits captured (launch confirmed) per chain: gwei on EVM chains, lamports on Solana.", type: "counter", kind: "delta" },
  tf_credits_refunded_total: { help: "Credits refunded (launch failed, expired or never written) per chain: gwei on EVM chains, lamports on Solana.", type: "counter", kind: "delta" },
  tf_alerts_open: { help: "Alerts firing now, per kind.", type: "gauge", kind: "latest" },
} as const satisfies Record<string, MetricDef>;
export type MetricName = keyof typeof METRICS;

/** Stored names summed over minutes: the delta metrics and the histogram's `_sum`. */
export const DELTA_NAMES: string[] = [...(Object.keys(METRICS) as MetricName[]).filter((n) => METRICS[n].kind === "delta"), "tf_confirm_seconds_sum"];
export const LATEST_METRICS = (Object.keys(METRICS) as MetricName[]).filter((n) => METRICS[n].kind === "latest");

/** Confirm-latency bucket bounds, seconds (a launch confirms within seconds locally, a minute or so on a busy L1). */
export const CONFIRM_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600] as const;

export type Labels = Record<string, string>;
export type Sample = { name: MetricName | "tf_confirm_seconds_sum"; labels: Labels; value: number };

export const minuteOf = (ms: number) => Math.floor(ms / 60_000);

const escape = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

/** Labels as the text format writes them, sorted by name: also the stored key of a series. */
export function labelKey(labels: Labels): string {
  return Object.keys(labels).sort().map((k) => `${k}="${escape(labels[k]!)}"`).join(",");
}

/** The histogram bucket a latency falls in ("+Inf" above the last bound). */
export function bucketOf(seconds: number): string {
  const b = CONFIRM_BUCKETS.find((le) => seconds <= le);
  return b === undefined ? "+Inf" : String(b);
}

const leNumber = (le: string) => (le === "+Inf" ? Infinity : Number(le));
const num = (v: number) => (Number.isFinite(v) ? String(v) : v > 0 ? "+Inf" : "-Inf");

export type StoredSeries = { name: string; labels: string; value: number };

/**
 * The Prometheus text exposition (version 0.0.4) of the stored series. The
 * histogram is stored as per-bucket counts with an `le` label; here they become
 * the cumulative `_bucket` series with `_count` (and `_sum` from its own series).
 */
export function renderPrometheus(series: StoredSeries[]): string {
  const out: string[] = [];
  for (const name of Object.keys(METRICS) as MetricName[]) {
    const def: MetricDef = METRICS[name];
    const mine = series.filter((s) => s.name === name || s.name === `${name}_sum`);
    out.push(`# HELP ${name} ${def.help}`, `# TYPE ${name} ${def.type}`);
    if (def.type === "histogram") out.push(...histogramLines(name, mine));
    else for (const s of mine) out.push(`${name}${s.labels ? `{${s.labels}}` : ""} ${num(s.value)}`);
  }
  return out.join("\n") + "\n";
}

// One histogram over every chain, without labels: per-chain latency stays in D1
// for the charts, and label-less histograms are what every text-format parser
// reads (parse-prometheus-text-format 1.1.1 flattens a labelled one to its buckets).
function histogramLines(name: string, series: StoredSeries[]): string[] {
  const byLe = new Map<string, number>();
  let sum = 0;
  for (const s of series) {
    if (s.name.endsWith("_sum")) sum += s.value;
    else {
      const le = /(?:^|,)le="([^"]+)"/.exec(s.labels)?.[1];
      if (le) byLe.set(le, (byLe.get(le) ?? 0) + s.value);
    }
  }
  const lines: string[] = [];
  let running = 0;
  for (const le of [...CONFIRM_BUCKETS.map(String), "+Inf"]) {
    running += byLe.get(le) ?? 0;
    lines.push(`${name}_bucket{le="${le}"} ${running}`);
  }
  lines.push(`${name}_sum ${sum}`, `${name}_count ${running}`);
  return lines;
}

/**
 * The q-quantile (0..1) of a histogram given per-bucket counts, interpolated
 * linearly inside the bucket like Prometheus' histogram_quantile; null when empty.
 */
export function quantileFromBuckets(counts: Map<string, number>, q: number): number | null {
  // Every bound, present or not: an empty bucket below still sets where the next one starts.
  const bounds = [...new Set([...CONFIRM_BUCKETS.map(String), "+Inf", ...counts.keys()])].sort((a, b) => leNumber(a) - leNumber(b));
  const total = bounds.reduce((a, le) => a + (counts.get(le) ?? 0), 0);
  if (!total) return null;
  const rank = q * total;
  let seen = 0;
  let lower = 0;
  for (const le of bounds) {
    const c = counts.get(le) ?? 0;
    const upper = leNumber(le);
    if (seen + c >= rank && c > 0) {
      // Above the last finite bound there is nothing to interpolate to: answer that bound.
      if (!Number.isFinite(upper)) return lower;
      return lower + (upper - lower) * ((rank - seen) / c);
    }
    seen += c;
    if (Number.isFinite(upper)) lower = upper;
  }
  return lower;
}
