// The launches queue consumer: for each launch not yet final, either finds its
// token already on chain (a redelivery) or has the Signer send the factory call.
// It never waits for a receipt: confirmation is the confirmations queue's job.
import { encodeFunctionData, type Address, type Hex } from "viem";
import { log, type LaunchMessage, type LaunchRequest, type ChainConfig } from "@tokenforge/core";
import { evmTokenParams } from "@tokenforge/core/launch-evm";
import { launchIdToBytes32 } from "@tokenforge/core/evm/token-address";
import { factoryAddress } from "@tokenforge/core/contracts/factory";
import { forgeFactoryAbi } from "@tokenforge/core/contracts/artifacts";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { Env } from "./env";
import { evmClient, getChain } from "./chain-client";
import { applyChanges, loadLaunches, type Change } from "./store";
import { announceFinal } from "./announce";
import { signerFor } from "./signer.do";
import { backoffSeconds } from "./errors";
import { confirmedChange, findCreation } from "./confirm";
import { readToken, tokenMismatches } from "./verify";
import { sendSolana } from "./solana/send";

export async function handleLaunches(batch: MessageBatch<LaunchMessage>, env: Env): Promise<void> {
  const t0 = Date.now();
  const rows = await loadLaunches(env.DB, batch.messages.map((m) => m.body.launchId));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const changes: Change[] = [];
  const toConfirm: string[] = [];
  const retry = new Map<string, number>(); // launchId → delay seconds

  const byChain = new Map<string, LaunchRow[]>();
  for (const row of rows) {
    if (row.status === "confirmed" || row.status === "failed") continue;
    // Submitted ones too: the Signer answers with the transaction it already has,
    // or sends again if that one can never land (its nonce was taken).
    byChain.set(row.chain, [...(byChain.get(row.chain) ?? []), row]);
  }

  await Promise.all(
    [...byChain].map(async ([chainId, chainRows]) => {
      try {
        const chain = getChain(env, chainId);
        const out = chain.family === "solana" ? await sendSolana(env, chain, chainRows) : await sendEvm(env, chain, chainRows);
        changes.push(...out.changes);
        toConfirm.push(...out.toConfirm);
        for (const [id, d] of out.retry) retry.set(id, d);
      } catch (e) {
        log("error", "deployer.chain_batch_failed", { chain: chainId, error: e, launches: chainRows.length });
        for (const r of chainRows) retry.set(r.id, backoffSeconds(r.attempts + 1));
      }
    }),
  );

  const tSent = Date.now();
  await announceFinal(env, await applyChanges(env.DB, changes));
  if (toConfirm.length) {
    const delaySeconds = Number(env.CONFIRM_DELAY_SECONDS ?? "1");
    await env.CONFIRMATIONS.sendBatch([...new Set(toConfirm)].map((launchId) => ({ body: { launchId, checks: 0 }, delaySeconds })));
  }
  log("info", "deployer.batch", { queue: batch.queue, messages: batch.messages.length, submitted: toConfirm.length, retried: retry.size, sendMs: tSent - t0, totalMs: Date.now() - t0 });
  for (const m of batch.messages) {
    const delay = retry.get(m.body.launchId);
    if (delay !== undefined && byId.has(m.body.launchId)) m.retry({ delaySeconds: delay });
    else m.ack();
  }
}

async function sendEvm(env: Env, chain: ChainConfig, rows: LaunchRow[]) {
  const client = evmClient(chain);
  const changes: Change[] = [];
  const toConfirm: string[] = [];
  const retry = new Map<string, number>();

  // A token already at its address means an earlier delivery deployed it.
  const codes = await Promise.all(rows.map((r) => client.getCode({ address: r.address as Address })));
  const toSend: LaunchRow[] = [];
  await Promise.all(
    rows.map(async (row, i) => {
      if (!codes[i] || codes[i] === "0x") return void toSend.push(row);
      const req = JSON.parse(row.request) as LaunchRequest;
      const facts = await readToken(client, row.address as Address);
      const mismatch = tokenMismatches(facts, req);
      if (mismatch.length) {
        changes.push({ kind: "failed", launchId: row.id, errorType: "verification", detail: `the token at ${row.address} differs: ${mismatch.join(", ")}` });
        return;
      }
      const creation = await findCreation(client, row);
      changes.push(confirmedChange(chain, row, req, facts, creation));
      log("info", "deployer.already_deployed", { launchId: row.id, chain: chain.id, outcome: "confirmed" });
    }),
  );
  if (!toSend.length) return { changes, toConfirm, retry };

  const signer = signerFor(env, chain.id, rows[0]!.deployer);
  const results = await signer.send(
    chain.id,
    toSend.map((row) => ({ launchId: row.id, to: factoryAddress as Hex, data: factoryCall(row), tokenAddress: row.address })),
  );
  for (const r of results) {
    const row = toSend.find((x) => x.id === r.launchId)!;
    if (r.ok) {
      changes.push({ kind: "submitted", launchId: r.launchId, txHash: r.hash, nonce: r.nonce, detail: `tx ${r.hash} nonce ${r.nonce}` });
      toConfirm.push(r.launchId);
      log("info", "deployer.submitted", { launchId: r.launchId, chain: chain.id, txHash: r.hash, nonce: r.nonce, attempt: row.attempts + 1, outcome: "submitted" });
    } else if (r.error.permanent) {
      changes.push({ kind: "failed", launchId: r.launchId, errorType: r.error.kind, detail: r.error.message });
      log("warn", "deployer.failed", { launchId: r.launchId, chain: chain.id, kind: r.error.kind, error: r.error.message, outcome: "failed" });
    } else if (r.error.kind === "insufficient-funds") {
      // Launches wait for funds, they do not fail: the row stays queued and the
      // sweep brings it back; no queue retry is spent (the Signer logged the error).
      changes.push({ kind: "attempt", launchId: r.launchId, detail: `waiting: ${r.error.message}` });
    } else {
      changes.push({ kind: "attempt", launchId: r.launchId, detail: r.error.message });
      retry.set(r.launchId, backoffSeconds(row.attempts + 1));
      log("warn", "deployer.retry", { launchId: r.launchId, chain: chain.id, kind: r.error.kind, error: r.error.message, attempt: row.attempts + 1, outcome: "retry" });
    }
  }
  return { changes, toConfirm, retry };
}

function factoryCall(row: LaunchRow): Hex {
  const req = JSON.parse(row.request) as LaunchRequest;
  return encodeFunctionData({ abi: forgeFactoryAbi, functionName: "createToken", args: [launchIdToBytes32(row.id), evmTokenParams(req)] });
}
