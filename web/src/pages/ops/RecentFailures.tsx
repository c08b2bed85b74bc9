// Operations → the failed launches among the latest, with the recorded reason.
import type { LaunchSummary } from "../../api";
import { Skeleton, StatusBadge } from "../../components";
import { timeAgo } from "../../lib/format";

export function RecentFailures({ failures }: { failures: LaunchSummary[] | null }) {
  return (
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
  );
}
