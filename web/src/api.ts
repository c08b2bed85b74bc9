// The launch contract as the web app uses it (../../../shared/DESIGN.md "The
// launch contract"). Relative URLs only: the api Worker serves this app on the
// same origin as /api/v1. Types are written out here rather than imported from
// @tokenforge/core so the bundle carries no zod or viem.

export type Family = "evm" | "solana";

export type Chain = {
  id: string;
  name: string;
  family: Family;
  chainId?: number;
  nativeSymbol: string;
  rpcUrl: string;
  explorerUrl: string | null;
};

export type FeatureName = "mintable" | "burnable" | "pausable" | "permit" | "freezable";

/** What each family supports (mirrors familyLimits in packages/core/src/launch.ts). */
export const FAMILY: Record<Family, { maxDecimals: number; defaultDecimals: number; features: FeatureName[] }> = {
  evm: { maxDecimals: 18, defaultDecimals: 18, features: ["mintable", "burnable", "pausable", "permit"] },
  solana: { maxDecimals: 9, defaultDecimals: 9, features: ["mintable", "burnable", "freezable"] },
};

export type LaunchBody = {
  chain: string;
  name: string;
  symbol: string;
  decimals: number;
  initialSupply: string;
  maxSupply?: string;
  owner: string;
  features: Partial<Record<FeatureName, boolean>>;
  metadataUri?: string;
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
  error: null | { type: string; detail: string };
  explorer?: { token: string | null; tx: string | null } | null;
  events: { status: LaunchStatus; at: string; detail: string | null }[];
};

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

const API_KEY_STORAGE = "tokenforge.apiKey";

export function loadApiKey(): string {
  try {
    return localStorage.getItem(API_KEY_STORAGE) ?? "";
  } catch {
    return "";
  }
}

export function saveApiKey(key: string) {
  try {
    if (key) localStorage.setItem(API_KEY_STORAGE, key);
    else localStorage.removeItem(API_KEY_STORAGE);
  } catch {
    // storage disabled (private mode): the key lives for this page only
  }
}

async function request<T>(path: string, init: RequestInit & { apiKey?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("accept", "application/json, application/problem+json");
  const key = init.apiKey?.trim();
  if (key) headers.set("authorization", `Bearer ${key}`);
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { ...init, headers });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, "Network error", "the API did not answer; check your connection and try again", []);
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) return body as T;
  const p = (body && typeof body === "object" ? body : {}) as { title?: unknown; detail?: unknown; errors?: unknown };
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

export const getChains = (signal?: AbortSignal) => request<{ chains: Chain[] }>("/chains", { signal });

export const getLaunch = (id: string, signal?: AbortSignal) =>
  request<Launch>(`/launches/${encodeURIComponent(id)}`, { signal, apiKey: loadApiKey() });

export function createLaunch(body: LaunchBody, apiKey: string, idempotencyKey: string) {
  return request<Accepted>("/launches", {
    method: "POST",
    apiKey,
    headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
    body: JSON.stringify(body),
  });
}

/** A fresh Idempotency-Key (randomUUID needs a secure context; fall back for plain-http LAN use). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
