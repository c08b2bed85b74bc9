// The X digest (issue 20): once a day, at the operator's hour (UTC), one post
// naming the top confirmed launches of the 24 hours before it — X allows an
// account a few hundred posts per three hours, so never a post per launch.
// "Top" is the most recently confirmed until market data (volume, holders) is
// rolled up. Once per day however many cron runs (or Workers) overlap: an
// x_digests row per day is claimed with a lease before the post and marked sent
// after it. A crash between X accepting the post and "sent" being written lets
// the lease run out and the next run post again (X takes no idempotency key):
// the one duplicate this cannot rule out. A 429 stores X's reset time in
// not_before; later runs wait for it (retry once a minute, within the grace).
import { log } from "@tokenforge/core";
import { digestWindow } from "@tokenforge/core/announce/digest";
import { xDigestText } from "@tokenforge/core/announce/messages";
import { openSecretEnvelope, X_TOKEN_AAD } from "@tokenforge/core/announce/secrets";
import { createPost } from "@tokenforge/core/announce/x";
import { chainRegistry, findChain } from "@tokenforge/core";
import { targetOf } from "@tokenforge/core/lifecycle";
import { cronConfig } from "../config";
import type { Env } from "../env";
import type { DigestRun } from "@tokenforge/core/ops-answers";

const LEASE_MS = 60_000;

/** The answer of POST /x-digest (core ops-answers.ts: the api documents the same schema). */
export type DigestResult = DigestRun;

export async function postXDigest(env: Env, now = Date.now()): Promise<DigestResult> {
  const cfg = cronConfig(env).xDigest;
  if (!env.X_ACCESS_TOKEN_ENVELOPE) return { day: null, outcome: "off" };
  const w = digestWindow(now, cfg.hourUtc);
  if (!w) return { day: null, outcome: "not due" };

  const claimed = await env.DB.prepare(
    `INSERT INTO x_digests (day, status, lease_until, updated_at) VALUES (?1, 'sending', ?2, ?3)
     ON CONFLICT (day) DO UPDATE SET lease_until = ?2, updated_at = ?3
     WHERE x_digests.status = 'sending' AND x_digests.lease_until <= ?3 AND coalesce(x_digests.not_before, 0) <= ?3
     RETURNING day`,
  ).bind(w.day, now + LEASE_MS, now).first<{ day: string }>();
  if (!claimed) return { day: w.day, outcome: "done or in progress" };

  const { results } = await env.DB.prepare(
    `SELECT json_extract(request, '$.name') AS name, json_extract(request, '$.symbol') AS symbol, chain, count(*) OVER () AS total
     FROM launches WHERE status = ?4 AND updated_at >= ?1 AND updated_at < ?2
     ORDER BY updated_at DESC LIMIT ?3`,
  ).bind(w.from, w.to, cfg.size, targetOf("confirm")).all<{ name: string; symbol: string; chain: string; total: number }>();
  const finish = (status: string, extra: { externalId?: string | null; error?: string | null; notBefore?: number | null; launches?: number } = {}) =>
    env.DB.prepare("UPDATE x_digests SET status = ?2, external_id = ?3, error = ?4, not_before = ?5, launches = ?6, lease_until = ?7, updated_at = ?8 WHERE day = ?1")
      .bind(w.day, status, extra.externalId ?? null, extra.error ?? null, extra.notBefore ?? null, extra.launches ?? results.length, status === "sending" ? 0 : now, Date.now())
      .run();
  if (!results.length) {
    await finish("empty", { launches: 0 });
    return { day: w.day, outcome: "nothing launched" };
  }
  const chains = chainRegistry(env);
  const total = results[0]!.total;
  const named = results.map((r) => ({ name: r.name, symbol: r.symbol, chainName: findChain(chains, r.chain)?.name ?? r.chain }));
  const text = xDigestText(w.day, named, total);

  let token: string;
  try {
    token = await openSecretEnvelope(env, env.X_ACCESS_TOKEN_ENVELOPE, X_TOKEN_AAD);
  } catch (e) {
    await finish("sending", { error: "cannot open the X token" });
    log("error", "cron.x_digest_token", { error: e });
    return { day: w.day, outcome: "no token" };
  }
  const outcome = await createPost(token, text, { apiBase: cfg.apiBase });
  if (outcome.kind === "sent") {
    await finish("sent", { externalId: outcome.externalId, launches: total });
    log("info", "cron.x_digest", { outcome: `posted ${total} launches for ${w.day}` });
    return { day: w.day, outcome: "posted" };
  }
  if (outcome.kind === "retry") {
    await finish("sending", { error: outcome.reason, notBefore: outcome.at });
    log("warn", "cron.x_digest", { outcome: `retry: ${outcome.reason}` });
    return { day: w.day, outcome: `retry: ${outcome.reason}` };
  }
  await finish("failed", { error: outcome.reason });
  log("warn", "cron.x_digest", { outcome: `rejected: ${outcome.reason}` });
  return { day: w.day, outcome: `rejected: ${outcome.reason}` };
}
