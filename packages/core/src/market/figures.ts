// Market figures as the providers answer them (documented shapes), parsed into
// one flat record per token. Pure: the cron fetches, these read.
//
// GeckoTerminal `GET /networks/{network}/tokens/multi/{a,b,…}?include=top_pools`
// (≤ 30 addresses; under `/onchain` on CoinGecko's paid API) answers JSON:API:
//   { data: [{ id, type: "token", attributes: { address, price_usd, fdv_usd,
//     market_cap_usd, total_reserve_in_usd, volume_usd: { h24 } },
//     relationships: { top_pools: { data: [{ id, type: "pool" }] } } }],
//     included: [{ id, type: "pool", attributes: { address, reserve_in_usd },
//     relationships: { dex: { data: { id } } } }] }
// Numbers come as decimal strings or null. CoinGecko `GET /simple/price?ids=…&vs_currencies=usd`
// answers `{ "<id>": { "usd": 3012.5 } }`.
import { z } from "zod";

export type MarketFigures = {
  address: string;
  priceUsd: number | null;
  fdvUsd: number | null;
  marketCapUsd: number | null;
  volume24hUsd: number | null;
  liquidityUsd: number | null;
  pool: string | null;
  dex: string | null;
};

const num = z.union([z.string(), z.number()]).nullish().transform((v) => {
  if (v === null || v === undefined || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
});
const Ref = z.object({ id: z.string(), type: z.string().optional() });
const TokenResource = z.object({
  id: z.string(),
  attributes: z.object({
    address: z.string(),
    price_usd: num, fdv_usd: num, market_cap_usd: num, total_reserve_in_usd: num,
    volume_usd: z.object({ h24: num }).partial().nullish(),
  }),
  relationships: z.object({ top_pools: z.object({ data: z.array(Ref).nullish() }).nullish() }).partial().nullish(),
});
const PoolResource = z.object({
  id: z.string(),
  type: z.string(),
  attributes: z.object({ address: z.string().optional(), reserve_in_usd: num }).partial(),
  relationships: z.object({ dex: z.object({ data: Ref.nullish() }).nullish() }).partial().nullish(),
});
export const TokensMultiBody = z.object({ data: z.array(TokenResource), included: z.array(z.unknown()).nullish() });

/** One figure record per token the answer names (a token without a pool has price etc. null; its liquidity may be 0). */
export function parseTokensMulti(body: unknown): MarketFigures[] {
  const parsed = TokensMultiBody.parse(body);
  const pools = new Map<string, z.infer<typeof PoolResource>>();
  for (const inc of parsed.included ?? []) {
    const p = PoolResource.safeParse(inc);
    if (p.success && p.data.type === "pool") pools.set(p.data.id, p.data);
  }
  return parsed.data.map((t) => {
    const a = t.attributes;
    const top = t.relationships?.top_pools?.data?.[0];
    const pool = top ? pools.get(top.id) : undefined;
    return {
      address: a.address,
      priceUsd: a.price_usd,
      fdvUsd: a.fdv_usd,
      marketCapUsd: a.market_cap_usd,
      volume24hUsd: a.volume_usd?.h24 ?? null,
      liquidityUsd: pool?.attributes.reserve_in_usd ?? a.total_reserve_in_usd,
      pool: pool?.attributes.address ?? (top ? top.id.replace(/^[^_]+_/, "") : null),
      dex: pool?.relationships?.dex?.data?.id ?? null,
    };
  });
}

/** CoinGecko simple/price: id → USD price (ids the answer lacks are left out). */
export function parseSimplePrice(body: unknown, ids: string[]): Record<string, number> {
  const parsed = z.record(z.string(), z.object({ usd: z.number() }).partial()).parse(body);
  const out: Record<string, number> = {};
  for (const id of ids) {
    const usd = parsed[id]?.usd;
    if (typeof usd === "number" && Number.isFinite(usd)) out[id] = usd;
  }
  return out;
}

/** Native coin prices as the cron keeps them in KV (latest values, kept through an outage). */
export const NativePrices = z.object({ usd: z.record(z.string(), z.number()), asOf: z.string() });
export type NativePrices = z.infer<typeof NativePrices>;
export const NATIVE_PRICES_KEY = "market:native:v1";
/** A token's latest figures in KV (the cron writes them beside the D1 row). */
export const marketKey = (chain: string, address: string) => `market:v1:${chain}:${address}`;
