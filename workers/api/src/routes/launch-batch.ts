// POST /api/v1/launches/batch — up to 100 launches in one request, for bots that
// launch many tokens at once. Each item goes through the same path as
// POST /launches (launch-create.ts), reserved in order; the accepted ones are
// written in one D1 batch and queued with one sendBatch, and the request counts
// once against the per-minute limiter. Credits only (platform-paid).
import { createRoute, z } from "@hono/zod-openapi";
import { problem } from "@tokenforge/core";
import { requireScope } from "../auth";
import { jsonBodyUpTo, ProblemError, problemResponse } from "../http";
import { jsonContent, LIMITED, Problem, problems, router, security } from "../openapi";
import { LaunchRequestSchema } from "../schemas";
import { createLaunches, IDEMPOTENCY_KEY_RE, idempotencyKeyOf } from "../launch-create";

export const MAX_BATCH = 100;
/** 100 launch bodies of a few hundred bytes each, with room for long metadata URIs. */
const MAX_BATCH_BYTES = 256 * 1024;

export const launchBatchRoute = router();

const BatchRequest = z
  .strictObject({
    launches: z
      .array(z.union([LaunchRequestSchema, z.looseObject({})]))
      .min(1)
      .max(MAX_BATCH)
      .meta({ description: `1 to ${MAX_BATCH} launch bodies (as POST /launches takes). Each is checked on its own: an invalid one gets its problem in results, the others go on.` }),
  })
  .meta({ id: "LaunchBatchRequest" });

const BatchResult = z
  .object({
    index: z.number().int().meta({ description: "The item's position in `launches`" }),
    status: z.number().int().meta({ description: "What POST /launches would have answered for this item: 202, or the problem's status" }),
    id: z.string().optional(),
    address: z.string().optional(),
    replayed: z.boolean().optional().meta({ description: "true: the item's idempotency key was used before; this is that launch" }),
    problem: Problem.optional(),
  })
  .meta({ id: "LaunchBatchResult" });

const batch = createRoute({
  method: "post",
  path: "/batch",
  operationId: "createLaunchBatch",
  tags: ["launches"],
  summary: "Launch up to 100 tokens in one request",
  description:
    "Platform-paid (credits) only. The items are reserved in order: items past a daily launch quota get 429 problems " +
    "(and, with credits, items past the credit balance 402). One result per item, in order. With an `Idempotency-Key` K, " +
    "item i uses the key `K:i`, so sending the same batch again answers the same launches and launches nothing twice.",
  security: security.user,
  middleware: [requireScope("launches:write"), jsonBodyUpTo(MAX_BATCH_BYTES)] as const,
  request: {
    headers: z.object({
      "idempotency-key": z.string().optional().meta({ description: "1 to 250 printable ASCII characters; item i's key is `<key>:<i>`" }),
    }),
    body: { required: true, content: jsonContent(BatchRequest) },
  },
  responses: {
    200: { description: "The batch was valid: one result per item", content: jsonContent(z.object({ results: z.array(BatchResult) }).meta({ id: "LaunchBatchResults" })) },
    ...problems("malformed-json", "invalid-idempotency-key", "unauthorized", "forbidden", "payload-too-large", "unsupported-media-type", "validation-error", ...LIMITED),
  },
});

launchBatchRoute.openapi(batch, async (c) => {
  const batchKey = idempotencyKeyOf(c.req.header("idempotency-key"));
  const items = c.req.valid("json").launches;
  const itemKey = (i: number) => (batchKey === null ? null : `${batchKey}:${i}`);
  if (batchKey !== null && !IDEMPOTENCY_KEY_RE.test(itemKey(items.length - 1)!)) {
    throw new ProblemError("invalid-idempotency-key", "at most 250 characters for a batch (item keys add `:<index>`)");
  }
  const outcomes = await createLaunches(c, items.map((body, i) => ({ body, idempotencyKey: itemKey(i) })), { platformOnly: true });
  const results = outcomes.map((o, index) => {
    if (o.ok) return { index, status: 202, id: o.body.id, address: o.body.address, ...(o.replayed ? { replayed: true } : {}) };
    const p = problem(o.problem.kind, o.problem.message || undefined, o.problem.extra);
    return { index, status: p.status, problem: p };
  });
  return c.json({ results }, 200);
});

// Any other method would reach GET /launches/{id} (or the 405 of /launches/{id}): this path answers only POST.
launchBatchRoute.all("/batch", async (c, next) => {
  if (c.req.method === "POST" || c.req.method === "OPTIONS") return next();
  return problemResponse("method-not-allowed", `${c.req.path} answers OPTIONS, POST`, {}, { allow: "OPTIONS, POST" });
});
