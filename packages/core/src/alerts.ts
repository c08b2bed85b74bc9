// Alerts as a pure state machine, time a parameter (the cron's jobs/alerts.ts
// owns D1 and delivery). Each alert key (e.g. "breaker_open:local-eth:0") walks
//   ok → pending → firing → resolving → ok
// A condition must hold for `fireAfterMs` before it fires and be gone for
// `resolveAfterMs` before it resolves, so a flapping signal pages nobody; the
// only moves that page are pending → firing ("trigger") and resolving → ok
// ("resolve"), each taken once per episode.

export const ALERT_KINDS = [
  "funds_low", "dead_letters", "backlog_stale", "breaker_open", "error_rate", "budget_exhausted", "spend_cap_near",
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_STATUSES = ["ok", "pending", "firing", "resolving"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export type AlertState = { status: AlertStatus; since: number };
export type AlertTiming = { fireAfterMs: number; resolveAfterMs: number };
export type AlertAction = "trigger" | "resolve";
export type AlertStep = { state: AlertState; action: AlertAction | null };

/** One condition as the cron saw it this minute: `key` is stable per thing (the PagerDuty dedup_key). */
export type AlertSignal = { key: string; kind: AlertKind; active: boolean; summary: string };

export const OK: AlertState = { status: "ok", since: 0 };

/** The next state of one alert given whether its condition holds at `now`. Never mutates `state`. */
export function nextAlertState(state: AlertState, active: boolean, now: number, t: AlertTiming): AlertStep {
  switch (state.status) {
    case "ok":
      if (!active) return { state, action: null };
      // A zero duration fires on the first sighting.
      return nextAlertState({ status: "pending", since: now }, true, now, t);
    case "pending":
      if (!active) return { state: { status: "ok", since: now }, action: null };
      return now - state.since >= t.fireAfterMs ? { state: { status: "firing", since: now }, action: "trigger" } : { state, action: null };
    case "firing":
      if (active) return { state, action: null };
      return nextAlertState({ status: "resolving", since: now }, false, now, t);
    case "resolving":
      // Back before the resolve window passed: still the same incident, no second page.
      if (active) return { state: { status: "firing", since: now }, action: null };
      return now - state.since >= t.resolveAfterMs ? { state: { status: "ok", since: now }, action: "resolve" } : { state, action: null };
  }
}

/** Whether an operator sees it as an open incident (the Ops page, the firing gauge). */
export const isOpen = (s: AlertStatus) => s === "firing" || s === "resolving";

/**
 * The PagerDuty Events API v2 body of one page (developer.pagerduty.com, "Send an
 * Alert Event"): `trigger` needs payload.summary/source/severity; `resolve` needs
 * only routing_key, event_action and the same dedup_key.
 */
export function pagerDutyEvent(routingKey: string, action: AlertAction, key: string, summary: string, source: string) {
  const base = { routing_key: routingKey, event_action: action, dedup_key: key };
  if (action === "resolve") return base;
  return { ...base, payload: { summary: summary.slice(0, 1024), source, severity: "critical" as const } };
}
