// viem clients per chain, from the registry. HTTP batching packs the many calls
// of a queue batch (getCode, estimateGas, receipts) into few round trips.
import { createPublicClient, http, type PublicClient } from "viem";
import { chainRegistry, findChain, type ChainConfig } from "@tokenforge/core";

const clients = new Map<string, PublicClient>();

export function getChain(env: { TF_ENV: string; [k: string]: unknown }, id: string): ChainConfig {
  const chain = findChain(chainRegistry(env), id);
  if (!chain) throw new Error(`chain ${id} is not in the ${env.TF_ENV} registry`);
  return chain;
}

export function evmClient(chain: ChainConfig): PublicClient {
  const url = chain.rpc[0]!.url;
  let client = clients.get(url);
  if (!client) {
    client = createPublicClient({
      transport: http(url, { batch: { batchSize: 200, wait: 0 }, timeout: 10_000, retryCount: 1 }),
      pollingInterval: Math.min(chain.blockTimeMs, 1000),
    }) as PublicClient;
    clients.set(url, client);
  }
  return client;
}
