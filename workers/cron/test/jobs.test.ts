// The cron Worker's jobs in workerd, run through its own entries (the cron
// trigger's scheduled() and POST /run) with real D1 and KV, a real anvil behind
// the real ChainGate: the sweep and its reconciliation with the chain, the reorg
// check, the fee refresh and the endpoint probes. Each run is all jobs at once,
// as in production; each test looks at what its job did.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Hex } from "viem";
import { encodeFunctionData } from "viem";
import { factoryForChain, forgeFactoryV2Abi } from "@tokenforge/core/contracts/factory";
import { chainRegistry, feesKey, newId, type ChainFees, type ConfirmMessage, type LaunchMessage, type WatchMessage } from "@tokenforge/core";
import worker from "../src/index";
import type { Env } from "../src/env";

const anvil = env.TEST_ANVIL_URL;
const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

async function rpc<T>(method: string, params: unknown[], url = anvil): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result: T; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

/** A real producer whose sends the test can read back (they still go to the queue). */
function recorded<T>(queue: Queue<T>) {
  const sent: T[] = [];
  const producer = {
    send: async (body: T, opts?: QueueSendOptions) => (sent.push(body), queue.send(body, opts)),
    sendBatch: async (messages: Iterable<MessageSendRequest<T>>, opts?: QueueSendBatchOptions) => {
      const list = [...messages];
      sent.push(...list.map((m) => m.body));
      return queue.sendBatch(list, opts);
    },
  } as Queue<T>;
  return { producer, sent };
}

/** The cron's env with what it sends to the deployer's queues recorded. */
function cronEnv() {
  const base = env as unknown as Env;
  const launches = recorded<LaunchMessage>(base.LAUNCHES);
  const confirmations = recorded<ConfirmMessage>(base.CONFIRMATIONS);
  const watch = recorded<WatchMessage>(base.WATCH);
  return { env: { ...base, LAUNCHES: launches.producer, CONFIRMATIONS: confirmations.producer, WATCH: watch.producer } as Env, launches: launches.sent, confirmations: confirmations.sent, watch: watch.sent };
}

type RunResult = { sweep: { requeued: number; confirming: number; handedBack: number }; fees: { updated: number }; settings: { updated: number; failed: number }; probes: { probed: number; failed: number; skipped: number }; reorgs: { reorged: number } };

/** One run of every job, as the api's service binding (and `npm start`) asks for it. */
async function run(workerEnv: Env): Promise<RunResult> {
  const req = new Request("http://cron/run", { method: "POST" }) as Request<unknown, IncomingRequestCfProperties>;
  const res = await worker.fetch(req, workerEnv);
  expect(res.status).toBe(200);
  return res.json();
}

