// Retries, dead letters and permanent errors (issue 4 acceptance 3). Both of
// local-eth's endpoints sit behind fault proxies; while both fail, a launch is
// retried with growing delays, dead-lettered after the queue's last retry,
// listed by the admin API, failed with the reason, and replayed to confirmed
// once the endpoints heal. local-bsc launches are unaffected throughout. A
// launch whose transaction would revert fails at once with the revert reason
// and is never retried.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Hex } from "viem";
import { rpc } from "../../tools/chains/anvil";
import { startPlatform, type Platform } from "../../tools/platform";
import { startRpcProxy, type RpcProxy } from "../../tools/rpc-proxy/index";
import { admin, baseLaunch, getLaunch, postLaunch, waitFinal } from "./client";

const MAX_RETRIES = 3; // 4 deliveries, then the dead-letter queue
/** Where a proxy forwards until the platform's anvil exists (nothing listens on port 9). */
const NOWHERE = "http://127.0.0.1:9";
let p: Platform;
let primary: RpcProxy;
let secondary: RpcProxy;
let anvilUrl: string;

beforeAll(async () => {
  // The proxies listen first (the registry reads their URLs from vars); their upstream, anvil, exists once the platform runs.
  [primary, secondary] = await Promise.all([startRpcProxy({ upstream: NOWHERE }), startRpcProxy({ upstream: NOWHERE })]);
  p = await startPlatform({
    port: "auto", quiet: true, queueMaxRetries: MAX_RETRIES,
    vars: {
      LOCAL_ETH_PRIMARY_URL: primary.url,
      LOCAL_ETH_SECONDARY_URL: secondary.url,
      // Seconds, not minutes: 1·2^(n−1) s with jitter, capped at 8 s.
      RETRY_BASE_SECONDS: "1", RETRY_CAP_SECONDS: "8",
      BREAKER_WINDOW_MS: "10000", BREAKER_MIN_CALLS: "3", BREAKER_COOLDOWN_MS: "3000",
      RPC_TIMEOUT_MS: "1000", RPC_MAX_WAIT_MS: "1500",
    },
  });
  anvilUrl = p.chains.find((c) => c.id === "local-eth")!.rpcUrl;
  for (const proxy of [primary, secondary]) proxy.setUpstream(anvilUrl);
});
afterAll(async () => {
  await p?.stop();
  await Promise.all([primary?.close(), secondary?.close()]);
});

// The operators' check: a fresh gate snapshot each time (public /health may be up to 5 s old).
const health = async () => {
  const res = await fetch(`${p.url}/api/v1/health/deep`, { headers: { authorization: `Bearer ${p.adminToken}` } });
  return { status: res.status, body: (await res.json()) as any };
};

