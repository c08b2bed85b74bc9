// deployer Worker: four queue consumers (consumers/: launches, confirmations,
// dead letters, watch (wallet-paid launches)); each chain family behind one adapter, adapters.ts) and the
// Durable Objects: Signer (nonces per chain+account) and ChainGate (RPC budgets,
// breakers and failover per chain; the api and cron Workers bind it too).
import { withTrace, type ConfirmMessage, type LaunchMessage, type WatchMessage } from "@tokenforge/core";
import { metered } from "@tokenforge/core/meter";
import { deployerConfig } from "./config";
import type { Env } from "./env";
import { handleLaunches } from "./consumers/launches";
import { handleConfirmations } from "./consumers/confirmations";
import { handleDeadLetters } from "./consumers/dead-letters";
import { handleWatch } from "./consumers/watch";
import { handleVerify } from "./consumers/verify";
import type { VerifyMessage } from "@tokenforge/core/verify/targets";

export { Signer } from "./signer.do";
export { ChainGate } from "./gate/chain-gate.do";
export { ExplorerGate } from "./verify/explorer-gate.do";
export { MintAddress } from "./solana/mint-address.entrypoint";

export default {
  queue: (batch: MessageBatch<LaunchMessage | ConfirmMessage | WatchMessage>, env: Env, ctx?: ExecutionContext): Promise<void> => metered("deployer", "queue", env, async (env) => {
    deployerConfig(env); // a bad var fails the batch here, named, before any launch is touched
    // A trace scope per batch: store.ts notes each launch's request id as it reads the rows.
    return withTrace({}, () => route(batch, env, ctx));
  }),
  async fetch(): Promise<Response> {
    return new Response("tokenforge-deployer: queue consumer only", { status: 404 });
  },
} satisfies ExportedHandler<Env, LaunchMessage | ConfirmMessage | WatchMessage>;

function route(batch: MessageBatch<LaunchMessage | ConfirmMessage | WatchMessage>, env: Env, ctx?: ExecutionContext): Promise<void> {
  if (batch.queue.startsWith("tf-confirmations")) return handleConfirmations(batch as MessageBatch<ConfirmMessage>, env, ctx);
  if (batch.queue.startsWith("tf-verify")) return handleVerify(batch as unknown as MessageBatch<VerifyMessage>, env);
  if (batch.queue.startsWith("tf-watch")) return handleWatch(batch as MessageBatch<WatchMessage>, env);
  if (batch.queue.startsWith("tf-launches-dlq")) return handleDeadLetters(batch as MessageBatch<LaunchMessage>, env);
  return handleLaunches(batch as MessageBatch<LaunchMessage>, env);
}
