// Operations (admins): each chain's RPC endpoints with their circuit breaker and
// token bucket, the backlog, the dead-letter queue with replay (one / all), and
// the latest failed launches; refreshed every few seconds while the tab is visible.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import {
  asApiError, getChains, getHealth, getMyLaunches, listDeadLetters, replayAllDeadLetters, replayDeadLetter,
  type ApiError, type DeadLetter, type Health, type HealthEndpoint, type LaunchSummary,
} from "../api";
import { PageTitle, ProblemAlert, Skeleton, StatusBadge, usePageTitle } from "../components";
import { formatDateTime, formatNative, timeAgo } from "../lib/format";
import { openSignIn, sessionStore } from "../session";
import { useStore } from "../store";

const REFRESH_MS = 5_000;
const TOKEN_KEY = "tokenforge.adminToken";

function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? "";
  } catch {
    return "";
  }
}

/** Calls fn now and every REFRESH_MS while the page is visible. */
function useRefresh(fn: () => Promise<void>, deps: unknown[]) {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stop = false;
    const loop = async () => {
      if (document.visibilityState === "visible") await saved.current().catch(() => undefined);
      if (!stop) timer = setTimeout(loop, REFRESH_MS);
    };
    void loop();
    const onVisible = () => document.visibilityState === "visible" && void saved.current();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stop = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, deps);
}

