// Where to look for a launch's TokenCreated log. Public endpoints refuse
// eth_getLogs over wide ranges (and from "earliest"), and one refused query must
// not fail a whole batch: the search is bounded to the launch's own block window.

/** No launch is searched further back than this many blocks. */
export const MAX_LOG_RANGE = 10_000n;

/**
 * The first block a launch's creation event can be in: the blocks since the
 * launch was accepted, counted at twice the chain's nominal rate plus 100 (blocks
 * can come faster than nominal), never more than MAX_LOG_RANGE back, never below 0.
 */
export function creationFromBlock(chain: { blockTimeMs: number }, createdAt: number, latest: bigint, now: number): bigint {
  const since = BigInt(Math.ceil(Math.max(0, now - createdAt) / chain.blockTimeMs)) * 2n + 100n;
  const span = since < MAX_LOG_RANGE ? since : MAX_LOG_RANGE;
  return latest > span ? latest - span : 0n;
}
