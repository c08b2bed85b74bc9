// GET /api/v1/tokens/{chain}/{address}/history (issue 20): the chart's series in
// workerd with real D1 — 5-minute points for the last day, hourly averages
// before (rolled up by the cron's own rollUpPoints, at a moved clock), each
// range's window, problem+json for a bad range, and every answer valid against
// the MarketHistory schema of the served OpenAPI document.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS } from "@tokenforge/core/market/policy";
import { POINT_MS, pointTime, rollUpPoints } from "@tokenforge/core/market/points";
import Ajv from "ajv";
import { call, expectProblem, json } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;
const CHAIN = "local-eth";
const TOKEN = "0x" + "5e".repeat(20);
const OTHER = "0x" + "5f".repeat(20);
type Point = { t: string; resolution: number; priceUsd: number | null; marketCapUsd: number | null; volume24hUsd: number | null; liquidityUsd: number | null };

/** The point the cron writes at `t`: figures that tell the points apart (price = minutes since the epoch / 5). */
const figures = (t: number) => ({ price: t / POINT_MS, cap: (t / POINT_MS) * 10, volume: 1000 + (t / POINT_MS) % 7, liquidity: 50 });

const history = async (range: string, address = TOKEN) => {
  const res = await call("GET", `/api/v1/tokens/${CHAIN}/${address}/history?range=${range}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await json<{ points: Point[] }>(res)).points;
};

let now: number;
let tenDaysAgo: number;

beforeAll(async () => {
  now = Date.now();
  // 30 hours of 5-minute points, as the cron's refreshes leave them, for two tokens.
  const stmts: D1PreparedStatement[] = [];
  for (let t = pointTime(now - 30 * HOUR_MS); t <= now; t += POINT_MS) {
    const f = figures(t);
    for (const address of [TOKEN, OTHER]) {
      stmts.push(DB.prepare(`INSERT INTO market_points (chain, address, resolution, t, price_usd, market_cap_usd, volume_24h_usd, liquidity_usd) VALUES (?, ?, 300, ?, ?, ?, ?, ?)`)
        .bind(CHAIN, address, t, address === TOKEN ? f.price : -1, f.cap, f.volume, f.liquidity));
    }
  }
  // An hourly point from an earlier roll-up, ten days old; market cap unknown.
  tenDaysAgo = Math.floor((now - 10 * DAY_MS) / HOUR_MS) * HOUR_MS;
  stmts.push(DB.prepare(`INSERT INTO market_points (chain, address, resolution, t, price_usd, market_cap_usd, volume_24h_usd, liquidity_usd) VALUES (?, ?, 3600, ?, 0.5, NULL, 10, 20)`)
    .bind(CHAIN, TOKEN, tenDaysAgo));
  for (let i = 0; i < stmts.length; i += 200) await DB.batch(stmts.slice(i, i + 200));
  await rollUpPoints(DB, now);
});

describe("GET /tokens/{chain}/{address}/history", () => {
  it("range=1d: the day's 5-minute points, oldest first, 5 minutes apart, with the figures the cron wrote", async () => {
    const points = await history("1d");
    expect(points.length).toBeGreaterThanOrEqual(288);
    expect(points.length).toBeLessThanOrEqual(289);
    expect(points.every((p) => p.resolution === 300)).toBe(true);
    const ts = points.map((p) => Date.parse(p.t));
    expect(ts[0]).toBeGreaterThanOrEqual(now - DAY_MS);
    expect(ts.at(-1)).toBe(pointTime(now));
    for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBe(POINT_MS);
    for (const p of points) {
      const f = figures(Date.parse(p.t));
      expect(p).toEqual({ t: p.t, resolution: 300, priceUsd: f.price, marketCapUsd: f.cap, volume24hUsd: f.volume, liquidityUsd: f.liquidity });
    }
  });

  it("range=7d: hourly averages for the hours more than a day old, then 5-minute points; 5-minute points of those hours are gone", async () => {
    const points = await history("7d");
    const cutoff = Math.floor((now - DAY_MS) / HOUR_MS) * HOUR_MS;
    const hourly = points.filter((p) => p.resolution === 3600);
    const fine = points.filter((p) => p.resolution === 300);
    expect(points).toEqual([...hourly, ...fine]); // oldest first: every hourly point precedes the day's points
    // 30 h of points, the oldest hours rolled up: 6 or 7 whole (or partly seeded) hours.
    expect(hourly.length).toBeGreaterThanOrEqual(6);
    expect(hourly.length).toBeLessThanOrEqual(7);
    expect(Date.parse(fine[0]!.t)).toBe(cutoff);
    for (const h of hourly) {
      const start = Date.parse(h.t);
      expect(start % HOUR_MS).toBe(0);
      expect(start).toBeLessThan(cutoff);
      // The average of the hour's 5-minute points (the oldest hour may have fewer than 12).
      const seeded: number[] = [];
      for (let t = start; t < start + HOUR_MS; t += POINT_MS) if (t >= pointTime(now - 30 * HOUR_MS)) seeded.push(t);
      const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(h.priceUsd).toBeCloseTo(avg(seeded.map((t) => figures(t).price)), 9);
      expect(h.marketCapUsd).toBeCloseTo(avg(seeded.map((t) => figures(t).cap)), 9);
      expect(h.volume24hUsd).toBeCloseTo(avg(seeded.map((t) => figures(t).volume)), 9);
      expect(h.liquidityUsd).toBe(50);
    }
    for (let i = 1; i < hourly.length; i++) expect(Date.parse(hourly[i]!.t) - Date.parse(hourly[i - 1]!.t)).toBe(HOUR_MS);
    // The ten-day-old point is outside 7d; nothing of the other token.
    expect(points.some((p) => Date.parse(p.t) === tenDaysAgo)).toBe(false);
    expect(points.every((p) => p.priceUsd !== -1)).toBe(true);

    // Rolling up again (the next cron run) changes nothing.
    await rollUpPoints(DB, now);
    expect(await history("7d")).toEqual(points);
  });

  it("range=30d reaches the ten-day-old hourly point; the default range is 7d", async () => {
    const points = await history("30d");
    expect(points[0]).toEqual({ t: new Date(tenDaysAgo).toISOString(), resolution: 3600, priceUsd: 0.5, marketCapUsd: null, volume24hUsd: 10, liquidityUsd: 20 });
    expect(points.slice(1)).toEqual(await history("7d"));
    const res = await call("GET", `/api/v1/tokens/${CHAIN}/${TOKEN}/history`);
    expect((await json<{ points: Point[] }>(res)).points).toEqual(points.slice(1));
    expect(await history("30d", "0x" + "00".repeat(20))).toEqual([]);
  });

  it("answers problem+json for a range it does not know or a parameter it does not take", async () => {
    for (const q of ["range=2d", "range=", "range=1D", "range=1d&range=7d", "range=7d&limit=5"]) {
      const body = await expectProblem(await call("GET", `/api/v1/tokens/${CHAIN}/${TOKEN}/history?${q}`), 422, "validation-error");
      expect(body.title, q).toBeTruthy();
      expect((body as { errors?: { path: string }[] }).errors?.[0]?.path, q).toMatch(/range|limit/);
    }
  });

  it("answers each range in the shape the OpenAPI document gives as MarketHistory", async () => {
    const doc = await json(await call("GET", "/api/v1/openapi.json"));
    const op = doc.paths["/api/v1/tokens/{chain}/{address}/history"].get;
    expect(op.parameters.find((p: { name: string }) => p.name === "range").schema.enum).toEqual(["1d", "7d", "30d"]);
    const ref = op.responses["200"].content["application/json"].schema.$ref as string;
    expect(ref).toBe("#/components/schemas/MarketHistory");
    expect(Object.keys(op.responses)).toContain("422"); // the bad range's answer is documented
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(doc, "openapi.json");
    const validate = ajv.compile({ $ref: `openapi.json${ref}` });
    // The schema bites: a point with a numeric time or no resolution is refused.
    expect(validate({ points: [{ t: 1, priceUsd: 1, marketCapUsd: null, volume24hUsd: null, liquidityUsd: null }] })).toBe(false);
    for (const range of ["1d", "7d", "30d"]) {
      const body = await json(await call("GET", `/api/v1/tokens/${CHAIN}/${TOKEN}/history?range=${range}`));
      expect(validate(body), `${range}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});
