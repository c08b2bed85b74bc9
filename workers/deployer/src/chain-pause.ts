// Which chains the operators paused (D1 chain_settings, written by the api's
// POST /admin/chains/{id}/pause). Read once per launches batch: the launches of a
// paused chain stay queued, their messages acked without a retry or an attempt
// spent (resume puts them back on the queue).
export async function pausedChains(db: D1Database): Promise<Set<string>> {
  const { results } = await db.prepare("SELECT chain FROM chain_settings WHERE paused = 1").all<{ chain: string }>();
  return new Set(results.map((r) => r.chain));
}
