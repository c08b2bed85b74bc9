// The dead-letter queue's consumer. A Worker cannot list a queue, and a local
// queue without a consumer drops its messages, so every dead letter becomes a D1
// row operators can list and replay; its launch is marked failed with the reason.
//
// Except a launch whose transaction may still land: a submitted one, or a queued
// one whose sender already holds a signed transaction for it (the adapter's
// `held`: the EVM Signer, the Solana transaction store). Its retries ran out because the chain did not answer, not
// because the transaction is bad; failing it would leave a `failed` launch with a
// live token once the chain is back. It stays with the sweep, which asks the
// chain again every run, and its history says so.
import { log, newId, type LaunchMessage } from "@tokenforge/core";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import { FINAL, SENDER_STATUSES } from "@tokenforge/core/lifecycle";
import type { Env } from "../env";
import { afterFinal } from "../announce";
import { applyChanges, loadLaunches, type Change } from "../store";
import { getChain } from "../chain-client";
import { adapterFor } from "../adapters";

export async function handleDeadLetters(batch: MessageBatch<LaunchMessage>, env: Env): Promise<void> {
  const rows = new Map((await loadLaunches(env.DB, batch.messages.map((m) => m.body.launchId))).map((r) => [r.id, r]));
  const live = await mayStillLand(env, [...rows.values()].filter((r) => SENDER_STATUSES.includes(r.status)));
  const now = Date.now();
  const inserts: D1PreparedStatement[] = [];
  const changes: Change[] = [];
  const seen = new Set<string>();
  for (const m of batch.messages) {
    const row = rows.get(m.body.launchId);
    if (!row || FINAL.includes(row.status)) continue; // finished after all: nothing to keep
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    const attempts = Math.max(row.attempts, m.attempts);
    const why = row.errorDetail ? `: ${row.errorDetail}` : "";
    const tx = live.get(row.id);
    if (tx) {
      changes.push({ kind: "note", launchId: row.id, event: `retries ran out after ${attempts} attempts${why}; not failed: transaction ${tx} may still land, the sweep keeps checking the chain` });
      log("warn", "deployer.dead_letter_kept", { launchId: row.id, chain: row.chain, attempt: attempts, txHash: tx, error: row.errorDetail, outcome: "kept" });
      continue;
    }
    const reason = `gave up after ${attempts} attempts${why}`;
    inserts.push(
      env.DB.prepare("INSERT INTO dead_letters (id, launch_id, queue, reason, attempts, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(newId("dlq"), row.id, batch.queue, reason, attempts, JSON.stringify(m.body), now),
    );
    changes.push({ kind: "failed", launchId: row.id, errorType: "dead-letter", detail: reason });
    log("error", "deployer.dead_letter", { launchId: row.id, chain: row.chain, attempt: row.attempts, error: row.errorDetail, outcome: "failed" });
  }
  if (inserts.length) await env.DB.batch(inserts);
  await afterFinal(env, await applyChanges(env.DB, changes, now));
  for (const m of batch.messages) m.ack();
}

/**
 * Launches with a signed transaction that may still land → its hash or signature.
 * Asks no chain (it may be the chain that is down): only what was stored before
 * broadcasting. When that cannot be read either, the launch counts as live: a
 * wrong "kept" costs one more sweep, a wrong "failed" a launch with a live token.
 */
async function mayStillLand(env: Env, rows: LaunchRow[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const queued: LaunchRow[] = [];
  for (const r of rows) {
    if (r.status === "submitted") out.set(r.id, r.txHash ?? "(unknown)");
    else queued.push(r);
  }
  const groups = new Map<string, LaunchRow[]>();
  for (const r of queued) groups.set(`${r.chain}\n${r.deployer}`, [...(groups.get(`${r.chain}\n${r.deployer}`) ?? []), r]);
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const chainId = group[0]!.chain;
      try {
        const chain = getChain(env, chainId);
        for (const [id, tx] of await adapterFor(chain).held({ env, chain }, group)) out.set(id, tx);
      } catch (e) {
        log("warn", "deployer.dead_letter_check_failed", { chain: chainId, launches: group.length, error: e });
        for (const r of group) out.set(r.id, "(unknown)");
      }
    }),
  );
  return out;
}
