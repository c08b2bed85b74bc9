// HTTP to the market providers, budgeted. Every call first takes a token from
// the provider's bucket; a 429 blocks the provider for its Retry-After (or a
// minute when it names none); a 5xx, a timeout or a bad body is an outage of
// that call. Never throws: the caller keeps the last values and marks them stale.
import { log } from "@tokenforge/core";
import { parseRetryAfter } from "@tokenforge/gate/classify";
import type { MarketConfig } from "../config";
import { acquire, block } from "./budget";

export type Provider = "coingecko" | "geckoterminal";
export type Fetched = { ok: true; body: unknown } | { ok: false; reason: "budget" | "throttled" | "failed" };

const DEFAULT_RETRY_AFTER_MS = 60_000;

export type ProviderClient = { get(provider: Provider, path: string): Promise<Fetched> };

export function providerClient(db: D1Database, cfg: MarketConfig, apiKey: string | undefined, now: () => number = Date.now): ProviderClient {
  const bucketOf = (p: Provider) => (p === "geckoterminal" ? cfg.geckoterminalQuota : "coingecko");
  const perMinute = (p: Provider) => (bucketOf(p) === "geckoterminal" ? cfg.geckoterminalPerMinute : cfg.coingeckoPerMinute);
  return {
    async get(provider, path) {
      const bucket = bucketOf(provider);
      const grant = await acquire(db, bucket, { requests: perMinute(provider), perSeconds: 60 }, now());
      if (!grant.ok) return { ok: false, reason: "budget" };
      const base = provider === "coingecko" ? cfg.coingeckoUrl : cfg.geckoterminalUrl + cfg.pathPrefix;
      const headers: Record<string, string> = { accept: "application/json" };
      // The key goes to CoinGecko's hosts only (the free GeckoTerminal API takes none).
      if (apiKey && (provider === "coingecko" || bucket === "coingecko")) headers[cfg.keyHeader] = apiKey;
      const started = now();
      try {
        const res = await fetch(base + path, { headers, signal: AbortSignal.timeout(cfg.timeoutMs) });
        if (res.status === 429) {
          const wait = parseRetryAfter(res.headers.get("retry-after"), now()) ?? DEFAULT_RETRY_AFTER_MS;
          await block(db, bucket, now() + wait);
          log("warn", "market.throttled", { provider, retryAfterMs: wait, outcome: "blocked" });
          await res.body?.cancel();
          return { ok: false, reason: "throttled" };
        }
        if (!res.ok) {
          await res.body?.cancel();
          log("warn", "market.failed", { provider, status: res.status, outcome: "stale" });
          return { ok: false, reason: "failed" };
        }
        return { ok: true, body: await res.json() };
      } catch (e) {
        log("warn", "market.failed", { provider, error: e, tookMs: now() - started, outcome: "stale" });
        return { ok: false, reason: "failed" };
      }
    },
  };
}
