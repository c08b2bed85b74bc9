// The re-encryption job after a master key rotation (core crypto/envelope.ts): every
// envelope stored in D1 under an older key version is sealed again under the current
// one, a page at a time, so the old MASTER_KEY_<n> secret can then be deleted.
// Each column that holds envelopes is listed here with the additional data that binds
// its envelopes to their rows; a new sealed column must be added to SEALED_COLUMNS.
import { masterKeysFromEnv, resealString } from "@tokenforge/core/crypto/envelope";
import { log } from "@tokenforge/core";
import { webhookAad } from "./webhooks/deliver";
import type { Env } from "./env";

type SealedColumn = { table: string; column: string; aad: (id: string) => string };

export const SEALED_COLUMNS: readonly SealedColumn[] = [{ table: "webhooks", column: "secret", aad: webhookAad }];

export type { ResealResult } from "./ops-schemas";
import type { ResealResult } from "./ops-schemas";

/** Re-seals up to `limit` envelopes per column; `remaining` says whether to call again. */
export async function resealEnvelopes(env: Env, limit: number): Promise<ResealResult> {
  const keys = await masterKeysFromEnv(env);
  let resealed = 0;
  let remaining = 0;
  for (const { table, column, aad } of SEALED_COLUMNS) {
    const stale = `FROM "${table}" WHERE json_extract("${column}", '$.v') != ?`;
    const rows = await env.DB.prepare(`SELECT id, "${column}" AS sealed ${stale} LIMIT ?`).bind(keys.current, limit).all<{ id: string; sealed: string }>();
    const updates = [];
    for (const row of rows.results) {
      const next = await resealString(keys, row.sealed, aad(row.id));
      // Only if the row still holds what was read: a concurrent change wins.
      if (next) updates.push(env.DB.prepare(`UPDATE "${table}" SET "${column}" = ? WHERE id = ? AND "${column}" = ?`).bind(next, row.id, row.sealed));
    }
    if (updates.length) resealed += (await env.DB.batch(updates)).reduce((n, r) => n + (r.meta.changes ?? 0), 0);
    remaining += (await env.DB.prepare(`SELECT count(*) AS n ${stale}`).bind(keys.current).first<{ n: number }>())?.n ?? 0;
  }
  log("info", "reseal.done", { version: keys.current, resealed, remaining });
  return { version: keys.current, resealed, remaining };
}
