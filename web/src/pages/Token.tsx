// A token: facts read from the chain itself (supply, decimals, owner, cap,
// powers) through the chain's public RPC, next to what TokenForge recorded at
// launch (the launch, its time, the metadata URI). The chain is the truth; the
// record is context.
import { useEffect, useState } from "preact/hooks";
import { asApiError, getChains, getTokens, type ApiError, type Chain, type Token } from "../api";
import { ExternalLink, Mono, PageTitle, ProblemAlert, usePageTitle } from "../components";
import { FEATURES } from "../features";
import { NotATokenError, readEvmToken, readSolanaMint, type TokenFacts } from "../lib/chain-read";
import { formatDateTime, formatUnits, metadataHref, safeUrl } from "../lib/format";
import { FAMILY, type Family, type FeatureName } from "../lib/validate";
import { tokenCache, tokenKey } from "../token-list";
import { AddToWallet } from "../add-to-wallet";
import { SafetyCard } from "../safety-card";
import { MarketCard } from "./token/Market";
import { walletStore } from "../session";
import { useStore } from "../store";
import type { ComponentProps, FunctionComponent } from "preact";

type OwnerControlsProps = ComponentProps<typeof import("./token/OwnerControls").default>;

/** The owner controls, loaded only for the token's owner (they bring viem and kit). */
function OwnerSlot(props: OwnerControlsProps) {
  const [Controls, setControls] = useState<FunctionComponent<OwnerControlsProps> | null>(null);
  useEffect(() => {
    import("./token/OwnerControls").then((m) => setControls(() => m.default));
  }, []);
  return Controls ? <Controls {...props} /> : null;
}

/** The API's record of a token: there is no GET /tokens/:chain/:address yet, so look in the owner's list, then the chain's newest. */
async function findRecord(chain: string, address: string, owner: string | null): Promise<Token | null> {
  const same = (t: Token) => t.address.toLowerCase() === address.toLowerCase();
  if (owner) {
    const r = await getTokens({ chain, owner, limit: 100 });
    const hit = r.tokens.find(same);
    if (hit) return hit;
  }
  let cursor: string | null = null;
  for (let page = 0; page < 3; page++) {
    const r = await getTokens({ chain, limit: 100, cursor });
    const hit = r.tokens.find(same);
    if (hit) return hit;
    if (!r.nextCursor) break;
    cursor = r.nextCursor;
  }
  return null;
}

export default function TokenPage({ params }: { params: Record<string, string> }) {
  const { chain: chainId, address } = params as { chain: string; address: string };
  const { chain, facts, factsError, record, apiError, retry, retryFacts } = useTokenData(chainId, address);

  const name = facts?.name ?? record?.name ?? null;
  const symbol = facts?.symbol ?? record?.symbol ?? null;
  usePageTitle(name ? `${name}${symbol ? ` (${symbol})` : ""}` : "Token");

  if (chain === null) {
    return (
      <section>
        <PageTitle>Unknown chain</PageTitle>
        <p>TokenForge does not support a chain called <code>{chainId}</code>. <a href="/tokens">Explore tokens</a>.</p>
      </section>
    );
  }

  const family = chain?.family ?? (/^0x/.test(address) ? "evm" : "solana");
  const decimals = facts?.decimals ?? record?.decimals ?? 0;
  const explorerToken = chain?.explorerUrl ? `${chain.explorerUrl.replace(/\/$/, "")}/${family === "solana" ? "address" : "token"}/${address}` : undefined;
  // What the chain says wins; what it cannot say (e.g. burnable on Solana) comes from the launch record.
  const features = { ...(record?.features ?? {}), ...(facts?.features ?? {}) };
  const loadingFacts = !facts && !factsError;
  const featuresKnown = !!facts || !!record;
  const wallet = useStore(walletStore);
  const [changes, setChanges] = useState(0);
  const isOwner = !!wallet && !!facts && wallet.family === family && [facts.owner, facts.freezeAuthority].some((a) => !!a && (family === "evm" ? a.toLowerCase() === wallet.address.toLowerCase() : a === wallet.address));
  // Once shown, the controls stay for this visit: after a renounce they say it is done instead of vanishing.
  const [ownerSeen, setOwnerSeen] = useState(false);
  useEffect(() => void (isOwner && setOwnerSeen(true)), [isOwner]);

  return (
    <section class="token-page">
      <p class="eyebrow">{chain ? chain.name : chainId}</p>
      {name ? (
        <PageTitle>{record?.logo && <img class="token-logo" src={record.logo} alt="" width={40} height={40} data-testid="token-logo" />}<span data-testid="token-title">{name}</span>{symbol && <span class="muted"> ({symbol})</span>}</PageTitle>
      ) : (
        <div class={loadingFacts || record === undefined ? "ghost" : undefined}><PageTitle><span>{loadingFacts || record === undefined ? "Loading the token" : "Token"}</span></PageTitle></div>
      )}
      <p class="mono-line"><Mono value={address} testid="token-address" /> <ExternalLink href={safeUrl(explorerToken)}>View on explorer</ExternalLink></p>
      <ProblemAlert error={apiError} onRetry={retry} />
      {factsError && (
        <div class="alert" role="alert">
          <p>{factsError}</p>
          <button type="button" class="small secondary" onClick={retryFacts}>Try again</button>
        </div>
      )}

      <MarketCard record={record} />

      <div class="token-grid">
        <OnChainCard chain={chain} address={address} family={family} facts={facts} loading={loadingFacts} symbol={symbol} decimals={decimals} features={features} featuresKnown={featuresKnown} image={record?.logo ?? null} />

        {(isOwner || ownerSeen) && wallet && chain && facts && (
          <OwnerSlot chain={chain} address={address} symbol={symbol ?? ""} decimals={decimals} facts={facts} wallet={wallet.address}
            onChanged={() => (retryFacts(), setChanges((n) => n + 1))} />
        )}

        {record !== null && <SafetyCard chain={chainId} address={address} changes={changes} />}

        <section aria-labelledby="record-title" class="card" aria-busy={record === undefined}>
          <h2 id="record-title">Launch record</h2>
          {record === null ? (
            <p class="hint">TokenForge has no record of this token. It may have been created elsewhere.</p>
          ) : (
            <div class={record ? undefined : "ghost"} aria-hidden={record ? undefined : "true"}>
              <RecordFacts record={record ?? ghostRecord(chainId, address, family)} facts={facts} />
            </div>
          )}
        </section>
      </div>
    </section>
  );
}

