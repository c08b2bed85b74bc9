// My account → the launches I created, newest first, a page at a time.
import { useEffect, useState } from "preact/hooks";
import { asApiError, getChains, getMyLaunches, type ApiError, type Chain, type LaunchSummary } from "../../api";
import { ProblemAlert, Skeleton, StatusBadge } from "../../components";
import { timeAgo } from "../../lib/format";

export function MyLaunches() {
  const [items, setItems] = useState<LaunchSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [chains, setChains] = useState<Chain[]>([]);
  const [busy, setBusy] = useState(false);
  const load = async (more = false) => {
    setBusy(true);
    try {
      const r = await getMyLaunches(more ? cursor : null);
      setItems((prev) => (more ? [...(prev ?? []), ...r.launches] : r.launches));
      setCursor(r.nextCursor);
      setError(null);
    } catch (e) {
      setError(asApiError(e));
      if (!more) setItems([]);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load();
    getChains().then(setChains, () => undefined);
  }, []);
  const chainName = (id: string) => chains.find((c) => c.id === id)?.name ?? id;
  return (
    <section id="launches" aria-labelledby="launches-title" class="card">
      <h2 id="launches-title">My launches</h2>
      <ProblemAlert error={error} onRetry={() => void load()} />
      {items === null ? (
        <Skeleton lines={3} />
      ) : items.length === 0 ? (
        <p class="empty">No launches yet. <a href="/launch">Launch a token</a>.</p>
      ) : (
        <ul class="launch-list" data-testid="my-launches">
          {items.map((l) => (
            <li>
              <a href={`/launches/${encodeURIComponent(l.id)}`} class="launch-row">
                <span class="token-main">
                  <span class="token-name">{l.name}</span>
                  <span class="token-sub">{l.symbol} · {chainName(l.chain)} · {timeAgo(l.createdAt)}</span>
                </span>
                <StatusBadge status={l.status} />
              </a>
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" class="secondary" disabled={busy} onClick={() => void load(true)}>{busy ? "Loading…" : "Load more"}</button>
      )}
    </section>
  );
}
