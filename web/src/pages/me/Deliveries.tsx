// One webhook's delivery log: each attempt, its answer and how long it took.
import { useEffect, useState } from "preact/hooks";
import { asApiError, listDeliveries, type ApiError, type WebhookDelivery } from "../../api";
import { ProblemAlert, Skeleton } from "../../components";
import { formatDateTime, shortAddress } from "../../lib/format";

export function Deliveries({ id }: { id: string }) {
  const [rows, setRows] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    listDeliveries(id).then((r) => setRows(r.deliveries), (e) => setError(asApiError(e)));
  }, [id]);
  if (error) return <ProblemAlert error={error} />;
  if (!rows) return <Skeleton lines={2} />;
  if (!rows.length) return <p class="hint">No deliveries yet.</p>;
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="visually-hidden">Deliveries</caption>
        <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Launch</th><th scope="col">Attempt</th><th scope="col">Result</th></tr></thead>
        <tbody>
          {rows.map((d) => (
            <tr>
              <td data-label="When">{formatDateTime(d.createdAt)}</td>
              <td data-label="Event"><code>{d.eventType}</code></td>
              <td data-label="Launch"><a href={`/launches/${encodeURIComponent(d.launchId)}`}>{shortAddress(d.launchId)}</a></td>
              <td data-label="Attempt">{d.attempt}</td>
              <td data-label="Result"><span>
                {d.statusCode !== null && d.statusCode >= 200 && d.statusCode < 300 ? <span class="ok-text">{d.statusCode} OK</span> : <span class="error-text">{d.statusCode ?? "no answer"}{d.error ? ` — ${d.error}` : ""}</span>}
                <span class="hint"> · {d.durationMs} ms</span>
              </span></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
