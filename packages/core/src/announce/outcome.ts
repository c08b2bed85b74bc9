// What one send to a platform came to, decided from its answer alone (pure, so
// each platform's rate-limit rules are unit-tested with a moved clock):
//   sent      — posted; `pauseUntil` when the answer says the bucket is now empty
//   retry     — try again no sooner than `at` (a named wait: 429), or after backoff (`at` null: 5xx, network)
//   rejected  — retrying will not help (deleted webhook, bot removed from the chat, bad request)
export type SendOutcome =
  | { kind: "sent"; externalId: string | null; pauseUntil: number | null }
  | { kind: "retry"; at: number | null; reason: string }
  | { kind: "rejected"; reason: string; migrateToChatId?: string };

export type Answer = { status: number; headers: Headers; body: unknown };

const num = (v: unknown): number | null => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : typeof v === "number" ? v : NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
};
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" ? (v as Record<string, unknown>) : {});

/** RFC 9110 Retry-After: seconds, or an HTTP date. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  const s = num(value);
  if (s !== null) return s * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Discord (https://discord.com/developers/docs/topics/rate-limits): a 429's JSON
 * `retry_after` (seconds, fractional) or its Retry-After header; on success,
 * `X-RateLimit-Remaining: 0` means wait `X-RateLimit-Reset-After` seconds.
 */
export function discordOutcome(a: Answer, now: number): SendOutcome {
  const h = a.headers;
  if (a.status >= 200 && a.status < 300) {
    const empty = h.get("x-ratelimit-remaining") === "0";
    const resetAfter = num(h.get("x-ratelimit-reset-after"));
    const id = obj(a.body).id;
    return { kind: "sent", externalId: typeof id === "string" ? id : null, pauseUntil: empty && resetAfter !== null ? now + resetAfter * 1000 : null };
  }
  if (a.status === 429) {
    const wait = num(obj(a.body).retry_after) ?? num(h.get("x-ratelimit-reset-after"));
    const ms = wait !== null ? wait * 1000 : retryAfterMs(h.get("retry-after"), now);
    return { kind: "retry", at: ms !== null ? now + Math.ceil(ms) : null, reason: "discord 429" };
  }
  if (a.status >= 500 || a.status === 408) return { kind: "retry", at: null, reason: `discord ${a.status}` };
  return { kind: "rejected", reason: `discord ${a.status}: ${String(obj(a.body).message ?? "").slice(0, 200)}` };
}

/**
 * Telegram Bot API (https://core.telegram.org/bots/api#responseparameters):
 * `{ ok, result }` or `{ ok: false, error_code, description, parameters }`; a
 * flood wait is `parameters.retry_after` seconds, a group that became a
 * supergroup answers `parameters.migrate_to_chat_id`.
 */
export function telegramOutcome(a: Answer, now: number): SendOutcome {
  const b = obj(a.body);
  if (b.ok === true) {
    const id = obj(b.result).message_id;
    return { kind: "sent", externalId: id === undefined ? null : String(id), pauseUntil: null };
  }
  const params = obj(b.parameters);
  const code = num(b.error_code) ?? a.status;
  if (params.migrate_to_chat_id !== undefined) return { kind: "rejected", reason: "telegram chat migrated", migrateToChatId: String(params.migrate_to_chat_id) };
  if (code === 429) {
    const wait = num(params.retry_after) ?? (retryAfterMs(a.headers.get("retry-after"), now) ?? NaN) / 1000;
    return { kind: "retry", at: Number.isFinite(wait) ? now + Math.ceil(wait * 1000) : null, reason: "telegram 429" };
  }
  if (code >= 500 || a.status >= 500) return { kind: "retry", at: null, reason: `telegram ${code}` };
  return { kind: "rejected", reason: `telegram ${code}: ${String(b.description ?? "").slice(0, 200)}` };
}

/**
 * X API v2 (https://docs.x.com/x-api/fundamentals/rate-limits): `x-rate-limit-reset`
 * is the epoch second the window resets; a 429 waits for it.
 */
export function xOutcome(a: Answer, now: number): SendOutcome {
  const reset = num(a.headers.get("x-rate-limit-reset"));
  if (a.status >= 200 && a.status < 300) {
    const id = obj(obj(a.body).data).id;
    const empty = a.headers.get("x-rate-limit-remaining") === "0";
    return { kind: "sent", externalId: typeof id === "string" ? id : null, pauseUntil: empty && reset !== null ? reset * 1000 : null };
  }
  if (a.status === 429) {
    const at = reset !== null ? reset * 1000 : (() => {
      const ms = retryAfterMs(a.headers.get("retry-after"), now);
      return ms === null ? null : now + ms;
    })();
    return { kind: "retry", at, reason: "x 429" };
  }
  if (a.status >= 500) return { kind: "retry", at: null, reason: `x ${a.status}` };
  return { kind: "rejected", reason: `x ${a.status}: ${String(obj(a.body).detail ?? obj(a.body).title ?? "").slice(0, 200)}` };
}
