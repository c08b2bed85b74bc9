// Issue 16 acceptance 3, the emergency pause. The operators pause local-eth: new launches
// there answer 503 chain-paused with Retry-After while local-bsc launches and confirms;
// local-eth's queued launch waits — redelivered and swept, it is never sent, spends no
// attempt and is never dead-lettered — and confirms after resume. Then the factory's own
// pause(), sent by its owner: createToken reverts EnforcedPause(), and a platform launch
// on that chain waits instead of failing, then confirms after unpause.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, encodeFunctionData, http, parseEther, type Address, type Hex } from "viem";
import { factoryForChain, forgeFactoryV2Abi } from "@tokenforge/core/contracts/factory";
import { chainRegistry, findChain } from "@tokenforge/core";
import { rpc } from "../../tools/chains/anvil";
import { startPlatform, type Platform } from "../../tools/platform";
import { admin, baseLaunch, getLaunch, postLaunch, waitFinal } from "./client";
import { buildWebIfStale, collectErrors, launchBrowser } from "./browser";

let p: Platform;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  buildWebIfStale();
  p = await startPlatform({
    port: "auto", quiet: true,
    // One retry, then the dead letters: a pause that spent queue retries would dead-letter at once.
    queueMaxRetries: 1,
    // The cron runs when the test says (p.runCron); a launch is stale for the sweep after 1 s.
    cronIntervalMs: 3_600_000,
    vars: { SWEEP_STALE_SECONDS: "1", RETRY_BASE_SECONDS: "1", RETRY_CAP_SECONDS: "2" },
  });
}, 180_000);
afterAll(async () => {
  await p?.stop();
});

