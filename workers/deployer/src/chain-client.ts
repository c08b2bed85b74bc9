// viem clients per chain, from the registry. Every call goes through the chain's
// ChainGate (@tokenforge/gate's gatedTransport): provider budgets, circuit breakers and
// failover primary → secondary → public. HTTP batching packs the many calls of
// a queue batch (getCode, estimateGas, receipts) into few round trips.
// A client is made per use (a queue batch, a Signer call), never cached at module
// level: its batch scheduler would otherwise settle one request's promises from
// another request's I/O context, which workerd forbids (the request hangs).
import { env as workerEnv } from "cloudflare:workers";
import { createPublicClient, type PublicClient } from "viem";
import { chainRegistry, findChain, type ChainConfig } from "@tokenforge/core";
import { gatedTransport, type GateEnv, type RpcLogContext } from "@tokenforge/gate";

export function getChain(env: { TF_ENV: string; [k: string]: unknown }, id: string): ChainConfig {
  const chain = findChain(chainRegistry(env), id);
  if (!chain) throw new Error(`chain ${id} is not in the ${env.TF_ENV} registry`);
  return chain;
}

/**
 * A client whose transport asks the chain's ChainGate before every request.
 * The gate binding and its tuning vars come from the Worker's env (the same
 * object in queue handlers and in the Signer Durable Object). `context` names
 * the launches the calls serve, for the rpc.call log lines.
 */
export function evmClient(chain: ChainConfig, context?: RpcLogContext): PublicClient {
  return createPublicClient({
    transport: gatedTransport(workerEnv as unknown as GateEnv, chain, { batch: { batchSize: 200, wait: 0 } }, { context }),
    pollingInterval: Math.min(chain.blockTimeMs, 1000),
  }) as PublicClient;
}
