// Classifies an error thrown by viem (or anything else) around an RPC call for
// the gate, for callers that do not go through gatedFetch but still report. It
// lives with the deployer because it reads the deployer's error taxonomy
// (errors.ts: nonce, revert, invalid params are not the endpoint's fault).
import { classifyHttpResponse, classifyRpcAnswers, type EndpointFault } from "@tokenforge/gate";
import { classifyError } from "../errors";

/** An error thrown around an RPC call: null when it is not the endpoint's fault. */
export function classifyRpcError(err: unknown): EndpointFault {
  const e = err as { name?: string; status?: number; code?: number; headers?: Headers; cause?: unknown } | null;
  const chain: unknown[] = [];
  for (let x: unknown = err, i = 0; x && i < 5; x = (x as { cause?: unknown }).cause, i++) chain.push(x);
  if (chain.some((x) => (x as { name?: string }).name === "TimeoutError")) return { kind: "timeout" };
  const status = chain.map((x) => (x as { status?: number }).status).find((s) => typeof s === "number");
  if (typeof status === "number") {
    const headers = chain.map((x) => (x as { headers?: Headers }).headers).find((h) => h instanceof Headers) ?? new Headers();
    const code = chain.map((x) => (x as { code?: number }).code).find((c) => typeof c === "number");
    const body = code !== undefined ? JSON.stringify({ jsonrpc: "2.0", id: 0, error: { code, message: String((e as { message?: string })?.message ?? "") } }) : "";
    return classifyHttpResponse(status, headers, body, Date.now());
  }
  const code = chain.map((x) => (x as { code?: number }).code).find((c) => typeof c === "number");
  if (code !== undefined && classifyRpcAnswers([{ error: { code } }])?.kind === "http429") return { kind: "http429" };
  const c = classifyError(err);
  if (c.kind !== "endpoint") return null; // revert, nonce, invalid params, unknown: not the endpoint's fault
  const m = c.message.toLowerCase();
  if (/timeout|timed out/.test(m)) return { kind: "timeout" };
  if (/429|too many requests/.test(m)) return { kind: "http429" };
  if (/status: 5\d\d|internal error/.test(m)) return { kind: "http5xx" };
  return { kind: "connection" };
}

