// OpenAPI entries for routes written as plain Hono (health, admin, the launch
// stream): registered for the document only, so the spec lists every route.
// Also the webhook payloads (OpenAPI 3.1 `webhooks`).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../env";
import { jsonContent, LIMITED, problems, security } from "../openapi";
import { documentOps } from "./ops-doc";
import { ChainPauseList, ChainPauseView, ChainResumed, CronRun, DeadLetterList, Enqueued, Health, PauseRequest, Replayed, WebhookPayload } from "../schemas";

/** Registers the plain routes and the webhook payloads in the app's OpenAPI document. */
export function documentPlainRoutes(api: OpenAPIHono<AppEnv>) {
  const r = api.openAPIRegistry;
  documentHealthAndStream(r);
  documentAdmin(r);
  documentOps(r);
  documentWebhooks(r);
}

export type Registry = OpenAPIHono<AppEnv>["openAPIRegistry"];

function documentHealthAndStream(r: Registry) {
  r.registerPath({
    method: "get",
    path: "/api/v1/health",
    operationId: "health",
    tags: ["operators"],
    summary: "Public health: D1, KV, backlog, each chain's RPC endpoints as the gates see them",
    description:
      "Per chain, each RPC endpoint as the chain's ChainGate sees it: breaker state (closed, open, half-open) and why, " +
      "recent error rate and calls, latency (p50, average), the provider's bucket fill (0..1). No RPC call is made; " +
      "one answer is reused for up to 5 s. Endpoint URLs are origins only.",
    security: [],
    responses: {
      200: { description: "Up (status ok or degraded)", content: jsonContent(Health) },
      503: { description: "Down: D1 or KV failing, or a chain with no healthy RPC endpoint (every breaker open; listed in unhealthyChains)", content: jsonContent(Health) },
      ...problems(...LIMITED),
    },
  });
  r.registerPath({
    method: "get",
    path: "/api/v1/health/deep",
    operationId: "deepHealth",
    tags: ["operators"],
    summary: "Deep health (admin): the public view plus a live head read per endpoint and the deployer's funds",
    description: "Admin role (session or an admin's API key). Live reads spend provider budget through the ChainGate.",
    security: [{ session: [] }, { apiKey: [] }],
    responses: {
      200: { description: "Up (status ok or degraded)", content: jsonContent(Health) },
      503: { description: "Down", content: jsonContent(Health) },
      ...problems("unauthorized", "forbidden", ...LIMITED),
    },
  });
  r.registerPath({
    method: "get",
    path: "/api/v1/launches/{id}/stream",
    operationId: "streamLaunch",
    tags: ["launches"],
    summary: "The launch view as server-sent events until it is final",
    description:
      "Server-sent events (text/event-stream). Event `launch`: `data` is the Launch view as JSON (the same as GET /api/v1/launches/{id}), " +
      "sent when it changes; its `id` is the number of status events in the view, which only grows. Event `end`: `data` is `final`, " +
      "sent after the final view (status confirmed or failed); then the stream closes. Lines starting with `:` are heartbeats. " +
      "A stream also closes after about 60 s; reconnect with the last id as `Last-Event-ID` (EventSource does this by itself). " +
      "A request whose `Last-Event-ID` is the final view's id or later gets 204 No Content, which stops an EventSource for good. " +
      "A first request for a launch that is already final gets 200 with its final view and `end`, then the stream closes.",
    security: [],
    request: {
      params: z.object({ id: z.string().max(64) }),
      headers: z.object({
        "last-event-id": z.string().optional().meta({ description: "The `id` of the last `launch` event received (sent by EventSource on reconnect)" }),
      }),
    },
    responses: {
      200: {
        description: "A text/event-stream of `launch` events (Launch views) and a final `end` event",
        content: { "text/event-stream": { schema: z.string().meta({ example: 'event: launch\nid: 3\ndata: {"id":"lch_…","status":"confirmed",…}\n\nevent: end\ndata: final\n\n' }) } },
      },
      204: { description: "The launch is final and the client already has its final view (Last-Event-ID): do not reconnect" },
      ...problems("not-found", ...LIMITED),
    },
  });
}

