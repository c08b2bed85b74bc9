// The reorg check: a launch confirmed within its chain's reorg window is asked
// about again each run. If its token is no longer at its address in the chain's
// current block, a reorg took the transaction that created it: the launch goes
// back to queued (its token row removed, its history says why) and to the
// deployer with reason "reorg", which sends it again under a fresh nonce (the
// Signer forgets the transaction it had settled; the hole that transaction's
// nonce left is filled by the Signer's alarm). CREATE2 keeps it at the same
// address, so a launch is never deployed twice.
import { chainRegistry, log, noteLaunches, withTrace, type ChainConfig, type LaunchMessage } from "@tokenforge/core";
import { guardFor, targetOf } from "@tokenforge/core/lifecycle";
import type { Env } from "../env";
import { gatedRpc } from "@tokenforge/gate/gated-fetch";

const DEFAULT_REORG_WINDOW_BLOCKS = 128n;
const CHECK_LIMIT = 500;

/** Its own trace scope: a line about a reorged launch carries the id of the request that created it. */
export function recheckConfirmed(env: Env, now = Date.now()) {
  return withTrace({}, () => recheckAll(env, now));
}

async function recheckAll(env: Env, now: number) {
  const chains = chainRegistry(env).filter((c) => c.family === "evm");
  const counts = await Promise.all(chains.map((c) => recheckChain(env, c, now).catch((e: unknown) => {
    log("warn", "cron.reorg_check_failed", { chain: c.id, error: e });
    return 0;
  })));
  return { reorged: counts.reduce((a, b) => a + b, 0) };
}

async function recheckChain(env: Env, chain: ChainConfig, now: number): Promise<number> {
  const [head] = await gatedRpc<string>(env, chain, [{ method: "eth_blockNumber", params: [] }], "reorg-check");
  if (!head || "error" in head) return 0;
  const latest = BigInt(head.result);
  const window = BigInt(chain.reorgWindowBlocks ?? DEFAULT_REORG_WINDOW_BLOCKS);
  const from = latest > window ? latest - window : 0n;
  const { results } = await env.DB.prepare(
    `SELECT id, address, block_number, payment_mode, request_id FROM launches WHERE chain = ? AND (${guardFor("reorg")} OR ${guardFor("rewatch")}) AND block_number BETWEEN ? AND ? ORDER BY block_number DESC LIMIT ?`,
  ).bind(chain.id, Number(from), Number(latest), CHECK_LIMIT).all<{ id: string; address: string; block_number: number; payment_mode: string; request_id: string | null }>();
  if (!results.length) return 0;
  noteLaunches(results.map((r) => ({ id: r.id, requestId: r.request_id })));
  // At the block just read, not "latest": an endpoint that has not reached it
  // answers an error (no verdict) rather than "no code" for a token it has not seen yet.
  const tag = `0x${latest.toString(16)}`;
  const answers = await gatedRpc<string>(env, chain, results.map((r) => ({ method: "eth_getCode", params: [r.address, tag] })), "reorg-check");
  const gone = results.filter((_, i) => {
    const a = answers[i];
    return !!a && "result" in a && (a.result === "0x" || a.result === "");
  });
  if (!gone.length) return 0;
  const statements: D1PreparedStatement[] = [];
  for (const r of gone) {
    // A wallet-paid launch is never sent by the platform: it is watched again (the payer's transaction may land again).
    const move = r.payment_mode === "wallet" ? "rewatch" : "reorg";
    const detail = `reorg: the token at ${r.address} (confirmed in block ${r.block_number}) is not on chain at block ${latest}; ${move === "reorg" ? "deploying it again" : "watching for the payer's transaction again"}`;
    statements.push(
      env.DB.prepare(`INSERT INTO launch_events (launch_id, status, detail, at) SELECT id, ?, ?, ? FROM launches WHERE id = ? AND ${guardFor(move)}`).bind(targetOf(move), detail, now, r.id),
      env.DB.prepare(`DELETE FROM tokens WHERE launch_id = ? AND EXISTS (SELECT 1 FROM launches WHERE id = ? AND ${guardFor(move)})`).bind(r.id, r.id),
      env.DB.prepare(`UPDATE launches SET status = ?, block_number = NULL, gas_used = NULL, updated_at = ? WHERE id = ? AND ${guardFor(move)}`).bind(targetOf(move), now, r.id),
    );
    log("error", "cron.reorged", { launchId: r.id, chain: chain.id, address: r.address, block: r.block_number, latest, outcome: move === "reorg" ? "requeued" : "rewatched" });
  }
  await env.DB.batch(statements);
  const messages: LaunchMessage[] = gone.filter((r) => r.payment_mode !== "wallet").map((r) => ({ launchId: r.id, reason: "reorg" }));
  for (let i = 0; i < messages.length; i += 100) await env.LAUNCHES.sendBatch(messages.slice(i, i + 100).map((body) => ({ body })));
  const watched = gone.filter((r) => r.payment_mode === "wallet").map((r) => ({ body: { launchId: r.id, reason: "rewatch" as const } }));
  for (let i = 0; i < watched.length; i += 100) await env.WATCH.sendBatch(watched.slice(i, i + 100));
  return gone.length;
}
