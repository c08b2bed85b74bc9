// Tells the api Worker when launches become final, for webhooks: one message
// per launch on "tf-webhook-events", sent only for rows this batch finalized;
// and, for confirmed ones, on "tf-announcements" (Discord/Telegram posts).
import { log, requestIdFor } from "@tokenforge/core";
import type { WebhookEventMessage } from "@tokenforge/core/webhooks";
import type { AnnounceMessage } from "@tokenforge/core/announce/messages";
import type { Env } from "./env";
import type { Finalized } from "./store";
import { settleFinalLaunches } from "@tokenforge/core/credits/store";

const SEND_BATCH = 100; // Queues' sendBatch limit

export async function announceFinal(env: Env, finals: Finalized[]): Promise<void> {
  await announceLaunches(env, finals.filter((f) => f.status === "confirmed"));
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

/** What follows a batch's final launches: their credits settled (issue 17: capture or refund), then the webhooks told. */
export async function afterFinal(env: Env, finals: Finalized[]): Promise<void> {
  await settleFinalLaunches(env, finals);
  await announceFinal(env, finals);
}

async function announceLaunches(env: Env, confirmed: Finalized[]): Promise<void> {
  if (!confirmed.length || !env.ANNOUNCEMENTS) return;
  try {
    for (let i = 0; i < confirmed.length; i += SEND_BATCH) {
      await env.ANNOUNCEMENTS.sendBatch(
        confirmed.slice(i, i + SEND_BATCH).map((f) => ({ body: { kind: "launch", launchId: f.launchId, at: f.at, requestId: requestIdFor(f.launchId) } satisfies AnnounceMessage })),
      );
    }
  } catch (e) {
    log("error", "deployer.announcements_failed", { count: confirmed.length, error: e });
  }
}