type OnChainProps = {
  chain: Chain | undefined; address: string; family: Family; facts: TokenFacts | null; loading: boolean;
  symbol: string | null; decimals: number; features: PowersProps["features"]; featuresKnown: boolean;
  /** The logo's URL, passed to the wallet (EIP-747 `image`). */
  image: string | null;
};

/** What the chain itself says: facts, the powers left to the owner, and "add to wallet". */
function OnChainCard({ chain, address, family, facts, loading, symbol, decimals, features, featuresKnown, image }: OnChainProps) {
  return (
    <section aria-labelledby="onchain-title" class="card" aria-busy={loading}>
      <h2 id="onchain-title">On chain</h2>
      {facts ? (
        <FactsList facts={facts} family={family} symbol={symbol} />
      ) : loading ? (
        <div class="ghost" aria-hidden="true"><FactsList facts={ghostFacts(family)} family={family} symbol="TOKEN" /></div>
      ) : (
        <p class="hint">Not available.</p>
      )}
      <h3>Powers</h3>
      <Powers family={family} features={features} known={featuresKnown} facts={facts} />
      {family === "evm" && (
        <p class="hint" data-testid="features-bitmask">
          For developers: the contract's <code>features()</code> returns these as a bitmask (1 mintable, 2 burnable, 4 pausable,
          8 permit). Every TokenForge token answers <code>DOMAIN_SEPARATOR()</code> and <code>nonces()</code>, so check bit 8
          before using EIP-2612 permit.
        </p>
      )}
      {family === "evm" && chain && (
        <p class="actions">
          {facts && symbol ? <AddToWallet chain={chain} address={address} symbol={symbol} decimals={decimals} image={image} /> : <button type="button" class="secondary" disabled>Add to wallet</button>}
        </p>
      )}
    </section>
  );
}

/** The chain (null: unknown), what the chain says about the token, and TokenForge's record of it (null: none). */
function useTokenData(chainId: string, address: string) {
  const fromList = tokenCache.get(tokenKey(chainId, address));
  const [chain, setChain] = useState<Chain | null | undefined>(undefined);
  const [facts, setFacts] = useState<TokenFacts | null>(null);
  const [factsError, setFactsError] = useState<string | null>(null);
  const [record, setRecord] = useState<Token | null | undefined>(fromList);
  const [apiError, setApiError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    getChains().then((cs) => setChain(cs.find((c) => c.id === chainId) ?? null), (e) => setApiError(asApiError(e)));
  }, [chainId]);

  useEffect(() => {
    if (!chain) return;
    const ctl = new AbortController();
    setFactsError(null);
    const read = chain.family === "evm" ? readEvmToken : readSolanaMint;
    read(chain.rpcUrl, address, ctl.signal)
      .then((f) => {
        setFacts(f);
        return f.owner;
      }, (e) => {
        if (ctl.signal.aborted) return null;
        setFactsError(e instanceof NotATokenError ? e.message : `Could not read ${chain.name}: ${(e as Error).message || e}`);
        return null;
      })
      .then((owner) => {
        if (ctl.signal.aborted || record) return;
        findRecord(chain.id, address, owner ?? null).then((r) => !ctl.signal.aborted && setRecord(r), (e) => !ctl.signal.aborted && (setRecord(null), setApiError(asApiError(e))));
      });
    return () => ctl.abort();
  }, [chain, address, attempt]);

  return {
    chain, facts, factsError, record, apiError,
    retry: () => { setApiError(null); setAttempt((n) => n + 1); },
    retryFacts: () => setAttempt((n) => n + 1),
  };
}

