// The Solana adapter's confirm: follows each submitted launch's stored signature
// until it reaches the chain's commitment, then verifies the mint (judge.ts).
// Aware of blockhash expiry: a transaction still valid is re-broadcast (same
// bytes); only one that can never land — unknown and past its
// lastValidBlockHeight, with no mint on chain — is replaced by a fresh signing.
import { log } from "@tokenforge/core";
import type { LaunchRow, SolanaTransactionRow } from "@tokenforge/core/db/schema";
import type { AdapterContext, LaunchOutcome } from "../adapter";
import { classifyLandedError, txState } from "./lifecycle";
import { createAccountIndex, priorityFee } from "./keys";
import { checkMints, mintsExist, signatureStatuses } from "./read";
import { chainCommitment, reached, solanaRpc, type SolanaRpc } from "./rpc";
import { broadcast, broadcastStored, signAndStore, type SignItem } from "./sign";
import { loadSolanaTxs } from "./tx-store";
import { judgeMint } from "./judge";

type ToVerify = { row: LaunchRow; signature: string | null; slot: bigint };
type Plan = { out: LaunchOutcome[]; toVerify: ToVerify[]; expired: LaunchRow[]; toSign: SignItem[]; nudge: string[] };

export async function confirmSolana(ctx: AdapterContext, rows: LaunchRow[]): Promise<LaunchOutcome[]> {
  const { env, chain } = ctx;
  const rpc = solanaRpc(env, chain, { launchIds: rows.map((r) => r.id), hop: "confirm" });
  const records = await loadSolanaTxs(env.DB, rows.map((r) => r.id));
  const out: LaunchOutcome[] = [];
  const tracked = rows.filter((r) => {
    if (records.has(r.id)) return true;
    // Submitted without a stored transaction cannot happen by construction; the sweep re-drives it through the launches consumer.
    log("warn", "solana.untracked", { launchId: r.id, chain: chain.id, outcome: "skipped" });
    out.push({ kind: "untracked", launchId: r.id });
    return false;
  });
  if (!tracked.length) return out;

  const height = await rpc.getBlockHeight({ commitment: "confirmed" }).send(); // before the statuses (lifecycle.ts)
  const statuses = await signatureStatuses(rpc, tracked.map((r) => records.get(r.id)!.signature));
  const plan: Plan = { out, toVerify: [], expired: [], toSign: [], nudge: [] };
  tracked.forEach((row, i) => planOne(ctx, plan, row, records.get(row.id)!, txState(statuses[i]!, height, BigInt(records.get(row.id)!.lastValidBlockHeight))));

  // Still valid and unseen: send the same bytes again (real nodes drop transactions under load).
  const caIndex = createAccountIndex(priorityFee(env));
  await Promise.all(plan.nudge.map((wire) => broadcast(rpc, wire, { preflight: false, createAccountIndex: caIndex })));

  // Expired and unknown: replace it — unless the mint exists, which means some transaction made it.
  if (plan.expired.length) {
    const exists = await mintsExist(rpc, plan.expired, "processed");
    plan.expired.forEach((row, i) => {
      if (exists[i]) plan.toVerify.push({ row, signature: null, slot: 0n });
      else plan.toSign.push({ row, previous: records.get(row.id)!.signature, reason: "the blockhash expired before the transaction landed" });
    });
  }
  out.push(...(await verify(ctx, rpc, plan.toVerify)), ...(await replace(ctx, plan.toSign)));
  return out;
}

function planOne({ env, chain }: AdapterContext, plan: Plan, row: LaunchRow, rec: SolanaTransactionRow, state: ReturnType<typeof txState>) {
  const pending = () => plan.out.push({ kind: "pending", launchId: row.id });
  const commitment = chainCommitment(chain);
  switch (state.kind) {
    case "landed":
      if (reached(state.confirmationStatus, commitment)) plan.toVerify.push({ row, signature: rec.signature, slot: state.slot });
      else pending();
      return;
    case "failed": {
      if (!reached(state.confirmationStatus, commitment)) return void pending();
      const why = classifyLandedError(state.err, createAccountIndex(priorityFee(env)));
      if (why.kind === "mint-exists") plan.toVerify.push({ row, signature: null, slot: state.slot }); // an earlier transaction made it
      else if (why.kind === "insufficient-funds") plan.toSign.push({ row, previous: rec.signature, reason: `the last transaction failed: ${why.message}` });
      else {
        plan.out.push({ kind: "failed", launchId: row.id, errorType: "transaction", detail: `transaction ${rec.signature} failed in slot ${state.slot}: ${why.message}` });
        log("warn", "solana.failed", { launchId: row.id, chain: chain.id, signature: rec.signature, error: why.message, outcome: "failed" });
      }
      return;
    }
    case "pending":
      plan.nudge.push(rec.wire);
      return void pending();
    case "expired":
      plan.expired.push(row);
  }
}

async function verify({ chain }: AdapterContext, rpc: SolanaRpc, toVerify: ToVerify[]): Promise<LaunchOutcome[]> {
  if (!toVerify.length) return [];
  const checks = await checkMints(rpc, toVerify.map((v) => v.row), chainCommitment(chain));
  return toVerify.map(({ row, signature, slot }, i) => {
    const outcome = judgeMint(chain, row, checks[i]!, signature, Number(slot)); // pending: not visible at our commitment yet
    if (outcome.kind === "failed") log("error", "solana.verification_failed", { launchId: row.id, chain: chain.id, mint: row.address, mismatches: checks[i]!.mismatches, outcome: "failed" });
    if (outcome.kind === "confirmed") log("info", "solana.confirmed", { launchId: row.id, chain: chain.id, mint: row.address, signature, slot: Number(slot), outcome: "confirmed" });
    return outcome;
  });
}

/** Signs replacements; a stored one is broadcast and followed, one another consumer replaced first is followed too. */
async function replace({ env, chain }: AdapterContext, toSign: SignItem[]): Promise<LaunchOutcome[]> {
  if (!toSign.length) return [];
  const byId = new Map(toSign.map((t) => [t.row.id, t.row]));
  const stored: { row: LaunchRow; signature: string; wire: string }[] = [];
  const out: LaunchOutcome[] = [];
  for (const o of await signAndStore(env, chain, toSign)) {
    if (o.kind === "stored") stored.push({ row: byId.get(o.launchId)!, signature: o.signature, wire: o.wire });
    else if (o.kind === "adopted") out.push({ kind: "pending", launchId: o.launchId }); // another consumer replaced it: follow the new one
    else out.push({ kind: "waiting", launchId: o.launchId, detail: o.detail }); // waits for funds; the sweep brings it back
  }
  return [...out, ...(await broadcastStored(env, chain, stored))];
}