async function insertLaunch(row: { status: string; updatedAt: number; txHash?: string | null; blockNumber?: number | null; address?: string; chain?: string; paymentMode?: "platform" | "wallet" }) {
  const id = newId("lch");
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO users (id, wallet_address, role, created_at) VALUES ('usr_cron', '0xcron', 'user', 0)"),
    env.DB.prepare(
      `INSERT INTO launches (id, creator_id, chain, owner, request, deployer, status, address, tx_hash, block_number, attempts, request_hash, created_at, updated_at, payment_mode)
       VALUES (?, 'usr_cron', ?, ?, '{}', ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
    ).bind(id, row.chain ?? "local-eth", OWNER, OWNER, row.status, row.address ?? OWNER, row.txHash ?? null, row.blockNumber ?? null, `h-${id}`, row.updatedAt - 1000, row.updatedAt, row.paymentMode ?? "platform"),
  ]);
  return id;
}

const launch = (id: string) => env.DB.prepare("SELECT status, updated_at, block_number FROM launches WHERE id = ?").bind(id).first<{ status: string; updated_at: number; block_number: number | null }>();

/** A transaction anvil has mined (automine), from one of its dev accounts. */
async function minedTx(): Promise<Hex> {
  const [from] = await rpc<string[]>("eth_accounts", []);
  return rpc<Hex>("eth_sendTransaction", [{ from, to: OWNER, value: "0x1" }]);
}

describe("sweep (scheduled)", () => {
  it("puts a launch that has not moved for the stale window back on tf-launches, once, and leaves a fresh or final one", async () => {
    const stale = await insertLaunch({ status: "queued", updatedAt: Date.now() - 120_000 });
    const fresh = await insertLaunch({ status: "queued", updatedAt: Date.now() });
    const done = await insertLaunch({ status: "failed", updatedAt: Date.now() - 120_000 });
    const { env: cron, launches } = cronEnv();

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), cron, ctx);
    await waitOnExecutionContext(ctx);

    const mine = launches.filter((m) => [stale, fresh, done].includes(m.launchId));
    expect(mine).toEqual([{ launchId: stale, reason: "sweep" }]);
    // Claimed: its updated_at moved, so the next run waits a full window before sending it again.
    expect((await launch(stale))!.updated_at).toBeGreaterThan(Date.now() - 10_000);
    expect((await launch(stale))!.status).toBe("queued");
    const again = cronEnv();
    await run(again.env);
    expect(again.launches.filter((m) => m.launchId === stale)).toEqual([]);
  });

  it("reconciles stale submitted launches with the chain: mined or pending → tf-confirmations, unknown → back to the Signer", async () => {
    const old = Date.now() - 120_000;
    const mined = await insertLaunch({ status: "submitted", updatedAt: old, txHash: await minedTx() });
    const unknown = await insertLaunch({ status: "submitted", updatedAt: old, txHash: `0x${"ee".repeat(32)}` });
    // A transaction the node holds but cannot mine yet (a nonce gap): pending.
    const [, , from] = await rpc<string[]>("eth_accounts", []);
    const next = Number(await rpc<Hex>("eth_getTransactionCount", [from, "pending"]));
    const pendingHash = await rpc<Hex>("eth_sendTransaction", [{ from, to: OWNER, value: "0x1", nonce: `0x${(next + 10).toString(16)}` }]);
    const pending = await insertLaunch({ status: "submitted", updatedAt: old, txHash: pendingHash });
    const { env: cron, launches, confirmations } = cronEnv();

    await run(cron);

    expect(confirmations.filter((m) => [mined, pending, unknown].includes(m.launchId)).map((m) => m.launchId).sort()).toEqual([mined, pending].sort());
    expect(launches.filter((m) => [mined, pending, unknown].includes(m.launchId))).toEqual([{ launchId: unknown, reason: "reconcile" }]);
    for (const id of [mined, pending, unknown]) expect((await launch(id))!.status).toBe("submitted");
  });
});

describe("sweep and reorg of wallet-paid launches", () => {
  it("re-drives a quiet awaiting-payment launch on tf-watch, never on tf-launches", async () => {
    const quiet = await insertLaunch({ status: "awaiting_payment", updatedAt: Date.now() - 120_000, paymentMode: "wallet" });
    const watched = await insertLaunch({ status: "awaiting_payment", updatedAt: Date.now(), paymentMode: "wallet" });
    const { env: cron, launches, watch } = cronEnv();
    await run(cron);
    expect(watch.filter((m) => [quiet, watched].includes(m.launchId))).toEqual([{ launchId: quiet, reason: "sweep" }]);
    expect(launches.filter((m) => [quiet, watched].includes(m.launchId))).toEqual([]);
    expect((await launch(quiet))!.status).toBe("awaiting_payment");
  });

  it("watches a wallet launch whose token vanished again (awaiting_payment), without handing it to the sender", async () => {
    const head = Number(await rpc<Hex>("eth_blockNumber", []));
    const vanished = await insertLaunch({ status: "confirmed", updatedAt: Date.now(), blockNumber: head, address: "0x000000000000000000000000000000000000bEEF", paymentMode: "wallet" });
    const { env: cron, launches, watch } = cronEnv();
    await run(cron);
    expect(await launch(vanished)).toMatchObject({ status: "awaiting_payment", block_number: null });
    expect(watch.filter((m) => m.launchId === vanished)).toEqual([{ launchId: vanished, reason: "rewatch" }]);
    expect(launches.filter((m) => m.launchId === vanished)).toEqual([]);
  });
});

describe("sweep and the emergency pause", () => {
  it("skips the launches of a paused chain (not sent, not touched) and takes them again once the chain is resumed", async () => {
    const old = Date.now() - 120_000;
    const onPaused = await insertLaunch({ status: "queued", updatedAt: old, chain: "local-bsc" });
    const submittedOnPaused = await insertLaunch({ status: "submitted", updatedAt: old, chain: "local-bsc", txHash: `0x${"ab".repeat(32)}` });
    const onOpen = await insertLaunch({ status: "queued", updatedAt: old, chain: "local-eth" });
    await env.DB.prepare("INSERT INTO chain_settings (chain, paused, paused_at, paused_by, pause_reason, updated_at) VALUES ('local-bsc', 1, ?1, 'admin-token', 'test', ?1)").bind(Date.now()).run();
    try {
      const { env: cron, launches, confirmations } = cronEnv();
      await run(cron);
      const mine = (ids: string[]) => launches.filter((m) => ids.includes(m.launchId));
      expect(mine([onPaused, submittedOnPaused, onOpen])).toEqual([{ launchId: onOpen, reason: "sweep" }]);
      expect(confirmations.filter((m) => m.launchId === submittedOnPaused)).toEqual([]);
      expect((await launch(onPaused))!.updated_at).toBe(old);
      expect((await launch(submittedOnPaused))!.updated_at).toBe(old);

      await env.DB.prepare("UPDATE chain_settings SET paused = 0 WHERE chain = 'local-bsc'").run();
      const after = cronEnv();
      await run(after.env);
      expect(after.launches.filter((m) => m.launchId === onPaused)).toEqual([{ launchId: onPaused, reason: "sweep" }]);
    } finally {
      await env.DB.prepare("DELETE FROM chain_settings WHERE chain = 'local-bsc'").run();
    }
  });
});

describe("reorg check", () => {
  it("sends a confirmed launch whose token is gone back to queued (token row removed, history says why) and keeps one whose token is there", async () => {
    const head = Number(await rpc<Hex>("eth_blockNumber", []));
    // No code at this address: the token vanished. The deterministic deployer's address has code since genesis.
    const gone = "0x000000000000000000000000000000000000dEaD";
    const vanished = await insertLaunch({ status: "confirmed", updatedAt: Date.now(), blockNumber: head, address: gone });
    const present = await insertLaunch({ status: "confirmed", updatedAt: Date.now(), blockNumber: head, address: "0x4e59b44847b379578588920cA78FbF26c0B4956C" });
    await env.DB.prepare(
      "INSERT INTO tokens (chain, address, launch_id, name, symbol, decimals, total_supply, owner, features, created_at) VALUES ('local-eth', ?, ?, 'Gone', 'GONE', 18, '1', ?, '{}', 0)",
    ).bind(gone, vanished, OWNER).run();
    const { env: cron, launches } = cronEnv();

    const out = await run(cron);

    expect(out.reorgs.reorged).toBeGreaterThanOrEqual(1);
    expect(await launch(vanished)).toMatchObject({ status: "queued", block_number: null });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM tokens WHERE launch_id = ?").bind(vanished).first("n")).toBe(0);
    const event = await env.DB.prepare("SELECT status, detail FROM launch_events WHERE launch_id = ? ORDER BY id DESC").bind(vanished).first<{ status: string; detail: string }>();
    expect(event).toMatchObject({ status: "queued", detail: expect.stringMatching(/^reorg: the token at 0x000000000000000000000000000000000000dEaD/) });
    expect(launches.filter((m) => [vanished, present].includes(m.launchId))).toEqual([{ launchId: vanished, reason: "reorg" }]);
    expect(await launch(present)).toMatchObject({ status: "confirmed", block_number: head });
  });
});

describe("fees", () => {
  it("writes each chain's gas price and launch cost to KV from the chain, and skips a chain whose endpoint is down", async () => {
    await env.CACHE.delete(feesKey("local-eth"));
    await env.CACHE.delete(feesKey("local-bsc"));
    const out = await run(cronEnv().env);
    const [gasPrice, tip] = await Promise.all([rpc<Hex>("eth_gasPrice", []), rpc<Hex>("eth_maxPriorityFeePerGas", [])]);

    expect(out.fees.updated).toBe(2); // local-eth from anvil, local-sol's fixed estimate; local-bsc is down
    const eth = await env.CACHE.get<ChainFees>(feesKey("local-eth"), "json");
    expect(eth?.gasPrice).toBe((BigInt(gasPrice) + BigInt(tip)).toString());
    expect(BigInt(eth!.estimatedCost)).toBe(BigInt(eth!.gasPrice) * BigInt(eth!.launchUnits));
    expect(await env.CACHE.get(feesKey("local-bsc"))).toBeNull();
    expect(await env.CACHE.get<ChainFees>(feesKey("local-sol"), "json")).toMatchObject({ chain: "local-sol" });
  });
});

describe("chain settings", () => {
  type Row = { chain: string; platform_fee: string | null; treasury: string | null; fee_read_at: number | null; paused: number };
  const row = (chain: string) => env.DB.prepare("SELECT chain, platform_fee, treasury, fee_read_at, paused FROM chain_settings WHERE chain = ?").bind(chain).first<Row>();
  const localEth = chainRegistry(env as unknown as Env).find((c) => c.id === "local-eth")!;
  const { factory } = factoryForChain(localEth);

  /** The factory's owner (unlocked on anvil) changes the fee, as the owner's Safe does in production. */
  async function setFee(wei: bigint) {
    const hash = await rpc<Hex>("eth_sendTransaction", [{ from: localEth.factoryOwner, to: factory, data: encodeFunctionData({ abi: forgeFactoryV2Abi, functionName: "setFee", args: [wei] }) }]);
    const receipt = await rpc<{ status: string }>("eth_getTransactionReceipt", [hash]);
    expect(receipt.status).toBe("0x1");
  }

  it("writes each v2 factory's fee() and treasury() and Solana's registry fee to chain_settings, follows a fee change on chain, and keeps the pause columns", async () => {
    const before = Date.now();
    const first = await run(cronEnv().env);
    // local-eth from its factory, local-sol from the registry; local-bsc's endpoint is down (its row is not written).
    expect(first.settings).toEqual({ updated: 2, failed: 1 });
    expect(await row("local-eth")).toMatchObject({ platform_fee: env.TEST_FACTORY_FEE, treasury: env.TEST_TREASURY, paused: 0 });
    expect((await row("local-eth"))!.fee_read_at).toBeGreaterThanOrEqual(before);
    const sol = chainRegistry(env as unknown as Env).find((c) => c.id === "local-sol")!;
    expect(await row("local-sol")).toMatchObject({ platform_fee: sol.platformFee, treasury: sol.treasury });
    expect(await row("local-bsc")).toBeNull();

    // An operator paused the chain meanwhile: the fee upsert must not undo it.
    await env.DB.prepare("UPDATE chain_settings SET paused = 1, pause_reason = 'test' WHERE chain = 'local-eth'").run();
    const changed = BigInt(env.TEST_FACTORY_FEE) * 2n;
    await setFee(changed);
    try {
      const readBefore = (await row("local-eth"))!.fee_read_at!;
      await run(cronEnv().env);
      const after = (await row("local-eth"))!;
      expect(after).toMatchObject({ platform_fee: changed.toString(), treasury: env.TEST_TREASURY, paused: 1 });
      expect(after.fee_read_at!).toBeGreaterThanOrEqual(readBefore);
    } finally {
      await setFee(BigInt(env.TEST_FACTORY_FEE));
      await env.DB.prepare("UPDATE chain_settings SET paused = 0, pause_reason = NULL WHERE chain = 'local-eth'").run();
    }
  });
});

describe("probe", () => {
  const gate = (chain: string) => env.CHAIN_GATE.get(env.CHAIN_GATE.idFromName(chain));

  it("probes every endpoint and records each one's health in its chain's ChainGate", async () => {
    const [solBefore, ethBefore] = await Promise.all([gate("local-sol").snapshot("local-sol"), gate("local-eth").snapshot("local-eth")]);
    // local-eth's primary (the fault proxy) answers 500 for this run; its secondary is anvil itself.
    await fetch(`${env.TEST_PROXY_URL}/__control`, { method: "POST", body: JSON.stringify({ mode: "fail500", forMs: 30_000 }) });
    try {
      const out = await run(cronEnv().env);
      // eth primary, bsc and both of sol's endpoints down; eth secondary up
      expect(out.probes).toEqual({ probed: 5, failed: 4, skipped: 0 });
    } finally {
      await fetch(`${env.TEST_PROXY_URL}/__control/reset`, { method: "POST" });
    }
    const [sol, eth] = await Promise.all([gate("local-sol").snapshot("local-sol"), gate("local-eth").snapshot("local-eth")]);
    // Only the probe calls local-sol's endpoints: one call and one failure each, recorded.
    expect(sol.endpoints.length).toBe(2);
    for (const [i, e] of sol.endpoints.entries()) {
      expect(e.calls - solBefore.endpoints[i]!.calls).toBe(1);
      expect(e.failures - solBefore.endpoints[i]!.failures).toBe(1);
    }
    expect(eth.endpoints[0]!.failures).toBeGreaterThan(ethBefore.endpoints[0]!.failures);
    expect(eth.endpoints[1]!.calls).toBeGreaterThan(ethBefore.endpoints[1]!.calls);
    expect(eth.endpoints[1]!.failures).toBe(ethBefore.endpoints[1]!.failures);
  });
});
