// Home: what TokenForge does, the two ways in (launch, explore), the chains with
// today's launch cost, the latest tokens and the trending ones.
import { useEffect, useState } from "preact/hooks";
import { asApiError, getChains, getTokens, type ApiError, type Chain, type Token } from "../api";
import { PageTitle, ProblemAlert, usePageTitle } from "../components";
import { formatNative } from "../lib/format";
import { TokenList, TokenListSkeleton } from "../token-list";

const RECENT = 5;

export default function Home(_: { params: Record<string, string> }) {
  usePageTitle("");
  const [chains, setChains] = useState<Chain[] | null>(null);
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [trending, setTrending] = useState<Token[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    getChains().then(setChains, (e) => setError(asApiError(e)));
    getTokens({ limit: RECENT }, ctl.signal).then((r) => setTokens(r.tokens), (e) => !ctl.signal.aborted && setError(asApiError(e)));
    getTokens({ limit: RECENT, sort: "trending" }, ctl.signal).then((r) => setTrending(r.tokens), () => !ctl.signal.aborted && setTrending([]));
    return () => ctl.abort();
  }, [attempt]);

  return (
    <>
      <section class="hero">
        <PageTitle>Launch a token in under a minute</PageTitle>
        <p class="lead">
          An ERC-20 on Ethereum-compatible chains or an SPL token on Solana: connect a wallet, describe your token, see what it
          costs, and watch it go from queued to confirmed.
        </p>
        <p class="actions">
          <a class="button" href="/launch">Launch a token</a>
          <a class="button secondary" href="/tokens">Explore tokens</a>
        </p>
      </section>

      <Steps />

      <ProblemAlert error={error} onRetry={() => setAttempt((n) => n + 1)} />

      <div class="home-grid">
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">Latest tokens</h2>
          {tokens === null ? (
            <TokenListSkeleton rows={RECENT} />
          ) : tokens.length === 0 ? (
            <p class="empty">No tokens yet. <a href="/launch">Launch the first one</a>.</p>
          ) : (
            <>
              <TokenList tokens={tokens} chains={chains} testid="recent-tokens" />
              <p><a href="/tokens">All tokens →</a></p>
            </>
          )}
        </section>
        <Trending tokens={trending} chains={chains} />
        <section aria-labelledby="chains-title">
          <h2 id="chains-title">Chains</h2>
          <ul class="chain-list">
            {(chains ?? Array.from({ length: 2 }, () => null)).map((c) => (
              <li>
                {c ? (
                  <>
                    <span class="chain-name">{c.name}</span>
                    <span class="hint">
                      {c.fees ? <>about {formatNative(c.fees.estimatedCost, c.family === "solana" ? 9 : 18, c.nativeSymbol)} a launch</> : "cost estimate unavailable"}
                    </span>
                  </>
                ) : (
                  <>
                    <span class="bone" style={{ width: "60%" }} />
                    <span class="bone" style={{ width: "40%" }} />
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}

/** Trending (sort=trending): most growth in 24 h volume among tokens with a pool, ties by holders; hidden while none. */
function Trending({ tokens, chains }: { tokens: Token[] | null; chains: Chain[] | null }) {
  if (!tokens?.length) return null;
  return (
    <section aria-labelledby="trending-title">
      <h2 id="trending-title">Trending</h2>
      <p class="hint">Most growth in 24 h trading volume among tokens with a pool.</p>
      <TokenList tokens={tokens} chains={chains} testid="trending-tokens" />
    </section>
  );
}

const Steps = () => (
  <ol class="steps" aria-label="How it works">
    <li><strong>Connect</strong> a wallet and sign in with one signature — no transaction, no gas.</li>
    <li><strong>Describe</strong> the token: name, symbol, supply, and only the powers you want to keep.</li>
    <li><strong>Launch</strong> and follow it live; add it to your wallet when it is confirmed.</li>
  </ol>
);
