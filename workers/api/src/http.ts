// Problem+json responses and JSON body reading with the error kinds the launch
// contract promises (415, 413, 400, 422): bad input is always 4xx, never 5xx.
import type { Context, MiddlewareHandler } from "hono";
import type { ZodError } from "zod";
import { problem, type Issue, type ProblemKind } from "@tokenforge/core";

export const MAX_BODY_BYTES = 16 * 1024;

/** The challenge every 401 carries (RFC 9110 §11.6.1); callers may add RFC 6750 error parameters. */
export const BEARER_CHALLENGE = 'Bearer realm="tokenforge"';

export function problemResponse(kind: ProblemKind, detail?: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const body = problem(kind, detail, extra);
  const challenge: Record<string, string> = body.status === 401 && !Object.keys(headers).some((h) => h.toLowerCase() === "www-authenticate") ? { "www-authenticate": BEARER_CHALLENGE } : {};
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", ...challenge, ...headers },
  });
}

/**
 * The credentials of an `Authorization: Bearer <token>` header, or null. The
 * scheme name is case-insensitive (RFC 9110 §11.1): `bearer`, `BEARER` are the same.
 */
export function bearerToken(header: string | undefined): string | null {
  const m = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
  return m ? m[1]! : null;
}

export class ProblemError extends Error {
  constructor(
    readonly kind: ProblemKind,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
  toResponse() {
    return problemResponse(this.kind, this.message || undefined, this.extra, this.headers);
  }
}

/**
 * Route middleware for JSON bodies, run before the zod validator of an OpenAPI
 * route: media type (415), size (413, also for chunked bodies), UTF-8 and JSON
 * syntax (400) are checked here, then the text is left in Hono's body cache,
 * where the validator's `c.req.json()` reads it instead of the spent stream.
 */
export const jsonBody: MiddlewareHandler = async (c, next) => {
  const text = await readJsonText(c);
  (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
  await next();
};

/** jsonBody with a larger size limit, for bodies that carry many items (POST /launches/batch). */
export function jsonBodyUpTo(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const text = await readJsonText(c, maxBytes);
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    await next();
  };
}

/** A zod failure as the 422 problem: every issue with its path. */
export function zodProblem(error: ZodError, where = "body"): ProblemError {
  const errors: Issue[] = error.issues.map((i) => ({
    path: i.path.join(".") || (i.code === "unrecognized_keys" ? (i as { keys?: string[] }).keys?.join(",") ?? "" : ""),
    message: i.message,
  }));
  return new ProblemError("validation-error", errors.map((e) => `${e.path || where}: ${e.message}`).join("; "), { errors });
}

async function readJsonText(c: Context, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;.*)?$/i.test(type)) {
    throw new ProblemError("unsupported-media-type", "send the body as application/json");
  }
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > maxBytes) throw new ProblemError("payload-too-large", `at most ${maxBytes} bytes`);
  const raw = await readLimited(c.req.raw, maxBytes);
  try {
    JSON.parse(raw);
    return raw;
  } catch {
    throw new ProblemError("malformed-json", "the body could not be parsed as JSON");
  }
}

// Reads at most `limit` bytes, so a body sent without Content-Length (chunked)
// cannot grow past the limit in memory.
async function readLimited(req: Request, limit: number): Promise<string> {
  if (!req.body) return "";
  const all = await readBytesUpTo(req.body, limit);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(all);
  } catch {
    throw new ProblemError("malformed-json", "the body is not valid UTF-8");
  }
}

export async function sha256Hex(data: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(data));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** JSON with sorted keys, so equal bodies hash equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A body's bytes, cut off with 413 payload-too-large as soon as they pass `limit` (JSON bodies here, uploads in routes/assets.ts). */
export async function readBytesUpTo(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new ProblemError("payload-too-large", `at most ${limit} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const ch of chunks) {
    all.set(ch, at);
    at += ch.byteLength;
  }
  return all;
}
