// Token lists per EVM chain in the Uniswap Token Lists format (the schema is
// published in @uniswap/token-lists; test/unit/token-list.test.ts validates what
// this builds against it and checks the patterns below are the schema's). Pure:
// the cron passes the tokens, the previous list and the time.

/** The schema's TokenInfo.name (maxLength 60, pattern) and symbol (maxLength 20, pattern). */
export const LIST_TOKEN_NAME = { maxLength: 60, pattern: /^[ \S+]+$/u };
export const LIST_TOKEN_SYMBOL = { maxLength: 20, pattern: /^\S+$/u };
/** The schema's tokens maxItems. */
export const LIST_MAX_TOKENS = 10_000;

export type ListToken = { chainId: number; address: string; name: string; symbol: string; decimals: number; logoURI: string };
export type Version = { major: number; minor: number; patch: number };
export type TokenList = { name: string; timestamp: string; version: Version; keywords: string[]; tokens: ListToken[] };

/** Whether the schema takes the token (length counted in code points, as JSON Schema does). */
export function listable(t: Pick<ListToken, "name" | "symbol">): boolean {
  const len = (s: string) => [...s].length;
  return len(t.name) >= 1 && len(t.name) <= LIST_TOKEN_NAME.maxLength && LIST_TOKEN_NAME.pattern.test(t.name) && len(t.symbol) >= 1 && len(t.symbol) <= LIST_TOKEN_SYMBOL.maxLength && LIST_TOKEN_SYMBOL.pattern.test(t.symbol);
}

/**
 * The next version as the spec says: major when a token is removed (or its
 * address changed), minor when one is added, patch when a listed token's details
 * (name, symbol, decimals, logo) changed; the same version when nothing did.
 */
export function nextVersion(prev: { version: Version; tokens: ListToken[] } | null, tokens: ListToken[]): Version {
  if (!prev) return { major: 1, minor: 0, patch: 0 };
  const key = (t: ListToken) => `${t.chainId}:${t.address.toLowerCase()}`;
  const before = new Map(prev.tokens.map((t) => [key(t), t]));
  const after = new Map(tokens.map((t) => [key(t), t]));
  const v = prev.version;
  if ([...before.keys()].some((k) => !after.has(k))) return { major: v.major + 1, minor: 0, patch: 0 };
  if ([...after.keys()].some((k) => !before.has(k))) return { major: v.major, minor: v.minor + 1, patch: 0 };
  const changed = tokens.some((t) => {
    const b = before.get(key(t))!;
    return b.name !== t.name || b.symbol !== t.symbol || b.decimals !== t.decimals || b.logoURI !== t.logoURI;
  });
  return changed ? { ...v, patch: v.patch + 1 } : v;
}

/**
 * The list for one chain: the listable tokens among `candidates` (newest first,
 * already filtered to tokens with a logo), at most 10,000. Null when none is left
 * (the schema wants at least one token; the route answers 404). The timestamp
 * moves only with the version, so an unchanged list is the same document.
 */
export function buildTokenList(listName: string, candidates: ListToken[], prev: TokenList | null, now: Date): TokenList | null {
  const tokens = candidates.filter(listable).slice(0, LIST_MAX_TOKENS);
  if (!tokens.length) return null;
  const version = nextVersion(prev, tokens);
  const same = prev && version.major === prev.version.major && version.minor === prev.version.minor && version.patch === prev.version.patch;
  return { name: listName, timestamp: same ? prev.timestamp : now.toISOString(), version, keywords: ["tokenforge"], tokens };
}

/** Where the cron keeps a chain's list in KV (the api serves it as is). */
export const tokenListKey = (chain: string) => `tokenlist:v1:${chain}`;

/** A list name the schema takes (`^[\w ]+$`, at most 30 characters). */
export const listName = (chainName: string) => `TokenForge ${chainName}`.replace(/[^\w ]+/g, " ").replace(/\s+/g, " ").trim().slice(0, 30);
