// Webhook events (issue 6): the deployer puts one message on the queue
// "tf-webhook-events" when a launch becomes final; the api Worker fans it out
// to the creator's webhooks and delivers it signed per Standard Webhooks.
import { z } from "zod";

export const WEBHOOK_EVENT_TYPES = ["launch.confirmed", "launch.failed", "launch.expired"] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** Body of a message on the "tf-webhook-events" queue. `at` is when the launch became final (ms since epoch). */
export const WebhookEventMessage = z.object({
  type: WebhookEventType,
  launchId: z.string(),
  at: z.number(),
  /** The request that created the launch (trace.ts): the webhook hops log it. */
  requestId: z.string().optional(),
});
export type WebhookEventMessage = z.infer<typeof WebhookEventMessage>;
