// Market data's pure parts (issue 20): the refresh policy and its budget
// arithmetic, the providers' documented shapes, and the Transfer index's
// balance deltas (a reorg's logs taken back exactly).
import { describe, expect, it } from "vitest";
import { dailyRefreshCost, DAY_MS, DEFAULT_POLICY, HOUR_MS, MINUTE_MS, refreshInterval } from "../../packages/core/src/market/policy";
import { parseSimplePrice, parseTokensMulti } from "../../packages/core/src/market/figures";
import { deltasOf, mergeDeltas, padAmount, topShare, ZERO_ADDRESS } from "../../workers/cron/src/analytics/balances";

describe("refresh policy", () => {
  const now = 1_800_000_000_000;
  it("reads new and active tokens every 5 minutes, young ones every 30, then daily, then weekly", () => {
    expect(refreshInterval({ createdAt: now - 10 * MINUTE_MS, hasPool: false, volume24hUsd: null }, now)).toBe(5 * MINUTE_MS);
    expect(refreshInterval({ createdAt: now - 30 * DAY_MS, hasPool: true, volume24hUsd: 10 }, now)).toBe(5 * MINUTE_MS);
    expect(refreshInterval({ createdAt: now - 5 * HOUR_MS, hasPool: false, volume24hUsd: null }, now)).toBe(30 * MINUTE_MS);
    expect(refreshInterval({ createdAt: now - 3 * DAY_MS, hasPool: false, volume24hUsd: null }, now)).toBe(DAY_MS);
    expect(refreshInterval({ createdAt: now - 30 * DAY_MS, hasPool: false, volume24hUsd: null }, now)).toBe(7 * DAY_MS);
  });

  it("keeps 10,000 new tokens a day within GeckoTerminal's free 30 calls/min after a year of launches (the documented arithmetic)", () => {
    const capacityPerDay = 30 * 60 * 24 * 30; // calls/min × min/day × addresses per call
    const cost = dailyRefreshCost(10_000, 365, DEFAULT_POLICY);
    expect(cost).toBeLessThan(capacityPerDay);
    expect(Math.round(cost)).toBe(1_151_429);
    expect(cost / 30 / 1440).toBeLessThan(30);
  });
});

describe("provider shapes", () => {
  it("reads GeckoTerminal tokens/multi with its included top pool (liquidity, DEX) and null market caps", () => {
    const body = {
      data: [
        { id: "eth_0xabc", type: "token", attributes: { address: "0xabc", price_usd: "0.5", fdv_usd: "5000", market_cap_usd: null, total_reserve_in_usd: "999", volume_usd: { h24: "123.4" } },
          relationships: { top_pools: { data: [{ id: "eth_0xpool", type: "pool" }] } } },
        { id: "eth_0xdef", type: "token", attributes: { address: "0xdef", price_usd: null, fdv_usd: null, market_cap_usd: null, total_reserve_in_usd: "0", volume_usd: { h24: null } }, relationships: { top_pools: { data: [] } } },
      ],
      included: [{ id: "eth_0xpool", type: "pool", attributes: { address: "0xpool", reserve_in_usd: "777" }, relationships: { dex: { data: { id: "uniswap_v3", type: "dex" } } } }],
    };
    expect(parseTokensMulti(body)).toEqual([
      { address: "0xabc", priceUsd: 0.5, fdvUsd: 5000, marketCapUsd: null, volume24hUsd: 123.4, liquidityUsd: 777, pool: "0xpool", dex: "uniswap_v3" },
      { address: "0xdef", priceUsd: null, fdvUsd: null, marketCapUsd: null, volume24hUsd: null, liquidityUsd: 0, pool: null, dex: null },
    ]);
    expect(() => parseTokensMulti({ error: "nope" })).toThrow();
  });

  it("reads CoinGecko simple/price", () => {
    expect(parseSimplePrice({ ethereum: { usd: 3000.5 }, solana: {} }, ["ethereum", "solana", "binancecoin"])).toEqual({ ethereum: 3000.5 });
  });
});

describe("Transfer index balances", () => {
  const T = "0xtoken", A = "0xa", B = "0xb";
  const mint = { token: T, from: ZERO_ADDRESS, to: A, value: 100n };
  const move = { token: T, from: A, to: B, value: 40n };
  it("applies mints, moves and burns, and takes an orphaned block's logs back exactly", () => {
    const d = deltasOf([mint, move, { token: T, from: B, to: ZERO_ADDRESS, value: 10n }]);
    expect(d.balances.get(`${T}|${A}`)).toBe(60n);
    expect(d.balances.get(`${T}|${B}`)).toBe(30n);
    expect(d.supply.get(T)).toBe(90n);
    const back = mergeDeltas(deltasOf([move]), deltasOf([move], -1n));
    expect([...back.balances.values()].every((v) => v === 0n)).toBe(true);
  });
  it("pads amounts so text order is numeric order, and computes the top holders' share", () => {
    expect(padAmount(9n) < padAmount(10n)).toBe(true);
    expect(padAmount(2n ** 256n - 1n)).toHaveLength(78);
    expect(topShare([60n, 30n], 100n)).toBe(0.9);
    expect(topShare([], 0n)).toBeNull();
  });
});
