// Cron reconciliation (issue 4 acceptance 5). Two launches are left
// "submitted" by a crash: the Workers are killed right after sending, while
// mining is paused, so the confirmation messages (in the in-memory local queue)
// die with them. One transaction mines; the other is dropped from the mempool.
// After a restart nothing moves them, until the cron checks them against the
// chain: the mined one goes down the normal confirmation path, the unknown one
// is handed back to the Signer, which sends the same signed transaction again.
import { afterAll, beforeAll, expect, it } from "vitest";
import { rpc } from "../../tools/chains/anvil";
import { startPlatform, type Platform } from "../../tools/platform";
import { baseLaunch, getLaunch, postLaunch, waitFinal, waitStatus } from "./client";

let p: Platform;
let url: string;
beforeAll(async () => {
  p = await startPlatform({
    port: "auto", quiet: true,
    // The test runs the cron itself. The Signer's own re-broadcast (its alarm) is
    // pushed out of the way, so only the reconciliation can rescue the dropped one.
    cronIntervalMs: 3_600_000,
    vars: { SWEEP_STALE_SECONDS: "2", SIGNER_REBROADCAST_AFTER_MS: "600000" },
  });
  url = p.chains.find((c) => c.id === "local-eth")!.rpcUrl;
});
afterAll(async () => {
  await p?.stop();
});


it("confirms a submitted launch whose transaction mined, and re-sends one whose transaction vanished, after a crash", async () => {
  await rpc(url, "evm_setIntervalMining", [0]);
  let mined: any;
  let dropped: any;
  try {
    const [a, b] = await Promise.all([postLaunch(p, baseLaunch({ symbol: "RECON1" })), postLaunch(p, baseLaunch({ symbol: "RECON2" }))]);
    const views = [await waitStatus(p, a.json.id, "submitted"), await waitStatus(p, b.json.id, "submitted")];
    await p.killWorkers("SIGKILL");
    // Drop the higher nonce, so the other can mine without a gap before it.
    const txs = await Promise.all(views.map((v) => rpc<{ nonce: string }>(url, "eth_getTransactionByHash", [v.txHash])));
    [mined, dropped] = BigInt(txs[0]!.nonce) < BigInt(txs[1]!.nonce) ? views : [views[1], views[0]];
    await rpc(url, "anvil_dropTransaction", [dropped.txHash]);
    expect(await rpc(url, "eth_getTransactionByHash", [dropped.txHash])).toBeNull();
  } finally {
    await rpc(url, "evm_setIntervalMining", [1]);
  }
  const deadline = Date.now() + 10_000;
  while (!(await rpc(url, "eth_getTransactionReceipt", [mined.txHash]))) {
    if (Date.now() > deadline) throw new Error("the surviving transaction did not mine");
    await new Promise((r) => setTimeout(r, 200));
  }

  await p.startWorkers();
  const from = p.logs.length;
  // Nothing is left to move them: no message survived the crash.
  await new Promise((r) => setTimeout(r, 3_000));
  expect((await getLaunch(p, mined.id)).status).toBe("submitted");
  expect((await getLaunch(p, dropped.id)).status).toBe("submitted");

  const [m, d] = await waitFinal(p, [mined.id, dropped.id], 60_000, () => p.runCron());
  expect([m.status, d.status]).toEqual(["confirmed", "confirmed"]);
  // The same transactions: the mined one as it was, the dropped one sent again byte for byte.
  expect(m.txHash).toBe(mined.txHash);
  expect(d.txHash).toBe(dropped.txHash);

  const logs = p.logs.slice(from);
  const reconciled = (id: string, outcome: string) => logs.some((l) => l.includes('"event":"cron.reconcile"') && l.includes(id) && l.includes(`"outcome":"${outcome}"`));
  expect(reconciled(mined.id, "confirm")).toBe(true);
  expect(reconciled(dropped.id, "resend")).toBe(true);
  expect(logs.some((l) => l.includes('"event":"signer.resend"') && l.includes(dropped.id))).toBe(true);
  // No nonce was wasted or left pending.
  const [pending, latest] = await Promise.all([
    rpc<string>(url, "eth_getTransactionCount", [p.deployer, "pending"]),
    rpc<string>(url, "eth_getTransactionCount", [p.deployer, "latest"]),
  ]);
  expect(BigInt(pending)).toBe(BigInt(latest));
  expect(Number(BigInt(latest))).toBe(2);
});