export default function Ops(_: { params: Record<string, string> }) {
  usePageTitle("Operations");
  const session = useStore(sessionStore);
  const [token, setToken] = useState(storedToken);
  const [tokenInput, setTokenInput] = useState("");
  const isAdmin = session.status === "user" && session.user.role === "admin";
  const bearer = isAdmin ? undefined : token || undefined;
  const allowed = isAdmin || !!token;

  const [health, setHealth] = useState<Health | null>(null);
  const [healthError, setHealthError] = useState<ApiError | null>(null);
  const [letters, setLetters] = useState<DeadLetter[] | null>(null);
  const [lettersError, setLettersError] = useState<ApiError | null>(null);
  const [failures, setFailures] = useState<LaunchSummary[] | null>(null);
  const [updated, setUpdated] = useState<Date | null>(null);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [symbols, setSymbols] = useState<Record<string, string>>({});
  useEffect(() => {
    getChains().then((cs) => setSymbols(Object.fromEntries(cs.map((c) => [c.id, c.nativeSymbol]))), () => undefined);
  }, []);
  const chainSymbol = (id: string) => symbols[id] ?? "";
  const [dlqAvailable, setDlqAvailable] = useState(true);

  useRefresh(async () => {
    if (!allowed) return;
    const [h, d, f] = await Promise.allSettled([
      getHealth(bearer),
      dlqAvailable ? listDeadLetters(bearer) : Promise.resolve({ deadLetters: [] }),
      isAdmin ? getMyLaunches(null, true) : Promise.reject(null),
    ]);
    // /health answers 503 with the same body when something is down: show it either way.
    if (h.status === "fulfilled") { setHealth(h.value); setHealthError(null); } else setHealthError(asApiError(h.reason));
    if (d.status === "fulfilled") {
      const v = d.value as { deadLetters?: DeadLetter[]; items?: DeadLetter[] } | DeadLetter[];
      setLetters(Array.isArray(v) ? v : v.deadLetters ?? v.items ?? []);
      setLettersError(null);
    } else if (asApiError(d.reason).status === 404) setDlqAvailable(false); // an API without the dead-letter routes
    else setLettersError(asApiError(d.reason));
    if (f.status === "fulfilled") setFailures(f.value.launches.filter((l) => l.status === "failed"));
    setUpdated(new Date());
  }, [allowed, bearer, isAdmin, dlqAvailable]);

  async function replay(id: string | null) {
    setBusy(id ?? "all");
    setNote("");
    try {
      if (id) await replayDeadLetter(id, bearer);
      else {
        const r = await replayAllDeadLetters(bearer);
        const n = Array.isArray(r?.replayed) ? r.replayed.length : typeof r?.replayed === "number" ? r.replayed : null;
        setNote(n === null ? "Replayed." : `${n} launch${n === 1 ? "" : "es"} put back on the queue.`);
      }
      const d = await listDeadLetters(bearer);
      setLetters(Array.isArray(d) ? d : d.deadLetters ?? d.items ?? []);
      if (id) setNote("Replayed: the launch is queued again.");
    } catch (e) {
      setLettersError(asApiError(e));
    } finally {
      setBusy(null);
    }
  }

  if (session.status === "loading") return <section><PageTitle>Operations</PageTitle><Skeleton lines={8} /></section>;

  if (!allowed) {
    return (
      <section>
        <PageTitle>Operations</PageTitle>
        <p>This page is for TokenForge operators. Sign in with an administrator wallet{session.status === "user" ? " (this one is not)" : ""}.</p>
        {session.status !== "user" && <button type="button" onClick={() => openSignIn("Sign in with an administrator wallet.")}>Sign in</button>}
        <details class="api-key">
          <summary>Use an operator token instead (local and test environments)</summary>
          <form onSubmit={(e) => {
            e.preventDefault();
            const t = tokenInput.trim();
            try { sessionStorage.setItem(TOKEN_KEY, t); } catch { /* page only */ }
            setToken(t);
          }}>
            <div class="field">
              <label for="admin-token">Operator token</label>
              <input id="admin-token" type="password" autoComplete="off" value={tokenInput} onInput={(e) => setTokenInput(e.currentTarget.value)} placeholder="tfa_…" />
              <p class="hint">Kept in this tab only.</p>
            </div>
            <button type="submit" class="secondary">Use token</button>
          </form>
        </details>
      </section>
    );
  }

  const open = letters?.filter((l) => !l.replayedAt) ?? [];
  return (
    <section class="ops">
      <PageTitle>Operations</PageTitle>
      <p class="hint" aria-live="off">
        {health ? <>Overall: <StatusText status={health.status} /> · </> : null}
        {updated ? `updated ${updated.toLocaleTimeString()}, every ${REFRESH_MS / 1000} s` : "loading…"}
        {!isAdmin && <> · <button type="button" class="link" onClick={() => { try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* */ } setToken(""); }}>forget the operator token</button></>}
      </p>
      <ProblemAlert error={healthError} />

      <div class="stat-row">
        <Stat label="Queued" value={health?.backlog?.queued} />
        <Stat label="Submitted" value={health?.backlog?.submitted} />
        <Stat label="Dead letters" value={letters && dlqAvailable ? open.length : undefined} />
        <Stat label="D1" value={health?.d1 ? (health.d1.ok ? `${health.d1.latencyMs} ms` : "down") : undefined} />
        <Stat label="KV" value={health?.kv ? (health.kv.ok ? `${health.kv.latencyMs} ms` : "down") : undefined} />
      </div>

      <section aria-labelledby="chains-title">
        <h2 id="chains-title">Chains</h2>
        {!health ? <Skeleton lines={4} /> : (
          <div class="chain-cards">
            {health.chains.map((c) => (
              <section class="card" aria-label={c.id}>
                <h3>{c.id} <StatusText status={c.status} /></h3>
                <Extra value={c.bucket} label="Bucket" />
                {c.deployer && (
                  <p class="hint">
                    Deployer <code class="wrap">{c.deployer.address}</code>:{" "}
                    {c.deployer.balanceWei !== undefined
                      ? formatNative(c.deployer.balanceWei, 18, chainSymbol(c.id))
                      : formatNative(c.deployer.balanceLamports ?? "0", 9, "SOL")}{" "}
                    <span class={`pill ${c.deployer.sufficient ? "pill-ok" : "pill-bad"}`}>{c.deployer.sufficient ? "funded" : "low: launches wait"}</span>
                  </p>
                )}
                <div class="table-wrap">
                  <table class="table">
                    <caption class="visually-hidden">Endpoints of {c.id}</caption>
                    <thead><tr><th scope="col">Endpoint</th><th scope="col">Breaker</th><th scope="col">Bucket</th><th scope="col">Latency</th><th scope="col">Head</th></tr></thead>
                    <tbody>
                      {c.endpoints.map((e) => (
                        <tr>
                          <td data-label="Endpoint"><span><strong>{e.provider}</strong> <code class="wrap">{e.endpoint}</code>{!e.reachable && <span class="error-text block">{e.error ?? "unreachable"}</span>}</span></td>
                          <td data-label="Breaker"><span><Breaker e={e} /></span></td>
                          <td data-label="Bucket"><Bucket value={e.bucket} /></td>
                          <td data-label="Latency">{e.latencyMs != null ? `${e.latencyMs} ms` : "—"}</td>
                          <td data-label="Head">{e.latest?.block ?? e.latest?.slot ?? "—"}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="dlq-title">
        <h2 id="dlq-title">Dead letters</h2>
        <p class="hint">Launches the queue gave up on after its last retry. Replaying puts a launch back on the queue; the deployer copes with redelivery.</p>
        {!dlqAvailable && <p class="notice small-text">This API does not offer the dead-letter routes (GET /api/v1/admin/dead-letters).</p>}
        <ProblemAlert error={lettersError} />
        <p role="status" class="hint">{note}</p>
        {!dlqAvailable ? null : letters === null && !lettersError ? <Skeleton lines={3} /> : letters && (
          <>
            {open.length > 0 && (
              <button type="button" class="secondary" disabled={busy !== null} onClick={() => void replay(null)} data-testid="replay-all">
                {busy === "all" ? "Replaying…" : `Replay all (${open.length})`}
              </button>
            )}
            {letters.length === 0 ? <p class="empty">No dead letters.</p> : (
              <div class="table-wrap">
                <table class="table" data-testid="dead-letters">
                  <caption class="visually-hidden">Dead letters</caption>
                  <thead><tr><th scope="col">Launch</th><th scope="col">Reason</th><th scope="col">Attempts</th><th scope="col">When</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                  <tbody>
                    {letters.map((l) => (
                      <tr>
                        <td data-label="Launch"><span><a href={`/launches/${encodeURIComponent(l.launchId)}`}><code>{l.launchId}</code></a>{l.chain && <span class="hint"> · {l.chain}</span>}</span></td>
                        <td data-label="Reason" class="wrap">{l.reason}</td>
                        <td data-label="Attempts">{l.attempts}</td>
                        <td data-label="When">{formatDateTime(l.createdAt)}</td>
                        <td data-label="">
                          {l.replayedAt ? <span class="hint">replayed {formatDateTime(l.replayedAt)}</span> : (
                            <button type="button" class="small secondary" disabled={busy !== null} onClick={() => void replay(l.id)} aria-label={`Replay ${l.launchId}`}>
                              {busy === l.id ? "Replaying…" : "Replay"}
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </section>

      {isAdmin && (
        <section aria-labelledby="failures-title">
          <h2 id="failures-title">Recent failures</h2>
          {failures === null ? <Skeleton lines={2} /> : failures.length === 0 ? <p class="empty">No failed launches among the latest.</p> : (
            <ul class="launch-list">
              {failures.map((l) => (
                <li>
                  <a href={`/launches/${encodeURIComponent(l.id)}`} class="launch-row">
                    <span class="token-main">
                      <span class="token-name">{l.name} ({l.symbol})</span>
                      <span class="token-sub">{l.chain} · {l.error ? `${l.error.type}: ${l.error.detail}` : "no reason recorded"} · {timeAgo(l.updatedAt ?? l.createdAt)}</span>
                    </span>
                    <StatusBadge status={l.status} />
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </section>
  );
}

const Stat = ({ label, value }: { label: string; value: ComponentChildren | undefined }) => (
  <div class="stat">
    <span class="stat-value">{value ?? "—"}</span>
    <span class="stat-label">{label}</span>
  </div>
);

const StatusText = ({ status }: { status: string }) => (
  <span class={`pill pill-${status === "ok" || status === "closed" ? "ok" : status === "degraded" || status === "half-open" ? "warn" : "bad"}`}>{status}</span>
);

/** The breaker's state, whatever shape the health report gives it (a string, or an object with `state`). */
function Breaker({ e }: { e: HealthEndpoint }) {
  const b = e.breaker as string | { state?: string; errorRate?: number; openedAt?: string | number } | undefined;
  if (b === undefined || b === null) return <span class="hint">—</span>;
  const state = typeof b === "string" ? b : b.state ?? "unknown";
  return (
    <>
      <StatusText status={state} />
      {typeof b === "object" && typeof b.errorRate === "number" && <span class="hint block">{Math.round(b.errorRate * 100)}% errors</span>}
    </>
  );
}

/** Bucket fill as a bar: { tokens, capacity } or a fraction 0..1. */
function Bucket({ value }: { value: unknown }) {
  if (value === undefined || value === null) return <span class="hint">—</span>;
  let fill: number | null = null;
  let text = "";
  if (typeof value === "number") fill = value;
  else if (typeof value === "object") {
    const v = value as { tokens?: number; capacity?: number; fill?: number };
    if (typeof v.fill === "number") fill = v.fill;
    else if (typeof v.tokens === "number" && typeof v.capacity === "number" && v.capacity > 0) {
      fill = v.tokens / v.capacity;
      text = `${Math.floor(v.tokens)}/${v.capacity}`;
    }
  }
  if (fill === null) return <code>{JSON.stringify(value)}</code>;
  const pct = Math.max(0, Math.min(100, Math.round(fill * 100)));
  return (
    <span class="bucket">
      <meter min={0} max={100} value={pct} aria-label="Bucket fill">{pct}%</meter>
      <span class="hint">{text || `${pct}%`}</span>
    </span>
  );
}

function Extra({ value, label }: { value: unknown; label: string }) {
  if (value === undefined || value === null) return null;
  return <p class="hint">{label}: <Bucket value={value} /></p>;
}
