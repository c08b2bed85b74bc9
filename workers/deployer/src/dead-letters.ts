// The dead-letter queue's consumer. A Worker cannot list a queue, and a local
// queue without a consumer drops its messages, so every dead letter becomes a D1
// row operators can list and replay; its launch is marked failed with the reason.
import { log, newId, type LaunchMessage } from "@tokenforge/core";
import type { Env } from "./env";
import { announceFinal } from "./announce";
import { applyChanges, loadLaunches, type Change } from "./store";

export async function handleDeadLetters(batch: MessageBatch<LaunchMessage>, env: Env): Promise<void> {
  const rows = new Map((await loadLaunches(env.DB, batch.messages.map((m) => m.body.launchId))).map((r) => [r.id, r]));
  const now = Date.now();
  const inserts: D1PreparedStatement[] = [];
  const changes: Change[] = [];
  for (const m of batch.messages) {
    const row = rows.get(m.body.launchId);
    if (!row || row.status === "confirmed" || row.status === "failed") continue; // finished after all: nothing to keep
    const attempts = Math.max(row.attempts, m.attempts);
    const reason = `gave up after ${attempts} attempts${row.errorDetail ? `: ${row.errorDetail}` : ""}`;
    inserts.push(
      env.DB.prepare("INSERT INTO dead_letters (id, launch_id, queue, reason, attempts, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(newId("dlq"), row.id, batch.queue, reason, attempts, JSON.stringify(m.body), now),
    );
    changes.push({ kind: "failed", launchId: row.id, errorType: "dead-letter", detail: reason });
    log("error", "deployer.dead_letter", { launchId: row.id, chain: row.chain, attempt: row.attempts, error: row.errorDetail, outcome: "failed" });
  }
  if (inserts.length) await env.DB.batch(inserts);
  await announceFinal(env, await applyChanges(env.DB, changes, now));
  for (const m of batch.messages) m.ack();
}
