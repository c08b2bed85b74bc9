// Etherscan API v2 (one key for every chain, the chain named by `chainid`), the
// calls source verification needs, as pure request builders and answer readers:
// verifysourcecode (standard-JSON input), checkverifystatus, verifyproxycontract,
// checkproxyverification. The caller sends them (through the explorer's bucket)
// and keeps the GUIDs. Shapes: docs.etherscan.io/api-endpoints/contracts.

export type EtherscanRequest = { url: string; init: { method: "POST" | "GET"; headers?: Record<string, string>; body?: string } };

/** What an answer means for the job: done either way, wait and ask again, or try the call again later. */
export type EtherscanOutcome =
  | { kind: "submitted"; guid: string }
  | { kind: "verified"; detail: string }
  | { kind: "failed"; detail: string }
  | { kind: "pending"; detail: string }
  /** Rate limit, outage, unreadable answer: the call is retried with backoff. */
  | { kind: "retry"; detail: string };

type Base = { apiUrl: string; apiKey: string; chainId: number };

function post(b: Base, fields: Record<string, string>): EtherscanRequest {
  const url = `${b.apiUrl}?chainid=${b.chainId}`;
  const body = new URLSearchParams({ chainid: String(b.chainId), module: "contract", apikey: b.apiKey, ...fields }).toString();
  return { url, init: { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body } };
}

function get(b: Base, fields: Record<string, string>): EtherscanRequest {
  const q = new URLSearchParams({ chainid: String(b.chainId), module: "contract", apikey: b.apiKey, ...fields });
  return { url: `${b.apiUrl}?${q}`, init: { method: "GET" } };
}

export function verifySourceRequest(b: Base, c: { address: string; input: unknown; contractName: string; compilerVersion: string; constructorArgs?: string }): EtherscanRequest {
  return post(b, {
    action: "verifysourcecode",
    codeformat: "solidity-standard-json-input",
    sourceCode: JSON.stringify(c.input),
    contractaddress: c.address,
    contractname: c.contractName,
    compilerversion: c.compilerVersion,
    // Etherscan's own spelling of the field.
    constructorArguements: (c.constructorArgs ?? "").replace(/^0x/, ""),
  });
}

export const checkVerifyStatusRequest = (b: Base, guid: string) => get(b, { action: "checkverifystatus", guid });
export const verifyProxyRequest = (b: Base, address: string, implementation: string) => post(b, { action: "verifyproxycontract", address, expectedimplementation: implementation });
export const checkProxyRequest = (b: Base, guid: string) => get(b, { action: "checkproxyverification", guid });

/** An answer of verifysourcecode or verifyproxycontract: a GUID to check, or why not. */
export function readSubmission(httpStatus: number, body: unknown): EtherscanOutcome {
  const a = shape(httpStatus, body);
  if (a.kind === "retry") return a;
  if (a.status === "1" && a.result) return { kind: "submitted", guid: a.result };
  if (/already verified/i.test(a.result)) return { kind: "verified", detail: a.result };
  return transient(a.result) ? { kind: "retry", detail: a.result } : { kind: "failed", detail: a.result };
}

/** An answer of checkverifystatus or checkproxyverification. */
export function readCheck(httpStatus: number, body: unknown): EtherscanOutcome {
  const a = shape(httpStatus, body);
  if (a.kind === "retry") return a;
  if (/pending|in queue|in progress/i.test(a.result)) return { kind: "pending", detail: a.result };
  if (a.status === "1" || /already verified|^pass/i.test(a.result)) return { kind: "verified", detail: a.result };
  return transient(a.result) ? { kind: "retry", detail: a.result } : { kind: "failed", detail: a.result };
}

/** Limits and outages, not a verdict on the contract: the same call later may succeed. */
function transient(result: string): boolean {
  return /rate limit|max calls|try again|timeout|temporarily|unable to locate guid/i.test(result);
}

function shape(httpStatus: number, body: unknown): { kind: "answer"; status: string; result: string } | { kind: "retry"; detail: string } {
  if (httpStatus >= 500 || httpStatus === 429) return { kind: "retry", detail: `HTTP ${httpStatus}` };
  const b = body as { status?: unknown; result?: unknown } | null;
  if (!b || typeof b.status !== "string") return { kind: "retry", detail: `unreadable answer (HTTP ${httpStatus})` };
  return { kind: "answer", status: b.status, result: typeof b.result === "string" ? b.result : JSON.stringify(b.result) };
}
