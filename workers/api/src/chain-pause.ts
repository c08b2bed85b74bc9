// The emergency pause of a chain (issue 16), as the api sees it: D1 chain_settings
// holds it (paused, since when, by whom, why). While a chain is paused, new launches
// and quotes on it answer 503 `chain-paused`; the deployer leaves its queued launches
// queued (it reads the same row once per batch) and the cron sweep skips the chain;
// resuming puts the chain's launches back on the queue.
import { paidBy, SENDER_STATUSES, statusIn } from "@tokenforge/core/lifecycle";
import type { LaunchMessage } from "@tokenforge/core";
import type { Env } from "./env";
import { ProblemError } from "./http";

/** How long a refused caller should wait before trying again: a pause has no known end, so a minute. */
export const PAUSED_RETRY_AFTER_SECONDS = 60;
const SEND_BATCH = 100; // Queues' sendBatch limit

export type ChainPause = { chain: string; pausedAt: number; pausedBy: string | null; reason: string | null };

type Row = { chain: string; paused_at: number | null; paused_by: string | null; pause_reason: string | null };

/** The paused chains, by id (one D1 read). */
export async function pausedChains(env: Pick<Env, "DB">): Promise<Map<string, ChainPause>> {
  const { results } = await env.DB.prepare("SELECT chain, paused_at, paused_by, pause_reason FROM chain_settings WHERE paused = 1").all<Row>();
  return new Map(results.map((r) => [r.chain, { chain: r.chain, pausedAt: r.paused_at ?? 0, pausedBy: r.paused_by, reason: r.pause_reason }]));
}

/** Throws the 503 `chain-paused` problem (with Retry-After) when the chain is paused. */
export async function assertChainOpen(env: Pick<Env, "DB">, chainId: string): Promise<void> {
  const row = await env.DB.prepare("SELECT pause_reason FROM chain_settings WHERE chain = ? AND paused = 1").bind(chainId).first<{ pause_reason: string | null }>();
  if (!row) return;
  throw new ProblemError(
    "chain-paused",
    `new launches on ${chainId} are paused by the operators${row.pause_reason ? `: ${row.pause_reason}` : ""}; other chains are open`,
    { chain: chainId },
    { "retry-after": String(PAUSED_RETRY_AFTER_SECONDS) },
  );
}

/** Pauses the chain; a chain already paused keeps its first pause time and author (a new reason replaces the old). */
export async function pauseChain(env: Pick<Env, "DB">, chainId: string, by: string, reason: string | null, now: number): Promise<{ pause: ChainPause; changed: boolean }> {
  const before = await env.DB.prepare("SELECT paused FROM chain_settings WHERE chain = ?").bind(chainId).first<{ paused: number }>();
  const row = await env.DB.prepare(
    `INSERT INTO chain_settings (chain, paused, paused_at, paused_by, pause_reason, updated_at) VALUES (?1, 1, ?2, ?3, ?4, ?2)
     ON CONFLICT (chain) DO UPDATE SET
       paused_at = CASE WHEN paused = 1 THEN paused_at ELSE ?2 END,
       paused_by = CASE WHEN paused = 1 THEN paused_by ELSE ?3 END,
       pause_reason = CASE WHEN paused = 1 AND ?4 IS NULL THEN pause_reason ELSE ?4 END,
       paused = 1, updated_at = ?2
     RETURNING chain, paused_at, paused_by, pause_reason`,
  ).bind(chainId, now, by, reason).first<Row>();
  return { pause: { chain: chainId, pausedAt: row!.paused_at ?? now, pausedBy: row!.paused_by, reason: row!.pause_reason }, changed: before?.paused !== 1 };
}

/**
 * Resumes the chain. On the move from paused, the chain's platform-paid launches
 * the sender works on go back on the queue (the deployer acked their messages
 * while the chain was paused; it is idempotent, so a launch already moving is harmless).
 */
export async function resumeChain(env: Pick<Env, "DB" | "LAUNCHES">, chainId: string, now: number): Promise<{ changed: boolean; requeued: number }> {
  const flipped = await env.DB.prepare(
    "UPDATE chain_settings SET paused = 0, paused_at = NULL, paused_by = NULL, pause_reason = NULL, updated_at = ? WHERE chain = ? AND paused = 1 RETURNING chain",
  ).bind(now, chainId).first<{ chain: string }>();
  if (!flipped) return { changed: false, requeued: 0 };
  const { results } = await env.DB.prepare(
    `SELECT id FROM launches WHERE chain = ? AND ${statusIn(SENDER_STATUSES)} AND ${paidBy("platform")} ORDER BY created_at`,
  ).bind(chainId).all<{ id: string }>();
  const messages: LaunchMessage[] = results.map((r) => ({ launchId: r.id, reason: "resume" }));
  for (let i = 0; i < messages.length; i += SEND_BATCH) await env.LAUNCHES.sendBatch(messages.slice(i, i + SEND_BATCH).map((body) => ({ body })));
  return { changed: true, requeued: messages.length };
}
