// A launch, live: the status timeline (queued → submitted → confirmed, or failed
// with the reason) from the API's server-sent events, with polling when the
// stream cannot be used; the token's address with copy and explorer links, and
// "add to wallet" once it is confirmed. A wallet-paid launch waits for its
// payment first (launch/Payment.tsx asks the wallet), and may expire unpaid.
import { useEffect, useRef, useState } from "preact/hooks";
import {
  ApiError, asApiError, getChains, getLaunch, isFinal, launchStreamUrl, type Accepted, type Chain, type Launch, type LaunchStatus as Status,
} from "../api";
import { ExternalLink, Mono, PageTitle, ProblemAlert, StatusBadge, usePageTitle } from "../components";
import { formatDateTime, formatTime, formatWhole, safeUrl } from "../lib/format";
import { locationStore } from "../router";
import { AddToWallet } from "../add-to-wallet";
import { tokenPath } from "../token-list";
import { navigate } from "../router";
import { saveDraft } from "./create/draft-storage";
import { Payment, type PaymentInfo } from "./launch/Payment";

const POLL_MS = 1_500;

/** What the page shows: the launch view, or until it arrives what the 202 said about the launch. */
type Shown = Pick<Launch, "id" | "status" | "chain" | "address" | "error" | "events"> & Partial<Launch>;

