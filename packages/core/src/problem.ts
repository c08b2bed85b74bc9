// RFC 9457 problem details: one `type` per kind of error, stable so clients can
// branch on it. Every error the API returns goes through `problem()`.
export const PROBLEM_BASE = "https://tokenforge.dev/problems/";

export const problemKinds = {
  "validation-error": { status: 422, title: "The request is not valid" },
  "malformed-json": { status: 400, title: "The body is not valid JSON" },
  "unsupported-media-type": { status: 415, title: "The body must be application/json" },
  "payload-too-large": { status: 413, title: "The body is too large" },
  "unknown-chain": { status: 422, title: "The chain is not supported" },
  "unauthorized": { status: 401, title: "Authentication is required" },
  "forbidden": { status: 403, title: "Not allowed" },
  "not-found": { status: 404, title: "Not found" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  "conflict": { status: 409, title: "The request conflicts with the current state" },
  "idempotency-key-reused": { status: 422, title: "The Idempotency-Key was used with another request body" },
  "idempotency-key-in-flight": { status: 409, title: "A request with this Idempotency-Key is still being processed" },
  "invalid-idempotency-key": { status: 400, title: "The Idempotency-Key header is not valid" },
  "quote-rejected": { status: 409, title: "The quote cannot be used for this launch" },
  // Deposits and linked wallets (issue 17).
  "deposit-already-submitted": { status: 409, title: "This transaction was already submitted as a deposit" },
  "not-a-deposit": { status: 422, title: "The transaction is not a deposit to the treasury" },
  "unlinked-sender": { status: 422, title: "The deposit was not sent from one of your linked wallets" },
  "wallet-linked-elsewhere": { status: 409, title: "The wallet belongs to another account" },
  "invalid-cursor": { status: 400, title: "The cursor is not valid" },
  "rate-limited": { status: 429, title: "Too many requests" },
  "internal-error": { status: 500, title: "Internal error" },
  "unavailable": { status: 503, title: "Service unavailable" },
  // An operator paused new launches on this chain (POST /admin/chains/{id}/pause); other chains still launch.
  "chain-paused": { status: 503, title: "Launches on this chain are paused" },
  // Credits (issue 17): a platform-paid launch is paid from the caller's credits on its chain.
  "insufficient-credits": { status: 402, title: "Not enough credits on this chain" },
  "spend-cap-exceeded": { status: 402, title: "The daily spend cap of this key or user is reached" },
  "platform-spend-cap": { status: 503, title: "The platform's daily spending on this chain is reached" },
  // Uploads (POST /assets): judged by the bytes, never by the Content-Type header.
  "unsupported-image": { status: 415, title: "The body is not a PNG, JPEG, WebP or GIF image" },
  "invalid-image": { status: 422, title: "The image is broken, truncated or too large in its dimensions" },
  // An operator took these bytes down; the hash stays blocked.
  "asset-blocked": { status: 451, title: "This image was taken down" },
} as const;
export type ProblemKind = keyof typeof problemKinds;

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { path: string; message: string }[];
  [ext: string]: unknown;
};

export function problem(kind: ProblemKind, detail?: string, extra: Record<string, unknown> = {}): Problem {
  const { status, title } = problemKinds[kind];
  return { type: PROBLEM_BASE + kind, title, status, ...(detail ? { detail } : {}), ...extra };
}
