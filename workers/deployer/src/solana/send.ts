// The Solana adapter's send: for each launch not yet final, either finds its
// mint or its stored transaction (a redelivery) or signs, stores and broadcasts
// the one launch transaction. It never waits for a status; the confirmations
// consumer follows the signature (confirm.ts beside this file).
import { log, type ChainConfig } from "@tokenforge/core";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { SolanaTransactionRow } from "@tokenforge/core/db/schema";
import type { AdapterContext, LaunchOutcome, SendItem } from "../adapter";
import { classifyLandedError, txState } from "./lifecycle";
import { createAccountIndex, priorityFee } from "./keys";
import { checkMints, mintsExist, signatureStatuses } from "./read";
import { chainCommitment, solanaRpc, type SolanaRpc } from "./rpc";
import { broadcast, broadcastStored, signAndStore, type SignItem } from "./sign";
import { loadSolanaTxs } from "./tx-store";
import { judgeMint } from "./judge";

type Stored = { row: LaunchRow; signature: string; wire: string };
const following = (row: LaunchRow, signature: string): LaunchOutcome => ({ kind: "submitted", launchId: row.id, txHash: signature, nonce: null, detail: `signature ${signature}` });

export async function sendSolana(ctx: AdapterContext, items: SendItem[]): Promise<LaunchOutcome[]> {
  const { env, chain } = ctx;
  const rows = items.map((i) => i.row);
  const rpc = solanaRpc(env, chain, { launchIds: rows.map((r) => r.id), hop: "send" });
  const [records, exists] = await Promise.all([loadSolanaTxs(env.DB, rows.map((r) => r.id)), mintsExist(rpc, rows, "processed")]);
  const out: LaunchOutcome[] = [];
  const unrecordedMints: LaunchRow[] = [];
  const recorded: LaunchRow[] = [];
  const toSign: SignItem[] = [];
  rows.forEach((row, i) => {
    const rec = records.get(row.id);
    if (exists[i]) {
      // The mint is there: an earlier delivery's transaction landed. Follow it.
      if (rec) out.push(following(row, rec.signature));
      else unrecordedMints.push(row);
    } else if (rec) recorded.push(row);
    else toSign.push({ row, previous: null, reason: "first transaction" });
  });
  out.push(...(await foundUnrecorded(rpc, chain, unrecordedMints)));
  const rebroadcast: Stored[] = [];
  out.push(...(await mayStillLand(ctx, rpc, recorded, records, rebroadcast, toSign)));
  out.push(...(await resend(ctx, rpc, rebroadcast)));
  out.push(...(await signAndBroadcast(ctx, toSign)));
  return out;
}

/** A mint with no stored transaction (its D1 record is gone): check it is the requested one. */
async function foundUnrecorded(rpc: SolanaRpc, chain: ChainConfig, rows: LaunchRow[]): Promise<LaunchOutcome[]> {
  if (!rows.length) return [];
  const checks = await checkMints(rpc, rows, chainCommitment(chain));
  return rows.map((row, i) => {
    const outcome = judgeMint(chain, row, checks[i]!, null, 0); // pending: not at our commitment yet
    if (outcome.kind === "confirmed") log("info", "solana.already_deployed", { launchId: row.id, chain: chain.id, mint: row.address, outcome: "confirmed" });
    return outcome;
  });
}

/** A stored transaction and no mint yet: may it still land? Fills `rebroadcast` and `toSign`. */
async function mayStillLand(ctx: AdapterContext, rpc: SolanaRpc, rows: LaunchRow[], records: Map<string, SolanaTransactionRow>, rebroadcast: Stored[], toSign: SignItem[]): Promise<LaunchOutcome[]> {
  if (!rows.length) return [];
  const caIndex = createAccountIndex(priorityFee(ctx.env));
  const height = await rpc.getBlockHeight({ commitment: "confirmed" }).send(); // before the statuses (lifecycle.ts)
  const statuses = await signatureStatuses(rpc, rows.map((r) => records.get(r.id)!.signature));
  const out: LaunchOutcome[] = [];
  rows.forEach((row, i) => {
    const rec = records.get(row.id)!;
    const state = txState(statuses[i]!, height, BigInt(rec.lastValidBlockHeight));
    if (state.kind === "landed") out.push(following(row, rec.signature));
    else if (state.kind === "pending") rebroadcast.push({ row, signature: rec.signature, wire: rec.wire });
    else if (state.kind === "expired") toSign.push({ row, previous: rec.signature, reason: "the blockhash expired before the transaction landed" });
    else {
      // Landed with an error. A replayed launch (queued again) or a lack of funds gets a
      // new transaction; otherwise the confirmations consumer records the failure.
      const why = classifyLandedError(state.err, caIndex);
      if (row.status === "queued" || why.kind === "insufficient-funds") toSign.push({ row, previous: rec.signature, reason: `the last transaction failed: ${why.message}` });
      else out.push(following(row, rec.signature));
    }
  });
  return out;
}

/**
 * Still valid: send the same bytes again. A queued launch gets preflight (and its
 * answer); a submitted one is only nudged, the node deduplicates by signature.
 */
async function resend({ env, chain }: AdapterContext, rpc: SolanaRpc, rebroadcast: Stored[]): Promise<LaunchOutcome[]> {
  const queuedAgain = rebroadcast.filter((r) => r.row.status === "queued");
  const out = await broadcastStored(env, chain, queuedAgain);
  const nudged = rebroadcast.filter((r) => r.row.status !== "queued");
  const caIndex = createAccountIndex(priorityFee(env));
  await Promise.all(nudged.map((r) => broadcast(rpc, r.wire, { preflight: false, createAccountIndex: caIndex })));
  return [...out, ...nudged.map((r) => following(r.row, r.signature))];
}

async function signAndBroadcast({ env, chain }: AdapterContext, toSign: SignItem[]): Promise<LaunchOutcome[]> {
  const outcomes = await signAndStore(env, chain, toSign);
  const byId = new Map(toSign.map((t) => [t.row.id, t.row]));
  const fresh: Stored[] = [];
  const out: LaunchOutcome[] = [];
  for (const o of outcomes) {
    const row = byId.get(o.launchId)!;
    if (o.kind === "stored") fresh.push({ row, signature: o.signature, wire: o.wire });
    else if (o.kind === "adopted") out.push(o.signature ? following(row, o.signature) : { kind: "pending", launchId: row.id });
    else out.push({ kind: "waiting", launchId: row.id, detail: o.detail }); // the sweep brings it back
  }
  return [...out, ...(await broadcastStored(env, chain, fresh))];
}
