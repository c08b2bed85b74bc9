// Signing, storing and broadcasting Solana launch transactions, shared by the
// launches consumer (first transaction) and the confirmations consumer
// (replacement after expiry). Order of effects, for exactly-once:
//   balance check → sign → store (compare-and-set in D1) → broadcast.
// A transaction that lost the compare-and-set is dropped unsent.
import type { Base64EncodedWireTransaction, Blockhash } from "@solana/kit";
import { signLaunchTransaction } from "@tokenforge/core/solana/index";
import { log, type ChainConfig, type LaunchRequest } from "@tokenforge/core";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { Env } from "../env";
import type { LaunchOutcome } from "../adapter";
import { createAccountIndex, feePayer, mintSigner, priorityFee } from "./keys";
import { classifySendError, type ClassifiedSendError } from "./lifecycle";
import { rentForZeroBytes, solanaRpc, type SolanaRpc } from "./rpc";
import { claimSolanaTxs, loadSolanaTxs, replaceSolanaTx } from "./tx-store";
import { prepareSolana } from "./prepare";

/** A launch to sign for: `previous` is the stored signature it replaces (null for the first one). */
export type SignItem = { row: LaunchRow; previous: string | null; reason: string };

export type SignOutcome =
  /** Our transaction is stored: broadcast it. */
  | { launchId: string; kind: "stored"; signature: string; wire: string }
  /** Another delivery stored its transaction first: follow that one, send nothing. */
  | { launchId: string; kind: "adopted"; signature: string | null }
  /** The fee payer cannot afford it now: the launch waits. */
  | { launchId: string; kind: "waiting"; detail: string };

/** Signs what the fee payer can afford, stores each transaction, and reports per launch. */
export async function signAndStore(env: Env, chain: ChainConfig, items: SignItem[]): Promise<SignOutcome[]> {
  if (!items.length) return [];
  const rpc = solanaRpc(env, chain, { launchIds: items.map((i) => i.row.id), hop: "sign" });
  const fee = priorityFee(env);
  const payer = await feePayer(env);
  const [rent0, { value: balance }, { value: lifetime }] = await Promise.all([
    rentForZeroBytes(env, chain),
    rpc.getBalance(payer.address, { commitment: "confirmed" }).send(),
    rpc.getLatestBlockhash({ commitment: "confirmed" }).send(),
  ]);

  // Each launch's mint checked and its cost (the adapter's prepare), then oldest
  // launches first; stop at what the balance covers. The rest wait (not fail).
  const costs = new Map(await Promise.all(items.map(async (i) => [i, (await prepareSolana({ env, chain }, i.row)).costLamports] as const)));
  const ordered = [...items].sort((a, b) => a.row.createdAt - b.row.createdAt);
  const affordable: SignItem[] = [];
  const outcomes: SignOutcome[] = [];
  let budget: bigint = balance;
  let needed = 0n;
  for (const item of ordered) {
    const cost = costs.get(item)!;
    needed += cost;
    if (cost <= budget) {
      budget -= cost;
      affordable.push(item);
    } else {
      budget = -1n; // keep the order: nothing after a launch that waits jumps ahead of it
    }
  }
  const waiting = ordered.filter((i) => !affordable.includes(i));
  if (waiting.length) {
    const detail = `waiting for funds: the fee payer ${payer.address} holds ${balance} lamports, these launches need ${needed}`;
    log("error", "solana.low_balance", { chain: chain.id, feePayer: payer.address, balanceLamports: balance, neededLamports: needed, waiting: waiting.length, outcome: "waiting" });
    for (const i of waiting) outcomes.push({ launchId: i.row.id, kind: "waiting", detail });
  }

  const signed = await Promise.all(
    affordable.map(async (item) => {
      const req = item.row.request;
      const mint = await mintSigner(env, item.row.id); // prepareSolana checked it is the stored address
      const tx = await signLaunchTransaction({ feePayer: payer, mint, req, rentForZeroBytes: rent0, priorityFee: fee, lifetime: lifetime as { blockhash: Blockhash; lastValidBlockHeight: bigint } });
      return { item, tx };
    }),
  );

  // First transactions: one INSERT … ON CONFLICT DO NOTHING batch decides the winners.
  const first = signed.filter((s) => s.item.previous === null);
  const stored = await claimSolanaTxs(env.DB, first.map((s) => ({ launchId: s.item.row.id, ...pick(s.tx) })));
  for (const s of first) {
    const rec = stored.get(s.item.row.id);
    if (rec?.signature === s.tx.signature) outcomes.push({ launchId: s.item.row.id, kind: "stored", signature: s.tx.signature, wire: s.tx.wire });
    else outcomes.push({ launchId: s.item.row.id, kind: "adopted", signature: rec?.signature ?? null });
  }
  // Replacements: each a compare-and-set on the signature it replaces.
  const replacements = signed.filter((s) => s.item.previous !== null);
  const won = await Promise.all(
    replacements.map((s) => replaceSolanaTx(env.DB, s.item.previous!, { launchId: s.item.row.id, ...pick(s.tx) }, s.item.reason)),
  );
  const lost = replacements.filter((_, i) => !won[i]).map((s) => s.item.row.id);
  const current = lost.length ? await loadSolanaTxs(env.DB, lost) : new Map();
  replacements.forEach((s, i) => {
    if (won[i]) {
      outcomes.push({ launchId: s.item.row.id, kind: "stored", signature: s.tx.signature, wire: s.tx.wire });
      log("warn", "solana.resigned", { launchId: s.item.row.id, chain: chain.id, previous: s.item.previous, signature: s.tx.signature, reason: s.item.reason, outcome: "submitted" });
    } else {
      outcomes.push({ launchId: s.item.row.id, kind: "adopted", signature: current.get(s.item.row.id)?.signature ?? null });
    }
  });
  return outcomes;
}

