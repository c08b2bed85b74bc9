// The watch queue consumer ("tf-watch"): wallet-paid launches are sent by their
// payer, never by the platform, so the deployer only looks for them on chain.
// It loads the awaiting-payment launches of a batch, groups them by chain and
// asks each family's adapter (watch) whether the token is there. Final outcomes
// (confirmed, failed, expired) are written and announced; a launch not decided
// yet is put back on the queue after a delay — a fresh message rather than a
// queue retry, so a 15-minute window is not cut short by max_retries. The cron
// sweep re-drives watched launches whose messages were lost.
import { log, type WatchMessage } from "@tokenforge/core";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import { WATCHED_STATUSES, statusIn } from "@tokenforge/core/lifecycle";
import type { Env } from "../env";
import { getChain } from "../chain-client";
import { applyChanges, loadLaunches, type Change } from "../store";
import { afterFinal } from "../announce";
import { changeFor, type LaunchOutcome, type WatchedLaunch } from "../adapter";
import { adapterFor } from "../adapters";
import { deployerConfig } from "../config";

export async function handleWatch(batch: MessageBatch<WatchMessage>, env: Env, now = Date.now()): Promise<void> {
  const rows = await loadLaunches(env.DB, batch.messages.map((m) => m.body.launchId));
  const byChain = new Map<string, LaunchRow[]>();
  for (const row of rows) {
    if (!WATCHED_STATUSES.includes(row.status) || row.paymentMode !== "wallet") continue;
    byChain.set(row.chain, [...(byChain.get(row.chain) ?? []), row]);
  }
  const outcomes = (await Promise.all([...byChain].map(([chainId, chainRows]) => watchChain(env, chainId, chainRows, now)))).flat();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const changes: Change[] = [];
  const again = new Set<string>();
  for (const o of outcomes) {
    if (o.kind === "pending" || o.kind === "retry") again.add(o.launchId);
    const change = o.kind === "retry" ? null : changeFor(o, byId.get(o.launchId)!);
    if (change) changes.push(change);
  }
  await afterFinal(env, await applyChanges(env.DB, changes, now));
  await touch(env, [...again], now);
  const delaySeconds = Math.max(1, deployerConfig(env).confirmDelaySeconds);
  const ids = [...again];
  for (let i = 0; i < ids.length; i += 100) {
    await env.WATCH.sendBatch(ids.slice(i, i + 100).map((launchId) => ({ body: { launchId }, delaySeconds })));
  }
  // Every message is answered by the batch above (final, or a fresh message for later).
  for (const m of batch.messages) m.ack();
}

async function watchChain(env: Env, chainId: string, rows: LaunchRow[], now: number): Promise<LaunchOutcome[]> {
  try {
    const chain = getChain(env, chainId);
    const launches: WatchedLaunch[] = rows.map((r) => ({ id: r.id, address: r.address, request: r.request, createdAt: r.createdAt, factoryVersion: r.factoryVersion, expiresAt: r.payBy, payment: r.payment }));
    return await adapterFor(chain).watch({ env, chain }, launches, now);
  } catch (e) {
    // The chain could not be read: nothing is decided, every launch is looked at again later.
    log("warn", "deployer.watch_failed", { chain: chainId, launches: rows.length, error: e });
    return rows.map((r) => ({ kind: "pending", launchId: r.id }));
  }
}

/** Marks launches as watched just now, so the cron sweep re-drives only those whose messages were lost. */
async function touch(env: Env, ids: string[], now: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    await env.DB.prepare(`UPDATE launches SET updated_at = ? WHERE ${statusIn(WATCHED_STATUSES)} AND id IN (${chunk.map(() => "?").join(",")})`)
      .bind(now, ...chunk).run();
  }
}
