// JSON-RPC from the cron Worker, through the chain's ChainGate like every call
// the deployer makes: the same provider budgets (a probe or a fee read never
// exceeds a quota), the same breakers and failover. The gate's client code lives
// with the ChainGate Durable Object in the deployer; this Worker binds that
// object by script_name and reuses the client.
import type { ChainConfig } from "@tokenforge/core";
import { gatedFetch, gateUrl } from "../../deployer/src/gate/gated-fetch";
import type { GateEnv } from "../../deployer/src/gate/chain-gate.do";
import type { Env } from "./env";

export type RpcCall = { method: string; params: unknown[] };
export type RpcAnswer<T = unknown> = { result: T } | { error: { code?: number; message: string } };

/** Calls in one JSON-RPC batch per `chunk` (answers in call order); throws when no endpoint could take it. */
export async function gatedRpc<T = unknown>(env: Env, chain: ChainConfig, calls: RpcCall[], hop: string, chunk = 200): Promise<RpcAnswer<T>[]> {
  const send = gatedFetch(env as unknown as GateEnv, chain, { context: { hop } });
  const out: RpcAnswer<T>[] = [];
  for (let i = 0; i < calls.length; i += chunk) {
    const part = calls.slice(i, i + chunk);
    const body = JSON.stringify(part.map((c, j) => ({ jsonrpc: "2.0", id: j, method: c.method, params: c.params })));
    const res = await send(gateUrl(chain), { method: "POST", headers: { "content-type": "application/json" }, body });
    if (!res.ok) throw new Error(`JSON-RPC batch answered HTTP ${res.status}`);
    const data = (await res.json()) as unknown;
    if (!Array.isArray(data)) throw new Error(`JSON-RPC batch refused: ${JSON.stringify(data).slice(0, 200)}`);
    const byId = new Map((data as { id: number; result?: T; error?: { code?: number; message: string } }[]).map((a) => [a.id, a]));
    part.forEach((_, j) => {
      const a = byId.get(j);
      out.push(!a ? { error: { message: "no answer in the batch" } } : a.error ? { error: a.error } : { result: a.result as T });
    });
  }
  return out;
}

/** One call; its JSON-RPC error becomes a thrown Error. */
export async function gatedCall<T>(env: Env, chain: ChainConfig, method: string, params: unknown[], hop: string): Promise<T> {
  const [a] = await gatedRpc<T>(env, chain, [{ method, params }], hop);
  if (!a || "error" in a) throw new Error(a ? a.error.message : "no answer");
  return a.result;
}
