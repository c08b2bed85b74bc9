// The one rule for an EVM launch's "confirmed", on every path that finds its
// transaction: the confirmations consumer, a redelivery (or replay, re-drive,
// sweep) that finds the token already there, and `watch` for a launch someone
// else sends. Takes the client as its first argument (viem's style) and imports
// nothing of the Worker runtime, so unit tests run it against a plain anvil.
import { parseEventLogs, type Address, type Hex, type PublicClient, type TransactionReceipt } from "viem";
import { log, toRawAmount, type ChainConfig, type LaunchRequest } from "@tokenforge/core";
import { launchIdToBytes32 } from "@tokenforge/core/evm/token-address";
import { creationFromBlock } from "@tokenforge/core/evm/creation-window";
import { factoryOfLaunch } from "@tokenforge/core/contracts/factory";
import { forgeFactoryAbi, forgeFactoryV2Abi } from "@tokenforge/core/contracts/artifacts";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { LaunchOutcome } from "../adapter";
import { readToken, tokenMismatches, type TokenFacts } from "./verify";

/** What of a launch the judging reads. */
export type JudgedLaunch = Pick<LaunchRow, "id" | "address" | "request" | "createdAt" | "factoryVersion">;
type Creation = { txHash: Hex | null; blockNumber: number; gasUsed: string | null };

export function confirmedOutcome(chain: ChainConfig, row: JudgedLaunch, req: LaunchRequest, facts: TokenFacts, c: Creation): LaunchOutcome {
  return {
    kind: "confirmed",
    launchId: row.id,
    txHash: c.txHash,
    blockNumber: c.blockNumber,
    gasUsed: c.gasUsed,
    detail: `block ${c.blockNumber}`,
    token: {
      chain: chain.id, address: row.address, launchId: row.id, name: facts.name, symbol: facts.symbol, decimals: facts.decimals,
      totalSupply: facts.totalSupply.toString(), owner: facts.owner, features: req.features, metadataUri: req.metadataUri ?? null,
      txHash: c.txHash,
    },
  };
}

/** The chain's confirmation depth rule: the receipt's block and `confirmations − 1` blocks on top of it. */
export function deepEnough(chain: Pick<ChainConfig, "confirmations">, receiptBlock: bigint, latest: bigint): boolean {
  return latest - receiptBlock + 1n >= BigInt(Math.max(chain.confirmations, 1));
}

/**
 * A receipt at least the chain's `confirmations` deep, that succeeded, for a
 * token that matches the request → confirmed. A reverted receipt that deep
 * fails the launch; anything less is pending.
 */
export async function judgeEvm(client: PublicClient, chain: ChainConfig, row: JudgedLaunch, receipt: TransactionReceipt | null, latest: bigint): Promise<LaunchOutcome> {
  if (!receipt || !deepEnough(chain, receipt.blockNumber, latest)) return { kind: "pending", launchId: row.id };
  const txHash = receipt.transactionHash;
  if (receipt.status !== "success") {
    log("warn", "deployer.reverted", { launchId: row.id, chain: chain.id, txHash, outcome: "failed" });
    return { kind: "failed", launchId: row.id, errorType: "revert", detail: `transaction ${txHash} reverted in block ${receipt.blockNumber}` };
  }
  const req = row.request;
  // The receipt's creation event proves the token (one read per launch); five reads of the token only without it.
  const facts = factsFromReceipt(chain, row, receipt) ?? (await readToken(client, row.address as Address));
  const mismatch = tokenMismatches(facts, req);
  if (mismatch.length) {
    return { kind: "failed", launchId: row.id, errorType: "verification", detail: `the token at ${row.address} differs: ${mismatch.join(", ")}` };
  }
  const creation = { txHash, blockNumber: Number(receipt.blockNumber), gasUsed: receipt.gasUsed.toString() };
  log("info", "deployer.confirmed", { launchId: row.id, chain: chain.id, txHash, block: Number(receipt.blockNumber), gasUsed: receipt.gasUsed, outcome: "confirmed" });
  return confirmedOutcome(chain, row, req, facts, creation);
}

