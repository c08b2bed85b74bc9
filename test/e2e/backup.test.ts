// Backups that restore (issue 22): 300 launches, a copy of D1 into R2 taken while some
// are still in flight, the Workers stopped, D1 wiped and rebuilt from the copy by
// `npm run restore` (tools/restore.ts) — every table identical by digest — then the
// platform heals itself: the sweep re-drives the launches the copy holds as non-final
// and each confirms exactly once (CREATE2: one token per launch id on chain).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createPublicClient, http } from "viem";
import { forgeFactoryV2Abi } from "../../packages/core/src/contracts/artifacts";
import { factoryForChain } from "../../packages/core/src/contracts/factory";
import { launchIdToBytes32 } from "../../packages/core/src/evm/token-address";
import { startPlatform, type Platform } from "../../tools/platform";
import { listCopies, restoreLocal, withLocalD1 } from "../../tools/restore";
import { admin, baseLaunch, postLaunch, waitFinal } from "./client";

let p: Platform;
beforeAll(async () => {
  // The scheduled copy is left to the test (a long interval): it asks for one at the moment it wants.
  p = await startPlatform({ port: "auto", quiet: true, vars: { SWEEP_STALE_SECONDS: "2", BACKUP_INTERVAL_MINUTES: "10000" }, cronIntervalMs: 2_000 });
});
afterAll(async () => {
  await p?.stop();
});

it("restores a copy taken mid-flight, identical by digest, and every launch confirms exactly once", async () => {
  const accepted: Awaited<ReturnType<typeof postLaunch>>[] = [];
  for (let i = 0; i < 300; i += 50) {
    accepted.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => postLaunch(p, baseLaunch({ symbol: `BK${i + j}`, name: `Backup ${i + j}` }))))));
  }
  expect(accepted.map((r) => r.status)).toEqual(accepted.map(() => 202));
  const ids = accepted.map((r) => r.json.id as string);

  // The copy, while the deployer is still working through the backlog.
  const copy = await admin(p, "POST", "/backups");
  expect(copy.status).toBe(200);
  const launchesCopied = copy.json.tables.find((t: { name: string }) => t.name === "launches");
  expect(launchesCopied.rows).toBe(300);

  await p.killWorkers("SIGKILL");
  const copies = await listCopies(p.stateDir);
  expect(copies.map((c) => c.id)).toContain(copy.json.id);
  const d1Dir = join(p.stateDir, "v3", "d1");
  expect(existsSync(d1Dir)).toBe(true);

  const restored = await restoreLocal(copy.json.id, p.stateDir);
  expect(restored.tables.length).toBe(copy.json.tables.length);
  for (const t of restored.tables) {
    const original = copy.json.tables.find((c: { name: string }) => c.name === t.name);
    expect({ name: t.name, rows: t.rows, sha256: t.sha256, matches: t.matches }).toEqual({ name: t.name, rows: original.rows, sha256: original.sha256, matches: true });
  }

  // The copy caught the backlog mid-way: some launches are not final in it, so the heal below is exercised.
  const statuses = await withLocalD1(p.stateDir, async (db) =>
    (await db.prepare("SELECT status, count(*) AS n FROM launches GROUP BY status").all<{ status: string; n: number }>()).results);
  expect(statuses.filter((s) => s.status !== "confirmed").reduce((n, s) => n + s.n, 0)).toBeGreaterThan(0);

  await p.startWorkers();
  const views = await waitFinal(p, ids, 180_000, () => p.runCron());
  const notConfirmed = views.filter((v) => v.status !== "confirmed").map((v) => ({ id: v.id, status: v.status, error: v.error, events: v.events }));
  expect(notConfirmed, JSON.stringify(notConfirmed.slice(0, 2))).toEqual([]);
  views.forEach((v, i) => expect(v.address).toBe(accepted[i]!.json.address));

  const client = createPublicClient({ transport: http(p.chains.find((c) => c.id === "local-eth")!.rpcUrl) });
  const { factory } = factoryForChain({ factoryOwner: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" });
  const events = await client.getContractEvents({ address: factory, abi: forgeFactoryV2Abi, eventName: "TokenCreated", fromBlock: 0n, toBlock: "latest" });
  const mine = new Set(ids.map((id) => launchIdToBytes32(id)));
  expect(events.filter((e) => mine.has(e.args.launchId!))).toHaveLength(ids.length);
});

it("refuses a damaged copy before touching the database", async () => {
  await expect(restoreLocal("20000101T000000Z-missing", p.stateDir)).rejects.toThrow(/no manifest/);
});
