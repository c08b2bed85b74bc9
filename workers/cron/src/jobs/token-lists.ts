// Token lists (issue 18): per EVM chain, the confirmed tokens with a logo (newest
// 10,000 the schema accepts) in the Uniswap Token Lists format, written to KV for
// GET /api/v1/tokenlists/{chain}.json. The version moves as the spec says
// (core assets/token-list.ts); an unchanged list is not rewritten.
import { chainRegistry, log } from "@tokenforge/core";
import { assetUrl } from "@tokenforge/core/assets/metadata";
import { buildTokenList, LIST_MAX_TOKENS, listName, tokenListKey, type ListToken, type TokenList } from "@tokenforge/core/assets/token-list";
import { cronConfig } from "../config";
import type { Env } from "../env";

export async function refreshTokenLists(env: Env, now = new Date()): Promise<{ written: number; empty: number; skipped?: string }> {
  const origin = cronConfig(env).publicApiOrigin;
  if (!origin) return { written: 0, empty: 0, skipped: "PUBLIC_API_ORIGIN is not set" };
  let written = 0, empty = 0;
  for (const chain of chainRegistry(env).filter((c) => c.family === "evm")) {
    try {
      // Twice the cap, so names the schema refuses can be left out and still fill 10,000.
      const { results } = await env.DB.prepare(
        `SELECT t.address, t.name, t.symbol, t.decimals, m.logo FROM tokens t
           JOIN token_metadata m ON m.chain = t.chain AND m.address = t.address
           JOIN assets a ON a.sha256 = m.logo AND a.blocked_at IS NULL
          WHERE t.chain = ? ORDER BY t.created_at DESC, t.address DESC LIMIT ?`,
      ).bind(chain.id, LIST_MAX_TOKENS * 2).all<{ address: string; name: string; symbol: string; decimals: number; logo: string }>();
      const tokens: ListToken[] = results.map((r) => ({ chainId: chain.chainId!, address: r.address, name: r.name, symbol: r.symbol, decimals: r.decimals, logoURI: assetUrl(origin, r.logo) }));
      const key = tokenListKey(chain.id);
      const prev = await env.CACHE.get<TokenList>(key, "json");
      const list = buildTokenList(listName(chain.name), tokens, prev, now);
      if (!list) {
        if (prev) await env.CACHE.delete(key);
        empty += 1;
        continue;
      }
      if (prev && prev.timestamp === list.timestamp) continue;
      await env.CACHE.put(key, JSON.stringify(list));
      written += 1;
    } catch (e) {
      log("warn", "cron.token_list_failed", { chain: chain.id, error: e, outcome: "skipped" });
    }
  }
  return { written, empty };
}
