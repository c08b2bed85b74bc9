// The launches consumer's Solana path: for each launch not yet final, either
// finds its mint or its stored transaction (a redelivery) or signs, stores and
// broadcasts the one launch transaction. It never waits for a status; the
// confirmations consumer follows the signature (confirm.ts beside this file).
import { log, type ChainConfig, type LaunchRequest } from "@tokenforge/core";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { Env } from "../env";
import type { Change } from "../store";
import { retryDelaySeconds } from "../errors";
import { deployerConfig } from "../config";
import { classifyLandedError, txState } from "./lifecycle";
import { createAccountIndex, priorityFee } from "./keys";
import { checkMints, mintsExist, signatureStatuses } from "./read";
import { chainCommitment, solanaRpc } from "./rpc";
import { broadcast, broadcastStored, signAndStore, type SignItem } from "./sign";
import { loadSolanaTxs } from "./tx-store";
import { confirmedSolanaChange } from "./confirm";

export async function sendSolana(env: Env, chain: ChainConfig, rows: LaunchRow[]) {
  const rpc = solanaRpc(chain);
  const caIndex = createAccountIndex(priorityFee(env));
  const changes: Change[] = [];
  const toConfirm: string[] = [];
  const retry = new Map<string, number>();
  const submitted = (row: LaunchRow, signature: string) => {
    if (row.status === "queued") changes.push({ kind: "submitted", launchId: row.id, txHash: signature, nonce: null, detail: `signature ${signature}` });
    toConfirm.push(row.id);
  };

  const [records, exists] = await Promise.all([loadSolanaTxs(env.DB, rows.map((r) => r.id)), mintsExist(rpc, rows, "processed")]);
  const unrecordedMints: LaunchRow[] = [];
  const recorded: LaunchRow[] = [];
  const toSign: SignItem[] = [];
  rows.forEach((row, i) => {
    const rec = records.get(row.id);
    if (exists[i]) {
      // The mint is there: an earlier delivery's transaction landed. Follow it.
      if (rec) submitted(row, rec.signature);
      else unrecordedMints.push(row);
    } else if (rec) recorded.push(row);
    else toSign.push({ row, previous: null, reason: "first transaction" });
  });

  // A mint with no stored transaction (its D1 record is gone): check it is the requested one.
  if (unrecordedMints.length) {
    const checks = await checkMints(rpc, unrecordedMints, chainCommitment(chain));
    unrecordedMints.forEach((row, i) => {
      const c = checks[i]!;
      if (!c.exists) return void retry.set(row.id, retryDelaySeconds(deployerConfig(env).retry, row.attempts + 1)); // not at our commitment yet
      if (c.mismatches.length) {
        changes.push({ kind: "failed", launchId: row.id, errorType: "verification", detail: `the mint at ${row.address} differs: ${c.mismatches.join(", ")}` });
        return;
      }
      changes.push(confirmedSolanaChange(chain, row, JSON.parse(row.request) as LaunchRequest, c, null, 0));
      log("info", "solana.already_deployed", { launchId: row.id, chain: chain.id, mint: row.address, outcome: "confirmed" });
    });
  }

  // A stored transaction and no mint yet: may it still land?
  const rebroadcast: { row: LaunchRow; signature: string; wire: string }[] = [];
  if (recorded.length) {
    const height = await rpc.getBlockHeight({ commitment: "confirmed" }).send(); // before the statuses (lifecycle.ts)
    const statuses = await signatureStatuses(rpc, recorded.map((r) => records.get(r.id)!.signature));
    recorded.forEach((row, i) => {
      const rec = records.get(row.id)!;
      const state = txState(statuses[i]!, height, BigInt(rec.lastValidBlockHeight));
      if (state.kind === "landed") submitted(row, rec.signature);
      else if (state.kind === "pending") rebroadcast.push({ row, signature: rec.signature, wire: rec.wire });
      else if (state.kind === "expired") toSign.push({ row, previous: rec.signature, reason: "the blockhash expired before the transaction landed" });
      else {
        // Landed with an error. A replayed launch (queued again) or a lack of funds gets a
        // new transaction; otherwise the confirmations consumer records the failure.
        const why = classifyLandedError(state.err, caIndex);
        if (row.status === "queued" || why.kind === "insufficient-funds") toSign.push({ row, previous: rec.signature, reason: `the last transaction failed: ${why.message}` });
        else submitted(row, rec.signature);
      }
    });
  }

  // Still valid: send the same bytes again. A queued launch gets preflight (and its answer);
  // a submitted one is only nudged, the node deduplicates by signature.
  const queuedAgain = rebroadcast.filter((r) => r.row.status === "queued");
  changes.push(...(await broadcastStored(env, chain, queuedAgain, submitted)));
  const nudged = rebroadcast.filter((r) => r.row.status !== "queued");
  await Promise.all(nudged.map((r) => broadcast(rpc, r.wire, { preflight: false, createAccountIndex: caIndex })));
  for (const r of nudged) submitted(r.row, r.signature);

  const outcomes = await signAndStore(env, chain, toSign);
  const byId = new Map(toSign.map((t) => [t.row.id, t.row]));
  const fresh: { row: LaunchRow; signature: string; wire: string }[] = [];
  for (const o of outcomes) {
    const row = byId.get(o.launchId)!;
    if (o.kind === "stored") fresh.push({ row, signature: o.signature, wire: o.wire });
    else if (o.kind === "adopted") {
      if (o.signature) submitted(row, o.signature);
      else retry.set(row.id, retryDelaySeconds(deployerConfig(env).retry, row.attempts + 1));
    } else changes.push({ kind: "attempt", launchId: row.id, detail: o.detail }); // waits for funds; the sweep brings it back
  }
  changes.push(...(await broadcastStored(env, chain, fresh, submitted)));
  return { changes, toConfirm, retry };
}
