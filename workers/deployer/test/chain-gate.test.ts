// The ChainGate Durable Object in workerd with SQLite storage: endpoint choice
// in registry order, breakers opening and healing with time (a clock the test
// moves), budgets answering "wait N ms", and state surviving a restart.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ChainConfig } from "@tokenforge/core";
import { ChainGate } from "../src/gate/chain-gate.do";
import { gateEnv, gateFor, testChain } from "./helpers";

const fail5xx = { type: "failure", kind: "http5xx" } as const;
const ok = { type: "success", latencyMs: 12 } as const;
// From the project's bindings (vitest.config.ts): 4 calls minimum, 1 s cool-down.
const COOLDOWN_MS = Number(env.BREAKER_COOLDOWN_MS);

/**
 * A restart: a new ChainGate on the same storage, with nothing in memory (as
 * after an eviction or deploy). Built inside the object, because
 * abortAllDurableObjects() hangs the 0.15 pool's teardown when objects have logged.
 */
function restarted(stub: DurableObjectStub<ChainGate>, chain: ChainConfig, clock: { now: number }) {
  return runInDurableObject(stub, async (_instance, state) => {
    const fresh = new ChainGate(state, gateEnv);
    fresh.registry = () => [chain];
    fresh.clock = () => clock.now;
    return { snap: await fresh.snapshot(chain.id), next: await fresh.acquire(chain.id) };
  });
}

