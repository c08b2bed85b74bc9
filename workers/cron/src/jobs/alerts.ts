// Alerts, evaluated every minute from the metrics job's readings: each condition
// (a signal) goes through core's pure state machine (alerts.ts); the state lives
// in D1 `alerts`, written under a guard on the state it was read in, so two runs
// at once cannot both fire. A page becomes a row in `alert_events` (the history
// and the outbox) in the same batch; delivery then works from the outbox and
// retries what a sink did not accept. Sinks: PagerDuty (Events API v2), and Discord
// and Telegram through the announcements' shared clients (core announce/), each
// configured by its own secrets.
import {
  isOpen, log, nextAlertState, OK, pagerDuty,
  type AlertAction, type AlertKind, type AlertSignal, type AlertState, type AlertTiming, type PageResult,
} from "@tokenforge/core";
import type { AlertEventRow } from "@tokenforge/core/db/schema";
import { cronConfig, type AlertConfig } from "../config";
import type { Env } from "../env";
import type { Readings } from "./metrics";
import { executeDiscordWebhook, parseDiscordWebhookUrl } from "@tokenforge/core/announce/discord";
import { telegramSendMessage } from "@tokenforge/core/announce/telegram";
import { escapeDiscord, escapeTelegramHtml } from "@tokenforge/core/announce/escape";
import { openSecretEnvelope, TELEGRAM_BOT_AAD } from "@tokenforge/core/announce/secrets";
import type { SendOutcome } from "@tokenforge/core/announce/outcome";

export type AlertSink = { name: string; send(e: { action: AlertAction; key: string; kind: AlertKind; summary: string }): Promise<PageResult> };

/** Where pages go: each sink whose secrets are set (PagerDuty routing key; a Discord webhook URL; a Telegram bot and chat). */
export function alertSinks(env: Env): AlertSink[] {
  const cfg = cronConfig(env).alerts;
  const sinks: AlertSink[] = [];
  if (env.PAGERDUTY_ROUTING_KEY) {
    const pd = pagerDuty({ baseUrl: cfg.pagerDutyUrl, routingKey: env.PAGERDUTY_ROUTING_KEY, source: `tokenforge-${cronConfig(env).env}` });
    sinks.push({ name: "pagerduty", send: (e) => pd.send(e.action, e.key, e.summary) });
  }
  const hook = env.ALERT_DISCORD_WEBHOOK_URL ? parseDiscordWebhookUrl(env.ALERT_DISCORD_WEBHOOK_URL) : null;
  if (hook) {
    sinks.push({
      name: "discord",
      send: async (e) => pageResult(await executeDiscordWebhook(hook, { content: alertText(e, escapeDiscord) }, { apiBase: cfg.discordApiBase })),
    });
  }
  const envelope = env.TELEGRAM_BOT_TOKEN_ENVELOPE;
  const chat = env.ALERT_TELEGRAM_CHAT_ID;
  if (envelope && chat) {
    sinks.push({
      name: "telegram",
      send: async (e) => pageResult(await telegramSendMessage(await openSecretEnvelope(env, envelope, TELEGRAM_BOT_AAD), chat, alertText(e, escapeTelegramHtml), { apiBase: cfg.telegramApiBase })),
    });
  }
  return sinks;
}

/** One line an operator reads on a phone: what happened and what (summary text escaped for the platform: it names endpoints). */
export function alertText(e: { action: AlertAction; kind: AlertKind; key: string; summary: string }, escape: (s: string) => string): string {
  return `${e.action === "trigger" ? "🔴 ALERT" : "🟢 RESOLVED"} ${escape(e.kind)}: ${escape(e.summary)} (${escape(e.key)})`;
}

/** A platform's answer as the outbox reads it: sent, worth retrying, or not. */
export function pageResult(o: SendOutcome): PageResult {
  if (o.kind === "sent") return { ok: true };
  return { ok: false, retry: o.kind === "retry", error: o.reason };
}

