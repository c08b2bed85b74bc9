// Reconciliation of submitted launches with the chain. A launch stays
// "submitted" when the message that should confirm it is gone (a crash lost the
// in-memory queue, the confirmations queue gave up) or its transaction never
// lands (dropped from the mempool). For each stale one, ask the chain:
//   - a receipt, or the transaction pending → the normal confirmation path
//     (tf-confirmations: receipt, confirmations, token verified, D1, webhooks);
//   - the transaction unknown → back to the deployer with reason "reconcile":
//     the Signer sends the same signed transaction again (or, with no record of
//     it, a new one; the token's CREATE2 address keeps it at one token);
//   - no answer from the chain (or a Solana launch, whose deployer path reads
//     its stored transaction itself) → back to the deployer as a plain sweep.
import { chainRegistry, findChain, log } from "@tokenforge/core";
import type { Env } from "../env";
import { gatedRpc } from "@tokenforge/gate/gated-fetch";

export type SubmittedRow = { id: string; chain: string; txHash: string | null };
export type Verdict = "confirm" | "pending" | "resend" | "requeue";

export async function reconcileSubmitted(env: Env, rows: SubmittedRow[]): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  const byChain = new Map<string, SubmittedRow[]>();
  for (const r of rows) byChain.set(r.chain, [...(byChain.get(r.chain) ?? []), r]);
  const chains = chainRegistry(env);
  await Promise.all(
    [...byChain].map(async ([chainId, chainRows]) => {
      const chain = findChain(chains, chainId);
      const evm = chainRows.filter((r) => r.txHash);
      for (const r of chainRows) if (!r.txHash || chain?.family !== "evm") verdicts.set(r.id, "requeue");
      if (!chain || chain.family !== "evm" || !evm.length) return;
      const started = Date.now();
      try {
        const answers = await gatedRpc<unknown>(
          env, chain,
          evm.flatMap((r) => [
            { method: "eth_getTransactionReceipt", params: [r.txHash] },
            { method: "eth_getTransactionByHash", params: [r.txHash] },
          ]),
          "reconcile",
        );
        evm.forEach((r, i) => {
          const receipt = answers[2 * i]!;
          const tx = answers[2 * i + 1]!;
          if ("error" in receipt || "error" in tx) return void verdicts.set(r.id, "requeue");
          verdicts.set(r.id, receipt.result ? "confirm" : tx.result ? "pending" : "resend");
        });
      } catch (e) {
        log("warn", "cron.reconcile_check_failed", { chain: chainId, launches: evm.length, error: e, latencyMs: Date.now() - started, outcome: "requeue" });
        for (const r of evm) verdicts.set(r.id, "requeue");
      }
      for (const r of evm) {
        log(verdicts.get(r.id) === "resend" ? "warn" : "info", "cron.reconcile", { launchId: r.id, chain: chainId, txHash: r.txHash, outcome: verdicts.get(r.id), latencyMs: Date.now() - started });
      }
    }),
  );
  return verdicts;
}
