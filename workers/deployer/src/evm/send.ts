// The EVM adapter's send: for each launch not yet final, either finds its token
// already at its CREATE2 address (a redelivery: judged like a confirmation) or
// has the Signer Durable Object of (chain, account) send the factory call. It
// never waits for a receipt: confirmation is the confirmations queue's job.
import type { Address, Hex, PublicClient } from "viem";
import { log } from "@tokenforge/core";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { AdapterContext, LaunchOutcome, SendItem } from "../adapter";
import { evmClient } from "../chain-client";
import { signerFor, type SendResult } from "../signer.do";
import { classifyError } from "../errors";
import { withRevertReason } from "./revert";
import { judgeEvm, landedReceipt } from "./judge";
import { prepareEvm } from "./prepare";

export async function sendEvm(ctx: AdapterContext, items: SendItem[]): Promise<LaunchOutcome[]> {
  const client = evmClient(ctx.chain, { launchIds: items.map((i) => i.row.id), hop: "send" });
  const t0 = Date.now();
  // A token already at its address means an earlier delivery deployed it. A first delivery
  // (never attempted) can only have one if an earlier copy of its message was sent before a
  // crash, and then the Signer holds that transaction and answers with it: its chain read
  // would be one more round trip per batch for nothing. Should its simulation fail all the
  // same (a token there the Signer does not know), it is looked at then.
  const [first, later] = partition(items, isFirstDelivery);
  const codes = await Promise.all(later.map((i) => client.getCode({ address: i.row.address as Address })));
  const codesMs = Date.now() - t0;
  const isDeployed = (i: number) => !!codes[i] && codes[i] !== "0x";
  const deployed = later.filter((_, i) => isDeployed(i)).map((i) => i.row);
  const toSend = [...first, ...later.filter((_, i) => !isDeployed(i))];
  const found = await alreadyDeployed(ctx, client, deployed);
  const t1 = Date.now();
  const sent = await sendThroughSigner(ctx, toSend);
  const checked = await lookAfterRefusal(ctx, client, first, sent);
  log("info", "deployer.send_phases", { chain: ctx.chain.id, launches: items.length, looked: later.length, codesMs, alreadyMs: t1 - t0 - codesMs, signerMs: Date.now() - t1 });
  return [...found, ...checked];
}

/** Never attempted, still queued, and every message is its creation's: no earlier delivery got as far as the chain (or the Signer knows). */
export function isFirstDelivery({ row, reasons }: Pick<SendItem, "reasons"> & { row: Pick<LaunchRow, "status" | "attempts" | "txHash"> }): boolean {
  return row.status === "queued" && row.attempts === 0 && !row.txHash && reasons.every((r) => r === undefined || r === "created");
}

/** First deliveries the Signer refused (a revert, a paused factory): a token at the address turns the refusal into its creation's judgement. */
async function lookAfterRefusal(ctx: AdapterContext, client: PublicClient, first: SendItem[], outcomes: LaunchOutcome[]): Promise<LaunchOutcome[]> {
  const ids = new Set(first.map((i) => i.row.id));
  const refused = outcomes.filter((o) => ids.has(o.launchId) && (o.kind === "failed" || o.kind === "held"));
  if (!refused.length) return outcomes;
  const rows = first.filter((i) => refused.some((o) => o.launchId === i.row.id)).map((i) => i.row);
  const codes = await Promise.all(rows.map((r) => client.getCode({ address: r.address as Address }).catch(() => undefined)));
  const there = rows.filter((_, i) => !!codes[i] && codes[i] !== "0x");
  if (!there.length) return outcomes;
  const judged = new Map((await alreadyDeployed(ctx, client, there)).map((o) => [o.launchId, o]));
  return outcomes.map((o) => judged.get(o.launchId) ?? o);
}

function partition<T>(xs: T[], pred: (x: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const x of xs) (pred(x) ? yes : no).push(x);
  return [yes, no];
}

/**
 * Confirmed by the same rule as every launch (judgeEvm: the chain's
 * confirmations, a matching token); not deep enough yet → submitted with the
 * creating transaction, and the confirmations queue follows it.
 */
