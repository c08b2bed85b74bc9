// The alert state machine (core's alerts.ts) with a moved clock, and the cron's
// signals from readings (workers/cron/src/jobs/alerts.ts alertSignals: pure).
import { describe, expect, it } from "vitest";
import { nextAlertState, OK, pagerDutyEvent, type AlertState } from "../../packages/core/src/alerts";
import { alertSignals, alertText, pageResult, spendCapSignalsOf, timingFor } from "../../workers/cron/src/jobs/alerts";
import { escapeDiscord, escapeTelegramHtml } from "../../packages/core/src/announce/escape";
import type { Readings } from "../../workers/cron/src/jobs/metrics";
import type { AlertConfig } from "../../workers/cron/src/config";

const T = { fireAfterMs: 60_000, resolveAfterMs: 120_000 };

/** Feeds `active` samples at the given times; returns the actions taken. */
function run(samples: [number, boolean][], t = T) {
  let s: AlertState = OK;
  const actions: [number, string][] = [];
  for (const [now, active] of samples) {
    const step = nextAlertState(s, active, now, t);
    if (step.action) actions.push([now, step.action]);
    s = step.state;
  }
  return { actions, state: s };
}

describe("nextAlertState", () => {
  it("fires once after the minimum duration and resolves once after the resolve duration", () => {
    const samples: [number, boolean][] = [];
    for (let m = 0; m <= 5; m++) samples.push([m * 30_000, true]); // 0 … 150 s bad
    for (let m = 6; m <= 14; m++) samples.push([m * 30_000, false]); // healthy from 180 s
    const { actions, state } = run(samples);
    expect(actions).toEqual([[60_000, "trigger"], [300_000, "resolve"]]);
    expect(state.status).toBe("ok");
  });

  it("pages nobody for a condition that flaps inside the minimum duration", () => {
    const samples: [number, boolean][] = [];
    for (let i = 0; i < 40; i++) samples.push([i * 20_000, i % 3 !== 2]); // bad 40 s, good 20 s, …
    expect(run(samples).actions).toEqual([]);
  });

  it("keeps one incident when the condition comes back inside the resolve duration", () => {
    const { actions } = run([[0, true], [60_000, true], [90_000, false], [150_000, true], [200_000, false], [400_000, false]]);
    expect(actions).toEqual([[60_000, "trigger"], [400_000, "resolve"]]);
  });

  it("fires at the first sighting with a zero minimum duration", () => {
    expect(run([[5, true]], { fireAfterMs: 0, resolveAfterMs: 0 }).actions).toEqual([[5, "trigger"]]);
  });

  it("never mutates the state it is given", () => {
    const s = Object.freeze({ status: "pending", since: 0 }) as AlertState;
    expect(() => nextAlertState(s, true, 100_000, T)).not.toThrow();
    expect(s).toEqual({ status: "pending", since: 0 });
  });
});

it("builds PagerDuty Events API v2 bodies: trigger with payload, resolve with the same dedup_key only", () => {
  expect(pagerDutyEvent("k".repeat(32), "trigger", "breaker_open:x:0", "s", "tokenforge-local")).toEqual({
    routing_key: "k".repeat(32), event_action: "trigger", dedup_key: "breaker_open:x:0", payload: { summary: "s", source: "tokenforge-local", severity: "critical" },
  });
  expect(pagerDutyEvent("k".repeat(32), "resolve", "breaker_open:x:0", "s", "x")).toEqual({ routing_key: "k".repeat(32), event_action: "resolve", dedup_key: "breaker_open:x:0" });
});

const CONFIG: AlertConfig = {
  fireAfterMs: 120_000, resolveAfterMs: 300_000, fundsMinLaunches: 50, backlogMaxAgeMs: 300_000, breakerOpenMs: 600_000,
  errorRate: 0.5, errorMinCalls: 10, budgetMinFill: 0.02, spendCapFraction: 0.8, pagerDutyUrl: "http://pd", discordApiBase: "http://discord", telegramApiBase: "http://telegram",
};

