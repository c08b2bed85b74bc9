// Tells the api Worker when launches become final, for webhooks: one message
// per launch on "tf-webhook-events", sent only for rows this batch finalized.
import { log, requestIdFor } from "@tokenforge/core";
import type { WebhookEventMessage } from "@tokenforge/core/webhooks";
import type { Env } from "./env";
import type { Finalized } from "./store";

const SEND_BATCH = 100; // Queues' sendBatch limit

export async function announceFinal(env: Env, finals: Finalized[]): Promise<void> {
  if (!finals.length || !env.WEBHOOK_EVENTS) return;
  try {
    for (let i = 0; i < finals.length; i += SEND_BATCH) {
      await env.WEBHOOK_EVENTS.sendBatch(
        finals.slice(i, i + SEND_BATCH).map((f) => ({
          body: { type: `launch.${f.status}`, launchId: f.launchId, at: f.at, requestId: requestIdFor(f.launchId) } satisfies WebhookEventMessage,
        })),
      );
    }
  } catch (e) {
    // The launch itself is final in D1 either way; only the notification is late or lost.
    log("error", "deployer.announce_failed", { count: finals.length, error: e });
  }
}