it("retries with growing delays while every endpoint fails, dead-letters, lists, fails with the reason, and replays to confirmed", async () => {
  primary.setMode("fail500");
  secondary.setMode("close");
  const x = await postLaunch(p, baseLaunch({ symbol: "DOOMED" }));
  const bsc = await postLaunch(p, baseLaunch({ chain: "local-bsc", symbol: "BSCOK" }));
  expect([x.status, bsc.status]).toEqual([202, 202]);

  // Other chains are unaffected: the local-bsc launch confirms while local-eth's is still being retried.
  const [bscView] = await waitFinal(p, [bsc.json.id], 20_000);
  expect(bscView.status).toBe("confirmed");
  expect((await getLaunch(p, x.json.id)).status).toBe("queued");

  // While both breakers are open the chain has no healthy endpoint: health says 503 and which chain.
  let sawDown: any = null;
  let failed: any = null;
  const deadline = Date.now() + 40_000;
  while (!failed && Date.now() < deadline) {
    const h = await health();
    if (h.status === 503 && !sawDown) sawDown = h.body;
    const v = await getLaunch(p, x.json.id);
    if (v.status === "failed") failed = v;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(failed, "the launch was dead-lettered in time").toBeTruthy();
  expect(sawDown).toMatchObject({ unhealthyChains: ["local-eth"] });
  const ethDown = sawDown.chains.find((c: any) => c.id === "local-eth");
  expect(ethDown).toMatchObject({ status: "down", healthy: false });
  expect(ethDown.endpoints.map((e: any) => e.breaker.state)).toEqual(["open", "open"]);
  expect(sawDown.chains.find((c: any) => c.id === "local-bsc")).toMatchObject({ status: "ok", healthy: true });

  // Failed with the reason, after MAX_RETRIES + 1 attempts whose delays grew.
  expect(failed.error.type).toBe("dead-letter");
  expect(failed.error.detail).toMatch(new RegExp(`gave up after ${MAX_RETRIES + 1} attempts: .*(every RPC endpoint of local-eth failed|no RPC endpoint of local-eth available)`));
  const retries = failed.events.filter((e: any) => /^attempt \d+ failed/.test(e.detail ?? ""));
  expect(retries).toHaveLength(MAX_RETRIES + 1);
  const delays = retries.map((e: any) => Number(/retrying in (\d+) s/.exec(e.detail)![1]));
  // Full jitter within [½, 1] of 1, 2, 4, 8 s: never shorter than the one before, and the last longer than the first.
  delays.slice(1).forEach((d: number, i: number) => expect(d).toBeGreaterThanOrEqual(delays[i]));
  expect(delays.at(-1)).toBeGreaterThan(delays[0]);
  // The queue waited them out: each attempt came at least its delay after the one before.
  const at = retries.map((e: any) => Date.parse(e.at));
  at.slice(1).forEach((t: number, i: number) => expect(t - at[i]).toBeGreaterThanOrEqual(delays[i] * 1000 - 250));

  // The cron's probes reach every endpoint, open or not, and report what they find.
  const probing = (await p.runCron()) as any;
  expect(probing.probes).toMatchObject({ probed: 5, failed: 2, skipped: 0 }); // local-eth 2 (both failing), local-bsc 1, local-sol 2

  // Listed for operators (admin token only), with the reason.
  expect((await fetch(`${p.url}/api/v1/admin/dead-letters`)).status).toBe(401);
  const list = await admin(p, "GET", "/dead-letters");
  expect(list.status).toBe(200);
  const letter = list.json.deadLetters.find((d: any) => d.launchId === x.json.id);
  expect(letter).toMatchObject({ chain: "local-eth", launchStatus: "failed", queue: "tf-launches-dlq", attempts: MAX_RETRIES + 1, reason: failed.error.detail });

  // The endpoints heal; the operator replays; the launch confirms at the address it was given.
  primary.setMode("pass");
  secondary.setMode("pass");
  expect(((await p.runCron()) as any).probes).toMatchObject({ probed: 5, failed: 0 });
  const replay = await admin(p, "POST", `/dead-letters/${letter.id}/replay`);
  expect(replay.status).toBe(202);
  const [done] = await waitFinal(p, [x.json.id], 40_000);
  expect(done.status).toBe("confirmed");
  expect(done.address).toBe(x.json.address);
  expect(done.events.some((e: any) => e.detail === "replayed by an operator from the dead-letter queue")).toBe(true);
  expect((await admin(p, "GET", "/dead-letters")).json.deadLetters.some((d: any) => d.launchId === x.json.id)).toBe(false);
  // And local-bsc never noticed.
  const bsc2 = await postLaunch(p, baseLaunch({ chain: "local-bsc", symbol: "BSCOK2" }));
  expect((await waitFinal(p, [bsc2.json.id], 20_000))[0].status).toBe("confirmed");
});

it("fails a launch whose transaction reverts at once, with the revert reason, and never retries it", async () => {
  // Nobody can occupy a launch's CREATE2 address, by design; to make the factory
  // call revert anyway, the test gives that address a nonce (anvil_setNonce), so
  // CREATE2 collides. The launch must not reach the estimate before that: the
  // deployer account is emptied first, so the launch waits for funds, queued.
  const funds = await rpc<Hex>(anvilUrl, "eth_getBalance", [p.deployer, "latest"]);
  await rpc(anvilUrl, "anvil_setBalance", [p.deployer, "0x1"]);
  const from = p.logs.length;
  const r = await postLaunch(p, baseLaunch({ symbol: "REVERT" }));
  expect(r.status).toBe(202);
  const deadline = Date.now() + 20_000;
  while (!p.logs.slice(from).some((l) => l.includes("deployer.waiting") && l.includes(r.json.id))) {
    if (Date.now() > deadline) throw new Error("the launch never waited for funds");
    await new Promise((res) => setTimeout(res, 100));
  }
  await rpc(anvilUrl, "anvil_setNonce", [r.json.address, "0x1"]);
  await rpc(anvilUrl, "anvil_setBalance", [p.deployer, funds]);
  const redrive = await admin(p, "POST", `/launches/${r.json.id}/enqueue`);
  expect(redrive.status).toBe(202);

  const [v] = await waitFinal(p, [r.json.id], 20_000);
  expect(v.status).toBe("failed");
  expect(v.error.type).toBe("revert");
  expect(v.error.detail).toMatch(/revert/i);
  expect(v.error.detail).toMatch(/FailedDeployment/);
  const logs = p.logs.slice(from).filter((l) => l.includes(r.json.id));
  expect(logs.some((l) => l.includes("deployer.failed"))).toBe(true);
  expect(logs.some((l) => l.includes("deployer.retry"))).toBe(false);
  expect(v.events.some((e: any) => /^attempt \d+ failed/.test(e.detail ?? ""))).toBe(false);
  // Not a dead letter, and nothing was sent for it.
  expect((await admin(p, "GET", "/dead-letters?all=1")).json.deadLetters.some((d: any) => d.launchId === r.json.id)).toBe(false);
  expect(await rpc<Hex>(anvilUrl, "eth_getCode", [r.json.address, "latest"])).toBe("0x");
});