const pick = (tx: { signature: string; wire: string; lastValidBlockHeight: bigint }) => ({ signature: tx.signature, wire: tx.wire, lastValidBlockHeight: tx.lastValidBlockHeight });

/**
 * Sends a stored transaction. With preflight the node simulates it first, so a
 * transaction that cannot succeed is reported instead of landing with a fee;
 * re-broadcasts of one already accepted skip it (the node deduplicates by signature).
 */
export async function broadcast(rpc: SolanaRpc, wire: string, opts: { preflight: boolean; createAccountIndex: number }): Promise<{ ok: true } | { ok: false; error: ClassifiedSendError }> {
  try {
    await rpc
      .sendTransaction(wire as Base64EncodedWireTransaction, { encoding: "base64", skipPreflight: !opts.preflight, preflightCommitment: "confirmed" })
      .send();
    return { ok: true };
  } catch (e) {
    return { ok: false, error: classifySendError(e, opts.createAccountIndex) };
  }
}

/**
 * Broadcasts the stored transactions and turns each answer into the launch's
 * outcome: submitted (the confirmations consumer follows it), waiting for funds,
 * or failed when the program refuses it.
 */
export async function broadcastStored(env: Env, chain: ChainConfig, items: { row: LaunchRow; signature: string; wire: string }[]): Promise<LaunchOutcome[]> {
  const rpc = solanaRpc(env, chain, { launchIds: items.map((i) => i.row.id), hop: "broadcast" });
  const caIndex = createAccountIndex(priorityFee(env));
  const results = await Promise.all(items.map((i) => broadcast(rpc, i.wire, { preflight: true, createAccountIndex: caIndex })));
  return items.map(({ row, signature }, k): LaunchOutcome => {
    const r = results[k]!;
    const submitted: LaunchOutcome = { kind: "submitted", launchId: row.id, txHash: signature, nonce: null, detail: `signature ${signature}` };
    if (r.ok) {
      log("info", "solana.submitted", { launchId: row.id, chain: chain.id, signature, attempt: row.attempts + 1, outcome: "submitted" });
      return submitted;
    }
    switch (r.error.kind) {
      case "insufficient-funds":
        // Stored but not accepted: the next delivery re-broadcasts it, or replaces it once expired.
        log("error", "solana.low_balance", { launchId: row.id, chain: chain.id, signature, error: r.error.message, outcome: "waiting" });
        return { kind: "waiting", launchId: row.id, detail: `waiting for funds: ${r.error.message}` };
      case "instruction":
        log("warn", "solana.refused", { launchId: row.id, chain: chain.id, signature, error: r.error.message, outcome: "failed" });
        return { kind: "failed", launchId: row.id, errorType: "transaction", detail: `the launch transaction ${signature} was refused: ${r.error.message}` };
      default:
        // Landed already, blockhash not (yet) known to this node, mint already made, or a
        // transport error: the transaction is stored, so the confirmations consumer
        // follows it, re-broadcasts it while valid and replaces it once expired.
        log(r.error.kind === "transient" ? "warn" : "info", "solana.submitted", { launchId: row.id, chain: chain.id, signature, note: `${r.error.kind}: ${r.error.message}`, outcome: "submitted" });
        return submitted;
    }
  });
}
