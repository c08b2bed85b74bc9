// Open alerts and the paging history (GET /api/v1/ops/alerts): what fired, what
// resolved, and whether each sink (PagerDuty, …) accepted the page.
import { useEffect, useState } from "preact/hooks";
import type { components } from "@tokenforge/api-types";
import { asApiError, request, type ApiError } from "../../api";
import { ProblemAlert } from "../../components";
import { REFRESH_MS } from "./use-ops-report";

type Alerts = components["schemas"]["OpsAlerts"];

export function OpsAlerts({ bearer }: { bearer: string | undefined }) {
  const [data, setData] = useState<Alerts | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const d = await request<Alerts>("/ops/alerts", { bearer });
        if (!stop) [setData(d), setError(null)];
      } catch (e) {
        if (!stop) setError(asApiError(e));
      }
      if (!stop) timer = setTimeout(load, REFRESH_MS);
    };
    void load();
    return () => [(stop = true), clearTimeout(timer)];
  }, [bearer]);
  const time = (ms: number) => new Date(ms).toLocaleString();
  const sinks = (d: Record<string, number>) => Object.entries(d).map(([s, at]) => `${s}: ${at > 0 ? "sent" : "refused"}`).join(", ") || "not sent yet";
  return (
    <section aria-labelledby="ops-alerts">
      <h2 id="ops-alerts">Alerts</h2>
      <ProblemAlert error={error} />
      {data && !data.open.length && <p class="hint">No alert is open.</p>}
      {data && data.open.length > 0 && (
        <ul class="ops-open-alerts">
          {data.open.map((a) => <li key={a.key}><strong>{a.status}</strong> since {time(a.since)} — {a.summary}</li>)}
        </ul>
      )}
      {data && data.history.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <caption class="hint">Paging history (newest first)</caption>
            <thead><tr><th>When</th><th>Page</th><th>Alert</th><th>Delivery</th></tr></thead>
            <tbody>
              {data.history.map((h) => (
                <tr key={h.id}>
                  <td data-label="When">{time(h.at)}</td>
                  <td data-label="Page">{h.action}</td>
                  <td data-label="Alert">{h.summary}</td>
                  <td data-label="Delivery">{sinks(h.delivered)}{h.lastError ? ` (${h.lastError})` : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
