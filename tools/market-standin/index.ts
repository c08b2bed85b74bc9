// Local stand-ins for CoinGecko (`/api/v3/simple/price`) and GeckoTerminal
// (`/api/v2/networks/{network}/tokens/multi/{addresses}`, also under
// `/api/v3/onchain/…` like CoinGecko's paid API), answering the documented
// shapes, on one port. Tests steer them in-process: give a token a pool, set
// native prices, switch a provider to 429 / 500 / slow, and count its calls.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Mode = { kind: "ok" } | { kind: "429"; retryAfterSeconds: number } | { kind: "500" } | { kind: "slow"; delayMs: number };
export type Pool = { priceUsd: number; fdvUsd: number | null; marketCapUsd: number | null; volume24hUsd: number; liquidityUsd: number; pool: string; dex: string };
export type Provider = "coingecko" | "geckoterminal";

export type MarketStandin = {
  url: string;
  /** CoinGecko's base (…/api/v3) and GeckoTerminal's (…/api/v2). */
  coingeckoUrl: string;
  geckoterminalUrl: string;
  setMode(provider: Provider, mode: Mode): void;
  setPool(network: string, address: string, pool: Pool | null): void;
  setNativePrice(coingeckoId: string, usd: number): void;
  /** Calls each provider answered (any status), with their times. */
  calls: Record<Provider, number[]>;
  close(): Promise<void>;
};

const DEFAULT_PRICES: Record<string, number> = { ethereum: 3000, binancecoin: 600, solana: 150 };

/**
 * `synthetic`: every token without a pool set by hand gets one whose price walks
 * a little on each call (for `npm start`, so the pages show data moving).
 */
export async function startMarketStandin(opts: { port?: number; synthetic?: boolean } = {}): Promise<MarketStandin> {
  const modes: Record<Provider, Mode> = { coingecko: { kind: "ok" }, geckoterminal: { kind: "ok" } };
  const pools = new Map<string, Pool>();
  const prices: Record<string, number> = { ...DEFAULT_PRICES };
  const calls: Record<Provider, number[]> = { coingecko: [], geckoterminal: [] };
  const key = (network: string, address: string) => `${network}:${network === "solana" ? address : address.toLowerCase()}`;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    const gt = path.match(/^\/api\/(?:v2|v3\/onchain)\/networks\/([^/]+)\/tokens\/multi\/([^/]+)$/);
    const provider: Provider | null = path === "/api/v3/simple/price" ? "coingecko" : gt ? "geckoterminal" : null;
    if (!provider) return send(res, 404, { error: "not found" });
    calls[provider].push(Date.now());
    const mode = modes[provider];
    if (mode.kind === "429") return send(res, 429, { status: { error_code: 429, error_message: "rate limited" } }, { "retry-after": String(mode.retryAfterSeconds) });
    if (mode.kind === "500") return send(res, 500, { error: "internal" });
    if (mode.kind === "slow") await new Promise((r) => setTimeout(r, mode.delayMs));
    if (res.destroyed) return;
    if (provider === "coingecko") {
      const ids = (url.searchParams.get("ids") ?? "").split(",").filter(Boolean);
      return send(res, 200, Object.fromEntries(ids.filter((id) => id in prices).map((id) => [id, { usd: prices[id] }])));
    }
    const network = gt![1]!;
    const addresses = decodeURIComponent(gt![2]!).split(",").slice(0, 30);
    const data: unknown[] = [];
    const included: unknown[] = [];
    for (const a of addresses) {
      let p = pools.get(key(network, a));
      if (!p && opts.synthetic) pools.set(key(network, a), (p = syntheticPool(a)));
      else if (p && opts.synthetic) pools.set(key(network, a), (p = walk(p)));
      const id = `${network}_${network === "solana" ? a : a.toLowerCase()}`;
      // Like GeckoTerminal: a token without any pool is not in the answer.
      if (!p) continue;
      const poolId = `${network}_${p.pool}`;
      data.push({
        id, type: "token",
        attributes: {
          address: network === "solana" ? a : a.toLowerCase(), name: null, symbol: null, decimals: null,
          price_usd: String(p.priceUsd), fdv_usd: p.fdvUsd === null ? null : String(p.fdvUsd),
          market_cap_usd: p.marketCapUsd === null ? null : String(p.marketCapUsd),
          total_reserve_in_usd: String(p.liquidityUsd), volume_usd: { h24: String(p.volume24hUsd) },
        },
        relationships: { top_pools: { data: [{ id: poolId, type: "pool" }] } },
      });
      if (url.searchParams.get("include")?.includes("top_pools")) {
        included.push({
          id: poolId, type: "pool",
          attributes: { address: p.pool, name: "TOKEN / WETH", reserve_in_usd: String(p.liquidityUsd), base_token_price_usd: String(p.priceUsd), volume_usd: { h24: String(p.volume24hUsd) } },
          relationships: { dex: { data: { id: p.dex, type: "dex" } } },
        });
      }
    }
    return send(res, 200, { data, included });
  };

  const server = createServer((req, res) => void handle(req, res).catch(() => send(res, 500, { error: "stand-in failed" })));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, coingeckoUrl: `${url}/api/v3`, geckoterminalUrl: `${url}/api/v2`, calls,
    setMode: (p, m) => void (modes[p] = m),
    setPool: (network, address, pool) => void (pool ? pools.set(key(network, address), pool) : pools.delete(key(network, address))),
    setNativePrice: (id, usd) => void (prices[id] = usd),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function syntheticPool(address: string): Pool {
  const seed = [...address].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const price = 0.0001 + (seed % 10_000) / 1_000_000;
  return { priceUsd: price, fdvUsd: price * 1_000_000, marketCapUsd: null, volume24hUsd: 1_000 + (seed % 50_000), liquidityUsd: 5_000 + (seed % 100_000),
    pool: "0x" + seed.toString(16).padStart(40, "0"), dex: "uniswap_v2" };
}

function walk(p: Pool): Pool {
  const f = 1 + (Math.random() - 0.5) * 0.04;
  return { ...p, priceUsd: p.priceUsd * f, fdvUsd: p.fdvUsd === null ? null : p.fdvUsd * f, volume24hUsd: p.volume24hUsd * (1 + (Math.random() - 0.45) * 0.1) };
}
