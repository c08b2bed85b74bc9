// The launches queue consumer: loads the launches of a batch, groups those not
// yet final by chain and hands each group to its family's adapter (send). The
// adapter's outcomes become D1 changes (one batch per chain), messages on the
// confirmations queue, and retries with backoff. Queue plumbing only: what a
// chain says is the adapter's business.
import { log, type LaunchMessage } from "@tokenforge/core";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import { SENDER_STATUSES } from "@tokenforge/core/lifecycle";
import type { Env } from "../env";
import { getChain } from "../chain-client";
import { applyChanges, loadLaunches, type Change } from "../store";
import { afterFinal } from "../announce";
import { classifyError, retryDelaySeconds } from "../errors";
import { changeFor, type LaunchOutcome, type SendItem } from "../adapter";
import { adapterFor } from "../adapters";
import { deployerConfig } from "../config";
import { pausedChains } from "../chain-pause";

export async function handleLaunches(batch: MessageBatch<LaunchMessage>, env: Env): Promise<void> {
  const t0 = Date.now();
  const [rows, paused] = await Promise.all([loadLaunches(env.DB, batch.messages.map((m) => m.body.launchId)), pausedChains(env.DB)]);
  const loadMs = Date.now() - t0;
  const byId = new Map(rows.map((r) => [r.id, r]));
  // Where a batch's time goes, per phase (the slowest chain's): the queue delivers the next batch only after this one returns.
  const phases = { sendMs: 0, applyMs: 0, afterFinalMs: 0, enqueueMs: 0 };
  const retry = new Map<string, number>(); // launchId → delay seconds
  let submitted = 0;
  // Each chain finishes on its own (D1 written, confirmations queued) as soon as
  // it is done: a chain whose endpoints are all failing (waiting out breakers,
  // timing out) must not hold back the launches of the others in the same batch.
  await Promise.all(
    [...groupByChain(batch, rows)].map(async ([chainId, items]) => {
      if (paused.has(chainId)) {
        // Paused by the operators: nothing sent, nothing written, the message acked
        // (no queue retry spent, so no dead letter); resume re-enqueues the launches.
        log("info", "deployer.chain_paused", { chain: chainId, launches: items.length, launchIds: items.slice(0, 20).map((i) => i.row.id), outcome: "paused" });
        return;
      }
      const done = await sendChain(env, chainId, items);
      for (const k of Object.keys(phases) as (keyof typeof phases)[]) phases[k] = Math.max(phases[k], done.phases[k]);
      for (const [id, d] of done.retry) retry.set(id, d);
      submitted += done.submitted;
    }),
  );
  log("info", "deployer.batch", { queue: batch.queue, messages: batch.messages.length, submitted, retried: retry.size, totalMs: Date.now() - t0, loadMs, ...phases });
  for (const m of batch.messages) {
    const delay = retry.get(m.body.launchId);
    if (delay !== undefined && byId.has(m.body.launchId)) m.retry({ delaySeconds: delay });
    else m.ack();
  }
}

/**
 * Launches not yet final, by chain, with the reasons their messages give.
 * Submitted ones too: the sender answers with the transaction it already has,
 * or sends again if that one can never land (its nonce was taken).
 */
function groupByChain(batch: MessageBatch<LaunchMessage>, rows: LaunchRow[]): Map<string, SendItem[]> {
  const reasons = new Map<string, LaunchMessage["reason"][]>();
  for (const m of batch.messages) reasons.set(m.body.launchId, [...(reasons.get(m.body.launchId) ?? []), m.body.reason]);
  const byChain = new Map<string, SendItem[]>();
  for (const row of rows) {
    // Final, or paid by a wallet (the creator sends it; sending it here would deploy a second token on our money).
    if (!SENDER_STATUSES.includes(row.status) || row.paymentMode !== "platform") continue;
    byChain.set(row.chain, [...(byChain.get(row.chain) ?? []), { row, reasons: reasons.get(row.id) ?? [] }]);
  }
  return byChain;
}

type Phases = { sendMs: number; applyMs: number; afterFinalMs: number; enqueueMs: number };

async function sendChain(env: Env, chainId: string, items: SendItem[]): Promise<{ retry: Map<string, number>; submitted: number; phases: Phases }> {
  const started = Date.now();
  let outcomes: LaunchOutcome[];
  try {
    const chain = getChain(env, chainId);
    outcomes = await adapterFor(chain).send({ env, chain }, items);
  } catch (e) {
    // Nothing was decided for these launches (e.g. every endpoint failed the
    // batch's first reads): each spends an attempt and comes back with backoff.
    const c = classifyError(e);
    log("error", "deployer.chain_batch_failed", { chain: chainId, kind: c.kind, error: c.message, launches: items.length, latencyMs: Date.now() - started, outcome: "retry" });
    outcomes = items.map(({ row }) => ({ kind: "retry", launchId: row.id, error: c }));
  }
  const tSent = Date.now();
  const plan = planSend(env, chainId, new Map(items.map((i) => [i.row.id, i.row])), outcomes, tSent - started);
  const finals = await applyChanges(env.DB, plan.changes);
  const tApplied = Date.now();
  await afterFinal(env, finals);
  const tAfter = Date.now();
  if (plan.toConfirm.length) {
    const delaySeconds = deployerConfig(env).confirmDelaySeconds;
    const ids = [...new Set(plan.toConfirm)];
    for (let i = 0; i < ids.length; i += 100) {
      await env.CONFIRMATIONS.sendBatch(ids.slice(i, i + 100).map((launchId) => ({ body: { launchId, checks: 0 }, delaySeconds })));
    }
  }
  const phases = { sendMs: tSent - started, applyMs: tApplied - tSent, afterFinalMs: tAfter - tApplied, enqueueMs: Date.now() - tAfter };
  return { retry: plan.retry, submitted: plan.toConfirm.length, phases };
}

type SendPlan = { changes: Change[]; toConfirm: string[]; retry: Map<string, number> };

/** Outcomes → lifecycle changes, confirmations to queue and retries to schedule. */
function planSend(env: Env, chainId: string, rows: Map<string, LaunchRow>, outcomes: LaunchOutcome[], latencyMs: number): SendPlan {
  const plan: SendPlan = { changes: [], toConfirm: [], retry: new Map() };
  for (const o of outcomes) {
    const row = rows.get(o.launchId)!;
    const attempt = row.attempts + 1;
    const delaySeconds = retryDelaySeconds(deployerConfig(env).retry, attempt);
    let event: string | undefined;
    if (o.kind === "submitted") plan.toConfirm.push(o.launchId);
    if (o.kind === "pending") plan.retry.set(o.launchId, delaySeconds); // nothing decided, nothing written: look again later
    if (o.kind === "retry") {
      // A transient failure of this attempt: counted in D1 (attempts, the reason, an
      // event the launch's page shows), logged, and the message retried after a
      // growing delay. After the queue's last retry it goes to the dead letters.
      plan.retry.set(o.launchId, delaySeconds);
      event = `attempt ${attempt} failed (${o.error.kind}): ${o.error.message}; retrying in ${delaySeconds} s`;
      log("warn", "deployer.retry", { launchId: o.launchId, chain: chainId, attempt, kind: o.error.kind, error: o.error.message, delaySeconds, latencyMs, outcome: "retry" });
    }
    const change = changeFor(o, row, event);
    if (change) plan.changes.push(change);
  }
  return plan;
}