/** Follows a launch: SSE first; after repeated stream failures, GET every 1.5 s. Stops when final. */
function useLiveLaunch(id: string, initial: Shown | null) {
  const [launch, setLaunch] = useState<Shown | null>(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [mode, setMode] = useState<"stream" | "poll">(typeof EventSource === "function" ? "stream" : "poll");

  useEffect(() => {
    if (mode !== "stream") return;
    const es = new EventSource(launchStreamUrl(id));
    let failures = 0;
    let opened = false;
    let final = false;
    es.onopen = () => {
      opened = true;
    };
    es.addEventListener("launch", (e) => {
      failures = 0;
      setError(null);
      const view = JSON.parse((e as MessageEvent<string>).data) as Launch;
      setLaunch(view);
      final = isFinal(view.status);
      if (final) es.close();
    });
    es.addEventListener("end", () => {
      final = true;
      es.close();
    });
    es.onerror = () => {
      // After the final view a close (or the server's 204 to a reconnect) means
      // done, not broken: stay on the stream's answer, no polling.
      if (final) {
        es.close();
        return;
      }
      // The server ends each stream after a minute and EventSource reconnects by
      // itself; a stream that never opened, or keeps failing, means: poll instead.
      failures++;
      if (!opened || es.readyState === EventSource.CLOSED || failures >= 3) {
        es.close();
        setMode("poll");
      }
    };
    return () => es.close();
  }, [id, mode]);

  useEffect(() => {
    if (mode !== "poll") return;
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ctl = new AbortController();
    let delay = POLL_MS;
    const tick = async () => {
      try {
        const view = await getLaunch(id, ctl.signal);
        setLaunch(view);
        setError(null);
        delay = POLL_MS;
        if (isFinal(view.status)) return;
      } catch (e) {
        if (stop) return;
        const err = asApiError(e);
        setError(err);
        if (err.status === 404 || err.status === 400) return;
        delay = Math.min(delay * 2, 15_000);
      }
      if (!stop) timer = setTimeout(tick, delay);
    };
    void tick();
    return () => {
      stop = true;
      ctl.abort();
      clearTimeout(timer);
    };
  }, [id, mode]);

  return { launch, error, mode };
}

type Stage = { status: Status; title: string; waiting: string };
const STAGES: Stage[] = [
  { status: "queued", title: "Queued", waiting: "Waiting for the deployer" },
  { status: "submitted", title: "Submitted", waiting: "Transaction not sent yet" },
  { status: "confirmed", title: "Confirmed", waiting: "Waiting for the block" },
];
/** A wallet-paid launch: the payer's one transaction deploys, so there is no queue. */
const WALLET_STAGES: Stage[] = [
  { status: "awaiting_payment", title: "Awaiting payment", waiting: "Waiting for your wallet's transaction" },
  { status: "confirmed", title: "Confirmed", waiting: "Waiting for the block" },
];
const isWalletPaid = (l: Shown) => l.status === "awaiting_payment" || l.status === "expired" || l.events.some((e) => e.status === "awaiting_payment");

/** What the payer has to send: as the 202 said right after launching, else as the launch view says (a link opened later). */
function paymentInfo(launch: Shown, accepted: Accepted | null): PaymentInfo {
  const view = launch.payment;
  return {
    payer: accepted?.payment?.payer ?? view?.payer ?? null,
    expiresAt: accepted?.payment?.expiresAt ?? view?.expiresAt ?? null,
    transaction: accepted?.transaction ?? view?.transaction ?? null,
  };
}

// Long: the page's data hooks (view, stream, payment) and one JSX tree for every status, awaiting payment to expired.
export default function LaunchStatusPage({ params }: { params: Record<string, string> }) {
  const id = params.id!;
  const state = locationStore.get().state as { accepted?: Accepted; pay?: boolean } | null;
  const accepted = state?.accepted?.id === id ? state.accepted : null;
  const initial: Shown | null = accepted ? { id, status: accepted.status, chain: accepted.chain, address: accepted.address, error: null, events: [] } : null;
  // Ask the wallet to pay once, on arrival from "Pay and launch"; a reload of this page does not ask again.
  const [autoPay] = useState(() => {
    if (!accepted || !state?.pay) return false;
    history.replaceState({ ...state, pay: false }, "");
    return true;
  });
  const { launch, error, mode } = useLiveLaunch(id, initial);
  const [chains, setChains] = useState<Chain[] | null>(null);
  useEffect(() => {
    getChains().then(setChains, () => setChains([]));
  }, []);

  const req = launch?.request;
  usePageTitle(req ? `${req.name} (${req.symbol}) — ${launch!.status}` : "Launch");

  const announce = useStatusAnnouncement(launch?.status);

  if (!launch && error?.status === 404) {
    return (
      <section>
        <PageTitle>Launch not found</PageTitle>
        <p>There is no launch with the id <code>{id}</code>. Check the link, or <a href="/launch">launch a token</a>.</p>
      </section>
    );
  }

  const chain = chains?.find((c) => c.id === launch?.chain);

  return (
    <section class="launch-status">
      <p class="eyebrow">Launch <span class="mono">{id}</span></p>
      {req ? (
        <PageTitle><span data-testid="launch-name">{req.name}</span> <span class="muted">({req.symbol})</span></PageTitle>
      ) : (
        <div class={launch?.request ? undefined : "ghost"}><PageTitle><span>Your token</span></PageTitle></div>
      )}
      <p class="status-line">
        {launch ? <StatusBadge status={launch.status} /> : <span class="badge">Loading</span>}
        {launch && !isFinal(launch.status) && <span class="hint live-hint">{mode === "stream" ? "Live" : "Refreshing every few seconds"}</span>}
      </p>
      <p class="visually-hidden" aria-live="polite" role="status">{announce}</p>
      {error && error.status !== 404 && <ProblemAlert error={error} />}

      {!launch ? (
        <LoadingLaunch id={id} />
      ) : (
        <>
          <Timeline launch={launch} />
          {launch.status === "awaiting_payment" && chain && <Payment launchId={id} chain={chain} info={paymentInfo(launch, accepted)} autoStart={autoPay} />}
          {launch.status === "expired" && (
            <div class="alert" role="alert" data-testid="launch-expired">
              <p><strong>This launch expired</strong>: no payment arrived in time, so nothing was deployed and nothing was charged.</p>
              {req && (
                <p>
                  <button type="button" class="small secondary" onClick={() => { saveDraft(draftOf(req)); navigate("/launch"); }}>Launch it again</button>
                </p>
              )}
            </div>
          )}
          {launch.status === "failed" && launch.error && (
            <div class="alert" role="alert" data-testid="launch-error">
              <p><strong>The launch failed</strong> ({launch.error.type})</p>
              <p>{launch.error.detail}</p>
              <p class="hint">Nothing was charged for a launch that failed before it was sent. Operators can replay failed launches.</p>
            </div>
          )}

          <LaunchFacts launch={launch} chain={chain} />

          {launch.status === "confirmed" && (
            <div class="actions">
              <a class="button" href={tokenPath(launch)} data-testid="token-page-link">Open the token page</a>
              {chain?.family === "evm" && req && <AddToWallet chain={chain} address={launch.address} symbol={req.symbol} decimals={req.decimals} />}
            </div>
          )}
          <p><a href="/launch">Launch another token</a></p>
        </>
      )}
    </section>
  );
}

/** Tells screen readers about status changes (not the first render). */
function useStatusAnnouncement(status: Status | undefined): string {
  const [announce, setAnnounce] = useState("");
  const lastStatus = useRef<Status | null>(null);
  useEffect(() => {
    if (!status) return;
    if (lastStatus.current && lastStatus.current !== status) setAnnounce(`Launch ${status}.`);
    lastStatus.current = status;
  }, [status]);
  return announce;
}

/** While the first view loads: the same timeline and facts with made-up values (nothing moves when it arrives). */
function LoadingLaunch({ id }: { id: string }) {
  return (
    <div class="ghost" aria-hidden="true">
      <Timeline launch={{ id, status: "queued", chain: "", address: "", error: null, events: [] }} />
      <dl class="facts">
        {["Chain", "Token address", "Transaction", "Block", "Supply"].map((t) => (
          <>
            <dt>{t}</dt>
            <dd>…</dd>
          </>
        ))}
      </dl>
    </div>
  );
}

/** Chain, address, transaction, block and supply, each with its explorer link once known. */
function LaunchFacts({ launch, chain }: { launch: Shown; chain: Chain | undefined }) {
  const solana = chain?.family === "solana";
  const tx = (solana ? launch.signature : launch.txHash) ?? launch.txHash ?? launch.signature ?? null;
  const block = (solana ? launch.slot : launch.blockNumber) ?? launch.blockNumber ?? launch.slot ?? null;
  const explorer = launch.explorer;
  const req = launch.request;
  return (
    <dl class="facts">
      <dt>Chain</dt>
      <dd>{chain ? chain.name : launch.chain}</dd>
      <dt>Token {solana ? "mint" : "address"}</dt>
      <dd>
        {launch.address ? (
          <>
            <Mono value={launch.address} testid="token-address" />
            <ExternalLink href={safeUrl(explorer?.token)}>View on explorer</ExternalLink>
          </>
        ) : (
          <span class="hint">assigned when the transaction is sent</span>
        )}
      </dd>
      <dt>{solana ? "Signature" : "Transaction"}</dt>
      <dd>
        {tx ? (
          <>
            <Mono value={tx} testid="tx-hash" />
            <ExternalLink href={safeUrl(explorer?.tx)}>View on explorer</ExternalLink>
          </>
        ) : (
          <span class="hint">not sent yet</span>
        )}
      </dd>
      <dt>{solana ? "Slot" : "Block"}</dt>
      <dd>{block != null ? <span data-testid="block-number">{block.toLocaleString()}</span> : <span class="hint">not included yet</span>}</dd>
      {req && (
        <>
          <dt>Supply</dt>
          <dd>{formatWhole(req.initialSupply)} {req.symbol}{req.maxSupply ? `, capped at ${formatWhole(req.maxSupply)}` : ""}</dd>
        </>
      )}
    </dl>
  );
}

/** The launch request back as a draft of the create form (to launch it again after it expired). */
function draftOf(r: NonNullable<Shown["request"]>) {
  return {
    chain: r.chain, name: r.name, symbol: r.symbol, decimals: String(r.decimals), initialSupply: r.initialSupply, maxSupply: r.maxSupply ?? "",
    owner: r.owner, features: { ...r.features },
    // With presence fields the metadataUri is the platform's own document: relaunch from the fields instead.
    ...(r.logo || r.description || r.website || r.links
      ? { metadataUri: "", logo: r.logo, logoUrl: r.logo ? `/api/v1/assets/${r.logo}` : undefined, description: r.description, website: r.website, linkX: r.links?.x, linkTelegram: r.links?.telegram, linkDiscord: r.links?.discord }
      : { metadataUri: r.metadataUri ?? "" }),
  };
}

function Timeline({ launch }: { launch: Shown }) {
  const lastAt = (s: Status) => [...launch.events].reverse().find((e) => e.status === s);
  const base = isWalletPaid(launch) ? WALLET_STAGES : STAGES;
  const order = base.map((s) => s.status);
  const ended = launch.status === "failed" || launch.status === "expired";
  const reached = ended ? -1 : order.indexOf(launch.status);
  const stages = ended
    ? [...base.filter((s) => lastAt(s.status) && s.status !== "confirmed"), { status: launch.status, title: launch.status === "failed" ? "Failed" : "Expired", waiting: "" }]
    : base;
  return (
    <>
      <ol class="timeline" data-testid="timeline">
        {stages.map((s, i) => {
          const ev = lastAt(s.status);
          const done = ended ? true : i <= reached;
          const current = launch.status === s.status;
          return (
            <li class={`${done ? "done" : "pending"}${current ? " current" : ""} stage-${s.status}`} aria-current={current ? "step" : undefined}>
              <span class="dot" aria-hidden="true" />
              <span class="stage-title">{s.title}</span>
              <span class="hint">
                {ev ? <time dateTime={ev.at}>{formatTime(ev.at)}</time> : done ? "" : s.waiting}
                {ev?.detail && <> · {ev.detail}</>}
              </span>
            </li>
          );
        })}
      </ol>
      {launch.events.length > 3 && (
        <details class="history">
          <summary>Full history ({launch.events.length} events)</summary>
          <ol class="events">
            {launch.events.map((e) => (
              <li><time dateTime={e.at}>{formatDateTime(e.at)}</time> <strong>{e.status}</strong>{e.detail && <> — {e.detail}</>}</li>
            ))}
          </ol>
        </details>
      )}
    </>
  );
}