function documentAdmin(r: Registry) {
  // Admin routes (routes/admin.ts): the admin role, as a session or an admin's API key.
  const admin = { tags: ["operators"], security: security.user, description: "Admin role (a session or an admin's API key). Every call writes an audit row." };
  const adminProblems = problems("unauthorized", "forbidden", ...LIMITED);
  const Id = z.object({ id: z.string().max(64) });
  r.registerPath({
    ...admin,
    method: "post",
    path: "/api/v1/admin/cron",
    operationId: "runCron",
    summary: "Run the cron Worker's jobs now (sweep, fees, probes)",
    responses: { 200: { description: "Each job's report", content: jsonContent(CronRun) }, ...adminProblems },
  });
  r.registerPath({
    ...admin,
    method: "post",
    path: "/api/v1/admin/launches/{id}/enqueue",
    operationId: "enqueueLaunch",
    summary: "Put a launch's message on the queue again (the deployer is idempotent)",
    request: {
      params: Id,
      query: z.object({ copies: z.string().regex(/^[0-9]{1,2}$/).optional().meta({ description: "How many copies to send, 1 to 10 (default 1)" }) }),
    },
    responses: { 202: { description: "Enqueued", content: jsonContent(Enqueued) }, ...problems("unauthorized", "forbidden", "not-found", ...LIMITED) },
  });
  r.registerPath({
    ...admin,
    method: "get",
    path: "/api/v1/admin/dead-letters",
    operationId: "listDeadLetters",
    summary: "Dead letters, newest first (not yet replayed, unless all=1)",
    request: {
      query: z.object({
        all: z.enum(["0", "1"]).optional().meta({ description: "1 includes replayed dead letters" }),
        limit: z.string().regex(/^[0-9]{1,3}$/).optional().meta({ description: "1 to 500 (default 100)" }),
      }),
    },
    responses: { 200: { description: "The dead letters", content: jsonContent(DeadLetterList) }, ...adminProblems },
  });
  r.registerPath({
    ...admin,
    method: "post",
    path: "/api/v1/admin/dead-letters/replay",
    operationId: "replayAllDeadLetters",
    summary: "Replay every dead letter not yet replayed (up to 1000): each launch back to queued",
    responses: { 202: { description: "Replayed", content: jsonContent(Replayed) }, ...adminProblems },
  });
  r.registerPath({
    ...admin,
    method: "post",
    path: "/api/v1/admin/dead-letters/{id}/replay",
    operationId: "replayDeadLetter",
    summary: "Replay one dead letter: its launch back to queued, its message sent again",
    request: { params: Id },
    responses: {
      202: { description: "Replayed", content: jsonContent(Replayed) },
      ...problems("unauthorized", "forbidden", "not-found", "conflict", ...LIMITED),
    },
  });
  documentPause(r, admin);
}

function documentPause(r: Registry, admin: { tags: string[]; security: Record<string, string[]>[]; description: string }) {
  const Chain = z.object({ id: z.string().max(64).meta({ example: "local-eth" }) });
  r.registerPath({
    ...admin,
    method: "get",
    path: "/api/v1/admin/chains",
    operationId: "listChainPauses",
    summary: "Every chain with its emergency pause state",
    responses: { 200: { description: "The chains", content: jsonContent(ChainPauseList) }, ...problems("unauthorized", "forbidden", ...LIMITED) },
  });
  r.registerPath({
    ...admin,
    method: "post",
    path: "/api/v1/admin/chains/{id}/pause",
    operationId: "pauseChain",
    summary: "Emergency pause: new launches and quotes on the chain answer 503 chain-paused; its queued launches wait",
    description:
      `${admin.description} Other chains are unaffected. Queued platform-paid launches stay queued (the deployer acks their messages ` +
      "without spending a retry or an attempt, the sweep skips the chain) until resume. Wallet-paid launches already awaiting payment are still watched. " +
      "Pausing a paused chain keeps its first pause time; a new reason replaces the old.",
    request: { params: Chain, body: { required: false, content: jsonContent(PauseRequest) } },
    responses: {
      200: { description: "Paused", content: jsonContent(ChainPauseView) },
      ...problems("unauthorized", "forbidden", "not-found", "validation-error", "malformed-json", "unsupported-media-type", ...LIMITED),
    },
  });
  r.registerPath({
    ...admin,
    method: "post",
    path: "/api/v1/admin/chains/{id}/resume",
    operationId: "resumeChain",
    summary: "Resume a paused chain: its queued platform-paid launches go back on the queue",
    request: { params: Chain },
    responses: {
      200: { description: "Resumed (requeued is 0 when the chain was not paused)", content: jsonContent(ChainResumed) },
      ...problems("unauthorized", "forbidden", "not-found", ...LIMITED),
    },
  });
}

function documentWebhooks(r: Registry) {
  const operationIds = { "launch.confirmed": "launchConfirmedWebhook", "launch.failed": "launchFailedWebhook", "launch.expired": "launchExpiredWebhook" } as const;
  for (const type of ["launch.confirmed", "launch.failed", "launch.expired"] as const) {
    r.registerWebhook({
      method: "post",
      path: type,
      operationId: operationIds[type],
      // We call the receiver; it checks our signature, not a credential of its own.
      security: [],
      summary: `Sent when a launch is ${type.split(".")[1]}`,
      description: "Signed per Standard Webhooks: headers webhook-id, webhook-timestamp, webhook-signature. Answer 2xx within 10 s.",
      request: { body: { content: jsonContent(WebhookPayload) } },
      responses: { 200: { description: "Received" } },
    });
  }
}