/** Today's spending against one daily cap: the platform's on a chain, or the users' on a chain (the most spent of them). */
export type SpendReading =
  | { scope: "platform"; chain: string; spent: bigint; cap: bigint }
  | { scope: "user"; chain: string; cap: bigint; near: number; top: { userId: string; spent: number } | null };

/** Fractions as parts per billion: caps are bigints (wei), the comparison stays exact. */
const PPB = 1_000_000_000n;
const atFraction = (cap: bigint, fraction: number) => (cap * BigInt(Math.round(fraction * 1e9))) / PPB;

/**
 * Pure: spending readings → one signal per chain and scope. The platform's cap
 * is a launch stop for everyone once reached (503 until the UTC day ends); a
 * user's is one customer's (402), so the user signals are one per chain, active
 * while any user is past the fraction, not one page per user.
 */
export function spendCapSignalsOf(readings: SpendReading[], fraction: number): AlertSignal[] {
  const pct = +(fraction * 100).toPrecision(3);
  return readings.map((r) => {
    if (r.scope === "platform") {
      return {
        key: `spend_cap_near:platform:${r.chain}`, kind: "spend_cap_near" as const, active: r.spent >= atFraction(r.cap, fraction) && r.cap > 0n,
        summary: `${r.chain}: the platform spent ${r.spent} of its daily cap ${r.cap} today (alert at ${pct}%)`,
      };
    }
    return {
      key: `spend_cap_near:user:${r.chain}`, kind: "spend_cap_near" as const, active: r.near > 0,
      summary: `${r.chain}: ${r.near} user(s) spent at least ${pct}% of the per-user daily cap ${r.cap} today${r.top ? ` (most: ${r.top.userId}, ${r.top.spent})` : ""}`,
    };
  });
}

/**
 * Today's spending per capped chain: the platform's from the api's PlatformSpend
 * Durable Object (the counter the api takes from; script_name binding), the
 * users' from D1's copy of the ledgers (reservations of today not refunded, as
 * the Ledger counts them; summed as REAL, precise enough for a threshold).
 * A chain whose platform reading fails gives no signal this minute, which the
 * state machine takes as "not near" (as for unread funds): logged, and a
 * firing alert only resolves after ALERT_RESOLVE_AFTER_SECONDS of such minutes.
 */
export async function readSpending(env: Env, now: number): Promise<SpendReading[]> {
  const { creditCaps } = cronConfig(env);
  const fraction = cronConfig(env).alerts.spendCapFraction;
  const dayStart = Math.floor(now / 86_400_000) * 86_400_000;
  const platform = await Promise.all([...creditCaps.platformPerDay].map(async ([chain, cap]): Promise<SpendReading | null> => {
    try {
      const spent = await env.PLATFORM_SPEND.get(env.PLATFORM_SPEND.idFromName(chain)).spentToday(chain, now);
      return { scope: "platform", chain, spent: BigInt(spent), cap };
    } catch (e) {
      log("warn", "cron.spend_unread", { chain, scope: "platform", error: e });
      return null;
    }
  }));
  const users: SpendReading[] = [];
  if (creditCaps.perUserPerDay.size) {
    const caps = [...creditCaps.perUserPerDay];
    const { results } = await env.DB.prepare(
      `SELECT r.chain, r.user_id, SUM(CAST(r.amount AS REAL)) AS spent FROM credit_entries r
       WHERE r.kind = 'reserve' AND r.at >= ? AND r.chain IN (SELECT value FROM json_each(?))
         AND NOT EXISTS (SELECT 1 FROM credit_entries f WHERE f.launch_id = r.launch_id AND f.reservation = r.reservation AND f.kind = 'refund' AND f.user_id = r.user_id)
       GROUP BY r.chain, r.user_id`,
    ).bind(dayStart, JSON.stringify(caps.map(([c]) => c))).all<{ chain: string; user_id: string; spent: number }>();
    for (const [chain, cap] of caps) {
      const threshold = Number(atFraction(cap, fraction));
      const near = results.filter((r) => r.chain === chain && r.spent >= threshold && cap > 0n).sort((a, b) => b.spent - a.spent);
      users.push({ scope: "user", chain, cap, near: near.length, top: near[0] ? { userId: near[0].user_id, spent: near[0].spent } : null });
    }
  }
  return [...platform.filter((r) => r !== null), ...users];
}

