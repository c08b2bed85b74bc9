// The Solana adapter's prepare: the launch's mint (derived from MINT_SEED_SECRET
// and the launch id, checked against the address the 202 announced) and what
// the launch transaction costs its fee payer at most. signAndStore budgets with it.
import type { LaunchRequest } from "@tokenforge/core";
import { launchCostLamports } from "@tokenforge/core/solana/index";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { AdapterContext, Prepared } from "../adapter";
import { mintSigner, priorityFee } from "./keys";
import { rentForZeroBytes } from "./rpc";

export async function prepareSolana({ env, chain }: AdapterContext, row: Pick<LaunchRow, "id" | "address" | "request">): Promise<Extract<Prepared, { family: "solana" }>> {
  const mint = await mintSigner(env, row.id);
  if (mint.address !== row.address) throw new Error(`launch ${row.id}: derived mint ${mint.address} is not the stored ${row.address} (MINT_SEED_SECRET changed?)`);
  const costLamports = launchCostLamports(row.request, await rentForZeroBytes(env, chain), priorityFee(env));
  return { family: "solana", mint: mint.address, costLamports };
}
