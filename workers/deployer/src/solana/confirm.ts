// The confirmations consumer's Solana path: follows each submitted launch's
// stored signature until it reaches the chain's commitment, then verifies the
// mint and confirms. Aware of blockhash expiry: a transaction still valid is
// re-broadcast (same bytes); only one that can never land — unknown and past its
// lastValidBlockHeight, with no mint on chain — is replaced by a fresh signing.
import { log, type ChainConfig, type LaunchRequest } from "@tokenforge/core";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { Env } from "../env";
import type { Change } from "../store";
import { classifyLandedError, txState } from "./lifecycle";
import { createAccountIndex, priorityFee } from "./keys";
import { checkMints, mintsExist, signatureStatuses, type MintCheck } from "./read";
import { chainCommitment, reached, solanaRpc } from "./rpc";
import { broadcast, broadcastStored, signAndStore, type SignItem } from "./sign";
import { loadSolanaTxs } from "./tx-store";

export type ConfirmOutcome = {
  changes: Change[];
  /** Launches to check again after the confirmation delay. */
  notYet: string[];
  /** Final launches whose sender must forget them (EVM: the Signer's in-flight set). Solana keeps its state in D1: none. */
  settled: { chain: string; deployer: string; ids: string[] }[];
};

export async function confirmSolana(env: Env, chain: ChainConfig, rows: LaunchRow[]): Promise<ConfirmOutcome> {
  const rpc = solanaRpc(chain);
  const commitment = chainCommitment(chain);
  const caIndex = createAccountIndex(priorityFee(env));
  const changes: Change[] = [];
  const notYet: string[] = [];

  const records = await loadSolanaTxs(env.DB, rows.map((r) => r.id));
  const tracked = rows.filter((r) => {
    if (records.has(r.id)) return true;
    // Submitted without a stored transaction cannot happen by construction; the sweep re-drives it through the launches consumer.
    log("warn", "solana.untracked", { launchId: r.id, chain: chain.id, outcome: "skipped" });
    return false;
  });
  if (!tracked.length) return { changes, notYet, settled: [] };

  const height = await rpc.getBlockHeight({ commitment: "confirmed" }).send(); // before the statuses (lifecycle.ts)
  const statuses = await signatureStatuses(rpc, tracked.map((r) => records.get(r.id)!.signature));

  const toVerify: { row: LaunchRow; signature: string | null; slot: bigint }[] = [];
  const expired: LaunchRow[] = [];
  const toSign: SignItem[] = [];
  const nudge: string[] = [];
  tracked.forEach((row, i) => {
    const rec = records.get(row.id)!;
    const state = txState(statuses[i]!, height, BigInt(rec.lastValidBlockHeight));
    switch (state.kind) {
      case "landed":
        if (reached(state.confirmationStatus, commitment)) toVerify.push({ row, signature: rec.signature, slot: state.slot });
        else notYet.push(row.id);
        return;
      case "failed": {
        if (!reached(state.confirmationStatus, commitment)) return void notYet.push(row.id);
        const why = classifyLandedError(state.err, caIndex);
        if (why.kind === "mint-exists") toVerify.push({ row, signature: null, slot: state.slot }); // an earlier transaction made it
        else if (why.kind === "insufficient-funds") toSign.push({ row, previous: rec.signature, reason: `the last transaction failed: ${why.message}` });
        else {
          changes.push({ kind: "failed", launchId: row.id, errorType: "transaction", detail: `transaction ${rec.signature} failed in slot ${state.slot}: ${why.message}` });
          log("warn", "solana.failed", { launchId: row.id, chain: chain.id, signature: rec.signature, error: why.message, outcome: "failed" });
        }
        return;
      }
      case "pending":
        nudge.push(rec.wire);
        notYet.push(row.id);
        return;
      case "expired":
        expired.push(row);
    }
  });

  // Still valid and unseen: send the same bytes again (real nodes drop transactions under load).
  await Promise.all(nudge.map((wire) => broadcast(rpc, wire, { preflight: false, createAccountIndex: caIndex })));

  // Expired and unknown: replace it — unless the mint exists, which means some transaction made it.
  if (expired.length) {
    const exists = await mintsExist(rpc, expired, "processed");
    expired.forEach((row, i) => {
      if (exists[i]) toVerify.push({ row, signature: null, slot: 0n });
      else toSign.push({ row, previous: records.get(row.id)!.signature, reason: "the blockhash expired before the transaction landed" });
    });
  }

  if (toVerify.length) {
    const checks = await checkMints(rpc, toVerify.map((v) => v.row), commitment);
    toVerify.forEach(({ row, signature, slot }, i) => {
      const c = checks[i]!;
      if (!c.exists) return void notYet.push(row.id); // not visible at our commitment yet
      if (c.mismatches.length) {
        changes.push({ kind: "failed", launchId: row.id, errorType: "verification", detail: `the mint at ${row.address} differs: ${c.mismatches.join(", ")}` });
        log("error", "solana.verification_failed", { launchId: row.id, chain: chain.id, mint: row.address, mismatches: c.mismatches, outcome: "failed" });
        return;
      }
      changes.push(confirmedSolanaChange(chain, row, row.request, c, signature, Number(slot)));
      log("info", "solana.confirmed", { launchId: row.id, chain: chain.id, mint: row.address, signature, slot: Number(slot), outcome: "confirmed" });
    });
  }

  if (toSign.length) {
    const byId = new Map(toSign.map((t) => [t.row.id, t.row]));
    const stored: { row: LaunchRow; signature: string; wire: string }[] = [];
    for (const o of await signAndStore(env, chain, toSign)) {
      if (o.kind === "stored") stored.push({ row: byId.get(o.launchId)!, signature: o.signature, wire: o.wire });
      else if (o.kind === "adopted") notYet.push(o.launchId); // another consumer replaced it: follow the new one
      else changes.push({ kind: "attempt", launchId: o.launchId, detail: o.detail }); // waits for funds; the sweep brings it back
    }
    changes.push(...(await broadcastStored(env, chain, stored, (row) => notYet.push(row.id))));
  }
  return { changes, notYet, settled: [] };
}

export function confirmedSolanaChange(chain: ChainConfig, row: LaunchRow, req: LaunchRequest, check: MintCheck, signature: string | null, slot: number): Change {
  const meta = check.facts?.metadata;
  return {
    kind: "confirmed",
    launchId: row.id,
    txHash: signature,
    blockNumber: slot,
    gasUsed: null,
    detail: signature ? `slot ${slot}` : "mint found on chain",
    token: {
      chain: chain.id, address: row.address, launchId: row.id, name: meta?.name ?? req.name, symbol: meta?.symbol ?? req.symbol,
      decimals: check.facts?.decimals ?? req.decimals, totalSupply: (check.facts?.supply ?? 0n).toString(), owner: req.owner,
      features: req.features, metadataUri: req.metadataUri ?? null, txHash: signature,
    },
  };
}