/**
 * The token a receipt proves, without reading it: our factory's TokenCreated for
 * this launch at the launch's address. The factory (same code and address on every
 * chain) creates at a CREATE2 address whose salt binds the sender, the launch id and
 * the hash of the token's parameters, and the api derived the launch's address from
 * its request's parameters: a token created there by the factory was initialized with
 * exactly the request (name, symbol, decimals, supply, owner). null when the receipt
 * has no such event (e.g. a foreign contract at the address): then the token is read.
 */
export function factsFromReceipt(chain: ChainConfig, row: Pick<JudgedLaunch, "id" | "address" | "request" | "factoryVersion">, receipt: Pick<TransactionReceipt, "logs">): TokenFacts | null {
  const factory = factoryOfLaunch(chain, row.factoryVersion);
  const ours = receipt.logs.filter((l) => l.address.toLowerCase() === factory.factory.toLowerCase());
  if (!ours.length) return null;
  const launchId = launchIdToBytes32(row.id);
  const events = factory.version === "2"
    ? parseEventLogs({ abi: forgeFactoryV2Abi, eventName: "TokenCreated", logs: ours, strict: true })
    : parseEventLogs({ abi: forgeFactoryAbi, eventName: "TokenCreated", logs: ours, strict: true });
  const created = events.find((e) => e.args.launchId === launchId && e.args.token.toLowerCase() === row.address.toLowerCase());
  if (!created) return null;
  const req = row.request;
  return { name: req.name, symbol: req.symbol, decimals: req.decimals, totalSupply: toRawAmount(req.initialSupply, req.decimals), owner: created.args.owner };
}

/**
 * The receipt of the transaction that deployed the launch's token. The stored
 * hash's receipt when it succeeded; otherwise (no receipt: the Signer replaced
 * it, or a new one went out after a reorg; reverted: a second transaction for a
 * token the first already created) the token's creation event names the one.
 */
export async function landedReceipt(client: PublicClient, chain: ChainConfig, row: JudgedLaunch, latest: bigint, stored: TransactionReceipt | null, now = Date.now()): Promise<TransactionReceipt | null> {
  if (stored?.status === "success") return stored;
  const code = await client.getCode({ address: row.address as Address }).catch(() => undefined);
  if (!code || code === "0x") return stored;
  const creation = await findCreation(client, chain, row, latest, now).catch(() => null);
  if (!creation || creation.txHash === stored?.transactionHash) return stored;
  return (await receiptOf(client, creation.txHash)) ?? stored;
}

export const receiptOf = (client: PublicClient, hash: Hex | null | undefined) =>
  hash ? client.getTransactionReceipt({ hash }).catch(() => null) : Promise.resolve(null);

/** The factory's TokenCreated log of the launch (null when none in its block window). */
export async function findCreation(client: PublicClient, chain: ChainConfig, row: JudgedLaunch, latest: bigint, now = Date.now()): Promise<{ txHash: Hex; blockNumber: bigint } | null> {
  const factory = factoryOfLaunch(chain, row.factoryVersion);
  const window = {
    address: factory.factory as Address,
    eventName: "TokenCreated" as const,
    args: { launchId: launchIdToBytes32(row.id) },
    fromBlock: creationFromBlock(chain, row.createdAt, latest, now),
    toBlock: latest,
  };
  // The two factories' TokenCreated differ (v2 names the payer and the fee); the launch id is indexed in both.
  const logs = factory.version === "2"
    ? await client.getContractEvents({ ...window, abi: forgeFactoryV2Abi })
    : await client.getContractEvents({ ...window, abi: forgeFactoryAbi });
  const first = logs[0];
  return first?.transactionHash && first.blockNumber !== null ? { txHash: first.transactionHash, blockNumber: first.blockNumber } : null;
}
