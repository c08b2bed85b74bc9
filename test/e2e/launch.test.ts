// One EVM launch from HTTP to chain on the real local platform (workerd + anvil),
// then redelivery and idempotency: a launch deploys at most one token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, http, type Address } from "viem";
import { forgeFactoryV2Abi, forgeTokenAbi } from "../../packages/core/src/contracts/artifacts";
import { factoryForChain } from "../../packages/core/src/contracts/factory";
import { launchIdToBytes32 } from "../../packages/core/src/evm/token-address";
import { startPlatform, type Platform } from "../../tools/platform";
import { admin, baseLaunch, getLaunch, OWNER, postLaunch, waitFinal } from "./client";

let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ port: "auto", quiet: true });
});
afterAll(async () => {
  await p?.stop();
});

const chainClient = (id: string) => createPublicClient({ transport: http(p.chains.find((c) => c.id === id)!.rpcUrl) });

// Every local EVM chain names a factoryOwner, so new launches go through ForgeFactoryV2.
const FACTORY = factoryForChain({ factoryOwner: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" }).factory;

async function creationEvents(chain: string, launchId: string) {
  return chainClient(chain).getContractEvents({
    address: FACTORY, abi: forgeFactoryV2Abi, eventName: "TokenCreated",
    args: { launchId: launchIdToBytes32(launchId) }, fromBlock: 0n, toBlock: "latest",
  });
}

describe("a launch on a local EVM chain", () => {
  it("deploys the requested token at the address the 202 announced", async () => {
    const body = baseLaunch({
      chain: "local-bsc", name: "Forge Coin", symbol: "FORGE", decimals: 6, initialSupply: "1000000", maxSupply: "2000000",
      features: { mintable: true, burnable: true, permit: true }, metadataUri: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
    });
    const res = await postLaunch(p, body);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: "queued", chain: "local-bsc", links: { self: `/api/v1/launches/${res.json.id}` } });
    expect(res.json.address).toMatch(/^0x[0-9a-fA-F]{40}$/);

    const [view] = await waitFinal(p, [res.json.id], 60_000);
    expect(view.status).toBe("confirmed");
    expect(view.address).toBe(res.json.address);
    expect(view.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(view.blockNumber).toBeGreaterThan(0);
    expect(view.factoryVersion).toBe("2");
    expect(view.events.map((e: any) => e.status)).toEqual(["queued", "submitted", "confirmed"]);
    expect(view.request).toMatchObject({ name: "Forge Coin", symbol: "FORGE", maxSupply: "2000000" });

    const client = chainClient("local-bsc");
    const token = { address: view.address as Address, abi: forgeTokenAbi } as const;
    const [name, symbol, decimals, supply, balance, owner, cap, features] = await Promise.all([
      client.readContract({ ...token, functionName: "name" }),
      client.readContract({ ...token, functionName: "symbol" }),
      client.readContract({ ...token, functionName: "decimals" }),
      client.readContract({ ...token, functionName: "totalSupply" }),
      client.readContract({ ...token, functionName: "balanceOf", args: [OWNER] }),
      client.readContract({ ...token, functionName: "owner" }),
      client.readContract({ ...token, functionName: "cap" }),
      client.readContract({ ...token, functionName: "features" }),
    ]);
    expect({ name, symbol, decimals, supply, balance, owner, cap, features }).toEqual({
      name: "Forge Coin", symbol: "FORGE", decimals: 6, supply: 10n ** 12n, balance: 10n ** 12n, owner: OWNER,
      cap: 2n * 10n ** 12n, features: 1 + 2 + 8,
    });

    const tokens = (await (await fetch(`${p.url}/api/v1/tokens?chain=local-bsc`)).json()) as any;
    expect(tokens.tokens.map((t: any) => t.address)).toContain(view.address);
  });

  it("creates one token when the same queue message is delivered several times", async () => {
    const res = await postLaunch(p, baseLaunch({ symbol: "DUP" }));
    expect(res.status).toBe(202);
    // Three more copies of the message race the original through the deployer.
    expect((await admin(p, "POST", `/launches/${res.json.id}/enqueue?copies=3`)).status).toBe(202);
    const [view] = await waitFinal(p, [res.json.id], 60_000);
    expect(view.status).toBe("confirmed");
    // …and a late copy after confirmation changes nothing.
    await admin(p, "POST", `/launches/${res.json.id}/enqueue?copies=2`);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await creationEvents("local-eth", res.json.id)).toHaveLength(1);
    const after = await getLaunch(p, res.json.id);
    expect(after.events.map((e: any) => e.status)).toEqual(["queued", "submitted", "confirmed"]);
  });

  it("replays the same Idempotency-Key to the same launch, and refuses it with another body", async () => {
    const key = `e2e-${Date.now()}`;
    const body = baseLaunch({ symbol: "IDEM" });
    const [a, b] = await Promise.all([postLaunch(p, body, { "idempotency-key": key }), postLaunch(p, body, { "idempotency-key": key })]);
    // Two concurrent first requests: one wins; the other is either the replay or 409 "still processing".
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(202);
    expect([202, 409]).toContain(statuses[1]);
    const winner = a.status === 202 ? a : b;
    const again = await postLaunch(p, { ...body, features: {} }, { "idempotency-key": key }); // same body: features default to false
    expect(again.status).toBe(202);
    expect(again.json.id).toBe(winner.json.id);
    expect(again.json.address).toBe(winner.json.address);

    const other = await postLaunch(p, { ...body, name: "Something Else" }, { "idempotency-key": key });
    expect(other.status).toBe(422);
    expect(other.headers.get("content-type")).toContain("application/problem+json");
    expect(other.json.type).toBe("https://tokenforge.dev/problems/idempotency-key-reused");

    await waitFinal(p, [winner.json.id], 60_000);
    expect(await creationEvents("local-eth", winner.json.id)).toHaveLength(1);
    const mine = (await (await fetch(`${p.url}/api/v1/tokens?chain=local-eth&limit=100`)).json()) as any;
    expect(mine.tokens.filter((t: any) => t.symbol === "IDEM")).toHaveLength(1);
  });

  it("answers public health from what the gates know, without reading the chains", async () => {
    const res = await fetch(`${p.url}/api/v1/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=5");
    const h = (await res.json()) as any;
    expect(h.d1.ok).toBe(true);
    expect(h.chains.map((c: any) => c.id).sort()).toEqual(["local-bsc", "local-eth", "local-sol"]);
    for (const c of h.chains) {
      expect(c.endpoints[0].breaker.state).toBe("closed");
      expect(c.endpoints[0].latest).toBeUndefined();
      expect(c.deployer).toBeUndefined();
    }
  });

  it("answers the operators' deep health with D1, KV, each chain's latest block and the backlog", async () => {
    const res = await fetch(`${p.url}/api/v1/health/deep`, { headers: { authorization: `Bearer ${p.adminToken}` } });
    expect(res.status).toBe(200);
    const h = (await res.json()) as any;
    expect(h.d1.ok).toBe(true);
    expect(h.kv.ok).toBe(true);
    expect(h.backlog).toEqual({ queued: expect.any(Number), submitted: expect.any(Number) });
    expect(h.chains.map((c: any) => c.id).sort()).toEqual(["local-bsc", "local-eth", "local-sol"]);
    for (const c of h.chains) {
      expect(c.status).toBe("ok");
      expect(c.endpoints[0].reachable).toBe(true);
      expect(c.family === "solana" ? c.endpoints[0].latest.slot : c.endpoints[0].latest.block).toBeGreaterThan(0);
    }
  });

  it("lists chains per the launch contract", async () => {
    const { chains } = (await (await fetch(`${p.url}/api/v1/chains`)).json()) as any;
    expect(chains).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: "local-eth", family: "evm", chainId: 31337, nativeSymbol: "ETH", rpcUrl: p.chains.find((c) => c.id === "local-eth")!.rpcUrl, explorerUrl: null }),
        expect.objectContaining({ id: "local-bsc", family: "evm", chainId: 31338, nativeSymbol: "BNB" }),
      ]),
    );
  });

  it("serves the web app and the API on the first URL", async () => {
    const res = await fetch(`${p.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const deep = await fetch(`${p.url}/launches/some-id`);
    expect(deep.status).toBe(200);
    const api404 = await fetch(`${p.url}/api/v1/nope`);
    expect(api404.status).toBe(404);
    expect(api404.headers.get("content-type")).toContain("application/problem+json");
  });
});
