// The EVM adapter's confirm: the receipts of submitted launches, judged by the
// chain's confirmations and the token against the request (judge.ts). Not mined
// or not deep enough yet → pending; the confirmations consumer looks again later.
import type { Hex } from "viem";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { AdapterContext, LaunchOutcome } from "../adapter";
import { evmClient } from "../chain-client";
import { judgeEvm, landedReceipt, receiptOf } from "./judge";

/** Throws when the chain cannot be read: the consumer keeps every launch of the batch pending. */
export async function confirmEvm({ chain }: AdapterContext, rows: LaunchRow[]): Promise<LaunchOutcome[]> {
  const client = evmClient(chain, { launchIds: rows.map((r) => r.id), hop: "confirm" });
  const [latest, receipts] = await Promise.all([
    client.getBlockNumber({ cacheTime: 0 }),
    Promise.all(rows.map((r) => receiptOf(client, r.txHash as Hex))),
  ]);
  return Promise.all(
    rows.map(async (row, i) => {
      const receipt = await landedReceipt(client, chain, row, latest, receipts[i] ?? null);
      return judgeEvm(client, chain, row, receipt, latest);
    }),
  );
}
