// Market refresh policy (issue 20): how soon a token's market figures are read
// again. Pure: the cron passes the token's age, what it last saw and the clock.
//
// Budget arithmetic at the default quota (GeckoTerminal free: 30 calls/min, up
// to 30 token addresses per `tokens/multi` call, top pools included in the same
// call): 30 × 1,440 = 43,200 calls/day = 1,296,000 token refreshes/day.
// A token launched today costs, in its first day: 12 refreshes (first hour,
// every 5 min) + 46 (hours 1–24, every 30 min) = 58; then 1/day up to a week
// (6) and 1/week after. 10,000 new tokens/day therefore cost
//   first day   10,000 × 58            = 580,000
//   days 2–7    10,000 × 6             =  60,000 (steady state, 60k tokens)
//   older       N_old / 7 per day      (a year of 10k/day: 3.58 M older than a week → 511,429)
// = 1,151,429 refreshes/day = 38,381 calls/day ≈ 26.7 calls/min < 30, before
// any token is active. Active tokens (a pool with 24 h volume) are read every
// 5 min: 288/day each, so the head room after a year of launches (144,571
// refreshes/day) holds ~500 active tokens; earlier the room is larger (after 30
// days old tokens cost 32,857/day: room for ~2,160 active tokens). Past about
// 15 months of 10k/day the weekly tier alone outgrows the quota: lengthen
// `idleMs` or buy the paid quota (a configuration change). When the bucket runs
// short, the most overdue tokens go
// first (ORDER BY next_refresh_at), so the schedule slips evenly, nothing errors.
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export type RefreshPolicy = {
  /** Tokens with a pool and 24 h volume, and tokens younger than `newForMs`. */
  activeMs: number;
  newForMs: number;
  /** Tokens younger than a day, and tokens with a pool but no volume. */
  youngMs: number;
  /** Tokens up to `weekMs` old without a pool. */
  dailyMs: number;
  weekMs: number;
  /** Everything else. */
  idleMs: number;
};

export const DEFAULT_POLICY: RefreshPolicy = {
  activeMs: 5 * MINUTE_MS, newForMs: HOUR_MS, youngMs: 30 * MINUTE_MS, dailyMs: DAY_MS, weekMs: 7 * DAY_MS, idleMs: 7 * DAY_MS,
};

export type RefreshInput = { createdAt: number; hasPool: boolean; volume24hUsd: number | null };

/** Milliseconds until the token's next refresh. */
export function refreshInterval(t: RefreshInput, now: number, p: RefreshPolicy = DEFAULT_POLICY): number {
  const age = Math.max(0, now - t.createdAt);
  if (t.hasPool && (t.volume24hUsd ?? 0) > 0) return p.activeMs;
  if (age < p.newForMs) return p.activeMs;
  if (age < DAY_MS || t.hasPool) return p.youngMs;
  if (age < p.weekMs) return p.dailyMs;
  return p.idleMs;
}

/** How many token refreshes per day `newPerDay` launches cost in steady state after `days` of launches (the doc's arithmetic, tested). */
export function dailyRefreshCost(newPerDay: number, days: number, p: RefreshPolicy = DEFAULT_POLICY): number {
  const firstHour = Math.ceil(p.newForMs / p.activeMs);
  const restOfDay = Math.ceil((DAY_MS - p.newForMs) / p.youngMs);
  const week = Math.max(0, Math.round((p.weekMs - DAY_MS) / p.dailyMs));
  const old = Math.max(0, days - p.weekMs / DAY_MS) * newPerDay;
  return newPerDay * (firstHour + restOfDay) + newPerDay * week + old * (DAY_MS / p.idleMs);
}
