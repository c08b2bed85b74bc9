// Current gas prices per chain into KV, so the API can show a launch's cost
// without an RPC call on its read path.
import { chainRegistry, EVM_LAUNCH_GAS, feesKey, log, redactRpcUrl, SOLANA_LAUNCH_LAMPORTS_ESTIMATE, type ChainConfig, type ChainFees } from "@tokenforge/core";
import type { Env } from "../env";

export async function refreshFees(env: Env): Promise<{ updated: number }> {
  const chains = chainRegistry(env);
  const results = await Promise.all(chains.map((c) => feesFor(c).catch((e: unknown) => {
    log("warn", "cron.fees_failed", { chain: c.id, endpoint: redactRpcUrl(c.rpc[0]!.url), error: e });
    return null;
  })));
  const ok = results.filter((r): r is ChainFees => r !== null);
  await Promise.all(ok.map((f) => env.CACHE.put(feesKey(f.chain), JSON.stringify(f), { expirationTtl: 3600 })));
  return { updated: ok.length };
}

async function feesFor(chain: ChainConfig): Promise<ChainFees> {
  const updatedAt = new Date().toISOString();
  if (chain.family === "solana") {
    return { chain: chain.id, gasPrice: "5000", launchUnits: 1, estimatedCost: String(SOLANA_LAUNCH_LAMPORTS_ESTIMATE), updatedAt };
  }
  const [gasPrice, tip] = await Promise.all([rpc<string>(chain, "eth_gasPrice"), rpc<string>(chain, "eth_maxPriorityFeePerGas").catch(() => "0x0")]);
  const price = BigInt(gasPrice) + BigInt(tip);
  return { chain: chain.id, gasPrice: price.toString(), launchUnits: EVM_LAUNCH_GAS, estimatedCost: (price * BigInt(EVM_LAUNCH_GAS)).toString(), updatedAt };
}

async function rpc<T>(chain: ChainConfig, method: string): Promise<T> {
  const res = await fetch(chain.rpc[0]!.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error || body.result === undefined) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body.result;
}
