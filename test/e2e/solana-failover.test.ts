// A failing Solana endpoint does not take the Solana chain down (issue 14
// item 2). local-sol's primary endpoint is the fault proxy (tools/rpc-proxy)
// answering HTTP 500 to everything; the secondary is a second proxy that passes
// to the local Solana node, so the test can see who served. Launches on Solana
// still confirm, through the secondary; the primary's breaker opens, and
// health says the chain is degraded, not down. Before the gated transport the
// deployer sent every Solana request to the registry's first endpoint only.
import { afterAll, beforeAll, expect, it } from "vitest";
import { generateKeyPairSigner, type Address } from "@solana/kit";
import { startPlatform, type Platform } from "../../tools/platform";
import { startRpcProxy, type RpcProxy } from "../../tools/rpc-proxy/index";
import { postLaunch, waitFinal } from "./client";

/** Where a proxy forwards until the platform's Solana node exists (nothing listens on port 9). */
const NOWHERE = "http://127.0.0.1:9";
let p: Platform;
let primary: RpcProxy;
let secondary: RpcProxy;
let OWNER: Address;

beforeAll(async () => {
  [primary, secondary] = await Promise.all([startRpcProxy({ upstream: NOWHERE }), startRpcProxy({ upstream: NOWHERE })]);
  p = await startPlatform({
    port: "auto", quiet: true,
    vars: {
      LOCAL_SOL_PRIMARY_URL: primary.url,
      LOCAL_SOL_SECONDARY_URL: secondary.url,
      // Open after a few failures and stay open for the test: the secondary serves from then on.
      BREAKER_MIN_CALLS: "3", BREAKER_COOLDOWN_MS: "120000",
      RPC_TIMEOUT_MS: "2000", RPC_MAX_WAIT_MS: "2000",
    },
  });
  const node = p.chains.find((c) => c.id === "local-sol")!.rpcUrl;
  for (const proxy of [primary, secondary]) proxy.setUpstream(node);
  OWNER = (await generateKeyPairSigner()).address;
});
afterAll(async () => {
  await p?.stop();
  await Promise.all([primary?.close(), secondary?.close()]);
});

const health = async () => {
  const res = await fetch(`${p.url}/api/v1/health/deep`, { headers: { authorization: `Bearer ${p.adminToken}` } });
  return { status: res.status, body: (await res.json()) as any };
};

it("confirms Solana launches through the secondary while the primary endpoint fails", async () => {
  primary.setMode("fail500");
  const failFrom = p.logs.length;
  const posted = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      postLaunch(p, {
        chain: "local-sol", name: `Failover ${i}`, symbol: `FO${i}`, decimals: 6, initialSupply: "1000", owner: OWNER,
        metadataUri: "https://tokenforge.invalid/fo.json",
      }, { "idempotency-key": `sol-failover-${i}` }),
    ),
  );
  expect(posted.map((r) => r.status)).toEqual(Array(6).fill(202));

  const views = await waitFinal(p, posted.map((r) => r.json.id), 120_000);
  expect(views.filter((v) => v.status !== "confirmed")).toEqual([]);
  views.forEach((v, i) => expect(v.address).toBe(posted[i]!.json.address));

  // The primary was tried and failed; the secondary carried the transactions.
  expect(primary.counts().byMode.fail500).toBeGreaterThan(0);
  expect(primary.counts().byMode.pass).toBe(0);
  expect(secondary.counts().byMethod.sendTransaction).toBeGreaterThanOrEqual(6);
  const failovers = p.logs.slice(failFrom).filter((l) => l.includes('"event":"rpc.call"') && l.includes('"chain":"local-sol"') && l.includes('"outcome":"http5xx"'));
  expect(failovers.length).toBeGreaterThan(0);

  // The gate saw it: the primary's breaker is open, the chain degraded but healthy.
  const h = await health();
  expect(h.status).toBe(200);
  const sol = h.body.chains.find((c: any) => c.id === "local-sol");
  expect(sol).toMatchObject({ status: "degraded", healthy: true });
  expect(sol.endpoints[0]).toMatchObject({ provider: "primary", breaker: { state: "open" } });
  expect(sol.endpoints[1]).toMatchObject({ provider: "solana-node", reachable: true, breaker: { state: "closed" } });
});