const endpoint = (over: object) => ({
  index: 0, provider: "p", url: "http://x", state: "closed", since: 0, reason: null, retryInMs: 0, recentCalls: 0, recentErrorRate: 0,
  latencyP50Ms: null, latencyAvgMs: null, calls: 0, failures: 0, opens: 0, lastFailure: null, bucketFill: 1, ...over,
});

it("turns readings into one signal per thing that can be wrong", () => {
  const r = {
    now: 0, deadLetters: 2,
    backlog: [{ chain: "a", count: 3, oldestMs: 400_000 }, { chain: "b", count: 0, oldestMs: null }],
    funds: [{ chain: "a", launches: 10 }, { chain: "b", launches: 5000 }, { chain: "c", launches: null }],
    gates: [{ chain: "a", at: 0, healthy: true, endpoints: [endpoint({ state: "half-open" }), endpoint({ index: 1, provider: "q", recentCalls: 20, recentErrorRate: 0.8, bucketFill: 0 })] }],
  } as unknown as Readings;
  const active = alertSignals(r, CONFIG).filter((s) => s.active).map((s) => s.key).sort();
  expect(active).toEqual(["backlog_stale:a", "breaker_open:a:0", "budget_exhausted:a:q", "dead_letters", "error_rate:a:1", "funds_low:a"]);
  expect(alertSignals(r, CONFIG).some((s) => s.key.endsWith(":c"))).toBe(false); // unknown funds: no signal either way
  expect(timingFor("breaker_open", CONFIG).fireAfterMs).toBe(600_000);
  expect(timingFor("dead_letters", CONFIG).fireAfterMs).toBe(120_000);
});

describe("alert messages to Discord and Telegram", () => {
  it("say what fired or resolved, with the summary escaped for the platform", () => {
    const e = { action: "trigger" as const, kind: "breaker_open" as const, key: "breaker_open:x:0", summary: "@everyone <b>[x](http://evil)</b>" };
    const discord = alertText(e, escapeDiscord);
    expect(discord).toMatch(/^🔴 ALERT /);
    expect(discord).not.toContain("[x](http://evil)");
    expect(alertText({ ...e, action: "resolve" }, escapeTelegramHtml)).toMatch(/^🟢 RESOLVED /);
    expect(alertText(e, escapeTelegramHtml)).not.toContain("<b>");
  });

  it("read each platform's answer as the outbox needs it", () => {
    expect(pageResult({ kind: "sent", externalId: "1", pauseUntil: null })).toEqual({ ok: true });
    expect(pageResult({ kind: "retry", at: 5, reason: "429" })).toEqual({ ok: false, retry: true, error: "429" });
    expect(pageResult({ kind: "rejected", reason: "webhook deleted" })).toEqual({ ok: false, retry: false, error: "webhook deleted" });
  });
});

describe("spend caps near their limit", () => {
  it("is active from the fraction of the cap on, exactly in bigint (wei), one signal per chain and scope", () => {
    const cap = 10n ** 21n;
    const at = (spent: bigint) => spendCapSignalsOf([{ scope: "platform", chain: "eth", spent, cap }], 0.8)[0]!;
    expect(at(800n * 10n ** 18n - 1n).active).toBe(false);
    expect(at(800n * 10n ** 18n)).toMatchObject({ key: "spend_cap_near:platform:eth", kind: "spend_cap_near", active: true, summary: expect.stringContaining("80%") });
    expect(spendCapSignalsOf([{ scope: "platform", chain: "eth", spent: 0n, cap: 0n }], 0.8)[0]!.active).toBe(false);
    const users = spendCapSignalsOf([
      { scope: "user", chain: "eth", cap, near: 2, top: { userId: "usr_a", spent: 9e20 } },
      { scope: "user", chain: "bsc", cap, near: 0, top: null },
    ], 0.8);
    expect(users.map((u) => [u.key, u.active])).toEqual([["spend_cap_near:user:eth", true], ["spend_cap_near:user:bsc", false]]);
    expect(users[0]!.summary).toContain("2 user(s)");
  });
});
