// gatedTransport end to end inside workerd: viem → gatedFetch → ChainGate →
// the fault-injecting proxy (primary) or anvil directly (secondary). Each
// failure mode fails over within the same request, opens the primary's breaker,
// and the primary heals through a half-open probe; budgets make callers wait,
// never fail, and the proxy's counts show the budget was kept.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { createPublicClient, type PublicClient } from "viem";
import { gatedTransport } from "@tokenforge/gate";
import { gateEnv, gateFor, testChain } from "./helpers";
import type { ProxyCounts, ModeSetting } from "../../../tools/rpc-proxy/index";
import { maxInWindow } from "../../../tools/rpc-proxy/index";

const proxy = {
  set: (mode: ModeSetting) => fetch(`${env.TEST_PROXY_URL}/__control`, { method: "POST", body: JSON.stringify(mode) }).then((r) => r.json()),
  counts: (): Promise<ProxyCounts> => fetch(`${env.TEST_PROXY_URL}/__control`).then((r) => r.json()),
  reset: () => fetch(`${env.TEST_PROXY_URL}/__control/reset`, { method: "POST" }).then((r) => r.json()),
};
beforeEach(async () => {
  await proxy.reset();
});

const COOLDOWN_MS = Number(env.BREAKER_COOLDOWN_MS);

/** Primary: the proxy; secondary: anvil itself. */
async function proxiedChain(primaryQuota = { requests: 1000, perSeconds: 1 }, opts: { realClock?: boolean } = {}) {
  const chain = testChain([
    { url: env.TEST_PROXY_URL, provider: "proxy", quota: primaryQuota },
    { url: env.TEST_ANVIL_URL, provider: "anvil" },
  ]);
  const gate = await gateFor(chain, opts);
  const client = createPublicClient({ transport: gatedTransport(gateEnv, chain, { batch: { batchSize: 200, wait: 0 } }) }) as PublicClient;
  return { ...gate, client };
}

