// Shared by the ChainGate tests: a chain config with chosen endpoints, and a
// gate whose clock and registry the test controls (the Durable Object runs in
// the tests' isolate, so the closures below are shared with it).
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import type { ChainConfig, RpcEndpoint } from "@tokenforge/core";
import type { GateEnv } from "@tokenforge/gate";
import type { ChainGate } from "../src/gate/chain-gate.do";

/** The test bindings as the gate code types them. */
export const gateEnv = env as unknown as GateEnv;

let n = 0;
/** A fresh chain id per call, so each test starts from an empty gate. */
export function testChain(endpoints: Partial<RpcEndpoint>[], id = `gate-test-${Date.now().toString(36)}-${n++}`): ChainConfig {
  return {
    id, name: id, family: "evm", chainId: 31337, nativeSymbol: "ETH", confirmations: 1, blockTimeMs: 1000,
    publicRpcUrl: "http://127.0.0.1:8545", explorer: null,
    rpc: endpoints.map((e, i) => ({
      url: e.url ?? `https://rpc${i}.example/v2/secret-key-${i}`,
      provider: e.provider ?? `provider${i}`,
      quota: e.quota ?? { requests: 1000, perSeconds: 1 },
    })),
  };
}

export type TestGate = { stub: DurableObjectStub<ChainGate>; clock: { now: number } | null; chain: ChainConfig };

/** The chain's ChainGate, told to use `chain` and (unless `realClock`) a clock the test moves. */
export async function gateFor(chain: ChainConfig, opts: { realClock?: boolean } = {}): Promise<TestGate> {
  const stub = env.CHAIN_GATE.get(env.CHAIN_GATE.idFromName(chain.id));
  const clock = opts.realClock ? null : { now: 1_000_000 };
  await configure(stub, chain, clock);
  return { stub, clock, chain };
}

/** (Re)apply the test seams, e.g. after a restart of the object. */
export async function configure(stub: DurableObjectStub<ChainGate>, chain: ChainConfig, clock: { now: number } | null) {
  await runInDurableObject(stub, (instance) => {
    const gate = instance as unknown as ChainGate;
    gate.registry = () => [chain];
    if (clock) gate.clock = () => clock.now;
  });
}
