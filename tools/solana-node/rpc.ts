// JSON-RPC 2.0 envelope: single and batch requests, notifications, error objects.
import { RpcError, RpcErrorCode } from "./errors";

export type Handler = (method: string, params: unknown[]) => unknown;

interface Request {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

const error = (id: unknown, code: number, message: string, data?: unknown) => ({
  jsonrpc: "2.0",
  error: data === undefined ? { code, message } : { code, message, data },
  id: id ?? null,
});

/** One request object → response object, or undefined for a notification (no id). */
export function handleOne(req: unknown, handler: Handler): object | undefined {
  if (typeof req !== "object" || req === null || Array.isArray(req))
    return error(null, RpcErrorCode.INVALID_REQUEST, "Invalid request");
  const { jsonrpc, id, method, params } = req as Request;
  if (jsonrpc !== "2.0" || typeof method !== "string") return error(id, RpcErrorCode.INVALID_REQUEST, "Invalid request");
  const isNotification = !("id" in (req as object));
  if (params !== undefined && params !== null && !Array.isArray(params)) {
    // Solana methods take positional params only.
    return isNotification ? undefined : error(id, RpcErrorCode.INVALID_PARAMS, "Invalid params: invalid type: map, expected a sequence");
  }
  try {
    const result = handler(method, (params as unknown[] | undefined) ?? []);
    return isNotification ? undefined : { jsonrpc: "2.0", result, id };
  } catch (e) {
    if (isNotification) return undefined;
    if (e instanceof RpcError) return error(id, e.code, e.message, e.data);
    return error(id, RpcErrorCode.INTERNAL_ERROR, `Internal error: ${(e as Error).message}`);
  }
}

/** A request body (single or batch) → response value, or undefined if nothing to send. */
export function handleBody(body: string, handler: Handler): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return error(null, RpcErrorCode.PARSE_ERROR, "Parse error");
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return error(null, RpcErrorCode.INVALID_REQUEST, "Invalid request");
    const out = parsed.map((r) => handleOne(r, handler)).filter((r) => r !== undefined);
    return out.length ? out : undefined;
  }
  return handleOne(parsed, handler);
}

export const methodNotFound = () => new RpcError(RpcErrorCode.METHOD_NOT_FOUND, "Method not found");
