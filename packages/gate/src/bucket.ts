// Token bucket (Turner's token bucket, as used for traffic shaping and by every
// RPC provider's rate limiter) for one provider's request budget. Pure: the
// ChainGate Durable Object owns the state and passes the clock in, so tests move
// time by hand. An empty bucket answers "wait N ms", never a failure: running
// out of budget is back-pressure, not an error.

/** Provider quota as the chain registry states it: `requests` per `perSeconds`. */
export type Quota = { requests: number; perSeconds: number };

export type Bucket = {
  /** Largest burst: the quota's whole request count. */
  capacity: number;
  /** Tokens added per millisecond (requests / perSeconds / 1000). */
  refillPerMs: number;
  /** Tokens available at `updatedAt` (fractional between refills). */
  tokens: number;
  updatedAt: number;
};

export type TakeResult = { bucket: Bucket; ok: true } | { bucket: Bucket; ok: false; waitMs: number };

/**
 * A full bucket for a quota. Capacity = the quota's request count: a provider
 * that allows 10,000 requests per 5 minutes accepts them as one burst, and a
 * bucket of that size refilled at 10,000/300 s never sends more than the quota
 * in any window of 300 s beyond the initial burst (capacity + rate × window).
 */
export function newBucket(quota: Quota, now: number): Bucket {
  if (!(quota.requests > 0) || !(quota.perSeconds > 0)) throw new RangeError(`invalid quota ${JSON.stringify(quota)}`);
  return { capacity: quota.requests, refillPerMs: quota.requests / (quota.perSeconds * 1000), tokens: quota.requests, updatedAt: now };
}

/** The bucket at `now`: tokens accrued since the last update, never above capacity. A clock that goes backwards adds nothing. */
export function refill(bucket: Bucket, now: number): Bucket {
  const elapsed = Math.max(0, now - bucket.updatedAt);
  const tokens = Math.min(bucket.capacity, bucket.tokens + elapsed * bucket.refillPerMs);
  return { ...bucket, tokens, updatedAt: Math.max(now, bucket.updatedAt) };
}

/**
 * Spend `cost` tokens (one per JSON-RPC call; a batch costs its length). When
 * there are too few, nothing is spent and the answer is how long until there
 * are enough. A cost above capacity can never be paid at once: callers split
 * (ChainGate grants at most `capacity` per acquire), so here it is clamped.
 */
export function take(bucket: Bucket, cost: number, now: number): TakeResult {
  const b = refill(bucket, now);
  const need = Math.min(Math.max(cost, 0), b.capacity);
  // A tiny epsilon absorbs float drift (e.g. 0.1 + 0.2) so a bucket refilled
  // for exactly the computed wait does not come up one femto-token short.
  if (b.tokens + 1e-9 >= need) return { bucket: { ...b, tokens: Math.max(0, b.tokens - need) }, ok: true };
  return { bucket: b, ok: false, waitMs: waitFor(b, need) };
}

/** Milliseconds until `cost` tokens are available (0 when they already are); does not spend. */
export function waitFor(bucket: Bucket, cost: number): number {
  const need = Math.min(Math.max(cost, 0), bucket.capacity);
  if (bucket.tokens + 1e-9 >= need) return 0;
  return Math.ceil((need - bucket.tokens) / bucket.refillPerMs);
}

/** How full the bucket is at `now`, 0..1 (for health). */
export function fill(bucket: Bucket, now: number): number {
  const b = refill(bucket, now);
  return b.capacity > 0 ? b.tokens / b.capacity : 0;
}

/**
 * The bucket for a changed quota (the registry was edited and redeployed): keep
 * the same fraction of tokens so a restart neither grants a fresh burst nor
 * starves the provider.
 */
export function resize(bucket: Bucket, quota: Quota, now: number): Bucket {
  const b = refill(bucket, now);
  const next = newBucket(quota, now);
  if (next.capacity === b.capacity && next.refillPerMs === b.refillPerMs) return b;
  return { ...next, tokens: (b.tokens / b.capacity) * next.capacity };
}
