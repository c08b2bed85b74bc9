// The deployer's three queue consumers in workerd, called through the Worker's
// default export as the queue runtime calls them, with real D1 (the migrations
// applied), the real Signer and ChainGate Durable Objects, a real anvil and the
// local Solana node. Each handler's regression fails here in seconds instead of
// in an end-to-end run. What a handler sends to a queue is read back from a
// recording producer that also passes it on (CONFIRM_DELAY_SECONDS is an hour
// here, so the real consumer never races the test for its rows).
import { createExecutionContext, createMessageBatch, env as testEnv, getQueueResult, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { ConfirmMessage, LaunchMessage } from "@tokenforge/core";
import { deriveMintAddress, generateKeypairSecret, keypairSigner } from "@tokenforge/core/solana/index";
import worker from "../src/index";
import type { Env } from "../src/env";
import {
  ensureFactory, eventsOf, freshDeployer, insertLaunch, launchRow, mined, recordingEnv, rpc, signerOf, type Deployer,
} from "./launch-fixtures";

let n = 0;
/** One delivery of `bodies` on `queue`, handled by the Worker's queue(); the runtime's ack/retry verdict. */
async function deliver<T extends LaunchMessage | ConfirmMessage>(queue: string, bodies: T[], workerEnv: Env, attempts = 1) {
  const batch = createMessageBatch<T>(queue, bodies.map((body) => ({ id: `msg-${n++}`, timestamp: new Date(), attempts, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<LaunchMessage | ConfirmMessage>, workerEnv);
  const result = await getQueueResult(batch, ctx);
  const ids = batch.messages.map((m) => m.id);
  return { result, ids };
}

let deployer: Deployer;
beforeAll(async () => {
  await ensureFactory();
  deployer = await freshDeployer();
  await signerOf(deployer);
});

describe("launches consumer (tf-launches)", () => {
  it("sends a queued launch: acked, the row submitted with the Signer's transaction, a confirmation queued", async () => {
    const row = await insertLaunch(deployer);
    const { env, confirmations } = recordingEnv();
    const { result, ids } = await deliver("tf-launches", [{ launchId: row.id }], env);

    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    const after = await launchRow(row.id);
    expect(after?.status).toBe("submitted");
    expect(after?.tx_hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(after?.attempts).toBe(1);
    // The transaction is the one the chain has, from this launch's deployer account (the Signer
    // broadcasts after answering: it reaches the node a moment later).
    await mined(after!.tx_hash!);
    const tx = await rpc<{ from: string; nonce: Hex } | null>("eth_getTransactionByHash", [after!.tx_hash]);
    expect(tx?.from.toLowerCase()).toBe(deployer.address.toLowerCase());
    expect(Number(tx!.nonce)).toBe(after!.nonce);
    expect(confirmations).toEqual([{ body: { launchId: row.id, checks: 0 }, delaySeconds: Number(env.CONFIRM_DELAY_SECONDS) }]);
  });

  it("skips a launch that is already final: acked, nothing sent, the row untouched", async () => {
    const row = await insertLaunch(deployer, { row: { status: "failed", errorType: "revert", errorDetail: "earlier" } });
    const { env, confirmations } = recordingEnv();
    const { result, ids } = await deliver("tf-launches", [{ launchId: row.id, reason: "sweep" }], env);

    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    const after = await launchRow(row.id);
    expect(after).toMatchObject({ status: "failed", error_type: "revert", attempts: 0, tx_hash: null });
    expect(confirmations).toEqual([]);
    expect(await rpc<Hex>("eth_getCode", [row.address, "latest"])).toBe("0x");
  });

  it("a first delivery is sent without a chain read first, yet one whose address already holds code the Signer never sent is not failed: looked at after its refused simulation, retried", async () => {
    const row = await insertLaunch(deployer);
    // Code at the launch's CREATE2 address that no transaction of this Signer put there: the factory's call reverts.
    await rpc("anvil_setCode", [row.address, "0x6000"]);
    const { env, confirmations, webhooks } = recordingEnv();
    const { result, ids } = await deliver("tf-launches", [{ launchId: row.id, reason: "created" }], env);

    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toEqual([{ msgId: ids[0] }]);
    expect(await launchRow(row.id)).toMatchObject({ status: "queued", tx_hash: null });
    expect(confirmations).toEqual([]);
    expect(webhooks).toEqual([]);
  });

  it("fails a launch whose parameters the token refuses (initial supply over the cap) for good: acked, failed as a revert, announced", async () => {
    const row = await insertLaunch(deployer, { request: { initialSupply: "1000", maxSupply: "10" } });
    const { env, confirmations, webhooks, announcements } = recordingEnv();
    const { result, ids } = await deliver("tf-launches", [{ launchId: row.id }], env);

    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    const after = await launchRow(row.id);
    expect(after?.status).toBe("failed");
    expect(after?.error_type).toBe("revert");
    expect(after?.tx_hash).toBeNull(); // simulated before a nonce was taken: no transaction
    expect(confirmations).toEqual([]);
    expect(webhooks.map((w) => w.body)).toEqual([expect.objectContaining({ type: "launch.failed", launchId: row.id })]);
    expect(announcements).toEqual([]); // only confirmed launches are announced
  });
});

/** A launch the launches consumer has submitted (automine: its transaction is in a block already). */
async function submittedLaunch() {
  const row = await insertLaunch(deployer);
  await deliver("tf-launches", [{ launchId: row.id }], recordingEnv().env);
  const after = await launchRow(row.id);
  expect(after?.status).toBe("submitted");
  await mined(after!.tx_hash!);
  return { ...row, txHash: after!.tx_hash! };
}

describe("launches consumer, redelivered (tf-launches)", () => {
  it("confirms a launch whose token is already on chain from the receipt it finds, without a second transaction", async () => {
    const row = await submittedLaunch();
    const sentBefore = await rpc<Hex>("eth_getTransactionCount", [deployer.address, "latest"]);
    const { env, confirmations, webhooks } = recordingEnv();
    const { result, ids } = await deliver("tf-launches", [{ launchId: row.id, reason: "sweep" }], env, 2);

    expect(result.explicitAcks).toEqual(ids);
    expect(await launchRow(row.id)).toMatchObject({ status: "confirmed", tx_hash: row.txHash });
    expect(await rpc<Hex>("eth_getTransactionCount", [deployer.address, "latest"])).toBe(sentBefore);
    expect(confirmations).toEqual([]);
    expect(webhooks.map((w) => w.body)).toEqual([expect.objectContaining({ type: "launch.confirmed", launchId: row.id })]);
  });
});

describe("confirmations consumer (tf-confirmations)", () => {
  it("confirms a submitted launch from its receipt: acked, the row confirmed at the receipt's block, a token row, announced, the Signer settled", async () => {
    const row = await submittedLaunch();
    const receipt = await mined(row.txHash);
    const { env, webhooks, announcements } = recordingEnv();
    const { result, ids } = await deliver("tf-confirmations", [{ launchId: row.id, checks: 0 }], env);

    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    // Confirmed: on tf-announcements too, for the Discord/Telegram posts.
    expect(announcements.map((a) => a.body)).toEqual([expect.objectContaining({ kind: "launch", launchId: row.id })]);
    const after = await launchRow(row.id);
    expect(after?.status).toBe("confirmed");
    expect(after?.block_number).toBe(Number(receipt.blockNumber));
    const token = await env.DB.prepare("SELECT name, symbol, owner FROM tokens WHERE launch_id = ?").bind(row.id).first<{ name: string; symbol: string; owner: string }>();
    expect(token).toMatchObject({ name: "Workerd Test", symbol: "WKT" });
    expect(webhooks.map((w) => w.body)).toEqual([expect.objectContaining({ type: "launch.confirmed", launchId: row.id })]);
    // The Signer moved the transaction from in flight to settled.
    const held = await runInDurableObject(await signerOf(deployer), (_, state) => ({
      inflight: state.storage.sql.exec("SELECT hash FROM inflight WHERE launch_id = ?", row.id).toArray(),
      settled: state.storage.sql.exec("SELECT hash FROM settled WHERE launch_id = ?", row.id).toArray(),
    }));
    expect(held).toEqual({ inflight: [], settled: [{ hash: row.txHash }] });
  });

  it("hands a final launch's credits and webhooks to waitUntil: the batch's acks do not wait on them", async () => {
    const row = await submittedLaunch();
    await mined(row.txHash);
    const { env, webhooks } = recordingEnv();
    const batch = createMessageBatch<ConfirmMessage>("tf-confirmations", [{ id: `msg-${n++}`, timestamp: new Date(), attempts: 1, body: { launchId: row.id, checks: 0 } }]);
    const handed: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void handed.push(p), passThroughOnException: () => undefined } as unknown as ExecutionContext;
    await worker.queue(batch as MessageBatch<LaunchMessage | ConfirmMessage>, env, ctx);

    expect((await launchRow(row.id))?.status).toBe("confirmed");
    expect(handed).toHaveLength(1);
    await Promise.all(handed);
    expect(webhooks.map((w) => w.body)).toEqual([expect.objectContaining({ type: "launch.confirmed", launchId: row.id })]);
  });

  it("retries a launch whose transaction is not mined yet and leaves it submitted", async () => {
    // A real pending transaction: signed with a nonce above the account's next, the node holds it unmined.
    const idle = privateKeyToAccount(deployer.key);
    const next = Number(await rpc<Hex>("eth_getTransactionCount", [idle.address, "pending"]));
    const raw = await idle.signTransaction({ chainId: 31337, type: "eip1559", nonce: next + 50, to: idle.address, value: 0n, gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n });
    const hash = await rpc<Hex>("eth_sendRawTransaction", [raw]);
    const row = await insertLaunch(deployer, { row: { status: "submitted", txHash: hash, nonce: next + 50, attempts: 1 } });
    const { env, webhooks } = recordingEnv();
    const { result, ids } = await deliver("tf-confirmations", [{ launchId: row.id, checks: 0 }], env);

    expect(result.explicitAcks).toEqual([]);
    // (The pool's MessageBatch records a retry without its delay, so the delay is not asserted.)
    expect(result.retryMessages).toEqual([{ msgId: ids[0] }]);
    expect((await launchRow(row.id))?.status).toBe("submitted");
    expect(webhooks).toEqual([]);
  });

  it("leaves a launch that is final already alone (a late confirmation of a failed one): acked, untouched, not announced again", async () => {
    const txHash = `0x${"cd".repeat(32)}`;
    const row = await insertLaunch(deployer, { row: { status: "failed", txHash, errorType: "dead-letter", errorDetail: "gave up", attempts: 9 } });
    const { env, webhooks } = recordingEnv();
    const { result, ids } = await deliver("tf-confirmations", [{ launchId: row.id, checks: 3 }], env);

    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    expect(await launchRow(row.id)).toMatchObject({ status: "failed", error_type: "dead-letter", tx_hash: txHash, attempts: 9 });
    expect(webhooks).toEqual([]);
  });
});

describe("dead-letters consumer (tf-launches-dlq)", () => {
  it("fails a queued launch whose retries ran out: a dead-letter row, failed as dead-letter with the last error, announced", async () => {
    const row = await insertLaunch(deployer, { row: { attempts: 8, errorDetail: "fetch failed" } });
    const { env, webhooks } = recordingEnv();
    const { result, ids } = await deliver("tf-launches-dlq", [{ launchId: row.id }], env, 9);

    expect(result.explicitAcks).toEqual(ids);
    const after = await launchRow(row.id);
    expect(after?.status).toBe("failed");
    expect(after?.error_type).toBe("dead-letter");
    expect(after?.error_detail).toBe("gave up after 9 attempts: fetch failed");
    const dead = await env.DB.prepare("SELECT queue, reason, attempts FROM dead_letters WHERE launch_id = ?").bind(row.id).all();
    expect(dead.results).toEqual([{ queue: "tf-launches-dlq", reason: "gave up after 9 attempts: fetch failed", attempts: 9 }]);
    expect(webhooks.map((w) => w.body)).toEqual([expect.objectContaining({ type: "launch.failed", launchId: row.id })]);
  });

  it("keeps a submitted launch whose transaction may still land: not failed, no dead-letter row, a note in its history", async () => {
    const row = await insertLaunch(deployer, { row: { status: "submitted", txHash: `0x${"ab".repeat(32)}`, attempts: 8 } });
    const { env, webhooks } = recordingEnv();
    const { result, ids } = await deliver("tf-launches-dlq", [{ launchId: row.id }], env, 9);

    expect(result.explicitAcks).toEqual(ids);
    expect((await launchRow(row.id))?.status).toBe("submitted");
    const dead = await env.DB.prepare("SELECT COUNT(*) AS n FROM dead_letters WHERE launch_id = ?").bind(row.id).first<{ n: number }>();
    expect(dead?.n).toBe(0);
    expect(webhooks).toEqual([]);
    expect((await eventsOf(row.id)).at(-1)?.detail).toMatch(/may still land/);
  });
});

describe("Solana launch through the consumers (local-sol: the litesvm node of the global setup)", () => {
  it("sends a queued launch (submitted with its signature, a confirmation queued), then confirms it once its signature is confirmed", async () => {
    const feePayer = await keypairSigner(testEnv.SOLANA_FEE_PAYER_KEY);
    const owner = (await generateKeypairSecret()).address;
    const row = await insertLaunch(feePayer, {
      request: { chain: "local-sol", name: "Forge Sol", symbol: "FSOL", decimals: 6, initialSupply: "1000000", owner, features: { mintable: false, burnable: true, pausable: false, permit: false, freezable: false } },
      addressOf: (id) => deriveMintAddress(testEnv.MINT_SEED_SECRET, id),
    });
    const sent = recordingEnv();
    const first = await deliver("tf-launches", [{ launchId: row.id }], sent.env);

    expect(first.result.explicitAcks).toEqual(first.ids);
    const submitted = await launchRow(row.id);
    expect(submitted?.status).toBe("submitted");
    expect(submitted?.tx_hash).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/); // a base58 signature
    expect(sent.confirmations.map((c) => c.body)).toEqual([{ launchId: row.id, checks: 0 }]);

    // The node confirms a slot or two later: until then the message comes back.
    let acked = false;
    let webhooks: unknown[] = [];
    for (let i = 0; i < 40 && !acked; i++) {
      const confirming = recordingEnv();
      const { result } = await deliver("tf-confirmations", [{ launchId: row.id, checks: i }], confirming.env);
      acked = result.explicitAcks.length === 1;
      webhooks = confirming.webhooks.map((w) => w.body);
      if (!acked) await new Promise((r) => setTimeout(r, 200));
    }
    expect(acked).toBe(true);
    expect(await launchRow(row.id)).toMatchObject({ status: "confirmed", tx_hash: submitted!.tx_hash });
    const token = await testEnv.DB.prepare("SELECT name, symbol, decimals, owner FROM tokens WHERE launch_id = ?").bind(row.id).first();
    expect(token).toEqual({ name: "Forge Sol", symbol: "FSOL", decimals: 6, owner });
    expect(webhooks).toEqual([expect.objectContaining({ type: "launch.confirmed", launchId: row.id })]);
  });
});
