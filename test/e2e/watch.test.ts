// The chain adapters' `watch` on tokens the platform itself launched: an EVM and a
// Solana launch go the normal way (HTTP → queue → deployer → chain → confirmed),
// then each family's watch, asked about that launch at its announced address,
// answers confirmed with the same token; asked about a launch id nobody sent, it
// answers pending before the deadline and expired after it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, http, type PublicClient } from "viem";
import { createSolanaRpc, generateKeyPairSigner } from "@solana/kit";
import { chainRegistry, newId, type ChainConfig } from "../../packages/core/src/index";
import { LaunchRequest } from "../../packages/core/src/launch";
import { evmLaunchAddress } from "../../packages/core/src/launch-evm";
import { factoryForChain } from "../../packages/core/src/contracts/factory";
import type { WatchedLaunch } from "../../workers/deployer/src/adapter";
import type { SolanaRpc } from "../../workers/deployer/src/solana/rpc";
import { watchEvm } from "../../workers/deployer/src/evm/watch";
import { watchSolana } from "../../workers/deployer/src/solana/watch";
import { startPlatform, type Platform } from "../../tools/platform";
import { postLaunch, waitFinal } from "./client";

let p: Platform;
let evm: { client: PublicClient; chain: ChainConfig };
let sol: { rpc: SolanaRpc; chain: ChainConfig };
const HOUR = 3600_000;

beforeAll(async () => {
  p = await startPlatform({ port: "auto", quiet: true });
  const port = (id: string) => new URL(p.chains.find((c) => c.id === id)!.rpcUrl).port;
  const registry = chainRegistry({ TF_ENV: "local", LOCAL_ETH_PORT: port("local-eth"), LOCAL_SOL_PORT: port("local-sol") });
  const eth = registry.find((c) => c.id === "local-eth")!;
  evm = { client: createPublicClient({ transport: http(eth.rpc[0]!.url) }) as PublicClient, chain: eth };
  const solChain = registry.find((c) => c.id === "local-sol")!;
  sol = { rpc: createSolanaRpc(solChain.rpc[0]!.url), chain: solChain };
});
afterAll(async () => {
  await p?.stop();
});

/** A confirmed launch of the platform, as `watch` sees it (its announced address and accepted request). */
async function launched(body: Record<string, unknown>): Promise<{ watched: WatchedLaunch; view: any }> {
  const res = await postLaunch(p, body);
  expect(res.status).toBe(202);
  const [view] = await waitFinal(p, [res.json.id]);
  expect(view.status).toBe("confirmed");
  return { watched: { id: view.id, address: view.address, request: LaunchRequest.parse(view.request), createdAt: Date.parse(view.createdAt), factoryVersion: view.factoryVersion, expiresAt: null }, view };
}

describe("chain adapters' watch on launches the platform made", () => {
  it("EVM: finds the launched token at its CREATE2 address; a never-sent launch is pending, then expired", async () => {
    const owner = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const { watched, view } = await launched({ chain: "local-eth", name: "Watch Eth", symbol: "WEVM", decimals: 18, initialSupply: "777", owner });
    const [out] = await watchEvm(evm.client, evm.chain, [watched], Date.now());
    expect(out).toMatchObject({ kind: "confirmed", launchId: view.id, txHash: view.txHash, blockNumber: view.blockNumber });
    expect(out!.kind === "confirmed" && out!.token).toMatchObject({ address: view.address, name: "Watch Eth", symbol: "WEVM", totalSupply: (777n * 10n ** 18n).toString() });

    const id = newId("lch");
    const req = LaunchRequest.parse({ chain: "local-eth", name: "Never Sent", symbol: "NEVR", decimals: 18, initialSupply: "1", owner });
    const never = { id, address: evmLaunchAddress(id, p.deployer, req, factoryForChain(evm.chain)), request: req, createdAt: Date.now(), factoryVersion: "2" };
    const now = Date.now();
    expect((await watchEvm(evm.client, evm.chain, [{ ...never, expiresAt: now + HOUR }], now))[0]!.kind).toBe("pending");
    expect((await watchEvm(evm.client, evm.chain, [{ ...never, expiresAt: now - HOUR }], now))[0]!.kind).toBe("expired");
  });

  it("Solana: finds the launched mint; a never-sent launch is pending, then expired", async () => {
    const owner = (await generateKeyPairSigner()).address;
    const { watched, view } = await launched({ chain: "local-sol", name: "Watch Sol", symbol: "WSOL", decimals: 6, initialSupply: "4242", owner });
    const [out] = await watchSolana(sol.rpc, sol.chain, [watched], Date.now());
    expect(out).toMatchObject({ kind: "confirmed", launchId: view.id });
    expect(out!.kind === "confirmed" && out!.token).toMatchObject({ address: view.address, name: "Watch Sol", symbol: "WSOL", decimals: 6, totalSupply: (4242n * 10n ** 6n).toString(), owner });

    // A never-sent launch's mint: an address nobody created (the platform's mint secret stays in the deployer).
    const req = LaunchRequest.parse({ chain: "local-sol", name: "Never Sent", symbol: "NEVS", decimals: 6, initialSupply: "1", owner });
    const never = { id: newId("lch"), address: (await generateKeyPairSigner()).address, request: req, createdAt: Date.now(), factoryVersion: null };
    const now = Date.now();
    expect((await watchSolana(sol.rpc, sol.chain, [{ ...never, expiresAt: now + HOUR }], now))[0]!.kind).toBe("pending");
    expect((await watchSolana(sol.rpc, sol.chain, [{ ...never, expiresAt: now - 1 }], now))[0]!.kind).toBe("expired");
  });
});
