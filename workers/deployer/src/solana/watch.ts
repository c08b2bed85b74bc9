// The Solana adapter's watch: a launch the platform does not send (a wallet pays
// for the transaction) is found at its predicted mint. The mint must exist at the
// chain's commitment and be the Token-2022 mint the request asks for (judge.ts);
// one seen only at "processed" is pending. The rpc comes first and nothing of the
// Worker runtime is imported: test/unit/chain-adapter-watch.test.ts runs it on the local node.
import type { ChainConfig } from "@tokenforge/core";
import { absentOutcome, type LaunchOutcome, type WatchedLaunch } from "../adapter";
import { checkMints, mintsExist } from "./read";
import { chainCommitment, type SolanaRpc } from "./rpc";
import { judgeMint } from "./judge";

export async function watchSolana(rpc: SolanaRpc, chain: ChainConfig, launches: WatchedLaunch[], now: number): Promise<LaunchOutcome[]> {
  if (!launches.length) return [];
  const [checks, seen] = await Promise.all([checkMints(rpc, launches, chainCommitment(chain)), mintsExist(rpc, launches, "processed")]);
  return launches.map((l, i) => {
    if (checks[i]!.exists) return judgeMint(chain, l, checks[i]!, null, 0);
    if (seen[i]) return { kind: "pending", launchId: l.id, detail: `the mint ${l.address} is not at the chain's commitment yet` };
    return absentOutcome(l, now, l.address);
  });
}
