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
import { classifyError, retryDelaySeconds, type Classified } from "./errors";
import { deployerConfig } from "./config";
import { withRevertReason } from "./revert";
import { judgeEvm, landedReceipt } from "./confirm";
import { sendSolana } from "./solana/send";

export async function handleLaunches(batch: MessageBatch<LaunchMessage>, env: Env): Promise<void> {
  const t0 = Date.now();
  const rows = await loadLaunches(env.DB, batch.messages.map((m) => m.body.launchId));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const retry = new Map<string, number>(); // launchId → delay seconds
  let submitted = 0;
  // Launches the cron reconciliation hands back to the Signer (their transaction is unknown to the chain).
  const handBack = new Set(batch.messages.filter((m) => m.body.reason === "reconcile").map((m) => m.body.launchId));
  // Launches the cron's reorg check sent back: their token vanished with the transaction the Signer settled.
  const reorged = new Set(batch.messages.filter((m) => m.body.reason === "reorg").map((m) => m.body.launchId));

  const byChain = new Map<string, LaunchRow[]>();
  for (const row of rows) {
    if (row.status === "confirmed" || row.status === "failed") continue;
    // Submitted ones too: the Signer answers with the transaction it already has,
    // or sends again if that one can never land (its nonce was taken).
    byChain.set(row.chain, [...(byChain.get(row.chain) ?? []), row]);
  }

  // Each chain finishes on its own (D1 written, confirmations queued) as soon as
  // it is done: a chain whose endpoints are all failing (waiting out breakers,
  // timing out) must not hold back the launches of the others in the same batch.
  await Promise.all(
    [...byChain].map(async ([chainId, chainRows]) => {
      const started = Date.now();
      let out: SendOutcome;
      try {
        const chain = getChain(env, chainId);
        out = chain.family === "solana" ? await sendSolana(env, chain, chainRows) : await sendEvm(env, chain, chainRows, handBack, reorged);
      } catch (e) {
        // Nothing was decided for these launches (e.g. every endpoint failed the
        // batch's first reads): each spends an attempt and comes back with backoff.
        const c = classifyError(e);
        log("error", "deployer.chain_batch_failed", { chain: chainId, kind: c.kind, error: c.message, launches: chainRows.length, latencyMs: Date.now() - started, outcome: "retry" });
        out = { changes: [], toConfirm: [], retry: new Map() };
        for (const r of chainRows) retryLater(env, out, r, c, chainId, Date.now() - started);
      }
      for (const [id, d] of out.retry) retry.set(id, d);
      await announceFinal(env, await applyChanges(env.DB, out.changes));
      if (out.toConfirm.length) {
        submitted += out.toConfirm.length;
        const delaySeconds = deployerConfig(env).confirmDelaySeconds;
        const ids = [...new Set(out.toConfirm)];
        for (let i = 0; i < ids.length; i += 100) {
          await env.CONFIRMATIONS.sendBatch(ids.slice(i, i + 100).map((launchId) => ({ body: { launchId, checks: 0 }, delaySeconds })));
        }
      }
    }),
  );

  log("info", "deployer.batch", { queue: batch.queue, messages: batch.messages.length, submitted, retried: retry.size, totalMs: Date.now() - t0 });
  for (const m of batch.messages) {
    const delay = retry.get(m.body.launchId);
    if (delay !== undefined && byId.has(m.body.launchId)) m.retry({ delaySeconds: delay });
    else m.ack();
  }
}

type SendOutcome = { changes: Change[]; toConfirm: string[]; retry: Map<string, number> };

/**
 * A transient failure of one launch's attempt: counted in D1 (attempts, the
 * reason, an event the launch's page shows), logged, and the message retried
 * after a growing delay. After the queue's last retry it goes to the dead letters.
 */
function retryLater(env: Env, out: SendOutcome, row: LaunchRow, error: Classified, chainId: string, latencyMs: number) {
  const attempt = row.attempts + 1;
  const delaySeconds = retryDelaySeconds(deployerConfig(env).retry, attempt);
  out.retry.set(row.id, delaySeconds);
  out.changes.push({ kind: "attempt", launchId: row.id, detail: error.message, event: `attempt ${attempt} failed (${error.kind}): ${error.message}; retrying in ${delaySeconds} s` });
  log("warn", "deployer.retry", { launchId: row.id, chain: chainId, attempt, kind: error.kind, error: error.message, delaySeconds, latencyMs, outcome: "retry" });
}

