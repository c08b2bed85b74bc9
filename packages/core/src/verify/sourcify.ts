// Sourcify's API v2: submit a standard-JSON input for a contract (a job), then
// read the job. Pure request builders and answer readers, like etherscan.ts.
// Shapes: docs.sourcify.dev (POST /v2/verify/{chainId}/{address}, GET /v2/verify/{verificationId}).
import type { EtherscanOutcome, EtherscanRequest } from "./etherscan";

export function sourcifySubmitRequest(apiUrl: string, c: { chainId: number; address: string; input: unknown; contractIdentifier: string; compilerVersion: string }): EtherscanRequest {
  return {
    url: `${apiUrl}/v2/verify/${c.chainId}/${c.address}`,
    init: {
      method: "POST",
      headers: { "content-type": "application/json" },
      // Sourcify names the compiler without Etherscan's leading "v".
      body: JSON.stringify({ stdJsonInput: c.input, compilerVersion: c.compilerVersion.replace(/^v/, ""), contractIdentifier: c.contractIdentifier }),
    },
  };
}

export const sourcifyJobRequest = (apiUrl: string, id: string): EtherscanRequest => ({ url: `${apiUrl}/v2/verify/${id}`, init: { method: "GET" } });

export function readSourcifySubmission(httpStatus: number, body: unknown): EtherscanOutcome {
  const b = body as { verificationId?: string; customCode?: string; message?: string } | null;
  if (httpStatus === 202 && b?.verificationId) return { kind: "submitted", guid: b.verificationId };
  if (httpStatus === 409 || b?.customCode === "already_verified") return { kind: "verified", detail: b?.message ?? "already verified" };
  if (httpStatus >= 500 || httpStatus === 429 || !b) return { kind: "retry", detail: `HTTP ${httpStatus}` };
  return { kind: "failed", detail: `${b.customCode ?? httpStatus}: ${b.message ?? ""}` };
}

export function readSourcifyJob(httpStatus: number, body: unknown): EtherscanOutcome {
  const b = body as { isJobCompleted?: boolean; contract?: { match?: string | null }; error?: { message?: string } } | null;
  if (httpStatus >= 500 || httpStatus === 429 || !b || typeof b.isJobCompleted !== "boolean") return { kind: "retry", detail: `HTTP ${httpStatus}` };
  if (!b.isJobCompleted) return { kind: "pending", detail: "job running" };
  if (b.contract?.match) return { kind: "verified", detail: b.contract.match };
  return { kind: "failed", detail: b.error?.message ?? "no match" };
}
