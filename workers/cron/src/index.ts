// cron Worker: scheduled jobs (sweep + reconciliation, fees, each chain's platform fee and treasury, RPC endpoint
// probes, the reorg check of recently confirmed launches). `scheduled()` runs them on the cron trigger;
// `fetch` POST /run runs them on demand (the api's service binding uses it, and
// `npm start` calls that every minute because wrangler dev fires no crons).
import { log } from "@tokenforge/core";
import { cronConfig } from "./config";
import type { Env } from "./env";
import { sweepStuckLaunches } from "./jobs/sweep";
import { refreshFees } from "./jobs/fees";
import { refreshChainSettings } from "./jobs/chain-settings";
import { probeEndpoints } from "./jobs/probe";
import { recheckConfirmed } from "./jobs/reorg";
import { recordMetrics, writeAlertGauges } from "./jobs/metrics";
import { alertSignals, alertSinks, deliverPages, evaluateAlerts, spendCapSignals } from "./jobs/alerts";

async function runJobs(env: Env) {
  cronConfig(env); // a bad var stops the run here, named, before any job starts
  const started = Date.now();
  const [sweep, fees, settings, probes, reorgs] = await Promise.all([
    sweepStuckLaunches(env), refreshFees(env), refreshChainSettings(env), probeEndpoints(env), recheckConfirmed(env),
  ]);
  // After the probes and fees: the readings see this minute's breakers and fee estimate.
  const alerts = await metricsAndAlerts(env).catch((e: unknown) => {
    log("error", "cron.metrics_failed", { error: e });
    return null;
  });
  return { sweep, fees, settings, probes, reorgs, alerts, tookMs: Date.now() - started };
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
    ctx.waitUntil(runJobs(env).catch((e) => log("error", "cron.failed", { error: e })));
  },
  async fetch(req, env) {
    if (req.method !== "POST" || new URL(req.url).pathname !== "/run") return new Response("not found", { status: 404 });
    return Response.json(await runJobs(env));
  },
} satisfies ExportedHandler<Env>;
