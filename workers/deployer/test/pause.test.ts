// The launches consumer and the emergency pause (issue 16), in workerd with real D1, the
// real Signer and a real anvil: the launches of a paused chain stay queued — their
// messages acked, no queue retry and no attempt spent, nothing sent — while other chains
// in the same batch are sent; once the chain is resumed the same message sends it.
import { createExecutionContext, createMessageBatch, env as testEnv, getQueueResult } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Hex } from "viem";
import type { LaunchMessage } from "@tokenforge/core";
import worker from "../src/index";
import type { Env } from "../src/env";
import { ensureFactory, eventsOf, freshDeployer, insertLaunch, launchRow, recordingEnv, rpc, signerOf, type Deployer } from "./launch-fixtures";

const db = (testEnv as unknown as Env).DB;
let n = 0;
async function deliver(bodies: LaunchMessage[], workerEnv: Env, attempts = 1) {
  const batch = createMessageBatch<LaunchMessage>("tf-launches", bodies.map((body) => ({ id: `pause-${n++}`, timestamp: new Date(), attempts, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<never>, workerEnv);
  return { result: await getQueueResult(batch, ctx), ids: batch.messages.map((m) => m.id) };
}

const pause = (chain: string) =>
  db.prepare("INSERT INTO chain_settings (chain, paused, paused_at, paused_by, pause_reason, updated_at) VALUES (?1, 1, ?2, 'admin-token', 'test', ?2) ON CONFLICT (chain) DO UPDATE SET paused = 1")
    .bind(chain, Date.now()).run();
const resume = (chain: string) => db.prepare("UPDATE chain_settings SET paused = 0 WHERE chain = ?").bind(chain).run();

let deployer: Deployer;
beforeAll(async () => {
  await ensureFactory();
  deployer = await freshDeployer();
  await signerOf(deployer);
});
afterEach(async () => {
  await db.prepare("DELETE FROM chain_settings").run();
});

describe("launches consumer while a chain is paused", () => {
  it("acks a paused chain's launch on its last delivery without a retry, an attempt or a transaction; the same batch's other chain is sent", async () => {
    const held = await insertLaunch(deployer);
    const other = await insertLaunch(deployer, { request: { chain: "local-bsc" } });
    await pause("local-eth");
    const nonceBefore = await rpc<Hex>("eth_getTransactionCount", [deployer.address, "latest"]);
    const { env, confirmations } = recordingEnv();
    // attempts = 9: the queue's last delivery (max_retries 8); a retry here would be a dead letter.
    const { result, ids } = await deliver([{ launchId: held.id, reason: "created" }], env, 9);

    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    expect(await launchRow(held.id)).toMatchObject({ status: "queued", attempts: 0, tx_hash: null, error_detail: null });
    expect(await eventsOf(held.id)).toEqual([]);
    expect(confirmations).toEqual([]);
    expect(await rpc<Hex>("eth_getTransactionCount", [deployer.address, "latest"])).toBe(nonceBefore);
    expect(await rpc<Hex>("eth_getCode", [held.address, "latest"])).toBe("0x");

    // Another chain paused, this one open: a batch with both sends only this chain's launch.
    await resume("local-eth");
    await pause("local-bsc");
    const both = await deliver([{ launchId: held.id, reason: "resume" }, { launchId: other.id, reason: "created" }], env);
    expect(both.result.explicitAcks.sort()).toEqual(both.ids.sort());
    expect(both.result.retryMessages).toEqual([]);
    expect((await launchRow(held.id))?.status).toBe("submitted");
    expect(await launchRow(other.id)).toMatchObject({ status: "queued", attempts: 0, tx_hash: null });
    expect(confirmations.map((c) => c.body.launchId)).toEqual([held.id]);
  });
});
