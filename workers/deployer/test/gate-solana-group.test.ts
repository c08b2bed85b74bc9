// gatedSolanaTransport with the real ChainGate in workerd: calls made together
// on one transport (a queue batch's sendTransactions) cost one acquire and one
// reportMany, not two gate round trips each, while the breaker still counts
// every call, opens on a dead primary after one group, and lets a single call
// probe it after the cool-down.
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { createSolanaRpcFromTransport } from "@solana/kit";
import type { ChainConfig } from "@tokenforge/core";
import { gatedSolanaTransport, type EndpointOutcome, type GateClient } from "@tokenforge/gate";
import { gateEnv, gateFor, testChain } from "./helpers";

const solanaUrl = `http://127.0.0.1:${inject("solanaPort")}`;
// Nothing listens there: every call is refused (a "connection" failure; workerd
// prints "Network connection lost" for each, though the transport handles it).
const deadUrl = "http://127.0.0.1:9";
const COOLDOWN_MS = Number(env.BREAKER_COOLDOWN_MS);

function solanaChain(urls: string[]): ChainConfig {
  const base = testChain(urls.map((url, i) => ({ url, provider: `p${i}` })));
  return { ...base, family: "solana", commitment: "confirmed" } as unknown as ChainConfig;
}

/** The real ChainGate behind a wrapper that counts round trips and what each endpoint was told. */
async function countedGate(chain: ChainConfig) {
  const { stub, clock } = await gateFor(chain);
  const trips = { acquire: 0, report: 0, reportMany: 0 };
  const told = new Map<number, EndpointOutcome[]>();
  const tell = (i: number, o: EndpointOutcome[]) => told.set(i, [...(told.get(i) ?? []), ...o]);
  const gate: GateClient = {
    acquire: (c, cost, exclude) => (trips.acquire++, stub.acquire(c, cost, exclude)),
    report: (c, i, o) => (trips.report++, tell(i, [o]), stub.report(c, i, o)),
    reportMany: (c, i, o) => (trips.reportMany++, tell(i, o), stub.reportMany(c, i, o)),
  };
  const rpc = createSolanaRpcFromTransport(gatedSolanaTransport(gateEnv, chain, { gate }));
  const slots = (n: number) => Promise.all(Array.from({ length: n }, () => rpc.getSlot().send()));
  return { stub, clock: clock!, trips, told, slots, roundTrips: () => trips.acquire + trips.report + trips.reportMany };
}

describe("gatedSolanaTransport through the ChainGate", () => {
  it("sends n calls made together with two gate round trips, and the breaker counts all n", async () => {
    const chain = solanaChain([solanaUrl, solanaUrl]);
    const g = await countedGate(chain);
    const answers = await g.slots(20);
    expect(answers.every((s) => typeof s === "bigint")).toBe(true);
    expect(g.trips).toEqual({ acquire: 1, report: 0, reportMany: 1 });
    expect((await g.stub.snapshot(chain.id)).endpoints[0]).toMatchObject({ state: "closed", calls: 20, failures: 0 });
  });

  it("on a dead primary the group fails over together, one report opens its breaker, and after the cool-down one call probes it", async () => {
    const chain = solanaChain([deadUrl, solanaUrl]);
    const g = await countedGate(chain);

    // One group: every call refused by the primary, all answered by the secondary.
    expect((await g.slots(10)).every((s) => typeof s === "bigint")).toBe(true);
    expect(g.roundTrips()).toBe(4); // acquire + reportMany on each endpoint
    expect(g.told.get(0)?.map((o) => (o.type === "failure" ? o.kind : "ok"))).toEqual(Array(10).fill("connection"));
    let snap = await g.stub.snapshot(chain.id);
    expect(snap.endpoints[0]).toMatchObject({ state: "open", calls: 10, failures: 10 });
    expect(snap.endpoints[1]).toMatchObject({ state: "closed", calls: 10 });

    // Open: the next group goes straight to the secondary.
    await g.slots(10);
    expect(g.told.get(0)).toHaveLength(10);
    expect(g.told.get(1)).toHaveLength(20);

    // Half-open: the gate grants the primary one call, its probe; the other nine go to the secondary.
    g.clock.now += COOLDOWN_MS;
    expect((await g.slots(10)).every((s) => typeof s === "bigint")).toBe(true);
    expect(g.told.get(0)).toHaveLength(11);
    expect(g.told.get(1)).toHaveLength(30);
    snap = await g.stub.snapshot(chain.id);
    expect(snap.endpoints[0]).toMatchObject({ state: "open", failures: 11 });
  });
});
