// cron Worker: scheduled jobs (sweep + reconciliation, fees, each chain's platform fee and treasury, RPC endpoint
// probes, the reorg check of recently confirmed launches, market data and token analytics). `scheduled()` runs them on the cron trigger;
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
import { refreshMarket } from "./jobs/market";
import { indexAnalytics } from "./jobs/analytics";

async function runJobs(env: Env) {
  cronConfig(env); // a bad var stops the run here, named, before any job starts
  const started = Date.now();
  // Market data and analytics never fail the run: a provider outage leaves stale values.
  const [sweep, fees, settings, probes, reorgs, market, analytics] = await Promise.all([
    sweepStuckLaunches(env), refreshFees(env), refreshChainSettings(env), probeEndpoints(env), recheckConfirmed(env),
    refreshMarket(env).catch((e: unknown) => (log("error", "cron.market_failed", { error: e }), null)),
    indexAnalytics(env),
  ]);
  return { sweep, fees, settings, probes, reorgs, market, analytics, tookMs: Date.now() - started };
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
