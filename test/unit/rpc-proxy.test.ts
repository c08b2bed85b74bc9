// The fault-injecting RPC proxy in front of a real anvil: every mode does what
// it says, modes switch from code and over HTTP, and the counts are right.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runAnvil, type AnvilNode as Anvil } from "../../tools/chains/anvil";
import { maxInWindow, startRpcProxy, type RpcProxy } from "../../tools/rpc-proxy/index";

let anvil: Anvil;
let proxy: RpcProxy;

beforeAll(async () => {
  anvil = await runAnvil({ chainId: 31337 });
  proxy = await startRpcProxy({ upstream: anvil.rpcUrl });
});
afterAll(async () => {
  await proxy?.close();
  await anvil?.stop();
});
beforeEach(() => proxy.reset());

const call = (method = "eth_chainId", params: unknown[] = [], signal?: AbortSignal) =>
  fetch(proxy.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), signal });

describe("rpc-proxy", () => {
  it("passes JSON-RPC through to the upstream node", async () => {
    const res = await call("eth_chainId");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ result: "0x7a69" });
  });

  it("can be started before its upstream exists and pointed at it later", async () => {
    const early = await startRpcProxy({ upstream: "http://127.0.0.1:9" });
    try {
      const send = () => fetch(early.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
      expect((await send()).status).toBe(502);
      early.setUpstream(anvil.rpcUrl);
      expect(await (await send()).json()).toMatchObject({ result: "0x7a69" });
    } finally {
      await early.close();
    }
  });

  it("fail500 answers 500, fail429 answers 429 with Retry-After", async () => {
    proxy.setMode("fail500");
    expect((await call()).status).toBe(500);
    proxy.setMode({ mode: "fail429", retryAfterSeconds: 7 });
    const res = await call();
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await res.json()).toMatchObject({ error: { code: -32005 } });
  });

  it("hang never answers: the client's timeout fires", async () => {
    proxy.setMode("hang");
    const started = Date.now();
    await expect(call("eth_chainId", [], AbortSignal.timeout(300))).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // Leaving "hang" drops what hung, and new requests pass.
    proxy.setMode("pass");
    expect((await call()).status).toBe(200);
  });

  it("close destroys the connection without an answer", async () => {
    proxy.setMode("close");
    await expect(call()).rejects.toThrow(/fetch failed/);
  });

  it("slow answers correctly after the delay", async () => {
    proxy.setMode({ mode: "slow", delayMs: 400 });
    const started = Date.now();
    const res = await call();
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(await res.json()).toMatchObject({ result: "0x7a69" });
  });

  it("fails the next N requests only, then passes", async () => {
    proxy.setMode({ mode: "fail500", forRequests: 2 });
    expect((await call()).status).toBe(500);
    expect((await call()).status).toBe(500);
    expect((await call()).status).toBe(200);
    expect(proxy.mode()).toEqual({ mode: "pass" });
  });

  it("fails for N ms only, then passes (or goes to `then`)", async () => {
    proxy.setMode({ mode: "fail500", forMs: 300, then: { mode: "fail429" } });
    expect((await call()).status).toBe(500);
    await new Promise((r) => setTimeout(r, 320));
    expect((await call()).status).toBe(429);
    proxy.setMode({ mode: "fail500", forMs: 200 });
    await new Promise((r) => setTimeout(r, 220));
    expect((await call()).status).toBe(200);
  });

  it("switches modes over HTTP and reports counts there", async () => {
    const set = await fetch(`${proxy.url}/__control`, { method: "POST", body: JSON.stringify({ mode: "fail500", forRequests: 1 }) });
    expect(await set.json()).toMatchObject({ mode: { mode: "fail500" } });
    expect((await call()).status).toBe(500);
    expect((await call()).status).toBe(200);
    const counts = await (await fetch(`${proxy.url}/__control`)).json();
    expect(counts).toMatchObject({ calls: 2, httpRequests: 2, byMode: { fail500: 1, pass: 1 } });
    expect((await fetch(`${proxy.url}/__control`, { method: "POST", body: JSON.stringify({ mode: "explode" }) })).status).toBe(400);
    await fetch(`${proxy.url}/__control/reset`, { method: "POST" });
    expect(proxy.counts().calls).toBe(0);
  });

  it("counts each call of a batch, per method and per second, whatever the mode", async () => {
    const batch = [
      { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] },
      { jsonrpc: "2.0", id: 2, method: "eth_blockNumber", params: [] },
      { jsonrpc: "2.0", id: 3, method: "eth_blockNumber", params: [] },
    ];
    const res = await fetch(proxy.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch) });
    expect(await res.json()).toHaveLength(3);
    proxy.setMode("fail500");
    await call("eth_getBalance", ["0x0000000000000000000000000000000000000000", "latest"]);
    const c = proxy.counts();
    expect(c.calls).toBe(4);
    expect(c.httpRequests).toBe(2);
    expect(c.byMethod).toEqual({ eth_chainId: 1, eth_blockNumber: 2, eth_getBalance: 1 });
    expect(Object.values(c.perSecond).reduce((a, b) => a + b, 0)).toBe(4);
    expect(c.maxPerSecond).toBeGreaterThanOrEqual(2);
    expect(c.arrivals).toHaveLength(4);
    expect(maxInWindow(c.arrivals, 60_000)).toBe(4);
  });

  it("maxInWindow finds the busiest sliding window", () => {
    expect(maxInWindow([0, 100, 900, 999, 1000, 1500], 1000)).toBe(4); // e.g. 0, 100, 900, 999 (1000 is a full second after 0)
    expect(maxInWindow([], 1000)).toBe(0);
  });
});
