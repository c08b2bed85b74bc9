// deployer Worker: two queue consumers (send, confirm) and the Signer Durable Object.
import type { ConfirmMessage, LaunchMessage } from "@tokenforge/core";
import type { Env } from "./env";
import { handleLaunches } from "./send";
import { handleConfirmations } from "./confirm";

export { Signer } from "./signer.do";

export default {
  async queue(batch: MessageBatch<LaunchMessage | ConfirmMessage>, env: Env): Promise<void> {
    if (batch.queue.startsWith("tf-confirmations")) return handleConfirmations(batch as MessageBatch<ConfirmMessage>, env);
    return handleLaunches(batch as MessageBatch<LaunchMessage>, env);
  },
  async fetch(): Promise<Response> {
    return new Response("tokenforge-deployer: queue consumer only", { status: 404 });
  },
} satisfies ExportedHandler<Env, LaunchMessage | ConfirmMessage>;