async function alreadyDeployed({ chain }: AdapterContext, client: PublicClient, rows: LaunchRow[]): Promise<LaunchOutcome[]> {
  if (!rows.length) return [];
  const started = Date.now();
  const latest = await client.getBlockNumber({ cacheTime: 0 });
  return Promise.all(
    rows.map(async (row): Promise<LaunchOutcome> => {
      try {
        const stored = row.txHash ? await client.getTransactionReceipt({ hash: row.txHash as Hex }).catch(() => null) : null;
        const receipt = await landedReceipt(client, chain, row, latest, stored);
        const verdict = await judgeEvm(client, chain, row, receipt, latest);
        log("info", "deployer.already_deployed", { launchId: row.id, chain: chain.id, attempt: row.attempts + 1, txHash: receipt?.transactionHash, latencyMs: Date.now() - started, outcome: verdict.kind === "pending" ? "confirming" : verdict.kind });
        if (verdict.kind !== "pending") return verdict;
        if (!receipt) throw new Error(`the token at ${row.address} exists but its creation was not found yet`);
        return { kind: "submitted", launchId: row.id, txHash: receipt.transactionHash, nonce: row.nonce, detail: `tx ${receipt.transactionHash} mined in block ${receipt.blockNumber}; waiting for ${chain.confirmations} confirmations` };
      } catch (e) {
        // One launch's failed read retries that launch, not the chain's whole batch.
        return { kind: "retry", launchId: row.id, error: classifyError(e) };
      }
    }),
  );
}

async function sendThroughSigner(ctx: AdapterContext, items: SendItem[]): Promise<LaunchOutcome[]> {
  if (!items.length) return [];
  const { chain } = ctx;
  const started = Date.now();
  const signer = signerFor(ctx.env, chain.id, items[0]!.row.deployer);
  const requests = await Promise.all(
    items.map(async ({ row, reasons }) => {
      const { to, data } = await prepareEvm(ctx, row);
      // reconcile: the chain does not know its transaction; reorg: its token vanished with the settled one.
      return { launchId: row.id, requestId: row.requestId, to, data, tokenAddress: row.address, resend: reasons.includes("reconcile"), reorged: reasons.includes("reorg") };
    }),
  );
  const results = await signer.send(chain.id, requests);
  const latencyMs = Date.now() - started;
  return results.map((r) => signerOutcome(ctx, r, items.find((x) => x.row.id === r.launchId)!, latencyMs));
}

function signerOutcome({ chain }: AdapterContext, r: SendResult, { row, reasons }: SendItem, latencyMs: number): LaunchOutcome {
  if (r.ok) {
    log("info", "deployer.submitted", { launchId: r.launchId, chain: chain.id, txHash: r.hash, nonce: r.nonce, attempt: row.attempts + 1, latencyMs, outcome: "submitted" });
    return { kind: "submitted", launchId: r.launchId, txHash: r.hash, nonce: r.nonce, detail: `tx ${r.hash} nonce ${r.nonce}` };
  }
  if (r.error.kind === "factory-paused") {
    // The factory's owner paused it: the launch waits for unpause (the sweep brings it back), it does not fail.
    log("warn", "deployer.factory_paused", { launchId: r.launchId, chain: chain.id, attempt: row.attempts + 1, latencyMs, outcome: "held" });
    const detail = `waiting: the factory on ${chain.id} is paused by its owner (EnforcedPause()); the launch is sent after it is unpaused`;
    return { kind: "held", launchId: r.launchId, detail, note: !reasons.length || reasons.some((why) => why !== "sweep") };
  }
  if (r.error.permanent) {
    // A revert or invalid parameters fail the same way on every endpoint and every try: final now, never retried.
    const error = withRevertReason(r.error);
    log("warn", "deployer.failed", { launchId: r.launchId, chain: chain.id, kind: error.kind, error: error.message, attempt: row.attempts + 1, latencyMs, outcome: "failed" });
    return { kind: "failed", launchId: r.launchId, errorType: error.kind, detail: error.message };
  }
  if (r.error.kind === "insufficient-funds") {
    // Launches wait for funds, they do not fail: no queue retry is spent (the Signer logged the error).
    log("warn", "deployer.waiting", { launchId: r.launchId, chain: chain.id, kind: r.error.kind, attempt: row.attempts + 1, latencyMs, outcome: "waiting" });
    return { kind: "waiting", launchId: r.launchId, detail: `waiting: ${r.error.message}` };
  }
  return { kind: "retry", launchId: r.launchId, error: r.error };
}