async function sendEvm(env: Env, chain: ChainConfig, rows: LaunchRow[], handBack: Set<string>, reorged: Set<string>): Promise<SendOutcome> {
  const started = Date.now();
  const client = evmClient(chain, { launchIds: rows.map((r) => r.id), hop: "send" });
  const changes: Change[] = [];
  const toConfirm: string[] = [];
  const retry = new Map<string, number>();
  const out: SendOutcome = { changes, toConfirm, retry };

  // A token already at its address means an earlier delivery deployed it. It is
  // confirmed by the same rule as every launch (judgeEvm: the chain's
  // confirmations, a matching token); not deep enough yet → the confirmations queue.
  const codes = await Promise.all(rows.map((r) => client.getCode({ address: r.address as Address })));
  const toSend: LaunchRow[] = [];
  const deployed = rows.filter((_, i) => codes[i] && codes[i] !== "0x");
  for (const [i, row] of rows.entries()) if (!codes[i] || codes[i] === "0x") toSend.push(row);
  const latest = deployed.length ? await client.getBlockNumber({ cacheTime: 0 }) : 0n;
  await Promise.all(
    deployed.map(async (row) => {
      try {
        const stored = row.txHash ? await client.getTransactionReceipt({ hash: row.txHash as Hex }).catch(() => null) : null;
        const receipt = await landedReceipt(client, chain, row, latest, stored);
        const verdict = await judgeEvm(client, chain, row, receipt, latest);
        const outcome = verdict.kind === "final" ? verdict.change.kind : "confirming";
        log("info", "deployer.already_deployed", { launchId: row.id, chain: chain.id, attempt: row.attempts + 1, txHash: receipt?.transactionHash, latencyMs: Date.now() - started, outcome });
        if (verdict.kind === "final") return void changes.push(verdict.change);
        if (!receipt) throw new Error(`the token at ${row.address} exists but its creation was not found yet`);
        changes.push({ kind: "submitted", launchId: row.id, txHash: receipt.transactionHash, nonce: row.nonce, detail: `tx ${receipt.transactionHash} mined in block ${receipt.blockNumber}; waiting for ${chain.confirmations} confirmations` });
        toConfirm.push(row.id);
      } catch (e) {
        // One launch's failed read retries that launch, not the chain's whole batch.
        retryLater(env, out, row, classifyError(e), chain.id, Date.now() - started);
      }
    }),
  );
  if (!toSend.length) return out;

  const signer = signerFor(env, chain.id, rows[0]!.deployer);
  const results = await signer.send(
    chain.id,
    toSend.map((row) => ({ launchId: row.id, to: factoryAddress as Hex, data: factoryCall(row), tokenAddress: row.address, resend: handBack.has(row.id), reorged: reorged.has(row.id) })),
  );
  const latencyMs = Date.now() - started;
  for (const r of results) {
    const row = toSend.find((x) => x.id === r.launchId)!;
    if (r.ok) {
      changes.push({ kind: "submitted", launchId: r.launchId, txHash: r.hash, nonce: r.nonce, detail: `tx ${r.hash} nonce ${r.nonce}` });
      toConfirm.push(r.launchId);
      log("info", "deployer.submitted", { launchId: r.launchId, chain: chain.id, txHash: r.hash, nonce: r.nonce, attempt: row.attempts + 1, latencyMs, outcome: "submitted" });
    } else if (r.error.permanent) {
      // A revert or invalid parameters fail the same way on every endpoint and every try: final now, never retried.
      const error = withRevertReason(r.error);
      changes.push({ kind: "failed", launchId: r.launchId, errorType: error.kind, detail: error.message });
      log("warn", "deployer.failed", { launchId: r.launchId, chain: chain.id, kind: error.kind, error: error.message, attempt: row.attempts + 1, latencyMs, outcome: "failed" });
    } else if (r.error.kind === "insufficient-funds") {
      // Launches wait for funds, they do not fail: the row stays queued and the
      // sweep brings it back; no queue retry is spent (the Signer logged the error).
      changes.push({ kind: "attempt", launchId: r.launchId, detail: `waiting: ${r.error.message}` });
      log("warn", "deployer.waiting", { launchId: r.launchId, chain: chain.id, kind: r.error.kind, attempt: row.attempts + 1, latencyMs, outcome: "waiting" });
    } else {
      retryLater(env, out, row, r.error, chain.id, latencyMs);
    }
  }
  return out;
}

function factoryCall(row: LaunchRow): Hex {
  const req = JSON.parse(row.request) as LaunchRequest;
  return encodeFunctionData({ abi: forgeFactoryAbi, functionName: "createToken", args: [launchIdToBytes32(row.id), evmTokenParams(req)] });
}
