// The HTTP API as the web app uses it: same origin, relative URLs, the session
// cookie (wallet sign-in) sent by the browser. Shapes are written out here rather
// than imported from @tokenforge/core so the bundle carries no zod or viem.
import type { Family, FeatureName, LaunchBody } from "./lib/validate";

export type { Family, FeatureName, LaunchBody };

export type ChainFees = { chain: string; gasPrice: string; launchUnits: number; estimatedCost: string; updatedAt: string };

export type Chain = {
  id: string;
  name: string;
  family: Family;
  chainId?: number;
  nativeSymbol: string;
  rpcUrl: string;
  explorerUrl: string | null;
  confirmations?: number;
  fees?: ChainFees | null;
};

export type Accepted = { id: string; status: "queued"; chain: string; address: string; links: { self: string } };

export type LaunchStatus = "queued" | "submitted" | "confirmed" | "failed";
export const isFinal = (s: LaunchStatus) => s === "confirmed" || s === "failed";

export type Launch = {
  id: string;
  status: LaunchStatus;
  chain: string;
  address: string;
  // EVM chains answer txHash/blockNumber, Solana signature/slot.
  txHash?: string | null;
  blockNumber?: number | null;
  signature?: string | null;
  slot?: number | null;
  gasUsed?: string | null;
  error: null | { type: string; detail: string };
  request?: LaunchBody;
  explorer?: { token: string | null; tx: string | null } | null;
  createdAt?: string;
  updatedAt?: string;
  events: { status: LaunchStatus; at: string; detail: string | null }[];
};

export type Token = {
  chain: string;
  address: string;
  name: string;
  symbol: string;
  decimals: number;
  /** Minted at launch, in whole tokens (like the launch request); the chain's current supply is read separately. */
  initialSupply: string;
  owner: string;
  features: Partial<Record<FeatureName, boolean>>;
  metadataUri: string | null;
  launchId: string;
  txHash: string | null;
  createdAt: string;
  /** Market data, when the API has it (from KV, written by the cron Worker). */
  market?: { priceUsd?: number | string | null; liquidityUsd?: number | string | null; volume24hUsd?: number | string | null; updatedAt?: string } | null;
};

export type User = { id: string; walletAddress: string; role: "user" | "admin" };

