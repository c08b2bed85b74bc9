// Current gas prices per chain into KV, so the API can show a launch's cost
// without an RPC call on its read path. Read through the chain's ChainGate
// (budget, breakers, failover), like every RPC call.
import { chainRegistry, EVM_LAUNCH_GAS, feesKey, log, SOLANA_LAUNCH_LAMPORTS_ESTIMATE, type ChainConfig, type ChainFees } from "@tokenforge/core";
import type { Env } from "../env";
import { gatedRpc } from "@tokenforge/gate/gated-fetch";

export async function refreshFees(env: Env): Promise<{ updated: number }> {
  const chains = chainRegistry(env);
  const results = await Promise.all(chains.map((c) => feesFor(env, c).catch((e: unknown) => {
    log("warn", "cron.fees_failed", { chain: c.id, error: e, outcome: "skipped" });
    return null;
  })));
  const ok = results.filter((r): r is ChainFees => r !== null);
  await Promise.all(ok.map((f) => env.CACHE.put(feesKey(f.chain), JSON.stringify(f), { expirationTtl: 3600 })));
  return { updated: ok.length };
}

async function feesFor(env: Env, chain: ChainConfig): Promise<ChainFees> {
  const updatedAt = new Date().toISOString();
  if (chain.family === "solana") {
    return { chain: chain.id, gasPrice: "5000", launchUnits: 1, estimatedCost: String(SOLANA_LAUNCH_LAMPORTS_ESTIMATE), updatedAt };
  }
  const [gasPrice, tip] = await gatedRpc<string>(env, chain, [{ method: "eth_gasPrice", params: [] }, { method: "eth_maxPriorityFeePerGas", params: [] }], "fees");
  if (!gasPrice || "error" in gasPrice) throw new Error(gasPrice ? gasPrice.error.message : "no answer");
  const price = BigInt(gasPrice.result) + (tip && "result" in tip ? BigInt(tip.result) : 0n);
  return { chain: chain.id, gasPrice: price.toString(), launchUnits: EVM_LAUNCH_GAS, estimatedCost: (price * BigInt(EVM_LAUNCH_GAS)).toString(), updatedAt };
}
