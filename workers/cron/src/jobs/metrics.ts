// Once a minute: the platform's readings (core's metrics.ts catalog) written as
// per-minute samples into D1 `metric_samples`, and handed to the alerts job.
// Why D1 and not Analytics Engine: AE has no local equivalent (wrangler dev
// drops writes) and is read through an account-token SQL API, so the local
// platform, the tests and production would read metrics by different code. One
// writer a minute keeps D1 writes flat whatever the launch rate (~40 rows/min
// here), and every delta is recomputed from D1's append-only rows (launches,
// launch_events, webhook_deliveries, credit_entries; announce_posts once final),
// so a late or repeated run is harmless. Readings kept elsewhere survive a
// restart where they are kept: the ChainGate's counters in its storage, the
// Signer's in-flight set in its own.
import {
  bucketOf, chainRegistry, DELTA_NAMES, feesKey, labelKey, log, minuteOf, SOLANA_LAUNCH_LAMPORTS_ESTIMATE,
  LaunchStatus, type ChainConfig, type Sample,
} from "@tokenforge/core";
import { ChainFees } from "@tokenforge/core/fees";
import { FINAL, INITIAL, statusIn } from "@tokenforge/core/lifecycle";
import { chainGateFor, type GateSnapshot } from "@tokenforge/gate/types";
import type { ErrorClass } from "@tokenforge/gate/breaker";
import { signerName } from "@tokenforge/core/signer-rpc";
import { gatedRpc } from "@tokenforge/gate/gated-fetch";
import type { Env } from "../env";

/** Deltas are recomputed for this many minutes back (covers a skipped run or two). */
const RECOMPUTE_MINUTES = 10;
/** Delta rows older than this are folded into minute 0 (the counter stays, the detail goes). */
const KEEP_MINUTES = 2 * 24 * 60;

export type Readings = {
  now: number;
  backlog: { chain: string; count: number; oldestMs: number | null }[];
  deadLetters: number;
  gates: GateSnapshot[];
  /** Launches the deployer's balance pays for, per chain (null: unknown, e.g. no fee estimate yet). */
  funds: { chain: string; launches: number | null }[];
  /** Transactions signed and not settled per chain (null: unread this minute). */
  signers: { chain: string; inflight: number | null }[];
};

/** The gate's error classes as the metric's `class` label (Prometheus label values in snake case). */
export const ERROR_CLASS_LABEL: Record<ErrorClass, string> = {
  timeout: "timeout", connection: "network", http5xx: "http_5xx", http429: "http_429", http4xx: "http_4xx", "bad-response": "bad_response", "rpc-error": "rpc_error",
};

export async function recordMetrics(env: Env, now = Date.now()): Promise<Readings> {
  const chains = chainRegistry(env);
  const [deltas, backlog, deadLetters, gates, funds, signers] = await Promise.all([
    deltaSamples(env.DB, now, chains.filter((c) => c.family === "evm").map((c) => c.id)),
    readBacklog(env.DB, chains, now),
    env.DB.prepare("SELECT COUNT(*) AS n FROM dead_letters WHERE replayed_at IS NULL").first<{ n: number }>().then((r) => r?.n ?? 0),
    Promise.all(chains.map((c) => chainGateFor(env, c.id).snapshot(c.id).then((s): GateSnapshot => s, () => null))).then((g) => g.filter((x) => x !== null)),
    Promise.all(chains.map((c) => fundsOf(env, c))),
    Promise.all(chains.map((c) => inflightOf(env, c))),
  ]);
  const readings: Readings = { now, backlog, deadLetters, gates, funds, signers };
  await writeSamples(env.DB, now, [...deltas], latestSamples(readings));
  return readings;
}