type PowersProps = { family: Family; features: Partial<Record<FeatureName, boolean>>; known: boolean; facts?: TokenFacts | null };

// What each power does is known from the chain's family alone, so it renders at once;
// only the yes/no arrives with the data (same size: nothing moves). A power whose key
// is gone (owner renounced, authority revoked) reads "no", as the Safety card says.
function Powers({ family, features, known, facts }: PowersProps) {
  return (
    <ul class="powers" data-testid="powers">
      {FAMILY[family].features.map((f) => {
        const info = FEATURES[family][f]!;
        const built = !!(features as Record<string, boolean>)[f];
        const keyGone = built && !!facts && !!info.heldBy && facts[info.heldBy] === null;
        const on = built && !keyGone;
        return (
          <li class={known ? (on ? "on" : "off") : undefined} data-power={f}>
            <strong>{info.title}</strong>{" "}
            <span class={`pill ${!known ? "pill-unknown" : on ? (info.flagged ? "pill-warn" : "pill-ok") : "pill-off"}`}>
              {!known ? "…" : on ? (info.flagged ? "yes · flagged by scanners" : "yes") : keyGone ? keyGoneText(family, info.heldBy!) : "no"}
            </span>
            <span class="hint block">{info.what}</span>
          </li>
        );
      })}
    </ul>
  );
}

function keyGoneText(family: Family, heldBy: "owner" | "freezeAuthority"): string {
  if (family === "evm") return "no · owner renounced";
  return heldBy === "owner" ? "no · mint authority revoked" : "no · freeze authority revoked";
}

function FactsList({ facts, family, symbol }: { facts: TokenFacts; family: "evm" | "solana"; symbol: string | null }) {
  return (
    <dl class="facts" data-testid="onchain-facts">
      <dt>Total supply</dt>
      <dd data-testid="total-supply">{formatUnits(facts.totalSupply, facts.decimals)} {symbol ?? ""}</dd>
      <dt>Decimals</dt>
      <dd>{facts.decimals}</dd>
      <dt>{family === "solana" ? "Mint authority" : "Owner"}</dt>
      <dd>{facts.owner ? <Mono value={facts.owner} /> : <span class="hint">{family === "solana" ? "revoked — supply is fixed" : "none (renounced)"}</span>}</dd>
      {family === "evm" && (
        <>
          <dt>Max supply</dt>
          <dd>{facts.cap ? `${formatUnits(facts.cap, facts.decimals)} ${symbol ?? ""}` : "no cap"}</dd>
        </>
      )}
      {family === "solana" && (
        <>
          <dt>Freeze authority</dt>
          <dd>{facts.freezeAuthority ? <Mono value={facts.freezeAuthority} /> : <span class="hint">revoked</span>}</dd>
        </>
      )}
      {facts.paused !== null && (
        <>
          <dt>Transfers</dt>
          <dd>{facts.paused ? <strong class="error-text">paused by the owner</strong> : "open"}</dd>
        </>
      )}
    </dl>
  );
}

function RecordFacts({ record, facts }: { record: Token; facts: TokenFacts | null }) {
  return (
    <>
      <dl class="facts">
        <dt>Launched</dt>
        <dd>{formatDateTime(record.createdAt)}</dd>
        <dt>Launch</dt>
        <dd><a href={`/launches/${encodeURIComponent(record.launchId)}`}>{record.launchId}</a></dd>
        <dt>Owner at launch</dt>
        <dd><Mono value={record.owner} /></dd>
        <dt>Metadata</dt>
        <dd>
          {record.metadataUri ? (
            <>
              <code class="wrap">{record.metadataUri}</code>{" "}
              <ExternalLink href={metadataHref(record.metadataUri)}>open</ExternalLink>
            </>
          ) : facts?.metadataUri ? <code class="wrap">{facts.metadataUri}</code> : <span class="hint">none</span>}
        </dd>
      </dl>
    </>
  );
}

/** Made-up facts of the right shape (same lines, same lengths) for the loading state. */
const ghostFacts = (family: "evm" | "solana"): TokenFacts =>
  family === "evm"
    ? { name: null, symbol: null, decimals: 18, totalSupply: 10n ** 24n, owner: "0x" + "0".repeat(40), cap: null, features: {}, paused: false }
    : { name: null, symbol: null, decimals: 9, totalSupply: 10n ** 15n, owner: "1".repeat(44), cap: null, features: {}, paused: null, freezeAuthority: null };

const ghostRecord = (chain: string, address: string, family: "evm" | "solana"): Token => ({
  chain, address, name: "", symbol: "", decimals: 0, initialSupply: "0", owner: family === "evm" ? "0x" + "0".repeat(40) : "1".repeat(44),
  features: {}, metadataUri: null, logo: null, launchId: "lch_" + "0".repeat(26), txHash: null, createdAt: new Date(0).toISOString(), market: null, stats: null,
});
