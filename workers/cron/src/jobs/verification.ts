// Seeds and re-drives source verification (issue 19). Each EVM chain's
// implementation and factory get a row per explorer (Etherscan, Sourcify), each
// confirmed token clone an Etherscan row (its proxy link); new rows, and pending
// rows whose job went quiet (a lost message), are put on the verification
// queue. The deployer's consumer does the explorer calls and decides
// "unsupported" for chains the plan does not cover. Idempotent: INSERT OR IGNORE.
import { chainRegistry, log } from "@tokenforge/core";
import { sourceTargets, type VerifyMessage } from "@tokenforge/core/verify/targets";
import type { Env } from "../env";

/** A pending job untouched this long lost its message: send it again. */
const QUIET_MS = 120_000;
const MAX_PER_RUN = 500;

export async function seedVerification(env: Env, now = Date.now()): Promise<{ queued: number }> {
  const chains = chainRegistry(env).filter((c) => c.family === "evm");
  if (!chains.length) return { queued: 0 };
  const insert = `INSERT OR IGNORE INTO contract_verifications (chain, address, service, kind, status, attempts, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)`;
  const statements: D1PreparedStatement[] = [];
  for (const chain of chains) {
    for (const t of sourceTargets(chain)) {
      for (const service of ["etherscan", "sourcify"] as const) statements.push(env.DB.prepare(insert).bind(chain.id, t.address, service, t.kind, now, now));
    }
  }
  const ids = chains.map((c) => `'${c.id.replace(/'/g, "")}'`).join(",");
  statements.push(env.DB.prepare(
    `INSERT OR IGNORE INTO contract_verifications (chain, address, service, kind, status, attempts, created_at, updated_at)
     SELECT chain, address, 'etherscan', 'clone', 'pending', 0, ?, ? FROM tokens WHERE chain IN (${ids})`,
  ).bind(now, now));
  await env.DB.batch(statements);
  const { results } = await env.DB.prepare(
    `SELECT chain, address, service FROM contract_verifications WHERE status = 'pending' AND (created_at = ? OR updated_at < ?) ORDER BY updated_at LIMIT ?`,
  ).bind(now, now - QUIET_MS, MAX_PER_RUN).all<VerifyMessage>();
  for (let i = 0; i < results.length; i += 100) {
    await env.VERIFY.sendBatch(results.slice(i, i + 100).map((r) => ({ body: { chain: r.chain, address: r.address, service: r.service } })));
  }
  // Re-sent rows count as touched, so they are not sent again next minute while their job runs.
  if (results.length) await env.DB.prepare(`UPDATE contract_verifications SET updated_at = ? WHERE status = 'pending' AND updated_at < ?`).bind(now, now - QUIET_MS).run();
  if (results.length) log("info", "cron.verification_queued", { jobs: results.length });
  return { queued: results.length };
}
