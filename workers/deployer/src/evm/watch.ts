// The EVM adapter's watch: a launch the platform does not send (a wallet sends
// the factory call) is found at its CREATE2 address. Code there must be a clone
// of our token implementation, created by the factory's TokenCreated event for
// this launch; its receipt is then judged like any launch's (judge.ts).
// A launch with no token expires only when its window passed AND the chain's
// latest block is past the transaction's deadline: until then a block could
// still include the payer's transaction (the factory checks block.timestamp).
// Client first, no Worker imports: test/unit/chain-adapter-watch.test.ts runs it on anvil.
import type { Address, PublicClient } from "viem";
import type { ChainConfig } from "@tokenforge/core";
import { cloneRuntimeCode } from "@tokenforge/core/evm/token-address";
import { evmDeadlineSeconds } from "@tokenforge/core/launch-evm";
import { factoryOfLaunch } from "@tokenforge/core/contracts/factory";
import { absentOutcome, type LaunchOutcome, type WatchedLaunch } from "../adapter";
import { findCreation, judgeEvm, receiptOf } from "./judge";

export async function watchEvm(client: PublicClient, chain: ChainConfig, launches: WatchedLaunch[], now: number): Promise<LaunchOutcome[]> {
  if (!launches.length) return [];
  const block = await client.getBlock({ blockTag: "latest" });
  return Promise.all(launches.map((l) => watchOne(client, chain, l, block, now)));
}

async function watchOne(client: PublicClient, chain: ChainConfig, l: WatchedLaunch, block: { number: bigint; timestamp: bigint }, now: number): Promise<LaunchOutcome> {
  const latest = block.number;
  const code = await client.getCode({ address: l.address as Address });
  if (!code || code === "0x") {
    const absent = absentOutcome(l, now, l.address);
    if (absent.kind === "expired" && l.expiresAt !== null && block.timestamp <= evmDeadlineSeconds(l.expiresAt)) {
      return { kind: "pending", launchId: l.id, detail: `window closed; block ${latest} (t=${block.timestamp}) can still take the transaction` };
    }
    return absent;
  }
  const { implementation } = factoryOfLaunch(chain, l.factoryVersion);
  if (code.toLowerCase() !== cloneRuntimeCode(implementation)) {
    return { kind: "failed", launchId: l.id, errorType: "verification", detail: `the code at ${l.address} is not a token clone of ${implementation}` };
  }
  const creation = await findCreation(client, chain, l, latest, now);
  // Code without its event in the launch's block window: the log is not indexed yet, look again.
  if (!creation) return { kind: "pending", launchId: l.id, detail: `the token at ${l.address} exists; its creation event is not found yet` };
  return judgeEvm(client, chain, l, await receiptOf(client, creation.txHash), latest);
}
