// The confirmations queue consumer: loads the submitted launches of a batch,
// groups them by chain and asks each family's adapter (confirm) where they
// stand. Final outcomes are written and announced, then the sender forgets them
// (adapter.settle); a launch not decided yet comes back after a delay. Nobody
// sleeps on a receipt.
import { log, type ConfirmMessage } from "@tokenforge/core";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { Env } from "../env";
import { getChain } from "../chain-client";
import { applyChanges, loadLaunches, type Change } from "../store";
import { afterFinal } from "../announce";
import { changeFor, type LaunchOutcome } from "../adapter";
import { adapterFor } from "../adapters";
import { deployerConfig } from "../config";

type Checked = { chainId: string; rows: LaunchRow[]; outcomes: LaunchOutcome[] };

export async function handleConfirmations(batch: MessageBatch<ConfirmMessage>, env: Env, ctx?: Pick<ExecutionContext, "waitUntil">): Promise<void> {
  const t0 = Date.now();
  const rows = await loadLaunches(env.DB, batch.messages.map((m) => m.body.launchId));
  const byChain = new Map<string, LaunchRow[]>();
  for (const row of rows) {
    if (row.status !== "submitted" || !row.txHash) continue;
    byChain.set(row.chain, [...(byChain.get(row.chain) ?? []), row]);
  }
  const tLoaded = Date.now();
  const checked = await Promise.all([...byChain].map(([chainId, chainRows]) => confirmChain(env, chainId, chainRows)));
  const tChecked = Date.now();

  const changes: Change[] = [];
  const again = new Set<string>();
  for (const { rows: chainRows, outcomes } of checked) {
    const byId = new Map(chainRows.map((r) => [r.id, r]));
    for (const o of outcomes) {
      // Not decided yet, or a new transaction went out: look again after the delay.
      if (o.kind === "pending" || o.kind === "submitted" || o.kind === "retry") again.add(o.launchId);
      const change = o.kind === "retry" ? null : changeFor(o, byId.get(o.launchId)!);
      if (change) changes.push(change);
    }
  }
  const finals = await applyChanges(env.DB, changes);
  const tApplied = Date.now();
  // Credits captured or refunded (one Ledger call per launch) and webhooks told: most of a batch's time,
  // and nothing the next batch waits on, so it runs after the acks. A crash meanwhile loses nothing the
  // cron does not redo: its credits job settles final launches' open reservations from D1; a webhook
  // was already lost when a crash fell between the D1 write and the announcement.
  const after = afterFinal(env, finals);
  if (ctx) ctx.waitUntil(after);
  else await after;
  const tAfter = Date.now();
  await Promise.all(checked.map((c) => settleFinal(env, c)));
  // Where a batch's time goes (the queue delivers the next batch after this one returns).
  log("info", "deployer.confirm_batch", { messages: batch.messages.length, final: finals.length, again: again.size, totalMs: Date.now() - t0, loadMs: tLoaded - t0, checkMs: tChecked - tLoaded, applyMs: tApplied - tChecked, afterFinalMs: tAfter - tApplied, settleMs: Date.now() - tAfter });
  const delaySeconds = deployerConfig(env).confirmDelaySeconds;
  for (const m of batch.messages) {
    if (again.has(m.body.launchId)) m.retry({ delaySeconds });
    else m.ack();
  }
}

async function confirmChain(env: Env, chainId: string, rows: LaunchRow[]): Promise<Checked> {
  try {
    const chain = getChain(env, chainId);
    return { chainId, rows, outcomes: await adapterFor(chain).confirm({ env, chain }, rows) };
  } catch (e) {
    log("warn", "deployer.confirm_check_failed", { chain: chainId, error: e });
    return { chainId, rows, outcomes: rows.map((r) => ({ kind: "pending", launchId: r.id })) };
  }
}

/** The sender forgets launches whose outcome is now final in D1 (EVM: the Signer's in-flight set). */
async function settleFinal(env: Env, { chainId, rows, outcomes }: Checked): Promise<void> {
  const final = new Set(outcomes.filter((o) => o.kind === "confirmed" || o.kind === "failed").map((o) => o.launchId));
  if (!final.size) return;
  const chain = getChain(env, chainId);
  await adapterFor(chain).settle({ env, chain }, rows.filter((r) => final.has(r.id)));
}
