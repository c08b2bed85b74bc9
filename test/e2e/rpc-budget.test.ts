// Provider budgets (issue 4 acceptance 2): local-eth's two endpoints are both
// behind counting proxies, each provider allowed a few requests per second. The
// deployer, the Signer, the confirmations consumer, health and the cron all
// spend that budget through ChainGate: launches wait for it (no retry, no
// failure) and neither proxy ever sees more than its provider's token bucket
// admits.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startPlatform, type Platform } from "../../tools/platform";
import { maxInWindow, startRpcProxy, type RpcProxy } from "../../tools/rpc-proxy/index";
import { baseLaunch, postLaunch, waitFinal } from "./client";

/** Where a proxy forwards until the platform's anvil exists (nothing listens on port 9). */
const NOWHERE = "http://127.0.0.1:9";
// Requests per second per provider: the bucket holds one second's worth.
const RPS = { primary: 5, secondary: 4 };
let p: Platform;
let primary: RpcProxy;
let secondary: RpcProxy;
let proxiesAt = 0;

beforeAll(async () => {
  // The proxies listen first (the registry reads their URLs from vars); their upstream, anvil, exists once the platform runs.
  proxiesAt = Date.now();
  [primary, secondary] = await Promise.all([startRpcProxy({ upstream: NOWHERE }), startRpcProxy({ upstream: NOWHERE })]);
  p = await startPlatform({
    port: "auto", quiet: true, cronIntervalMs: 2_000,
    vars: {
      LOCAL_ETH_PRIMARY_URL: primary.url, LOCAL_ETH_PRIMARY_RPS: String(RPS.primary),
      LOCAL_ETH_SECONDARY_URL: secondary.url, LOCAL_ETH_SECONDARY_RPS: String(RPS.secondary),
      // Waiting for budget is normal here: allow long waits rather than transient failures.
      RPC_MAX_WAIT_MS: "20000",
    },
  });
  for (const proxy of [primary, secondary]) proxy.setUpstream(p.chains.find((c) => c.id === "local-eth")!.rpcUrl);
});
afterAll(async () => {
  await p?.stop();
  await Promise.all([primary?.close(), secondary?.close()]);
});

it("waits for the providers' budgets instead of failing, and never sends more than they allow", async () => {
  const from = p.logs.length;
  const accepted = await Promise.all(Array.from({ length: 6 }, (_, i) => postLaunch(p, baseLaunch({ symbol: `BUDGET${i}` }))));
  expect(accepted.every((r) => r.status === 202)).toBe(true);
  // A launch on another chain is not held up by local-eth's budget.
  const bsc = await postLaunch(p, baseLaunch({ chain: "local-bsc", symbol: "BSCFAST" }));

  const [bscView] = await waitFinal(p, [bsc.json.id], 30_000);
  expect(bscView.status).toBe("confirmed");
  const views = await waitFinal(p, accepted.map((r) => r.json.id), 75_000);
  expect(views.map((v) => v.status)).toEqual(views.map(() => "confirmed"));
  const elapsedS = (Date.now() - proxiesAt) / 1000;

  const logs = p.logs.slice(from);
  // Waited: calls went out after sleeping for budget…
  const waited = logs.filter((l) => l.includes('"event":"rpc.call"') && l.includes('"chain":"local-eth"') && /"waitedMs":\d+/.test(l));
  expect(waited.length).toBeGreaterThan(0);
  // …and nothing failed or was retried for it.
  expect(logs.filter((l) => /deployer\.retry|deployer\.failed|rpc\.unavailable|deployer\.chain_batch_failed/.test(l))).toEqual([]);
  expect(views.every((v) => v.events.every((e: any) => !/failed/.test(e.detail ?? "")))).toBe(true);

  for (const [name, proxy] of [["primary", primary], ["secondary", secondary]] as const) {
    const c = proxy.counts();
    const rate = RPS[name];
    expect(c.calls, `${name} was used`).toBeGreaterThan(0);
    // Token bucket of capacity = rate (one second's worth), refilled at `rate`/s: in any window
    // of T seconds at most rate + rate·T calls (+1 for a call landing on the window's edge).
    expect(maxInWindow(c.arrivals, 1_000), `${name} per second`).toBeLessThanOrEqual(2 * rate + 1);
    expect(maxInWindow(c.arrivals, 5_000), `${name} per 5 s`).toBeLessThanOrEqual(rate + 5 * rate + 1);
    expect(c.calls, `${name} since it started`).toBeLessThanOrEqual(rate + rate * elapsedS + 1);
  }
  // The budget, not the chain, set the pace: the work needed more calls than one burst of both buckets.
  const total = primary.counts().calls + secondary.counts().calls;
  expect(total).toBeGreaterThan(RPS.primary + RPS.secondary);
  console.info("rpc budget figures", JSON.stringify({
    seconds: Math.round(elapsedS),
    waitedCalls: waited.length,
    primary: { rps: RPS.primary, calls: primary.counts().calls, max1s: maxInWindow(primary.counts().arrivals, 1_000), max5s: maxInWindow(primary.counts().arrivals, 5_000) },
    secondary: { rps: RPS.secondary, calls: secondary.counts().calls, max1s: maxInWindow(secondary.counts().arrivals, 1_000), max5s: maxInWindow(secondary.counts().arrivals, 5_000) },
  }));
});
