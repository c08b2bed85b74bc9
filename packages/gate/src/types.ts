// The ChainGate's contract as its callers see it: the shapes it answers and the
// RPC methods of the Durable Object. The class itself lives in the Worker that
// hosts it (workers/deployer/src/gate/chain-gate.do.ts, which implements
// ChainGateRpc); every other Worker binds it by script_name and types the
// binding with this interface, so none imports the host Worker's source.
import type { BreakerStatus, breakerHealth } from "./breaker";
import type { EndpointOutcome } from "./classify";

/** The bindings and vars the gate and its clients read (each Worker's Env satisfies it). */
export type GateEnv = {
  TF_ENV: string;
  CHAIN_GATE?: DurableObjectNamespace<ChainGateRpc>;
  [name: string]: unknown;
};

/** An endpoint the gate granted. `url` is the registry URL with its secrets filled in: never log or show it. */
export type GateEndpoint = { url: string; provider: string; index: number };

export type AcquireResult =
  /** Go: send up to `granted` JSON-RPC calls (≤ the asked cost; less when the provider's bucket is smaller, 1 when the endpoint is half-open) to `endpoint`. */
  | { endpoint: GateEndpoint; waitMs: 0; granted: number }
  /**
   * Not now. "budget": every admitting endpoint's bucket is empty; "open": every
   * breaker is open (or probing); waitMs is the soonest any endpoint may go.
   * "exhausted": every endpoint is excluded (each already failed this request).
   */
  | { endpoint: null; waitMs: number; reason: "budget" | "open" | "exhausted" };

export type ReserveResult = { endpoint: GateEndpoint; waitMs: 0 } | { endpoint: null; waitMs: number };

export type EndpointSnapshot = ReturnType<typeof breakerHealth> & {
  index: number;
  provider: string;
  /** Origin only: paths and queries carry API keys. */
  url: string;
  /** Provider bucket fill, 0..1. */
  bucketFill: number;
};

export type GateSnapshot = {
  chain: string;
  at: number;
  /** At least one endpoint is closed or half-open (health answers 503 otherwise). */
  healthy: boolean;
  endpoints: EndpointSnapshot[];
};

/** The ChainGate Durable Object's RPC methods (one object per chain, idFromName(chainId)). */
export interface ChainGateRpc extends Rpc.DurableObjectBranded {
  /** An endpoint for `cost` calls in registry order among those admitted, skipping `exclude`; spends budget. */
  acquire(chainId: string, cost?: number, exclude?: number[]): Promise<AcquireResult>;
  /** Budget on one given endpoint whatever its breaker says (health probes). */
  reserve(chainId: string, endpointIndex: number, cost?: number): Promise<ReserveResult>;
  /** How a call to an endpoint went, classified by the caller (classify.ts). */
  report(chainId: string, endpointIndex: number, outcome: EndpointOutcome): Promise<{ state: BreakerStatus }>;
  /** Several calls' outcomes on one endpoint, taken in order as if reported one by one (one round trip for a group). */
  reportMany(chainId: string, endpointIndex: number, outcomes: EndpointOutcome[]): Promise<{ state: BreakerStatus }>;
  /** Per endpoint: breaker state, recent error rate, latency, bucket fill. */
  snapshot(chainId: string): Promise<GateSnapshot>;
}

/** The ChainGate of a chain. */
export function chainGateFor(env: GateEnv, chainId: string): DurableObjectStub<ChainGateRpc> {
  if (!env.CHAIN_GATE) throw new Error("the CHAIN_GATE Durable Object binding is missing (wrangler.toml)");
  return env.CHAIN_GATE.get(env.CHAIN_GATE.idFromName(chainId));
}
