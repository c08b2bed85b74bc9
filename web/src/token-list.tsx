// A list of tokens (home page and explore): name, symbol, chain, price (or supply), age;
// each row links to its token page. Names are user text: rendered as text.
import type { Chain, Token } from "./api";
import { formatUsd, formatWhole, shortAddress, timeAgo } from "./lib/format";

export const tokenPath = (t: { chain: string; address: string }) => `/tokens/${encodeURIComponent(t.chain)}/${encodeURIComponent(t.address)}`;

/** Tokens seen in lists, so the token page can show its record without asking again. */
export const tokenCache = new Map<string, Token>();
export const tokenKey = (chain: string, address: string) => `${chain}/${address.toLowerCase()}`;

export function TokenList({ tokens, chains, testid }: { tokens: Token[]; chains: Chain[] | null; testid?: string }) {
  const chainName = (id: string) => chains?.find((c) => c.id === id)?.name ?? id;
  for (const t of tokens) tokenCache.set(tokenKey(t.chain, t.address), t);
  return (
    <ul class="token-list" data-testid={testid}>
      {tokens.map((t) => (
        <li key={`${t.chain}/${t.address}`}>
          <a href={tokenPath(t)} class="token-row">
            <span class="token-avatar" aria-hidden="true">{t.logo ? <img src={t.logo} alt="" width={36} height={36} loading="lazy" decoding="async" /> : [...t.symbol][0] ?? "?"}</span>
            <span class="token-main">
              <span class="token-name" data-testid="token-name">{t.name}</span>
              <span class="token-sub">
                <span class="token-symbol">{t.symbol}</span> · {chainName(t.chain)} · <span class="mono">{shortAddress(t.address)}</span>
              </span>
            </span>
            <span class="token-meta">
              {t.market?.priceUsd != null ? <span data-testid="token-price">{formatUsd(t.market.priceUsd)}</span> : <span>{formatWhole(t.initialSupply)}</span>}
              <span class="hint">{timeAgo(t.createdAt)}</span>
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Rows of the same height as real ones, shown while the list loads. */
export const TokenListSkeleton = ({ rows }: { rows: number }) => (
  <ul class="token-list" aria-hidden="true">
    {Array.from({ length: rows }, () => (
      <li>
        <span class="token-row skeleton-row">
          <span class="token-avatar" />
          <span class="token-main">
            <span class="bone" style={{ width: "40%" }} />
            <span class="bone" style={{ width: "65%" }} />
          </span>
        </span>
      </li>
    ))}
  </ul>
);
