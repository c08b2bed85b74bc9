// POST /api/v1/launches and GET /api/v1/launches/:id — the core of the launch contract.
import { createRoute, z } from "@hono/zod-openapi";
import { chainRegistry, findChain, log } from "@tokenforge/core";
import { requireScope } from "../auth";
import { jsonBody, ProblemError } from "../http";
import { getLaunchWithEvents, launchView } from "../launch-store";
import { WATCHED_STATUSES } from "@tokenforge/core/lifecycle";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { LaunchAccepted, LaunchRequestSchema, LaunchView } from "../schemas";
import { createLaunches, idempotencyKeyOf } from "../launch-create";

export const LAUNCH_ID_RE = /^lch_[0-9a-z]{26}$/;

export const launchesRoute = router();

const create = createRoute({
  method: "post",
  path: "/",
  operationId: "createLaunch",
  tags: ["launches"],
  summary: "Launch a token",
  description:
    "Validates the request, stores the launch and queues it; the token is deployed asynchronously. " +
    "Needs a session or an API key with `launches:write`. The launch belongs to the caller. " +
    "`payment.mode` (default: wallet for a session, platform for an API key): platform → the platform's deployer sends it " +
    "(status queued); wallet → status awaiting_payment and a `transaction` the payer must send itself before `payment.expiresAt` " +
    "(EVM: value = the chain's platform fee; sent by any other account it reverts). " +
    "With an `Idempotency-Key`, a repeat of the same request answers the same launch. " +
    "A platform-paid launch is paid from the caller's credits on its chain (GET /credits): its quote's total (`payment.quoteId`, or a fresh quote) " +
    "is reserved on acceptance, captured when it confirms and refunded when it fails; without enough credits it answers 402 insufficient-credits.",
  security: security.user,
  middleware: [requireScope("launches:write"), jsonBody] as const,
  request: {
    headers: z.object({
      "idempotency-key": z.string().optional().meta({ description: "1 to 255 printable ASCII characters; unique per caller" }),
    }),
    body: { required: true, content: jsonContent(LaunchRequestSchema) },
  },
  responses: {
    202: {
      description: "Accepted: the launch is stored and queued (platform) or awaits its payer's transaction (wallet)",
      headers: z.object({ location: z.string() }),
      content: jsonContent(LaunchAccepted),
    },
    ...problems(
      "malformed-json", "invalid-idempotency-key", "unauthorized", "forbidden", "idempotency-key-in-flight", "payload-too-large",
      "unsupported-media-type", "validation-error", "unknown-chain", "idempotency-key-reused", ...LIMITED,
      "unavailable", // a Solana mint address could not be had from the deployer, or a wallet launch's fee is not read yet
      "quote-rejected", // payment.quoteId: expired, used, another caller's or body's, or the fee changed on chain
      "chain-paused", // the operators paused new launches on this chain (Retry-After)
      "insufficient-credits", // platform-paid: the caller's credits on the chain are less than the quote's total (`balance`, `required`)
      "spend-cap-exceeded", // platform-paid: the key's or the user's daily spend cap on the chain
      "platform-spend-cap", // platform-paid: the platform's daily spending on the chain is reached (Retry-After)
    ),
  },
});

launchesRoute.openapi(create, async (c) => {
  const idempotencyKey = idempotencyKeyOf(c.req.header("idempotency-key"));
  const [outcome] = await createLaunches(c, [{ body: c.req.valid("json"), parsed: true, idempotencyKey }]);
  if (!outcome!.ok) throw outcome!.problem;
  const { body, replayed } = outcome!;
  return c.json(body, 202, { location: body.links.self, ...(replayed ? { "idempotent-replayed": "true" } : {}) });
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  operationId: "getLaunch",
  tags: ["launches"],
  summary: "A launch and its status history",
  description: "Public: anyone with the id may read it.",
  security: security.none,
  request: { params: z.object({ id: z.string().meta({ example: "lch_01jb7x3v9k2m4n6p8q0r2s4t6v" }) }) },
  responses: {
    200: { description: "The launch", content: jsonContent(LaunchView) },
    ...problems("not-found", ...LIMITED),
  },
});

launchesRoute.openapi(get, async (c) => {
  const { id } = c.req.valid("param");
  if (!LAUNCH_ID_RE.test(id)) throw new ProblemError("not-found", "no launch with this id");
  const found = await getLaunchWithEvents(c.env, id);
  if (!found) throw new ProblemError("not-found", "no launch with this id");
  return c.json(launchView(c.env, found.row, found.events), 200);
});

const PaymentNotice = z
  .union([
    z.strictObject({ txHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/).meta({ description: "EVM: the hash of the payer's transaction" }) }),
    z.strictObject({ signature: z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/).meta({ description: "Solana: the transaction's signature" }) }),
  ])
  .meta({ id: "PaymentNotice" });

const notifyPayment = createRoute({
  method: "post",
  path: "/{id}/payment",
  operationId: "notifyLaunchPayment",
  tags: ["launches"],
  summary: "Tell the platform a wallet launch's transaction was sent",
  description:
    "Optional: the platform finds the payment on chain by itself. Naming the sent transaction makes it look now instead of at its next round. " +
    "Only the launch's creator, only while it awaits payment.",
  security: security.user,
  middleware: [requireScope("launches:write"), jsonBody] as const,
  request: {
    params: z.object({ id: z.string() }),
    body: { required: true, content: jsonContent(PaymentNotice) },
  },
  responses: {
    202: { description: "The launch is being looked for on chain now", content: jsonContent(z.object({ id: z.string(), status: LaunchView.shape.status })) },
    ...problems("malformed-json", "unauthorized", "forbidden", "not-found", "conflict", "unsupported-media-type", "validation-error", ...LIMITED),
  },
});

launchesRoute.openapi(notifyPayment, async (c) => {
  const caller = c.get("caller")!;
  const { id } = c.req.valid("param");
  const notice = c.req.valid("json");
  const found = LAUNCH_ID_RE.test(id) ? await getLaunchWithEvents(c.env, id) : null;
  // Someone else's launch is answered like a missing one: ids are public, payments are not.
  if (!found || found.row.creatorId !== caller.userId) throw new ProblemError("not-found", "no launch of yours with this id");
  const row = found.row;
  if (row.paymentMode !== "wallet") throw new ProblemError("conflict", "this launch is paid by the platform; there is no payment to report");
  if (!WATCHED_STATUSES.includes(row.status)) throw new ProblemError("conflict", `the launch is ${row.status}, not awaiting payment`);
  const family = findChain(chainRegistry(c.env), row.chain)?.family;
  if ((family === "evm") !== ("txHash" in notice)) {
    const path = family === "evm" ? "txHash" : "signature";
    throw new ProblemError("validation-error", `${path}: is required on ${row.chain}`, { errors: [{ path, message: `is required on ${row.chain}` }] });
  }
  await c.env.WATCH.send({ launchId: id, reason: "payment" });
  log("info", "launch.payment_noted", { launchId: id, chain: row.chain, tx: "txHash" in notice ? notice.txHash : notice.signature });
  return c.json({ id, status: row.status }, 202);
});

