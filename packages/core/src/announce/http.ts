// The one place the platform clients touch the network: a POST of JSON with a
// timeout, read back as an Answer (network errors and timeouts become a retry).
import type { Answer, SendOutcome } from "./outcome";

export type Fetch = typeof fetch;
const TIMEOUT_MS = 10_000;

export async function postJson(
  url: string,
  body: unknown,
  decide: (a: Answer, now: number) => SendOutcome,
  opts: { headers?: Record<string, string>; fetch?: Fetch; now?: () => number } = {},
): Promise<SendOutcome> {
  const f = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  let res: Response;
  try {
    res = await f(url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { "content-type": "application/json", "user-agent": "TokenForge-Announcements/1", ...opts.headers },
      body: JSON.stringify(body),
    });
  } catch (e) {
    // Never the URL in the reason: Discord's and Telegram's carry the token.
    return { kind: "retry", at: null, reason: e instanceof Error ? e.name : "fetch failed" };
  }
  const text = await res.text().catch(() => "");
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return decide({ status: res.status, headers: res.headers, body: json }, now());
}
