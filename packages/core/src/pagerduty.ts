// PagerDuty Events API v2 client (POST {base}/v2/enqueue; developer.pagerduty.com,
// "Events API v2 Overview"). The base URL is configurable so the local platform
// points it at its stand-in (tools/pagerduty). A 202 means accepted; 400 is a
// bad event (never retried); 429 and 5xx are retried by the caller's next run.
import { pagerDutyEvent, type AlertAction } from "./alerts";
import { outgoingTraceparent } from "./trace";

export type PageResult = { ok: true } | { ok: false; retry: boolean; error: string };

export type PagerDutyClient = { send(action: AlertAction, key: string, summary: string): Promise<PageResult> };

export function pagerDuty(opts: { baseUrl: string; routingKey: string; source: string; timeoutMs?: number; fetch?: typeof fetch }): PagerDutyClient {
  const url = new URL("/v2/enqueue", opts.baseUrl).toString();
  const doFetch = opts.fetch ?? fetch;
  return {
    async send(action, key, summary) {
      try {
        const res = await doFetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", traceparent: outgoingTraceparent() },
          body: JSON.stringify(pagerDutyEvent(opts.routingKey, action, key, summary, opts.source)),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
        if (res.status === 202) return { ok: true };
        const text = (await res.text()).slice(0, 300);
        return { ok: false, retry: res.status === 429 || res.status >= 500, error: `PagerDuty answered ${res.status}: ${text}` };
      } catch (e) {
        return { ok: false, retry: true, error: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}