/** What happened per minute over the last RECOMPUTE_MINUTES, from D1's own rows. */
async function deltaSamples(db: D1Database, now: number, evmChains: string[]): Promise<{ minute: number; sample: Sample }[]> {
  const from = (minuteOf(now) - RECOMPUTE_MINUTES + 1) * 60_000;
  const finals = FINAL.map(() => "?").join(",");
  const [accepted, moved, confirms, hooks, posts, credits] = await db.batch<Record<string, number | string>>([
    db.prepare("SELECT chain, created_at / 60000 AS minute, COUNT(*) AS n FROM launches WHERE created_at >= ? GROUP BY 1, 2").bind(from),
    db.prepare(`SELECT l.chain, e.status, e.at / 60000 AS minute, COUNT(*) AS n FROM launch_events e JOIN launches l ON l.id = e.launch_id
                WHERE e.at >= ? AND e.status IN (${finals}) GROUP BY 1, 2, 3`).bind(from, ...FINAL),
    db.prepare(`SELECT l.chain, e.at / 60000 AS minute, e.at - l.created_at AS ms FROM launch_events e JOIN launches l ON l.id = e.launch_id
                WHERE e.at >= ? AND e.status = ?`).bind(from, LaunchStatus.enum.confirmed),
    db.prepare(`SELECT created_at / 60000 AS minute, CASE WHEN status_code BETWEEN 200 AND 299 THEN 'ok' ELSE 'error' END AS result, COUNT(*) AS n
                FROM webhook_deliveries WHERE created_at >= ? GROUP BY 1, 2`).bind(from),
    // Announcements: a post's row ends "sent" or "failed" and is never written again, so its minute is final.
    db.prepare(`SELECT p.updated_at / 60000 AS minute, d.platform, p.status, COUNT(*) AS n FROM announce_posts p JOIN announce_destinations d ON d.id = p.destination_id
                WHERE p.updated_at >= ? AND p.status IN (?, ?) GROUP BY 1, 2, 3`).bind(from, "sent", "failed"),
    // Credits: the ledgers' append-only entries (D1's copy). Amounts are decimal strings in the smallest unit;
    // summed as integers so a counter is exact (float sums could differ by an ulp between runs and look like a
    // reset): EVM in gwei (wei would overflow 64 bits; whole gwei, truncated per entry), Solana in lamports.
    db.prepare(`SELECT at / 60000 AS minute, chain, kind,
                  SUM(CASE WHEN chain IN (SELECT value FROM json_each(?2)) THEN CAST(CASE WHEN length(amount) > 9 THEN substr(amount, 1, length(amount) - 9) ELSE '0' END AS INTEGER)
                      ELSE CAST(amount AS INTEGER) END) AS amount
                FROM credit_entries WHERE at >= ?1 AND kind IN ('reserve', 'capture', 'refund') GROUP BY 1, 2, 3`).bind(from, JSON.stringify(evmChains)),
  ]);
  const out: { minute: number; sample: Sample }[] = [];
  const add = (minute: number, sample: Sample) => out.push({ minute, sample });
  for (const r of accepted!.results) add(Number(r.minute), { name: "tf_launches_total", labels: { chain: String(r.chain), outcome: "accepted" }, value: Number(r.n) });
  for (const r of moved!.results) add(Number(r.minute), { name: "tf_launches_total", labels: { chain: String(r.chain), outcome: String(r.status) }, value: Number(r.n) });
  for (const r of posts!.results) add(Number(r.minute), { name: "tf_announce_deliveries_total", labels: { destination: String(r.platform), outcome: String(r.status) }, value: Number(r.n) });
  const creditName = { reserve: "tf_credits_reserved_total", capture: "tf_credits_captured_total", refund: "tf_credits_refunded_total" } as const;
  for (const r of credits!.results) add(Number(r.minute), { name: creditName[r.kind as keyof typeof creditName], labels: { chain: String(r.chain) }, value: Number(r.amount) });
  for (const r of hooks!.results) add(Number(r.minute), { name: "tf_webhook_deliveries_total", labels: { result: String(r.result) }, value: Number(r.n) });
  // The latency histogram: per-minute counts per bucket (non-cumulative; the text format sums them).
  const hist = new Map<string, { minute: number; chain: string; le: string; n: number }>();
  const sums = new Map<string, { minute: number; chain: string; s: number }>();
  for (const r of confirms!.results) {
    const [minute, chain, seconds] = [Number(r.minute), String(r.chain), Number(r.ms) / 1000];
    const le = bucketOf(seconds);
    const k = `${minute}|${chain}|${le}`;
    hist.set(k, { minute, chain, le, n: (hist.get(k)?.n ?? 0) + 1 });
    const sk = `${minute}|${chain}`;
    sums.set(sk, { minute, chain, s: (sums.get(sk)?.s ?? 0) + seconds });
  }
  for (const h of hist.values()) add(h.minute, { name: "tf_confirm_seconds", labels: { chain: h.chain, le: h.le }, value: h.n });
  for (const s of sums.values()) add(s.minute, { name: "tf_confirm_seconds_sum", labels: { chain: s.chain }, value: s.s });
  return out;
}

async function readBacklog(db: D1Database, chains: ChainConfig[], now: number): Promise<Readings["backlog"]> {
  const rows = await db
    .prepare(`SELECT chain, COUNT(*) AS n, MIN(updated_at) AS oldest FROM launches WHERE ${statusIn([INITIAL])} GROUP BY chain`)
    .all<{ chain: string; n: number; oldest: number }>();
  const byChain = new Map(rows.results.map((r) => [r.chain, r]));
  return chains.map((c) => {
    const r = byChain.get(c.id);
    return { chain: c.id, count: r?.n ?? 0, oldestMs: r ? now - r.oldest : null };
  });
}

/** The deployer's balance over one launch's cost (the fees job's estimate in KV). */
async function fundsOf(env: Env, chain: ChainConfig): Promise<Readings["funds"][number]> {
  const account = chain.family === "evm" ? env.EVM_DEPLOYER_ADDRESS : env.SOLANA_FEE_PAYER;
  if (!account) return { chain: chain.id, launches: null };
  try {
    const method = chain.family === "evm" ? "eth_getBalance" : "getBalance";
    const params = chain.family === "evm" ? [account, "latest"] : [account, { commitment: "confirmed" }];
    const [answer] = await gatedRpc<string | { value: number }>(env, chain, [{ method, params }], "metrics");
    if (!answer || "error" in answer) throw new Error(answer ? answer.error.message : "no answer");
    const balance = typeof answer.result === "string" ? BigInt(answer.result) : BigInt(answer.result.value);
    const cached = ChainFees.safeParse(await env.CACHE.get(feesKey(chain.id), "json"));
    const cost = chain.family === "solana" ? BigInt(SOLANA_LAUNCH_LAMPORTS_ESTIMATE) : cached.success ? BigInt(cached.data.estimatedCost) : 0n;
    return { chain: chain.id, launches: cost > 0n ? Number(balance / cost) : null };
  } catch (e) {
    log("warn", "cron.funds_unread", { chain: chain.id, error: e });
    return { chain: chain.id, launches: null };
  }
}