describe("ChainGate", () => {
  it("sends calls to the primary while it is healthy", async () => {
    const { stub, chain } = await gateFor(testChain([{}, {}, {}]));
    const a = await stub.acquire(chain.id);
    expect(a).toEqual({ endpoint: { url: chain.rpc[0]!.url, provider: "provider0", index: 0 }, waitMs: 0, granted: 1 });
    await stub.report(chain.id, 0, ok);
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(0);
  });

  it("opens the primary's breaker on failures and moves to the secondary, then the public endpoint", async () => {
    const { stub, chain } = await gateFor(testChain([{}, {}, {}]));
    for (let i = 0; i < 4; i++) {
      expect((await stub.acquire(chain.id)).endpoint?.index).toBe(0);
      await stub.report(chain.id, 0, fail5xx);
    }
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(1);
    for (let i = 0; i < 3; i++) await stub.report(chain.id, 1, { type: "failure", kind: "timeout" });
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(2);

    const snap = await stub.snapshot(chain.id);
    expect(snap.healthy).toBe(true);
    expect(snap.endpoints.map((e) => e.state)).toEqual(["open", "open", "closed"]);
    expect(snap.endpoints[0]).toMatchObject({ recentErrorRate: 1, recentCalls: 4, reason: "error rate 100% over 4 calls" });
    expect(snap.endpoints[1]!.reason).toBe("3 consecutive timeouts");
  });

  it("after the cool-down admits one probe to the primary; its success closes the breaker", async () => {
    const { stub, chain, clock } = await gateFor(testChain([{}, {}]));
    for (let i = 0; i < 4; i++) await stub.report(chain.id, 0, fail5xx);
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(1);

    clock!.now += COOLDOWN_MS;
    expect((await stub.snapshot(chain.id)).endpoints[0]!.state).toBe("half-open");
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(0); // the probe
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(1); // everyone else, while it is out
    expect(await stub.report(chain.id, 0, ok)).toEqual({ state: "closed" });
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(0);
    expect((await stub.snapshot(chain.id)).endpoints[0]).toMatchObject({ state: "closed", opens: 1, recentErrorRate: 0 });
  });

  it("a failed probe re-opens the breaker for another cool-down", async () => {
    const { stub, chain, clock } = await gateFor(testChain([{}, {}]));
    for (let i = 0; i < 4; i++) await stub.report(chain.id, 0, fail5xx);
    clock!.now += COOLDOWN_MS;
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(0);
    expect(await stub.report(chain.id, 0, { type: "failure", kind: "connection" })).toEqual({ state: "open" });
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(1);
    clock!.now += COOLDOWN_MS - 1;
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(1);
    clock!.now += 1;
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(0);
  });

  it("takes a group's outcomes in one reportMany as if reported one by one", async () => {
    const { stub, chain } = await gateFor(testChain([{}, {}]));
    expect(await stub.reportMany(chain.id, 0, [ok, ok, fail5xx, fail5xx])).toEqual({ state: "closed" }); // 50% over 4: not above the threshold
    expect(await stub.reportMany(chain.id, 0, [fail5xx])).toEqual({ state: "open" });
    expect((await stub.snapshot(chain.id)).endpoints[0]).toMatchObject({ state: "open", calls: 5, failures: 3, reason: "error rate 60% over 5 calls" });
  });

  it("grants a half-open endpoint one call, its probe, however many are asked for", async () => {
    const { stub, chain, clock } = await gateFor(testChain([{}, {}]));
    for (let i = 0; i < 4; i++) await stub.report(chain.id, 0, fail5xx);
    clock!.now += COOLDOWN_MS;
    expect(await stub.acquire(chain.id, 50)).toMatchObject({ endpoint: { index: 0 }, granted: 1 });
    // The probe is out: the rest go to the secondary.
    expect(await stub.acquire(chain.id, 49)).toMatchObject({ endpoint: { index: 1 }, granted: 49 });
  });

  it("when every breaker is open, answers the wait until the earliest half-open", async () => {
    const { stub, chain, clock } = await gateFor(testChain([{}, {}]));
    for (let i = 0; i < 4; i++) await stub.report(chain.id, 0, fail5xx);
    clock!.now += 300;
    for (let i = 0; i < 4; i++) await stub.report(chain.id, 1, fail5xx);
    expect(await stub.acquire(chain.id)).toEqual({ endpoint: null, waitMs: COOLDOWN_MS - 300, reason: "open" });
    expect((await stub.snapshot(chain.id)).healthy).toBe(false);
    clock!.now += COOLDOWN_MS - 300;
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(0);
  });

  it("spends each provider's budget, spills to the next endpoint, then answers 'wait N ms'", async () => {
    const { stub, chain, clock } = await gateFor(
      testChain([{ quota: { requests: 3, perSeconds: 1 } }, { quota: { requests: 2, perSeconds: 2 } }]),
    );
    const got = [];
    for (let i = 0; i < 5; i++) got.push((await stub.acquire(chain.id)).endpoint?.index);
    expect(got).toEqual([0, 0, 0, 1, 1]);
    // Primary refills one token per 333 ms, the secondary one per second: the soonest is the primary.
    expect(await stub.acquire(chain.id)).toEqual({ endpoint: null, waitMs: 334, reason: "budget" });
    expect((await stub.snapshot(chain.id)).endpoints.map((e) => e.bucketFill)).toEqual([0, 0]);
    clock!.now += 334;
    expect((await stub.acquire(chain.id)).endpoint?.index).toBe(0);
  });

  it("grants a batch at most the bucket's capacity, so the caller sends the rest after", async () => {
    const { stub, chain } = await gateFor(testChain([{ quota: { requests: 3, perSeconds: 1 } }]));
    expect(await stub.acquire(chain.id, 10)).toMatchObject({ endpoint: { index: 0 }, granted: 3 });
    expect(await stub.acquire(chain.id, 10)).toMatchObject({ endpoint: null, reason: "budget", waitMs: 1000 });
  });

  it("skips endpoints that already failed this request, and says when none is left", async () => {
    const { stub, chain } = await gateFor(testChain([{}, {}]));
    expect((await stub.acquire(chain.id, 1, [0])).endpoint?.index).toBe(1);
    expect(await stub.acquire(chain.id, 1, [0, 1])).toEqual({ endpoint: null, waitMs: 0, reason: "exhausted" });
  });

  it("shares one bucket among endpoints of the same provider", async () => {
    const { stub, chain } = await gateFor(
      testChain([{ provider: "alchemy", quota: { requests: 2, perSeconds: 10 } }, { provider: "alchemy" }, { provider: "public" }]),
    );
    const got = [];
    for (let i = 0; i < 3; i++) got.push((await stub.acquire(chain.id)).endpoint?.index);
    expect(got).toEqual([0, 0, 2]);
  });

  it("lets a health probe spend budget on an open endpoint; the probe's success counts once half-open", async () => {
    const { stub, chain, clock } = await gateFor(testChain([{ quota: { requests: 5, perSeconds: 1 } }, {}]));
    for (let i = 0; i < 4; i++) await stub.report(chain.id, 0, fail5xx);
    expect(await stub.reserve(chain.id, 0)).toMatchObject({ endpoint: { index: 0 }, waitMs: 0 });
    expect(await stub.report(chain.id, 0, ok)).toEqual({ state: "open" }); // still cooling down
    clock!.now += COOLDOWN_MS;
    expect(await stub.reserve(chain.id, 0, 5)).toMatchObject({ endpoint: { index: 0 } }); // the whole (refilled) bucket
    expect(await stub.report(chain.id, 0, ok)).toEqual({ state: "closed" });
    expect(await stub.reserve(chain.id, 0)).toEqual({ endpoint: null, waitMs: 200 }); // one token per 200 ms
  });

  it("shows origins only in its snapshot, never the API key in the path", async () => {
    const { stub, chain } = await gateFor(testChain([{ url: "https://eth-mainnet.example.com/v2/SECRET123" }]));
    const snap = await stub.snapshot(chain.id);
    expect(snap.endpoints[0]!.url).toBe("https://eth-mainnet.example.com");
    expect(JSON.stringify(snap)).not.toContain("SECRET123");
  });

  it("keeps breaker and budget state across a restart of the object", async () => {
    const chain = testChain([{ quota: { requests: 5, perSeconds: 100 } }, {}]);
    const { stub, clock } = await gateFor(chain);
    for (let i = 0; i < 4; i++) await stub.acquire(chain.id);
    for (let i = 0; i < 4; i++) await stub.report(chain.id, 0, fail5xx);

    const after = await restarted(stub, chain, clock!);
    expect(after.snap.endpoints[0]).toMatchObject({ state: "open", calls: 4, opens: 1 });
    expect(after.snap.endpoints[0]!.bucketFill).toBeCloseTo(1 / 5);
    expect(after.next.endpoint?.index).toBe(1);
  });

  it("starts an endpoint fresh when the registry changes its URL", async () => {
    const chain = testChain([{}, {}]);
    const { stub, clock } = await gateFor(chain);
    for (let i = 0; i < 4; i++) await stub.report(chain.id, 0, fail5xx);
    const moved = { ...chain, rpc: [{ ...chain.rpc[0]!, url: "https://new-provider.example/rpc" }, chain.rpc[1]!] };
    const after = await restarted(stub, moved, clock!);
    expect(after.snap.endpoints[0]).toMatchObject({ state: "closed", calls: 0 });
  });

  it("refuses a chain that is not in the registry", async () => {
    const { stub } = await gateFor(testChain([{}]));
    // Called on the instance: a rejected RPC call through the stub is reported
    // by the 0.15 pool as an unhandled rejection even when the test awaits it.
    const message = await runInDurableObject(stub, (instance) =>
      (instance as unknown as ChainGate).acquire("no-such-chain").then(() => "resolved", (e: Error) => e.message),
    );
    expect(message).toMatch(/chain no-such-chain is not in the local registry/);
  });
});