/** Spend caps near their limit (platform-wide and per user), as alert signals. */
export async function spendCapSignals(env: Env, now: number): Promise<AlertSignal[]> {
  return spendCapSignalsOf(await readSpending(env, now), cronConfig(env).alerts.spendCapFraction);
}

/** Pure: this minute's readings → one signal per thing that can be wrong. */
export function alertSignals(r: Readings, c: AlertConfig): AlertSignal[] {
  const out: AlertSignal[] = [];
  for (const f of r.funds) {
    if (f.launches === null) continue;
    out.push({ key: `funds_low:${f.chain}`, kind: "funds_low", active: f.launches < c.fundsMinLaunches, summary: `${f.chain}: the deployer's funds pay for ${f.launches} launches (alert below ${c.fundsMinLaunches})` });
  }
  out.push({ key: "dead_letters", kind: "dead_letters", active: r.deadLetters > 0, summary: `${r.deadLetters} dead letters wait for an operator` });
  for (const b of r.backlog) {
    const age = b.oldestMs ?? 0;
    out.push({ key: `backlog_stale:${b.chain}`, kind: "backlog_stale", active: age > c.backlogMaxAgeMs, summary: `${b.chain}: the oldest of ${b.count} queued launches waits ${Math.round(age / 1000)} s` });
  }
  for (const g of r.gates) {
    for (const ep of g.endpoints) {
      const where = `${g.chain} endpoint #${ep.index} (${ep.provider}, ${ep.url})`;
      // Open and half-open alike: a dead endpoint cycles between them while its probes fail.
      out.push({ key: `breaker_open:${g.chain}:${ep.index}`, kind: "breaker_open", active: ep.state !== "closed", summary: `${where}: circuit breaker ${ep.state}${ep.reason ? ` (${ep.reason})` : ""}` });
      const rate = ep.recentErrorRate;
      out.push({ key: `error_rate:${g.chain}:${ep.index}`, kind: "error_rate", active: ep.recentCalls >= c.errorMinCalls && rate > c.errorRate, summary: `${where}: ${Math.round(rate * 100)}% of ${ep.recentCalls} recent calls failed` });
      out.push({ key: `budget_exhausted:${g.chain}:${ep.provider}`, kind: "budget_exhausted", active: ep.bucketFill < c.budgetMinFill, summary: `${g.chain}: provider ${ep.provider}'s request budget is at ${Math.round(ep.bucketFill * 100)}%` });
    }
  }
  // One provider may serve several endpoints: keep one budget signal per key (active if any says so).
  const seen = new Map<string, AlertSignal>();
  for (const s of out) seen.set(s.key, seen.has(s.key) && seen.get(s.key)!.active ? seen.get(s.key)! : s);
  return [...seen.values()];
}

/** "A breaker open longer than Y": Y is that kind's minimum duration before firing. */
export function timingFor(kind: AlertKind, c: AlertConfig): AlertTiming {
  const fireAfterMs = kind === "breaker_open" ? Math.max(c.fireAfterMs, c.breakerOpenMs) : c.fireAfterMs;
  return { fireAfterMs, resolveAfterMs: c.resolveAfterMs };
}

type Row = { key: string; kind: AlertKind; status: AlertState["status"]; since: number; summary: string };

