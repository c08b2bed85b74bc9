// OpenAPI entries for routes written as plain Hono (health, admin, the launch
// stream): registered for the document only, so the spec lists every route.
// Also the webhook payloads (OpenAPI 3.1 `webhooks`).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../env";
import { jsonContent, LIMITED, problems } from "../openapi";
import { WebhookPayload } from "../schemas";

export function documentPlainRoutes(api: OpenAPIHono<AppEnv>) {
  const r = api.openAPIRegistry;
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
      200: { description: "Up (status ok or degraded)", content: jsonContent(z.record(z.string(), z.unknown())) },
      503: { description: "Down: D1 or KV failing, or a chain with no healthy RPC endpoint (every breaker open; listed in unhealthyChains)", content: jsonContent(z.record(z.string(), z.unknown())) },
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
      200: { description: "Up (status ok or degraded)", content: jsonContent(z.record(z.string(), z.unknown())) },
      503: { description: "Down", content: jsonContent(z.record(z.string(), z.unknown())) },
      ...problems("unauthorized", "forbidden", ...LIMITED),
    },
  });
  r.registerPath({
    method: "get",
    path: "/api/v1/launches/{id}/stream",
    operationId: "streamLaunch",
    tags: ["launches"],
    summary: "The launch view as server-sent events until it is final",
    security: [],
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: { description: "text/event-stream of Launch views", content: { "text/event-stream": { schema: z.string() } } }, ...problems("not-found") },
  });
  for (const [path, summary] of [
    ["/api/v1/admin/cron", "Run the cron Worker's jobs now"],
    ["/api/v1/admin/launches/{id}/enqueue", "Put a launch's message on the queue again"],
  ] as const) {
    r.registerPath({
      method: "post",
      path,
      tags: ["operators"],
      summary,
      description: "Admin role (session or an admin's API key).",
      security: [{ session: [] }, { apiKey: [] }],
      ...(path.includes("{id}") ? { request: { params: z.object({ id: z.string() }) } } : {}),
      responses: { 200: { description: "Done" }, 202: { description: "Enqueued" }, ...problems("unauthorized", "forbidden", "not-found", ...LIMITED) },
    });
  }
  for (const type of ["launch.confirmed", "launch.failed"] as const) {
    r.registerWebhook({
      method: "post",
      path: type,
      summary: `Sent when a launch is ${type.split(".")[1]}`,
      description: "Signed per Standard Webhooks: headers webhook-id, webhook-timestamp, webhook-signature. Answer 2xx within 10 s.",
      request: { body: { content: jsonContent(WebhookPayload) } },
      responses: { 200: { description: "Received" } },
    });
  }
}
