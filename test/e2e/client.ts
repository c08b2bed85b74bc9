// Small HTTP helpers for the e2e tests: the API as a bot would call it.
import type { Platform } from "../../tools/platform";

export type LaunchBody = {
  chain: string; name: string; symbol: string; decimals: number; initialSupply: string; maxSupply?: string;
  owner: string; features?: Record<string, boolean>; metadataUri?: string;
};

export async function postLaunch(p: Platform, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${p.url}/api/v1/launches`, {
    method: "POST",
    headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, json, text };
}

/**
 * POST /launches as a bot sends it: with an Idempotency-Key, and again with the same key on a
 * 5xx or a dropped connection. wrangler dev's proxy answers 503 "Your worker restarted
 * mid-request. Please try sending the request again" for a POST that met an idle keep-alive
 * connection being closed (the worker did not restart; cloudflare/workers-sdk#14641) and only
 * retries GET and HEAD itself. The key makes a resend answer the first launch, never a second one.
 */
export async function postLaunchAsBot(p: Platform, body: unknown, attempts = 4) {
  const key = `bot-${crypto.randomUUID()}`;
  for (let i = 1; ; i++) {
    const r = await postLaunch(p, body, { "idempotency-key": key }).catch((e: unknown) => ({ status: 0, headers: new Headers(), json: null, text: String(e) }));
    if ((r.status < 500 && r.status !== 0) || i >= attempts) return r;
    await new Promise((resolve) => setTimeout(resolve, 500 * i));
  }
}

/**
 * A launch's view. While Workers restart (the crash tests) the server may answer
 * with an error or an empty body for a moment; a polling client treats that as
 * "not known yet" rather than failing.
 */
export async function getLaunch(p: Platform, id: string) {
  try {
    const res = await fetch(`${p.url}/api/v1/launches/${id}`);
    const text = await res.text();
    if (res.status >= 500 || !text) return { id, status: "unavailable", httpStatus: res.status } as any;
    return JSON.parse(text) as any;
  } catch (e) {
    return { id, status: "unavailable", error: String(e) } as any;
  }
}

/** Polls one launch until it has `status` (e.g. "submitted"); throws with the status it is stuck in. */
export async function waitStatus(p: Platform, id: string, status: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await getLaunch(p, id);
    if (v.status === status) return v;
    if (Date.now() > deadline) throw new Error(`launch ${id} is ${v.status}, not ${status}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Polls until every launch is final (confirmed or failed); returns their views. */
export async function waitFinal(p: Platform, ids: string[], timeoutMs = 120_000, onIdle?: () => Promise<unknown>) {
  const deadline = Date.now() + timeoutMs;
  const done = new Map<string, any>();
  let lastKick = Date.now();
  while (done.size < ids.length) {
    const pending = ids.filter((id) => !done.has(id));
    for (let i = 0; i < pending.length; i += 50) {
      const views = await Promise.all(pending.slice(i, i + 50).map((id) => getLaunch(p, id)));
      for (const v of views) if (v.status === "confirmed" || v.status === "failed") done.set(v.id, v);
    }
    if (done.size === ids.length) break;
    if (Date.now() > deadline) {
      const stuck = ids.filter((id) => !done.has(id)).slice(0, 3);
      throw new Error(`${ids.length - done.size} launches not final in time, e.g. ${JSON.stringify(await Promise.all(stuck.map((id) => getLaunch(p, id))))}`);
    }
    if (onIdle && Date.now() - lastKick > 3_000) {
      lastKick = Date.now();
      // A kick may land while the Workers restart (crash test): the next one, 3 s on, tries again.
      await onIdle().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return ids.map((id) => done.get(id));
}

export async function admin(p: Platform, method: string, path: string) {
  const res = await fetch(`${p.url}/api/v1/admin${path}`, { method, headers: { authorization: `Bearer ${p.adminToken}` } });
  return { status: res.status, json: (await res.json()) as any };
}

export const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
export const baseLaunch = (over: Partial<LaunchBody> = {}): LaunchBody => ({
  chain: "local-eth", name: "Forge Coin", symbol: "FORGE", decimals: 18, initialSupply: "1000000", owner: OWNER, ...over,
});
