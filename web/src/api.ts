// The HTTP API as the web app uses it: same origin, relative URLs, the session
// cookie (wallet sign-in) sent by the browser. Response shapes are the API's own,
// generated from its OpenAPI document (@tokenforge/api-types, `npm run
// gen:api-types`): type-only imports, so the bundle carries no zod, viem or schema.
import type { components, paths } from "@tokenforge/api-types";
import type { Family, FeatureName, LaunchBody } from "./lib/validate";

export type { Family, FeatureName, LaunchBody };

type Schemas = components["schemas"];
/** The JSON body `path` answers `method` with on success (any 2xx with application/json). */
type Answer<P extends keyof paths, M extends "get" | "post" | "delete"> = paths[P][M] extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 | 202 ? (R[S] extends { content: { "application/json": infer B } } ? B : never) : never }[keyof R]
  : never;
/** What POST /launches takes: the web's own rules (lib/validate.ts) must build a body of this type. */
type LaunchRequestBody = NonNullable<paths["/api/v1/launches"]["post"]["requestBody"]>["content"]["application/json"];

export type Chain = Schemas["Chain"];
export type ChainFees = NonNullable<Chain["fees"]>;
export type Accepted = Schemas["LaunchAccepted"];
export type Launch = Schemas["Launch"];
export type LaunchStatus = Launch["status"];
export const isFinal = (s: LaunchStatus) => s === "confirmed" || s === "failed" || s === "expired";
/** What a wallet-paid launch asks its payer to send or sign (EVM: a transaction; Solana: a signed message). */
export type PaymentTransaction = NonNullable<Accepted["transaction"]>;
export type Quote = Schemas["Quote"];
export type Token = Schemas["Token"];
export type User = Schemas["User"];
export type ApiKey = Schemas["ApiKey"];
export type Webhook = Schemas["Webhook"];
export type WebhookDelivery = Schemas["WebhookDelivery"];
/** A row of GET /me/launches (the launch view without events and request, plus name and symbol). */
export type LaunchSummary = Schemas["LaunchSummary"];
export type FieldError = NonNullable<Schemas["Problem"]["errors"]>[number];
export type DeadLetter = Schemas["DeadLetter"];
export type Health = Schemas["Health"];
export type HealthChain = Schemas["HealthChain"];
export type HealthEndpoint = Schemas["HealthEndpoint"];

/** An RFC 9457 problem+json answer (or a network failure dressed as one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[],
    readonly retryAfter: number | null = null,
    /** The problem type's last path segment ("idempotency-key-in-flight", …), "" when none. */
    readonly type: string = "",
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

type Init = Omit<RequestInit, "body"> & { json?: unknown; bearer?: string; bytes?: Blob };

export async function request<T>(path: string, init: Init = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("accept", "application/json, application/problem+json");
  if (init.bearer) headers.set("authorization", `Bearer ${init.bearer}`);
  let body: string | Blob | undefined = init.bytes;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { ...init, headers, body, credentials: "same-origin" });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, "Network error", "the API did not answer; check your connection and try again", []);
  }
  if (res.status === 204) return undefined as T;
  // A body cut off by the caller's abort (the page moved on) rejects like the fetch would,
  // so callers never receive a half-read answer as null.
  const data: unknown = await res.json().catch((e: unknown) => {
    if (init.signal?.aborted) throw e;
    return null;
  });
  if (res.ok) return data as T;
  const p = (data && typeof data === "object" ? data : {}) as { type?: unknown; title?: unknown; detail?: unknown; errors?: unknown };
  const errors = Array.isArray(p.errors)
    ? p.errors
        .filter((e): e is FieldError => !!e && typeof e.message === "string")
        .map((e) => ({ path: typeof e.path === "string" ? e.path : "", message: e.message }))
    : [];
  const retry = Number(res.headers.get("retry-after"));
  throw new ApiError(
    res.status,
    typeof p.title === "string" ? p.title : `HTTP ${res.status}`,
    typeof p.detail === "string" ? p.detail : undefined,
    errors,
    Number.isFinite(retry) && retry > 0 ? retry : null,
    typeof p.type === "string" ? p.type.slice(p.type.lastIndexOf("/") + 1) : "",
  );
}

