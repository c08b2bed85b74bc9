// api Worker: the HTTP API under /api/v1 (OpenAPI document at /api/v1/openapi.json,
// docs at /api/v1/docs; the routes are in app.ts), the webhook and announcement queues' consumer,
// and the RateLimiter, Ledger and PlatformSpend Durable Objects. Everything else is the web app (static assets).
import { log, withTrace } from "@tokenforge/core";
import { metered } from "@tokenforge/core/meter";
import type { Env } from "./env";
import { app } from "./app";
import { apiConfig } from "./config";
import { deliverBatch, fanOut, type WebhookDeliveryMessage } from "./webhooks/deliver";
import { announceBatch } from "./announce/deliver";

export { RateLimiter } from "./rate-limiter.do";
export { Ledger, PlatformSpend } from "./ledger.do";

export default {
  fetch: (req: Request, env: Env, ctx: ExecutionContext) => metered("api", "fetch", env, async (e) => app.fetch(req, e, ctx)),
  queue: (batch: MessageBatch<unknown>, env: Env) => metered("api", "queue", env, async (env) => {
    apiConfig(env);
    // The webhook messages carry the request id of their launch: its lines log it (core's trace.ts).
    const launches = new Map<string, string>();
    for (const m of batch.messages) {
      const b = m.body as { launchId?: unknown; requestId?: unknown } | null;
      if (typeof b?.launchId === "string" && typeof b.requestId === "string") launches.set(b.launchId, b.requestId);
    }
    return withTrace({ launches }, () => consume(batch, env));
  }),
} satisfies ExportedHandler<Env>;

async function consume(batch: MessageBatch<unknown>, env: Env) {
  if (batch.queue.startsWith("tf-webhook-deliveries")) return deliverBatch(env, batch as MessageBatch<WebhookDeliveryMessage>);
  if (batch.queue.startsWith("tf-webhook-events")) return fanOut(env, batch);
  if (batch.queue.startsWith("tf-announcements")) return announceBatch(env, batch);
  log("warn", "queue.unknown", { queue: batch.queue });
}