const ethUrl = () => p.chains.find((c) => c.id === "local-eth")!.rpcUrl;
const adminPost = async (path: string, body?: unknown) => {
  const res = await fetch(`${p.url}/api/v1/admin${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${p.adminToken}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as any };
};
const deadLetterFor = async (id: string) => (await admin(p, "GET", "/dead-letters?all=1")).json.deadLetters.filter((d: any) => d.launchId === id);
const setBalance = (address: string, wei: bigint) => rpc(ethUrl(), "anvil_setBalance", [address, `0x${wei.toString(16)}`]);

describe("emergency pause (platform)", () => {
  it("pause → 503 on that chain only; its queued launch waits (no send, no attempt, no dead letter) and confirms after resume", async () => {
    // A launch that is queued on local-eth when the pause comes: the deployer cannot pay yet, so it waits queued.
    await setBalance(p.deployer, 0n);
    const held = await postLaunch(p, baseLaunch({ symbol: "HELD" }));
    expect(held.status).toBe(202);
    const id = held.json.id as string;
    // The deployer tried once and waits for funds (an attempt counted, the message acked).
    await waitFor(async () => (await getLaunch(p, id)).attempts >= 1);
    expect((await getLaunch(p, id)).status).toBe("queued");

    const paused = await adminPost("/chains/local-eth/pause", { reason: "e2e: incident drill" });
    expect(paused.status).toBe(200);
    expect(paused.json).toMatchObject({ chain: "local-eth", paused: true, reason: "e2e: incident drill" });
    await setBalance(p.deployer, parseEther("100"));
    const attemptsAtPause = await attemptsOf(id);

    // New launches on local-eth: 503 chain-paused with Retry-After; local-bsc launches and confirms.
    const refused = await postLaunch(p, baseLaunch({ symbol: "NOPE" }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.json).toMatchObject({ type: "https://tokenforge.dev/problems/chain-paused", status: 503, chain: "local-eth" });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const bsc = await postLaunch(p, baseLaunch({ chain: "local-bsc", symbol: "BSCOK" }));
    expect(bsc.status).toBe(202);
    const chains = (await (await fetch(`${p.url}/api/v1/chains`)).json()) as any;
    expect(Object.fromEntries(chains.chains.map((c: any) => [c.id, c.paused]))).toMatchObject({ "local-eth": true, "local-bsc": false });

    // The paused launch is delivered again and again (operator re-drives, more than the queue's retries) and swept:
    // nothing is sent, nothing counted, nothing dead-lettered.
    const nonce = await rpc<Hex>(ethUrl(), "eth_getTransactionCount", [p.deployer, "latest"]);
    for (let i = 0; i < 3; i++) {
      expect((await admin(p, "POST", `/launches/${id}/enqueue?copies=2`)).status).toBe(202);
      await sleep(1_500);
      const run = (await p.runCron()) as any;
      expect(run.sweep.requeued, "the sweep skips the paused chain").toBe(0);
    }
    const [bscView] = await waitFinal(p, [bsc.json.id], 60_000);
    expect(bscView.status).toBe("confirmed");
    const waiting = await getLaunch(p, id);
    expect(waiting.status).toBe("queued");
    expect(await attemptsOf(id)).toBe(attemptsAtPause);
    expect(await deadLetterFor(id)).toEqual([]);
    expect(await rpc<Hex>(ethUrl(), "eth_getTransactionCount", [p.deployer, "latest"])).toBe(nonce);
    expect(p.logs.some((l) => l.includes('"deployer.chain_paused"') && l.includes(id))).toBe(true);

    const resumed = await adminPost("/chains/local-eth/resume");
    expect(resumed.status).toBe(200);
    expect(resumed.json).toMatchObject({ chain: "local-eth", paused: false });
    expect(resumed.json.requeued).toBeGreaterThanOrEqual(1);
    const [view] = await waitFinal(p, [id], 60_000);
    expect(view.status).toBe("confirmed");
    expect(await deadLetterFor(id)).toEqual([]);
    expect((await postLaunch(p, baseLaunch({ symbol: "AGAIN" }))).status).toBe(202);
  }, 180_000);
});

describe("factory pause() (ForgeFactoryV2, by its owner)", () => {
  const chain = () => findChain(chainRegistry({ TF_ENV: "local" } as never), "local-eth")!;
  const factory = () => factoryForChain(chain()).factory as Address;
  const owner = () => chain().factoryOwner as Address;
  async function ownerSends(functionName: "pause" | "unpause") {
    const hash = await rpc<Hex>(ethUrl(), "eth_sendTransaction", [{ from: owner(), to: factory(), data: encodeFunctionData({ abi: forgeFactoryV2Abi, functionName }) }]);
    const client = createPublicClient({ transport: http(ethUrl()), pollingInterval: 100 });
    expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
  }

  it("makes createToken revert EnforcedPause(); a platform launch waits (no failure, no dead letter) and confirms after unpause", async () => {
    const client = createPublicClient({ transport: http(ethUrl()), pollingInterval: 100 });
    await ownerSends("pause");
    try {
      expect(await client.readContract({ address: factory(), abi: forgeFactoryV2Abi, functionName: "paused" })).toBe(true);
      // Anyone's createToken reverts EnforcedPause() (0xd93c0665) while the factory is paused.
      const deadline = (await client.getBlock()).timestamp + 600n;
      const params = { name: "X", symbol: "X", decimals: 18, owner: owner(), initialSupply: 1n, maxSupply: 0n, features: 0 };
      const err = await client.call({ account: owner(), to: factory(), data: encodeFunctionData({ abi: forgeFactoryV2Abi, functionName: "createToken", args: [`0x${"11".repeat(32)}`, params, owner(), deadline] }) }).then(() => null, (e: unknown) => e);
      expect(String((err as Error)?.message ?? err)).toMatch(/0xd93c0665|EnforcedPause/);

      const launch = await postLaunch(p, baseLaunch({ symbol: "FPAUSE" }));
      expect(launch.status).toBe(202);
      const id = launch.json.id as string;
      await waitFor(async () => p.logs.some((l) => l.includes('"deployer.factory_paused"') && l.includes(id)), 30_000);
      // Swept and redelivered past the queue's retries: still queued, never failed, never dead-lettered.
      for (let i = 0; i < 3; i++) {
        await sleep(1_200);
        await p.runCron();
      }
      await sleep(2_000);
      const v = await getLaunch(p, id);
      expect(v.status).toBe("queued");
      expect(v.events.map((e: any) => e.detail).join("\n")).toMatch(/factory on local-eth is paused/);
      expect(await deadLetterFor(id)).toEqual([]);

      await ownerSends("unpause");
      const [done] = await waitFinal(p, [id], 60_000, () => p.runCron());
      expect(done.status).toBe("confirmed");
      expect(await deadLetterFor(id)).toEqual([]);
    } finally {
      if (await client.readContract({ address: factory(), abi: forgeFactoryV2Abi, functionName: "paused" })) await ownerSends("unpause");
    }
  }, 180_000);
});

describe("the Ops page", () => {
  it("lets an operator pause a chain with a reason, lists it with since when, and resume it", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors = collectErrors(page);
      // The operator token (local environments), as typed on the page, kept in the tab's sessionStorage.
      await page.addInitScript((t) => sessionStorage.setItem("tokenforge.adminToken", t), p.adminToken);
      await page.goto(`${p.url}/ops`);
      await page.getByRole("heading", { name: "Emergency pause" }).waitFor({ timeout: 15_000 });
      await page.getByTestId("no-paused-chains").waitFor();
      await page.getByText("Pause a chain").click();
      await page.getByRole("textbox", { name: "Reason to pause local-bsc" }).fill("browser drill");
      await page.getByRole("button", { name: "Pause local-bsc" }).click();
      const row = page.getByTestId("paused-chains").locator('tr[data-chain="local-bsc"]');
      await row.waitFor({ timeout: 10_000 });
      expect(await row.innerText()).toContain("browser drill");
      expect(await row.innerText()).toContain(String(new Date().getUTCFullYear()));
      expect((await admin(p, "GET", "/chains")).json.chains.find((c: any) => c.chain === "local-bsc")).toMatchObject({ paused: true, reason: "browser drill" });
      expect((await postLaunch(p, baseLaunch({ chain: "local-bsc", symbol: "WEBP" }))).status).toBe(503);

      await page.getByRole("button", { name: "Resume local-bsc" }).click();
      await page.getByTestId("no-paused-chains").waitFor({ timeout: 10_000 });
      expect((await admin(p, "GET", "/chains")).json.chains.find((c: any) => c.chain === "local-bsc")).toMatchObject({ paused: false });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

const attemptsOf = async (id: string): Promise<number> => (await getLaunch(p, id)).attempts;

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(200);
  }
}
