// cron Worker: scheduled jobs (sweep + reconciliation, fees, each chain's platform fee and treasury, RPC endpoint
// probes, the reorg check of recently confirmed launches, credits' orphan reservations, pending deposits, the ledger
// reconciliation (POST /reconcile-credits runs it now), the
// long-term copy of D1 into R2, the daily X digest, pinning and token lists, each token's chain state, source
// verification jobs, market data and token analytics). `scheduled()` runs them on the cron trigger; `fetch` POST /run
// runs them on demand (the api's service binding uses it, and `npm start` calls that every minute because wrangler
// dev fires no crons); POST /backup copies D1 now; POST /x-digest posts the digest at a given time (not in production);
// POST /token-state?chain=&address= reads one token's chain state out of turn.
import { log } from "@tokenforge/core";
import { metered } from "@tokenforge/core/meter";
import { cronConfig } from "./config";
import type { Env } from "./env";
import { sweepStuckLaunches } from "./jobs/sweep";
import { refreshFees } from "./jobs/fees";
import { refreshChainSettings } from "./jobs/chain-settings";
import { probeEndpoints } from "./jobs/probe";
import { recheckConfirmed } from "./jobs/reorg";
import { backupIfDue, copyDatabase } from "./jobs/backup";
import { settleCredits } from "./jobs/credits";
import { finishDeposits } from "./jobs/deposits";
import { reconcileCredits, reconcileCreditsIfDue } from "./jobs/reconcile-credits";
import { postXDigest } from "./jobs/x-digest";
import { recordMetrics, writeAlertGauges } from "./jobs/metrics";
import { alertSignals, alertSinks, deliverPages, evaluateAlerts, spendCapSignals } from "./jobs/alerts";
import { pinPending } from "./jobs/pins";
import { refreshTokenLists } from "./jobs/token-lists";
import { refreshOneToken, refreshTokenState } from "./jobs/token-state";
import { seedVerification } from "./jobs/verification";
import { refreshMarket } from "./jobs/market";
import { indexAnalytics } from "./jobs/analytics";
import type { BackupNow } from "@tokenforge/core/ops-answers";

async function runJobs(env: Env) {
  const config = cronConfig(env); // a bad var stops the run here, named, before any job starts
  const started = Date.now();
  const [sweep, fees, settings, probes, reorgs, credits, deposits, reconcile, backup, xDigest, pins, tokenLists, tokenState, verification, market, analytics] = await Promise.all([
    sweepStuckLaunches(env), refreshFees(env), refreshChainSettings(env), probeEndpoints(env), recheckConfirmed(env), settleCredits(env),
    finishDeposits(env).catch((e: unknown) => ({ error: String(e) })),
    reconcileCreditsIfDue(env, { ...config.reconcile, stuckMs: config.sweepStaleMs }).catch((e: unknown) => (log("error", "cron.reconcile_failed", { error: e }), { error: String(e) })),
    backupIfDue(env, config.backup),
    postXDigest(env).catch((e) => (log("error", "cron.x_digest_failed", { error: e }), { day: null, outcome: "crashed" })),
    pinPending(env).catch((e: unknown) => (log("error", "cron.pins_failed", { error: e }), null)),
    refreshTokenLists(env).catch((e: unknown) => (log("error", "cron.token_lists_failed", { error: e }), null)),
    refreshTokenState(env, config.tokenStateBatch), seedVerification(env),
    // Market data and analytics never fail the run: a provider outage leaves stale values.
    refreshMarket(env).catch((e: unknown) => (log("error", "cron.market_failed", { error: e }), null)),
    indexAnalytics(env),
  ]);
  // After the probes and fees: the readings see this minute's breakers and fee estimate.
  const alerts = await metricsAndAlerts(env).catch((e: unknown) => {
    log("error", "cron.metrics_failed", { error: e });
    return null;
  });
  return { sweep, fees, settings, probes, reorgs, credits, deposits, reconcile, backup, xDigest, pins, tokenLists, tokenState, verification, market, analytics, alerts, tookMs: Date.now() - started };
}

async function metricsAndAlerts(env: Env) {
  const now = Date.now();
  const readings = await recordMetrics(env, now);
  const signals = [...alertSignals(readings, cronConfig(env).alerts), ...(await spendCapSignals(env, now))];
  const open = await evaluateAlerts(env, signals, now);
  await writeAlertGauges(env.DB, now, open);
  const pages = await deliverPages(env, alertSinks(env), now);
  return { open: Object.fromEntries(open), pages };
}

export default {
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(metered("cron", "scheduled", env, runJobs).catch((e) => log("error", "cron.failed", { error: e })));
  },
  async fetch(req, env) {
    const url = new URL(req.url);
    if (req.method === "POST" && url.pathname === "/run") return Response.json(await metered("cron", "run", env, runJobs));
    // A copy now, whatever the interval (operators before a risky change; the restore e2e).
    if (req.method === "POST" && url.pathname === "/backup") {
      const manifest = await copyDatabase(env, cronConfig(env).backup.pageRows);
      const answer: BackupNow = { id: manifest.id, tables: manifest.tables.map((t) => ({ name: t.name, rows: t.rows, watermark: t.watermark, sha256: t.sha256 })) };
      return Response.json(answer);
    }
    // One token's chain state now (the api's POST /tokens/{chain}/{address}/refresh, after its owner changed it).
    if (req.method === "POST" && url.pathname === "/token-state") {
      const chain = url.searchParams.get("chain") ?? "";
      const address = url.searchParams.get("address") ?? "";
      return Response.json(await refreshOneToken(env, chain, address));
    }
    // The ledger reconciliation now, with its full report (operators after a restore; the restore e2e).
    if (req.method === "POST" && url.pathname === "/reconcile-credits") return Response.json(await reconcileCredits(env, { ...cronConfig(env).reconcile, stuckMs: cronConfig(env).sweepStaleMs }));
    if (req.method === "POST" && url.pathname === "/x-digest") {
      // The digest alone, at a given time (tests move the clock); production runs it at the real time only.
      const config = cronConfig(env);
      const at = url.searchParams.get("now");
      const now = at && config.env !== "production" ? (/^\d+$/.test(at) ? Number(at) : Date.parse(at)) : Date.now();
      if (Number.isNaN(now)) return Response.json({ error: "now: epoch ms or an ISO date" }, { status: 400 });
      return Response.json(await postXDigest(env, now));
    }
    return new Response("not found", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