export type ApiKey = { id: string; name: string; prefix: string; scopes: string[]; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

export type Webhook = { id: string; url: string; events: string[]; description?: string | null; createdAt: string };
export type WebhookDelivery = {
  id: string;
  messageId: string;
  eventType: string;
  launchId: string;
  attempt: number;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  createdAt: string;
};

/** A row of GET /me/launches (the launch view without events and request, plus name and symbol). */
export type LaunchSummary = Omit<Launch, "events" | "request"> & { name: string; symbol: string; createdAt: string };

export type FieldError = { path: string; message: string };

/** An RFC 9457 problem+json answer (or a network failure dressed as one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[],
    readonly retryAfter: number | null = null,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

type Init = Omit<RequestInit, "body"> & { json?: unknown; bearer?: string };

export async function request<T>(path: string, init: Init = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("accept", "application/json, application/problem+json");
  if (init.bearer) headers.set("authorization", `Bearer ${init.bearer}`);
  let body: string | undefined;
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
  const p = (data && typeof data === "object" ? data : {}) as { title?: unknown; detail?: unknown; errors?: unknown };
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
  );
}

export const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, "Something went wrong", String((e as Error)?.message ?? e), []));

// ---- chains (cached for the session: the registry changes with deploys, fees every minute) ----
let chainsPromise: Promise<Chain[]> | null = null;
let chainsAt = 0;
export function getChains(): Promise<Chain[]> {
  if (!chainsPromise || Date.now() - chainsAt > 60_000) {
    chainsAt = Date.now();
    chainsPromise = request<{ chains: Chain[] }>("/chains").then((r) => r.chains);
    chainsPromise.catch(() => (chainsPromise = null));
  }
  return chainsPromise;
}

// ---- launches ----
export const getLaunch = (id: string, signal?: AbortSignal) => request<Launch>(`/launches/${encodeURIComponent(id)}`, { signal });
export const launchStreamUrl = (id: string) => `/api/v1/launches/${encodeURIComponent(id)}/stream`;

export function createLaunch(body: LaunchBody, idempotencyKey: string, apiKey?: string) {
  return request<Accepted>("/launches", { method: "POST", json: body, bearer: apiKey || undefined, headers: { "idempotency-key": idempotencyKey } });
}

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
export function getTokens(q: { chain?: string; owner?: string; cursor?: string | null; limit?: number; q?: string }, signal?: AbortSignal) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  return request<{ tokens: Token[]; nextCursor: string | null }>(`/tokens${p.size ? "?" + p : ""}`, { signal });
}

// ---- accounts ----
export const getNonce = () => request<{ nonce: string; expiresAt?: string }>("/auth/nonce", { method: "POST", json: {} });
export const signInEvm = (message: string, signature: string) => request<{ user?: User }>("/auth/siwe", { method: "POST", json: { message, signature } });
export const signInSolana = (message: string, signature: string, publicKey: string) =>
  request<{ user?: User }>("/auth/siws", { method: "POST", json: { message, signature, publicKey } });
export const signOut = () => request<unknown>("/auth/logout", { method: "POST", json: {} });
export const getMe = (signal?: AbortSignal) => request<{ user: User }>("/me", { signal });
export const getMyLaunches = (cursor?: string | null, all = false) => {
  const p = new URLSearchParams({ limit: "10" });
  if (cursor) p.set("cursor", cursor);
  if (all) p.set("all", "1");
  return request<{ launches: LaunchSummary[]; nextCursor: string | null }>(`/me/launches?${p}`);
};

export const listKeys = () => request<{ keys: ApiKey[] }>("/keys");
export const createKey = (name: string, scopes: string[]) => request<ApiKey & { key: string }>("/keys", { method: "POST", json: { name, scopes } });
export const revokeKey = (id: string) => request<unknown>(`/keys/${encodeURIComponent(id)}`, { method: "DELETE" });

export const listWebhooks = () => request<{ webhooks: Webhook[] }>("/webhooks");
export const createWebhook = (url: string, events: string[], description?: string) =>
  request<Webhook & { secret: string }>("/webhooks", { method: "POST", json: { url, events, ...(description ? { description } : {}) } });
export const deleteWebhook = (id: string) => request<unknown>(`/webhooks/${encodeURIComponent(id)}`, { method: "DELETE" });
export const listDeliveries = (id: string) => request<{ deliveries: WebhookDelivery[]; nextCursor: string | null }>(`/webhooks/${encodeURIComponent(id)}/deliveries?limit=20`);

// ---- operators (admin role; before roles existed, the admin token as a bearer) ----
export type DeadLetter = { id: string; launchId: string; queue: string; reason: string; attempts: number; createdAt: string; replayedAt: string | null; chain?: string; launchStatus?: string };
/** The operators' deep health (live chain reads, funds): admin session or operator token. */
export const getHealth = (bearer?: string, signal?: AbortSignal) => request<Health>("/health/deep", { bearer, signal });
export const listDeadLetters = (bearer?: string, signal?: AbortSignal) => request<{ deadLetters?: DeadLetter[]; items?: DeadLetter[] }>("/admin/dead-letters", { bearer, signal });
export const replayDeadLetter = (id: string, bearer?: string) => request<unknown>(`/admin/dead-letters/${encodeURIComponent(id)}/replay`, { method: "POST", bearer });
export const replayAllDeadLetters = (bearer?: string) => request<{ replayed?: { id: string; launchId: string }[] | number }>("/admin/dead-letters/replay", { method: "POST", bearer });

export type Health = {
  status: string;
  environment?: string;
  time?: string;
  d1?: { ok: boolean; latencyMs: number; error?: string };
  kv?: { ok: boolean; latencyMs: number; error?: string };
  queue?: { ok: boolean; latencyMs?: number; error?: string };
  backlog?: Record<string, number> | null;
  chains: HealthChain[];
  [k: string]: unknown;
};
export type HealthChain = {
  id: string;
  family?: string;
  status: string;
  endpoints: HealthEndpoint[];
  bucket?: unknown;
  backlog?: unknown;
  /** The account that pays for launches: below the minimum, launches wait. */
  deployer?: { address: string; balanceWei?: string; minimumWei?: string; balanceLamports?: string; minimumLamports?: string; sufficient: boolean };
  [k: string]: unknown;
};
export type HealthEndpoint = {
  provider: string;
  endpoint: string;
  reachable: boolean;
  latencyMs?: number;
  latest?: { block?: number; slot?: number };
  error?: string;
  breaker?: unknown;
  bucket?: unknown;
  [k: string]: unknown;
};