/**
 * Transactions signed and not settled: the EVM Signer's in-flight set (read from
 * its storage, no chain call), Solana's submitted launches (its deployer keeps no
 * Signer object: a launch's signed transaction lives in D1 until it confirms).
 */
async function inflightOf(env: Env, chain: ChainConfig): Promise<Readings["signers"][number]> {
  try {
    if (chain.family === "solana") {
      const r = await env.DB.prepare("SELECT COUNT(*) AS n FROM launches WHERE chain = ? AND status = ?").bind(chain.id, LaunchStatus.enum.submitted).first<{ n: number }>();
      return { chain: chain.id, inflight: r?.n ?? 0 };
    }
    if (!env.EVM_DEPLOYER_ADDRESS) return { chain: chain.id, inflight: null };
    const s = await env.SIGNER.get(env.SIGNER.idFromName(signerName(chain.id, env.EVM_DEPLOYER_ADDRESS))).inflight();
    return { chain: chain.id, inflight: s.inflight };
  } catch (e) {
    log("warn", "cron.inflight_unread", { chain: chain.id, error: e });
    return { chain: chain.id, inflight: null };
  }
}

/** The readings of this minute as "latest" samples. */
export function latestSamples(r: Readings): Sample[] {
  const out: Sample[] = [{ name: "tf_dead_letters_open", labels: {}, value: r.deadLetters }];
  for (const b of r.backlog) {
    out.push({ name: "tf_queue_backlog", labels: { chain: b.chain }, value: b.count });
    out.push({ name: "tf_queue_oldest_seconds", labels: { chain: b.chain }, value: b.oldestMs === null ? 0 : Math.round(b.oldestMs / 1000) });
  }
  for (const x of r.signers) if (x.inflight !== null) out.push({ name: "tf_signer_inflight", labels: { chain: x.chain }, value: x.inflight });
  for (const f of r.funds) if (f.launches !== null) out.push({ name: "tf_deployer_funds_launches", labels: { chain: f.chain }, value: f.launches });
  for (const g of r.gates) {
    for (const ep of g.endpoints) {
      const labels = { chain: g.chain, endpoint: String(ep.index), provider: ep.provider };
      out.push({ name: "tf_rpc_calls_total", labels, value: ep.calls }, { name: "tf_rpc_errors_total", labels, value: ep.failures });
      out.push({ name: "tf_breaker_open", labels, value: ep.state === "open" ? 1 : 0 });
      // Every class, zero included: a series that appears only on its first error defeats rate().
      for (const [cls, label] of Object.entries(ERROR_CLASS_LABEL)) {
        out.push({ name: "tf_rpc_errors_by_class_total", labels: { ...labels, class: label }, value: ep.errorsByClass?.[cls as ErrorClass] ?? 0 });
      }
    }
  }
  return out;
}

/** Upserts: a delta minute is replaced by its recount (never smaller: its rows are append-only); a reading by the newest. */
export async function writeSamples(db: D1Database, now: number, deltas: { minute: number; sample: Sample }[], latest: Sample[]) {
  const upsert = db.prepare(
    `INSERT INTO metric_samples (name, labels, minute, value) VALUES (?, ?, ?, ?)
     ON CONFLICT (name, labels, minute) DO UPDATE SET value = excluded.value`,
  );
  const minute = minuteOf(now);
  const rows = [...deltas, ...latest.map((sample) => ({ minute, sample }))];
  const stmts = rows.map((r) => upsert.bind(r.sample.name, labelKey(r.sample.labels), r.minute, r.sample.value));
  const cut = minute - KEEP_MINUTES;
  const names = DELTA_NAMES.map(() => "?").join(",");
  stmts.push(
    db.prepare(`INSERT INTO metric_samples (name, labels, minute, value)
                SELECT name, labels, 0, SUM(value) FROM metric_samples WHERE minute > 0 AND minute < ? AND name IN (${names}) GROUP BY name, labels
                ON CONFLICT (name, labels, minute) DO UPDATE SET value = value + excluded.value`).bind(cut, ...DELTA_NAMES),
    db.prepare("DELETE FROM metric_samples WHERE minute > 0 AND minute < ?").bind(cut),
  );
  await db.batch(stmts);
}

/** Writes the alert gauges after the alerts job ran (same minute). */
export async function writeAlertGauges(db: D1Database, now: number, openByKind: Map<string, number>) {
  await writeSamples(db, now, [], [...openByKind].map(([kind, n]) => ({ name: "tf_alerts_open" as const, labels: { kind }, value: n })));
}
