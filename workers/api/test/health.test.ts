// Health (issue 12, items 1 and 12). Public GET /health makes no RPC call on any
// path and reuses one answer for at most 5 s, so anonymous polling can neither
// spend the providers' budget (ChainGate.reserve) nor cost a D1 count and a
// Durable Object call per chain per request. The live check is admin-only and
// reads from the URL the ChainGate grants (resolved in the deployer, with the
// provider key), never from this Worker's key-less registry copy.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HEALTH_TTL_MS, reusable } from "../src/routes/health";
import { ADMIN_KEY, call, expectProblem, json, signInEvm } from "./helpers";

type GateStandIn = { calls(): Promise<{ snapshot: number; reserve: number }> };
const gates = () => {
  const ns = (env as unknown as { CHAIN_GATE: DurableObjectNamespace }).CHAIN_GATE;
  return ["local-eth", "local-bsc", "local-sol"].map((id) => ns.get(ns.idFromName(id)) as unknown as GateStandIn);
};
const gateCalls = async () => {
  const all = await Promise.all(gates().map((g) => g.calls()));
  return { snapshot: all.reduce((n, c) => n + c.snapshot, 0), reserve: all.reduce((n, c) => n + c.reserve, 0) };
};
/** A JSON-RPC node answering whatever URL it is called on, recording the URLs. */
function rpcSpy() {
  return vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const { method } = JSON.parse(String(init?.body ?? "{}")) as { method?: string };
    const result = method === "getSlot" ? 77 : method === "getBalance" ? { value: 10 ** 12 } : method === "eth_gasPrice" ? "0x1" : method === "eth_getBalance" ? "0xffffffffffffffff" : "0x2a";
    void input;
    return Response.json({ jsonrpc: "2.0", id: 1, result });
  });
}

afterEach(() => vi.restoreAllMocks());

describe("public GET /health", () => {
  it("makes no RPC call and asks the gates and D1 at most once per 5 s, however often it is polled", async () => {
    const spy = rpcSpy();
    const before = await gateCalls();
    const answers = await Promise.all(Array.from({ length: 40 }, () => call("GET", "/api/v1/health")));
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=5");
    }
    const bodies = await Promise.all(answers.map((r) => json(r)));
    expect(new Set(bodies.map((b) => b.time)).size).toBe(1); // one computation served all 40
    expect(bodies[0].chains.map((c: any) => c.id).sort()).toEqual(["local-bsc", "local-eth", "local-sol"]);
    const after = await gateCalls();
    expect(after.reserve - before.reserve).toBe(0); // no provider budget spent
    expect(after.snapshot - before.snapshot).toBeLessThanOrEqual(3); // one snapshot per chain
    expect(spy).not.toHaveBeenCalled();
  });

  it("reuses an answer for at most 5 s (time moved)", () => {
    const t0 = 1_000_000_000_000;
    expect(HEALTH_TTL_MS).toBeLessThanOrEqual(5_000);
    expect(reusable(t0, t0)).toBe(true);
    expect(reusable(t0, t0 + HEALTH_TTL_MS - 1)).toBe(true);
    expect(reusable(t0, t0 + HEALTH_TTL_MS)).toBe(false);
    expect(reusable(t0, t0 - 1)).toBe(false); // a clock that went back does not pin an old answer
  });
});

describe("GET /health/deep (operators)", () => {
  it("is refused to anonymous callers and to users who are not admins", async () => {
    await expectProblem(await call("GET", "/api/v1/health/deep"), 401, "unauthorized");
    const user = await signInEvm();
    await expectProblem(await call("GET", "/api/v1/health/deep", { cookie: user.cookie }), 403, "forbidden");
  });

  it("reads each endpoint live on the URL the ChainGate granted (with the provider key) and never shows the key", async () => {
    const spy = rpcSpy();
    const admin = await signInEvm(ADMIN_KEY);
    const res = await call("GET", "/api/v1/health/deep", { cookie: admin.cookie });
    const text = await res.clone().text();
    expect(res.status, text).toBe(200);
    const urls = spy.mock.calls.map(([u]) => String(u));
    expect(urls.length).toBeGreaterThanOrEqual(4); // 4 endpoints' heads (+ funds)
    for (const u of urls) expect(u).toMatch(/^https:\/\/rpc\.stand-in\.test\/local-(eth|bsc|sol)\/\d\/stand-in-provider-key-7f3a$/);
    const body = JSON.parse(text);
    const eth = body.chains.find((c: any) => c.id === "local-eth");
    expect(eth.endpoints.map((e: any) => [e.reachable, e.latest])).toEqual([[true, { block: 42 }], [true, { block: 42 }]]);
    expect(body.chains.find((c: any) => c.id === "local-sol").endpoints[0].latest).toEqual({ slot: 77 });
    expect(text).not.toContain("stand-in-provider-key");
  });
});
