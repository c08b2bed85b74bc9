// Probes every RPC endpoint of every chain once per cron run (eth_blockNumber,
// or getSlot on Solana) and reports the outcome to the chain's ChainGate. Real
// traffic only tells the gate about endpoints it uses: a secondary that died
// while the primary served everything would be found out only when needed, and
// an open breaker of a quiet chain would never see its half-open probe. The
// probe spends the provider's budget like any call (ChainGate.reserve), whatever
// the breaker says, so an open endpoint is probed too without exceeding a quota.
import { chainRegistry, log, redactRpcUrl, type ChainConfig } from "@tokenforge/core";
import type { EndpointFault, FailureKind } from "@tokenforge/gate";
import { gateConfig } from "@tokenforge/gate/config";
import { chainGateFor } from "@tokenforge/gate/types";
import { callEndpoint } from "@tokenforge/gate/json-rpc";
import type { Env } from "../env";

export type ProbeOutcome = {
  chain: string;
  endpoint: number;
  provider: string;
  outcome: "ok" | "skipped" | FailureKind;
  latencyMs?: number;
  head?: number;
  breaker?: string;
};

export async function probeEndpoints(env: Env): Promise<{ probed: number; failed: number; skipped: number }> {
  const chains = chainRegistry(env);
  const results = await Promise.all(chains.flatMap((chain) => chain.rpc.map((_, i) => probeOne(env, chain, i))));
  return {
    probed: results.filter((r) => r.outcome !== "skipped").length,
    failed: results.filter((r) => r.outcome !== "skipped" && r.outcome !== "ok").length,
    skipped: results.filter((r) => r.outcome === "skipped").length,
  };
}

async function probeOne(env: Env, chain: ChainConfig, index: number): Promise<ProbeOutcome> {
  const ep = chain.rpc[index]!;
  const base = { chain: chain.id, endpoint: index, provider: ep.provider };
  const logged = { chain: chain.id, endpoint: redactRpcUrl(ep.url), provider: ep.provider, hop: "probe" };
  const gate = chainGateFor(env, chain.id);
  try {
    const grant = await gate.reserve(chain.id, index, 1);
    if (!grant.endpoint) {
      // The provider's budget is spent by real traffic: that traffic is the probe.
      log("info", "cron.probe", { ...logged, outcome: "skipped", reason: "budget", nextInMs: grant.waitMs });
      return { ...base, outcome: "skipped" };
    }
    const method = chain.family === "solana" ? "getSlot" : "eth_blockNumber";
    const call = await callEndpoint(grant.endpoint.url, { method, params: [] }, { timeoutMs: gateConfig(env).requestTimeoutMs, family: chain.family });
    const { latencyMs } = call;
    let fault: EndpointFault = call.fault;
    let head: number | undefined;
    if (!fault && call.answer && "result" in call.answer) head = Number(call.answer.result);
    // An endpoint that answers its head with an error is not serving: count it.
    else if (!fault) fault = { kind: "bad-response" };
    const { state } = await gate.report(chain.id, index, fault ? { type: "failure", ...fault, latencyMs } : { type: "success", latencyMs });
    const outcome = fault ? fault.kind : "ok";
    log(fault ? "warn" : "info", "cron.probe", { ...logged, attempt: 1, outcome, latencyMs, ...(head !== undefined ? { head } : {}), breaker: state });
    return { ...base, outcome, latencyMs, head, breaker: state };
  } catch (e) {
    // The gate itself did not answer (deployer not deployed yet, binding missing): say so, probe the rest.
    log("error", "cron.probe_failed", { ...logged, error: e, outcome: "error" });
    return { ...base, outcome: "skipped" };
  }
}
