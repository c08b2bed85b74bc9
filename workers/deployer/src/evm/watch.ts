// The EVM adapter's watch: a launch the platform does not send (a wallet sends
// the factory call) is found at its CREATE2 address. Code there must be a clone
// of our token implementation, created by the factory's TokenCreated event for
// this launch; its receipt is then judged like any launch's (judge.ts).
// Client first, no Worker imports: test/unit/chain-adapter-watch.test.ts runs it on anvil.
import type { Address, PublicClient } from "viem";
import type { ChainConfig } from "@tokenforge/core";
import { cloneRuntimeCode } from "@tokenforge/core/evm/token-address";
import { factoryOfLaunch } from "@tokenforge/core/contracts/factory";
import { absentOutcome, type LaunchOutcome, type WatchedLaunch } from "../adapter";
import { findCreation, judgeEvm, receiptOf } from "./judge";

export async function watchEvm(client: PublicClient, chain: ChainConfig, launches: WatchedLaunch[], now: number): Promise<LaunchOutcome[]> {
  if (!launches.length) return [];
  const latest = await client.getBlockNumber({ cacheTime: 0 });
  return Promise.all(launches.map((l) => watchOne(client, chain, l, latest, now)));
}

async function watchOne(client: PublicClient, chain: ChainConfig, l: WatchedLaunch, latest: bigint, now: number): Promise<LaunchOutcome> {
  const code = await client.getCode({ address: l.address as Address });
  if (!code || code === "0x") return absentOutcome(l, now, l.address);
  const { implementation } = factoryOfLaunch(chain, l.factoryVersion);
  if (code.toLowerCase() !== cloneRuntimeCode(implementation)) {
    return { kind: "failed", launchId: l.id, errorType: "verification", detail: `the code at ${l.address} is not a token clone of ${implementation}` };
  }
  const creation = await findCreation(client, chain, l, latest, now);
  // Code without its event in the launch's block window: the log is not indexed yet, look again.
  if (!creation) return { kind: "pending", launchId: l.id, detail: `the token at ${l.address} exists; its creation event is not found yet` };
  return judgeEvm(client, chain, l, await receiptOf(client, creation.txHash), latest);
}