export const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, "Something went wrong", String((e as Error)?.message ?? e), []));

// ---- chains (cached for the session: the registry changes with deploys, fees every minute) ----
let chainsPromise: Promise<Chain[]> | null = null;
let chainsAt = 0;
export function getChains(): Promise<Chain[]> {
  if (!chainsPromise || Date.now() - chainsAt > 60_000) {
    chainsAt = Date.now();
    chainsPromise = request<Answer<"/api/v1/chains", "get">>("/chains").then((r) => r.chains);
    chainsPromise.catch(() => (chainsPromise = null));
  }
  return chainsPromise;
}

// ---- launches ----
export const getLaunch = (id: string, signal?: AbortSignal) => request<Answer<"/api/v1/launches/{id}", "get">>(`/launches/${encodeURIComponent(id)}`, { signal });
export const launchStreamUrl = (id: string) => `/api/v1/launches/${encodeURIComponent(id)}/stream`;

export type PaymentRequest = NonNullable<LaunchRequestBody["payment"]>;
export type Asset = Schemas["Asset"];
/** A logo upload: the file's bytes as the body; the API sniffs the type and strips metadata. */
export const uploadAsset = (file: Blob, apiKey?: string) => request<Asset>("/assets", { method: "POST", bytes: file, bearer: apiKey || undefined, headers: { "content-type": "application/octet-stream" } });
export function createLaunch(body: LaunchBody, idempotencyKey: string, apiKey?: string, payment?: PaymentRequest) {
  const json: LaunchRequestBody = payment ? { ...body, payment } : body;
  return request<Answer<"/api/v1/launches", "post">>("/launches", { method: "POST", json, bearer: apiKey || undefined, headers: { "idempotency-key": idempotencyKey } });
}

/** The price of a launch (wallet-paid): binding until `expiresAt`, redeemed by POST /launches with its id. */
export function createQuote(body: LaunchBody, payment?: PaymentRequest) {
  const json: NonNullable<paths["/api/v1/quotes"]["post"]["requestBody"]>["content"]["application/json"] = payment ? { ...body, payment } : body;
  return request<Answer<"/api/v1/quotes", "post">>("/quotes", { method: "POST", json });
}
/** A wallet-paid Solana launch's transaction on the newest blockhash (one lands only for ~150 blocks), within its payment window. */
export const freshSolanaTransaction = (id: string) =>
  request<Answer<"/api/v1/launches/{id}/transaction", "post">>(`/launches/${encodeURIComponent(id)}/transaction`, { method: "POST" });

/** Tells the API the payer sent the launch transaction (it looks for it now instead of at its next check). */
export const reportPayment = (id: string, proof: { txHash: string } | { signature: string }) =>
  request<Answer<"/api/v1/launches/{id}/payment", "post">>(`/launches/${encodeURIComponent(id)}/payment`, { method: "POST", json: proof });

