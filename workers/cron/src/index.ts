// cron Worker: scheduled jobs (sweep + reconciliation, fees, each chain's platform fee and treasury, RPC endpoint
// probes, the reorg check of recently confirmed launches, each token's chain state, source verification jobs). `scheduled()` runs them on the cron trigger;
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
import { refreshTokenState } from "./jobs/token-state";
import { seedVerification } from "./jobs/verification";

async function runJobs(env: Env) {
  const config = cronConfig(env); // a bad var stops the run here, named, before any job starts
  const started = Date.now();
  const [sweep, fees, settings, probes, reorgs, tokenState, verification] = await Promise.all([
    sweepStuckLaunches(env), refreshFees(env), refreshChainSettings(env), probeEndpoints(env), recheckConfirmed(env),
    refreshTokenState(env, config.tokenStateBatch), seedVerification(env),
  ]);
  return { sweep, fees, settings, probes, reorgs, tokenState, verification, tookMs: Date.now() - started };
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
