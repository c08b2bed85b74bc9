// Explore: confirmed tokens across chains, newest first (or by market cap, volume, holders), filtered by chain and
// searched by name, symbol or address, with cursor pagination ("load more").
// GET /api/v1/tokens has no text search yet, so search runs over the pages
// loaded so far; "load more" keeps searching further back.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { asApiError, getChains, getTokens, type ApiError, type Chain, type Token, type TokenSort } from "../api";
import { PageTitle, ProblemAlert, usePageTitle } from "../components";
import { isHexAddress } from "../lib/keccak";
import { navigate, useLocation } from "../router";
import { TokenList, TokenListSkeleton, tokenPath } from "../token-list";

const PAGE = 20;
const SORTS: { id: TokenSort; label: string }[] = [
  { id: "newest", label: "Newest" }, { id: "market_cap", label: "Market cap" }, { id: "volume", label: "24 h volume" }, { id: "holders", label: "Holders" },
];
const asSort = (s: string | null): TokenSort => (SORTS.some((x) => x.id === s) ? (s as TokenSort) : "newest");

const matches = (t: Token, q: string) => {
  const n = q.toLowerCase();
  return t.name.toLowerCase().includes(n) || t.symbol.toLowerCase().includes(n) || t.address.toLowerCase() === n || (n.length >= 6 && t.address.toLowerCase().includes(n));
};

export default function Tokens(_: { params: Record<string, string> }) {
  usePageTitle("Explore tokens");
  const loc = useLocation();
  const params = new URLSearchParams(loc.search);
  const chainFilter = params.get("chain") ?? "";
  const sort = asSort(params.get("sort"));
  const [q, setQ] = useState(params.get("q") ?? "");
  const [chains, setChains] = useState<Chain[] | null>(null);
  const listStart = useRef<HTMLDivElement>(null);

  useEffect(() => {
    getChains().then(setChains, () => setChains([]));
  }, []);
  const { tokens, cursor, loadingMore, error, retry, loadMore } = useTokenPages(chainFilter, sort);
  useSearchInUrl(q);

  const query = q.trim();
  const shown = useMemo(() => (tokens && query ? tokens.filter((t) => matches(t, query)) : tokens), [tokens, query]);
  // A full address may be a token that is not in the loaded pages: offer its page directly (AddressLinks).
  const addressChains = query && chains ? chains.filter((c) => (c.family === "evm" ? isHexAddress(query) : /^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(query)) && (!chainFilter || c.id === chainFilter)) : [];

  return (
    <section class="explore">
      <PageTitle>Explore tokens</PageTitle>
      <Filters q={q} setQ={setQ} chains={chains} chainFilter={chainFilter} sort={sort} />

      <ProblemAlert error={error} onRetry={retry} />

      <div ref={listStart} aria-live="polite" aria-busy={tokens === null}>
        {tokens !== null && (
          <p class="hint result-count">
            {query
              ? `${shown!.length} of ${tokens.length} loaded token${tokens.length === 1 ? "" : "s"} match “${query}”${cursor ? " — load more to search further back" : ""}.`
              : `${tokens.length} token${tokens.length === 1 ? "" : "s"}${cursor ? " so far" : ""}.`}
          </p>
        )}
      </div>
      {addressChains.length > 0 && shown?.length === 0 && <AddressLinks chains={addressChains} address={query} />}
      {tokens === null && !error ? (
        <TokenListSkeleton rows={8} />
      ) : shown && shown.length > 0 ? (
        <TokenList tokens={shown} chains={chains} testid="token-list" />
      ) : tokens && tokens.length === 0 ? (
        <p class="empty">No tokens {chainFilter ? "on this chain " : ""}yet. <a href="/launch">Launch one</a>.</p>
      ) : null}
      {cursor && (
        <p class="load-more">
          <button type="button" class="secondary" onClick={loadMore} disabled={loadingMore} data-testid="load-more">
            {loadingMore ? "Loading…" : "Load more"}
          </button>
        </p>
      )}
    </section>
  );
}

/** The first page of tokens (again when the chain filter changes or on retry), and "load more" after it. */
function useTokenPages(chainFilter: string, sort: TokenSort) {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    setTokens(null);
    setError(null);
    getTokens({ chain: chainFilter || undefined, limit: PAGE, sort }, ctl.signal).then(
      (r) => {
        setTokens(r.tokens);
        setCursor(r.nextCursor);
      },
      (e) => !ctl.signal.aborted && setError(asApiError(e)),
    );
    return () => ctl.abort();
  }, [chainFilter, sort, attempt]);

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const r = await getTokens({ chain: chainFilter || undefined, limit: PAGE, cursor, sort });
      setTokens((t) => [...(t ?? []), ...r.tokens]);
      setCursor(r.nextCursor);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setLoadingMore(false);
    }
  }

  return { tokens, cursor, loadingMore, error, retry: () => setAttempt((n) => n + 1), loadMore };
}

/** Keeps the search in the URL (replace, not push: typing is not navigation). */
function useSearchInUrl(q: string) {
  useEffect(() => {
    const t = setTimeout(() => {
      const p = new URLSearchParams(location.search);
      if (q.trim()) p.set("q", q.trim());
      else p.delete("q");
      const next = `/tokens${p.size ? "?" + p : ""}`;
      if (next !== location.pathname + location.search) history.replaceState(history.state, "", next);
    }, 300);
    return () => clearTimeout(t);
  }, [q]);
}

function setParam(name: "chain" | "sort", value: string) {
  const p = new URLSearchParams(location.search);
  if (value && !(name === "sort" && value === "newest")) p.set(name, value);
  else p.delete(name);
  navigate(`/tokens${p.size ? "?" + p : ""}`, { replace: true });
}

type FiltersProps = { q: string; setQ: (q: string) => void; chains: Chain[] | null; chainFilter: string; sort: TokenSort };

function Filters({ q, setQ, chains, chainFilter, sort }: FiltersProps) {
  return (
    <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <div class="field grow">
        <label for="search">Search</label>
        <input id="search" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} placeholder="Name, symbol or address" autoComplete="off" spellcheck={false} />
      </div>
      <div class="field">
        <label for="chain-filter">Chain</label>
        <select id="chain-filter" value={chainFilter} onChange={(e) => setParam("chain", e.currentTarget.value)}>
          <option value="">All chains</option>
          {chains?.map((c) => <option value={c.id}>{c.name}</option>)}
          {chainFilter && !chains?.some((c) => c.id === chainFilter) && <option value={chainFilter}>{chainFilter}</option>}
        </select>
      </div>
      <div class="field">
        <label for="sort">Sort by</label>
        <select id="sort" value={sort} onChange={(e) => setParam("sort", e.currentTarget.value)} data-testid="sort">
          {SORTS.map((s) => <option value={s.id}>{s.label}</option>)}
        </select>
      </div>
    </form>
  );
}

/** A full address may be a token that is not in the loaded pages: links to its page on each chain it fits. */
function AddressLinks({ chains, address }: { chains: Chain[]; address: string }) {
  return (
    <p>
      Open the token page for this address on{" "}
      {chains.map((c, i) => (
        <>
          {i > 0 && ", "}
          <a href={tokenPath({ chain: c.id, address })}>{c.name}</a>
        </>
      ))}
      .
    </p>
  );
}
