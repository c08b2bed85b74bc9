// Nothing is lost: the Workers process is killed (-9) right after launches were
// accepted, while their messages sit in the in-memory local queue. After a
// restart the cron sweep (D1 is the source of truth) re-enqueues them and every
// launch confirms exactly once, with no nonce left stuck.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createPublicClient, http } from "viem";
import { forgeFactoryV2Abi } from "../../packages/core/src/contracts/artifacts";
import { factoryForChain } from "../../packages/core/src/contracts/factory";
import { launchIdToBytes32 } from "../../packages/core/src/evm/token-address";
import { startPlatform, type Platform } from "../../tools/platform";
import { baseLaunch, postLaunch, waitFinal } from "./client";

let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ port: "auto", quiet: true, vars: { SWEEP_STALE_SECONDS: "2" }, cronIntervalMs: 2_000 });
});
afterAll(async () => {
  await p?.stop();
});

it("confirms every accepted launch exactly once across a kill -9 of the Workers", async () => {
  const accepted: Awaited<ReturnType<typeof postLaunch>>[] = [];
  for (let i = 0; i < 300; i += 30) {
    accepted.push(...(await Promise.all(Array.from({ length: 30 }, (_, j) => postLaunch(p, baseLaunch({ symbol: `CR${i + j}`, name: `Crash ${i + j}` }))))));
  }
  expect(accepted.every((r) => r.status === 202)).toBe(true);
  const ids = accepted.map((r) => r.json.id as string);
  // Kill while the deployer is sending: some launches submitted, others not yet.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !p.logs.some((l) => l.includes("deployer.submitted"))) await new Promise((r) => setTimeout(r, 20));
  await p.killWorkers("SIGKILL");
  expect(p.logs.filter((l) => l.includes("deployer.submitted")).length).toBeGreaterThan(0);
  await p.startWorkers();

  const views = await waitFinal(p, ids, 120_000, () => p.runCron());
  expect(views.map((v) => v.status)).toEqual(ids.map(() => "confirmed"));
  views.forEach((v, i) => expect(v.address).toBe(accepted[i]!.json.address));

  const client = createPublicClient({ transport: http(p.chains.find((c) => c.id === "local-eth")!.rpcUrl) });
  // local-eth's launches go through its ForgeFactoryV2 (the registry names the owner).
  const { factory } = factoryForChain({ factoryOwner: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" });
  const events = await client.getContractEvents({ address: factory, abi: forgeFactoryV2Abi, eventName: "TokenCreated", fromBlock: 0n, toBlock: "latest" });
  const mine = new Set(ids.map((id) => launchIdToBytes32(id)));
  const created = events.filter((e) => mine.has(e.args.launchId!));
  expect(created).toHaveLength(ids.length);

  const [pending, latest] = await Promise.all([
    client.getTransactionCount({ address: p.deployer, blockTag: "pending" }),
    client.getTransactionCount({ address: p.deployer, blockTag: "latest" }),
  ]);
  // Nothing stuck, and every nonce the account used went to exactly one launch:
  // no nonce reused (impossible on chain) or wasted (a launch sent twice).
  expect(pending).toBe(latest);
  expect(latest).toBe(ids.length);
});
