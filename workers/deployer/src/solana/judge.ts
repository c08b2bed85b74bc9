// The one rule for a Solana launch's "confirmed", on every path that reads its
// mint (the confirmations consumer, a redelivery that finds the mint, `watch`):
// the mint visible at the chain's commitment, a Token-2022 mint matching the
// request (read.ts's checks). Pure: the callers read the chain and log.
import type { ChainConfig, LaunchRequest } from "@tokenforge/core";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { LaunchOutcome } from "../adapter";
import type { MintCheck } from "./read";

export function judgeMint(chain: ChainConfig, row: Pick<LaunchRow, "id" | "address" | "request">, check: MintCheck, signature: string | null, slot: number): LaunchOutcome {
  if (!check.exists) return { kind: "pending", launchId: row.id, detail: "the mint is not visible at the chain's commitment yet" };
  if (check.mismatches.length) {
    return { kind: "failed", launchId: row.id, errorType: "verification", detail: `the mint at ${row.address} differs: ${check.mismatches.join(", ")}` };
  }
  const req = row.request;
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
