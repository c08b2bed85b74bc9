// The market series behind the token page's chart (D1 market_points): the cron
// writes a 5-minute point per refresh and rolls points older than a day into
// hourly ones; the API's history route reads them. Shared so both sides, and
// the tests, use the one roll-up.
import { DAY_MS, HOUR_MS } from "./policy";

/** A 5-minute point's interval; its `t` is the interval's start. */
export const POINT_MS = 5 * 60_000;

/** Start of the 5-minute interval `now` falls in. */
export const pointTime = (now: number) => Math.floor(now / POINT_MS) * POINT_MS;

/**
 * 5-minute points of whole hours more than a day old become one hourly point
 * per hour (averages), then go. The cutoff is an hour boundary, so an hour is
 * always rolled up whole, once.
 */
export async function rollUpPoints(db: D1Database, now: number): Promise<void> {
  const cutoff = Math.floor((now - DAY_MS) / HOUR_MS) * HOUR_MS;
  await db.batch([
    db.prepare(`INSERT OR REPLACE INTO market_points (chain, address, resolution, t, price_usd, market_cap_usd, volume_24h_usd, liquidity_usd)
      SELECT chain, address, 3600, (t / ${HOUR_MS}) * ${HOUR_MS} AS h, AVG(price_usd), AVG(market_cap_usd), AVG(volume_24h_usd), AVG(liquidity_usd)
      FROM market_points WHERE resolution = 300 AND t < ? GROUP BY chain, address, h`).bind(cutoff),
    db.prepare("DELETE FROM market_points WHERE resolution = 300 AND t < ?").bind(cutoff),
  ]);
}