/** A fresh Idempotency-Key (randomUUID needs a secure context; fall back for plain-http LAN use). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- tokens ----
export type TokenSort = "newest" | "market_cap" | "volume" | "holders" | "trending";
export function getTokens(q: { chain?: string; owner?: string; cursor?: string | null; limit?: number; q?: string; sort?: TokenSort }, signal?: AbortSignal) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  return request<Answer<"/api/v1/tokens", "get">>(`/tokens${p.size ? "?" + p : ""}`, { signal });
}

export type MarketPoint = Answer<"/api/v1/tokens/{chain}/{address}/history", "get">["points"][number];
export const getMarketHistory = (chain: string, address: string, range: "1d" | "7d" | "30d", signal?: AbortSignal) =>
  request<Answer<"/api/v1/tokens/{chain}/{address}/history", "get">>(`/tokens/${encodeURIComponent(chain)}/${encodeURIComponent(address)}/history?range=${range}`, { signal });

// ---- accounts ----
export const getNonce = () => request<Answer<"/api/v1/auth/nonce", "post">>("/auth/nonce", { method: "POST", json: {} });
export const signInEvm = (message: string, signature: string) => request<Answer<"/api/v1/auth/siwe", "post">>("/auth/siwe", { method: "POST", json: { message, signature } });
export const signInSolana = (message: string, signature: string, publicKey: string) =>
  request<Answer<"/api/v1/auth/siws", "post">>("/auth/siws", { method: "POST", json: { message, signature, publicKey } });
export const signOut = () => request<unknown>("/auth/logout", { method: "POST", json: {} });
export const getMe = (signal?: AbortSignal) => request<Answer<"/api/v1/me", "get">>("/me", { signal });
export const getMyLaunches = (cursor?: string | null, all = false) => {
  const p = new URLSearchParams({ limit: "10" });
  if (cursor) p.set("cursor", cursor);
  if (all) p.set("all", "1");
  return request<Answer<"/api/v1/me/launches", "get">>(`/me/launches?${p}`);
};

export const listKeys = () => request<Answer<"/api/v1/keys", "get">>("/keys");
export const createKey = (name: string, scopes: string[]) => request<Answer<"/api/v1/keys", "post">>("/keys", { method: "POST", json: { name, scopes } });
export const revokeKey = (id: string) => request<Answer<"/api/v1/keys/{id}", "delete">>(`/keys/${encodeURIComponent(id)}`, { method: "DELETE" });

export const listWebhooks = () => request<Answer<"/api/v1/webhooks", "get">>("/webhooks");
export const createWebhook = (url: string, events: string[], description?: string) =>
  request<Answer<"/api/v1/webhooks", "post">>("/webhooks", { method: "POST", json: { url, events, ...(description ? { description } : {}) } });
export const deleteWebhook = (id: string) => request<unknown>(`/webhooks/${encodeURIComponent(id)}`, { method: "DELETE" });
export const listDeliveries = (id: string) => request<Answer<"/api/v1/webhooks/{id}/deliveries", "get">>(`/webhooks/${encodeURIComponent(id)}/deliveries?limit=20`);

// ---- operators (admin role; before roles existed, the admin token as a bearer) ----
/** The operators' deep health (live chain reads, funds): admin session or operator token. */
export const getHealth = (bearer?: string, signal?: AbortSignal) => request<Answer<"/api/v1/health/deep", "get">>("/health/deep", { bearer, signal });
export const listDeadLetters = (bearer?: string, signal?: AbortSignal) => request<Answer<"/api/v1/admin/dead-letters", "get">>("/admin/dead-letters", { bearer, signal });
export const replayDeadLetter = (id: string, bearer?: string) => request<Answer<"/api/v1/admin/dead-letters/{id}/replay", "post">>(`/admin/dead-letters/${encodeURIComponent(id)}/replay`, { method: "POST", bearer });
export const replayAllDeadLetters = (bearer?: string) => request<Answer<"/api/v1/admin/dead-letters/replay", "post">>("/admin/dead-letters/replay", { method: "POST", bearer });

// ── Credits, deposits, linked wallets (issue 17) ─────────────────────────────
export type Wallet = Schemas["Wallet"];
export type Deposit = Schemas["Deposit"];
export type Credits = Answer<"/api/v1/credits", "get">;
export const getMyWallets = () => request<Answer<"/api/v1/me", "get">>("/me").then((r) => r.wallets);
export const linkEvmWallet = (message: string, signature: string) => request<Answer<"/api/v1/me/wallets/siwe", "post">>("/me/wallets/siwe", { method: "POST", json: { message, signature } });
export const linkSolanaWallet = (message: string, signature: string, publicKey: string) =>
  request<Answer<"/api/v1/me/wallets/siws", "post">>("/me/wallets/siws", { method: "POST", json: { message, signature, publicKey } });
export const getCredits = () => request<Credits>("/credits");
export const listDeposits = () => request<Answer<"/api/v1/credits/deposits", "get">>("/credits/deposits");
export const submitDeposit = (chain: string, proof: { txHash: string } | { signature: string }) =>
  request<Answer<"/api/v1/credits/deposits", "post">>("/credits/deposits", { method: "POST", json: { chain, ...proof } });