describe("gatedTransport", () => {
  it("sends through the primary while it is healthy", async () => {
    const { client, stub, chain } = await proxiedChain();
    expect(await client.getChainId()).toBe(31337);
    expect((await proxy.counts()).byMethod).toEqual({ eth_chainId: 1 });
    expect((await stub.snapshot(chain.id)).endpoints[0]).toMatchObject({ state: "closed", calls: 1, failures: 0 });
  });

  it("fails over on 500s within the same request, opens the breaker, and a probe closes it after healing", async () => {
    const { client, stub, chain, clock } = await proxiedChain();
    await proxy.set({ mode: "fail500" });
    for (let i = 0; i < 6; i++) expect(await client.getChainId()).toBe(31337);
    // Four failures reached the proxy; then the breaker kept traffic away from it.
    expect((await proxy.counts()).calls).toBe(4);
    const snap = await stub.snapshot(chain.id);
    expect(snap.endpoints.map((e) => e.state)).toEqual(["open", "closed"]);
    expect(snap.endpoints[1]!.calls).toBe(6);

    await proxy.set({ mode: "pass" });
    clock!.now += COOLDOWN_MS; // cool-down over: the next call is the probe
    expect(await client.getBlockNumber({ cacheTime: 0 })).toBeTypeOf("bigint");
    expect((await proxy.counts()).byMethod.eth_blockNumber).toBe(1);
    expect((await stub.snapshot(chain.id)).endpoints[0]!.state).toBe("closed");
  });

  it("a hung primary times out, the request fails over, and consecutive timeouts open the breaker", async () => {
    const { client, stub, chain } = await proxiedChain();
    await proxy.set({ mode: "hang" });
    const started = Date.now();
    for (let i = 0; i < 3; i++) expect(await client.getChainId()).toBe(31337);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * Number(env.RPC_TIMEOUT_MS) - 50);
    const snap = await stub.snapshot(chain.id);
    expect(snap.endpoints[0]).toMatchObject({ state: "open", reason: "3 consecutive timeouts", lastFailure: { kind: "timeout" } });
    const fast = Date.now();
    expect(await client.getChainId()).toBe(31337);
    expect(Date.now() - fast).toBeLessThan(Number(env.RPC_TIMEOUT_MS)); // no more waiting on the dead one
    await proxy.set({ mode: "pass" });
  });

  it("a dropped connection and a 429 with Retry-After fail over too; the 429 pauses the primary as long as asked", async () => {
    const { client, stub, chain } = await proxiedChain();
    await proxy.set({ mode: "close", forRequests: 1 });
    expect(await client.getChainId()).toBe(31337);
    expect((await stub.snapshot(chain.id)).endpoints[0]!.lastFailure?.kind).toBe("connection");
    await proxy.set({ mode: "fail429", retryAfterSeconds: 30 });
    expect(await client.getChainId()).toBe(31337);
    const primary = (await stub.snapshot(chain.id)).endpoints[0]!;
    expect(primary).toMatchObject({ state: "open", lastFailure: { kind: "http429" } });
    expect(primary.retryInMs).toBe(30_000);
  });

  it("a JSON-RPC error (bad params, revert) is the request's fault: no failover, nothing counted", async () => {
    const { client, stub, chain } = await proxiedChain();
    await expect(client.request({ method: "eth_getBalance", params: ["0xnot-an-address", "latest"] } as never)).rejects.toThrow();
    await expect(
      client.call({ to: "0x0000000000000000000000000000000000000001", data: "0x", gas: 1n }),
    ).rejects.toThrow();
    const snap = await stub.snapshot(chain.id);
    expect(snap.endpoints[0]).toMatchObject({ state: "closed", calls: 2, failures: 0 });
    expect(snap.endpoints[1]!.calls).toBe(0);
  });

  it("throws a transient error when every endpoint fails the request", async () => {
    const chain = testChain([{ url: env.TEST_PROXY_URL, provider: "proxy" }, { url: "http://127.0.0.1:9", provider: "nothing" }]);
    await gateFor(chain);
    const client = createPublicClient({ transport: gatedTransport(gateEnv, chain) }) as PublicClient;
    await proxy.set({ mode: "fail500" });
    // viem's error says how each endpoint failed (and errors.ts calls "HTTP request failed" transient).
    const err = await client.getChainId().catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/HTTP request failed/);
    expect((err as Error).message).toMatch(/every RPC endpoint of .* failed: #0 proxy http5xx \(HTTP 500\), #1 nothing connection/);
    expect((err as Error).message).not.toMatch(/127\.0\.0\.1:9/); // provider URLs (and their keys) stay out of errors
  });

  it("with a budget of a few requests per second, callers wait instead of failing and the budget holds", async () => {
    const quota = { requests: 4, perSeconds: 1 };
    const chain = testChain([{ url: env.TEST_PROXY_URL, provider: "proxy", quota }]);
    await gateFor(chain, { realClock: true });
    // No batching: 12 separate HTTP requests (distinct, so viem does not dedupe them) race for 4 tokens a second.
    const client = createPublicClient({ transport: gatedTransport(gateEnv, chain) }) as PublicClient;
    const started = Date.now();
    const balances = await Promise.all(Array.from({ length: 12 }, (_, i) => client.getBalance({ address: `0x${(i + 1).toString(16).padStart(40, "0")}` })));
    expect(balances).toHaveLength(12);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900); // 4 now, 8 more at 4/s
    const c = await proxy.counts();
    expect(c.calls).toBe(12);
    // Token bucket bound: at most capacity + rate × window in any window (+1 for arrival jitter).
    expect(maxInWindow(c.arrivals, 1000)).toBeLessThanOrEqual(quota.requests * 2);
    expect(maxInWindow(c.arrivals, 500)).toBeLessThanOrEqual(quota.requests + 2 + 1);
  });

  it("splits a batch larger than the provider's bucket into granted chunks and reassembles the answers", async () => {
    const chain = testChain([{ url: env.TEST_PROXY_URL, provider: "proxy", quota: { requests: 3, perSeconds: 0.1 } }, { url: env.TEST_ANVIL_URL, provider: "anvil" }]);
    await gateFor(chain);
    const client = createPublicClient({ transport: gatedTransport(gateEnv, chain, { batch: { batchSize: 200, wait: 0 } }) }) as PublicClient;
    const addresses = Array.from({ length: 7 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}` as const);
    const balances = await Promise.all(addresses.map((address) => client.getBalance({ address })));
    expect(balances).toHaveLength(7);
    // Three went to the proxy (its whole budget), the other four to anvil, answers matched by id.
    expect((await proxy.counts()).calls).toBe(3);
  });

  it("gives up with a transient error when the wait would exceed the maximum", async () => {
    const chain = testChain([{ url: env.TEST_PROXY_URL, provider: "proxy", quota: { requests: 1, perSeconds: 60 } }]);
    await gateFor(chain, { realClock: true });
    const client = createPublicClient({ transport: gatedTransport(gateEnv, chain) }) as PublicClient;
    expect(await client.getChainId()).toBe(31337);
    await expect(client.getBlockNumber({ cacheTime: 0 })).rejects.toThrow(/no RPC endpoint of .* available within 3000 ms \(provider budget spent/);
  });
});
