// api Worker: the HTTP API under /api/v1 (OpenAPI document at /api/v1/openapi.json,
// docs at /api/v1/docs; the routes are in app.ts), the webhook queues' consumer,
// and the RateLimiter Durable Object. Everything else is the web app (static assets).
import { log, withTrace } from "@tokenforge/core";
import type { Env } from "./env";
import { app } from "./app";
import { apiConfig } from "./config";
import { deliverBatch, fanOut, type WebhookDeliveryMessage } from "./webhooks/deliver";

export { RateLimiter } from "./rate-limiter.do";

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<unknown>, env: Env) {
    apiConfig(env);
    // The webhook messages carry the request id of their launch: its lines log it (core's trace.ts).
    const launches = new Map<string, string>();
    for (const m of batch.messages) {
      const b = m.body as { launchId?: unknown; requestId?: unknown } | null;
      if (typeof b?.launchId === "string" && typeof b.requestId === "string") launches.set(b.launchId, b.requestId);
    }
    return withTrace({ launches }, () => consume(batch, env));
  },
} satisfies ExportedHandler<Env>;

async function consume(batch: MessageBatch<unknown>, env: Env) {
  if (batch.queue.startsWith("tf-webhook-deliveries")) return deliverBatch(env, batch as MessageBatch<WebhookDeliveryMessage>);
  if (batch.queue.startsWith("tf-webhook-events")) return fanOut(env, batch);
  log("warn", "queue.unknown", { queue: batch.queue });
}
