// viem clients per chain, from the registry. HTTP batching packs the many calls
// of a queue batch (getCode, estimateGas, receipts) into few round trips.
// A client is made per use (a queue batch, a Signer call), never cached at module
// level: its batch scheduler would otherwise settle one request's promises from
// another request's I/O context, which workerd forbids (the request hangs).
import { createPublicClient, http, type PublicClient } from "viem";
import { chainRegistry, findChain, type ChainConfig } from "@tokenforge/core";

export function getChain(env: { TF_ENV: string; [k: string]: unknown }, id: string): ChainConfig {
  const chain = findChain(chainRegistry(env), id);
  if (!chain) throw new Error(`chain ${id} is not in the ${env.TF_ENV} registry`);
  return chain;
}

export function evmClient(chain: ChainConfig): PublicClient {
  return createPublicClient({
    transport: http(chain.rpc[0]!.url, { batch: { batchSize: 200, wait: 0 }, timeout: 10_000, retryCount: 1 }),
    pollingInterval: Math.min(chain.blockTimeMs, 1000),
  }) as PublicClient;
}