/** Moves every alert one step; returns the open alerts per kind (for the tf_alerts_open gauge). */
export async function evaluateAlerts(env: Env, signals: AlertSignal[], now = Date.now()): Promise<Map<string, number>> {
  const c = cronConfig(env).alerts;
  const rows = (await env.DB.prepare("SELECT key, kind, status, since, summary FROM alerts").all<Row>()).results;
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const open = new Map<string, number>();
  const stmts: D1PreparedStatement[] = [];
  const keys = new Set([...signals.map((s) => s.key), ...byKey.keys()]);
  for (const key of keys) {
    const row = byKey.get(key);
    const sig = signals.find((s) => s.key === key);
    const kind = (sig?.kind ?? row!.kind) as AlertKind;
    const state: AlertState = row ? { status: row.status, since: row.since } : OK;
    const step = nextAlertState(state, sig?.active ?? false, now, timingFor(kind, c));
    if (isOpen(step.state.status)) open.set(kind, (open.get(kind) ?? 0) + 1);
    if (step.state.status === state.status && step.state.since === state.since) continue;
    const summary = sig?.summary ?? row?.summary ?? key;
    stmts.push(
      row
        ? env.DB.prepare("UPDATE alerts SET status = ?, since = ?, summary = ?, updated_at = ? WHERE key = ? AND status = ? AND since = ?")
          .bind(step.state.status, step.state.since, summary, now, key, state.status, state.since)
        : env.DB.prepare("INSERT INTO alerts (key, kind, status, since, summary, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING")
          .bind(key, kind, step.state.status, step.state.since, summary, now),
    );
    // The page is written only if this run's move is the one that landed (the row now says so).
    if (step.action) {
      stmts.push(env.DB.prepare(`INSERT INTO alert_events (alert_key, kind, action, summary, at, delivered, attempts)
        SELECT key, kind, ?, summary, ?, '{}', 0 FROM alerts WHERE key = ? AND status = ? AND since = ?`).bind(step.action, now, key, step.state.status, step.state.since));
      log("warn", `alert.${step.action}`, { alert: key, kind, summary });
    }
  }
  if (stmts.length) await env.DB.batch(stmts);
  for (const k of new Set(signals.map((s) => s.kind))) if (!open.has(k)) open.set(k, 0);
  return open;
}

/** Sends the outbox's undelivered pages, oldest first; a key's later page waits for its earlier one. */
export async function deliverPages(env: Env, sinks: AlertSink[], now = Date.now()): Promise<{ sent: number; failed: number }> {
  if (!sinks.length) return { sent: 0, failed: 0 };
  const events = (await env.DB.prepare("SELECT * FROM alert_events WHERE at >= ? AND attempts < 20 ORDER BY id").bind(now - 3_600_000).all<Record<string, unknown>>()).results;
  const blocked = new Set<string>();
  let sent = 0;
  let failed = 0;
  for (const raw of events) {
    const e = { ...raw, delivered: JSON.parse(String(raw.delivered)) as Record<string, number>, alertKey: String(raw.alert_key) } as AlertEventRow & { alertKey: string };
    const pending = sinks.filter((s) => !e.delivered[s.name] && !blocked.has(`${s.name}|${e.alertKey}`));
    if (!pending.length) continue;
    // Claim the attempt: a concurrent run that read the same row gets no change and skips it.
    const claim = await env.DB.prepare("UPDATE alert_events SET attempts = attempts + 1 WHERE id = ? AND attempts = ?").bind(e.id, e.attempts).run();
    if (!claim.meta.changes) continue;
    let lastError: string | null = null;
    for (const sink of pending) {
      const r = await sink.send({ action: e.action, key: e.alertKey, kind: e.kind, summary: e.summary });
      if (r.ok) [e.delivered[sink.name], sent] = [now, sent + 1];
      else {
        failed++;
        lastError = r.error;
        // Not retryable: marked, so it is not sent again; retryable: later pages of the key wait.
        if (!r.retry) e.delivered[sink.name] = -1;
        else blocked.add(`${sink.name}|${e.alertKey}`);
        log("error", "alert.delivery_failed", { alert: e.alertKey, sink: sink.name, action: e.action, error: r.error });
      }
    }
    await env.DB.prepare("UPDATE alert_events SET delivered = ?, last_error = ? WHERE id = ?").bind(JSON.stringify(e.delivered), lastError, e.id).run();
  }
  return { sent, failed };
}
