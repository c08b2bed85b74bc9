// The confirmations queue consumer: looks up receipts of submitted launches,
// waits for the chain's confirmations, verifies the token and marks it confirmed.
// Not mined yet → the message comes back after a delay; nobody sleeps on a receipt.
import { type Address, type Hex, type PublicClient, type TransactionReceipt } from "viem";
import { log, type ChainConfig, type ConfirmMessage, type LaunchRequest } from "@tokenforge/core";
import { launchIdToBytes32 } from "@tokenforge/core/evm/token-address";
import { creationFromBlock } from "@tokenforge/core/evm/creation-window";
import { factoryAddress } from "@tokenforge/core/contracts/factory";
import { forgeFactoryAbi } from "@tokenforge/core/contracts/artifacts";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { Env } from "./env";
import { deployerConfig } from "./config";
import { evmClient, getChain } from "./chain-client";
import { applyChanges, loadLaunches, type Change } from "./store";
import { announceFinal } from "./announce";
import { signerFor } from "./signer.do";
import { readToken, tokenMismatches, type TokenFacts } from "./verify";
import { confirmSolana } from "./solana/confirm";

type Creation = { txHash: Hex | null; blockNumber: number; gasUsed: string | null };

export async function handleConfirmations(batch: MessageBatch<ConfirmMessage>, env: Env): Promise<void> {
  const rows = await loadLaunches(env.DB, batch.messages.map((m) => m.body.launchId));
  const changes: Change[] = [];
  const notYet = new Set<string>();
  const settled = new Map<string, { chain: string; deployer: string; ids: string[] }>();

  const byChain = new Map<string, LaunchRow[]>();
  for (const row of rows) {
    if (row.status !== "submitted" || !row.txHash) continue;
    byChain.set(row.chain, [...(byChain.get(row.chain) ?? []), row]);
  }
  await Promise.all(
    [...byChain].map(async ([chainId, chainRows]) => {
      const chain = getChain(env, chainId);
      if (chain.family === "solana") {
        // Same outcome shape as the EVM path below; Solana has no Signer to settle.
        const out = await confirmSolana(env, chain, chainRows).catch((e: unknown) => {
          log("warn", "deployer.confirm_check_failed", { chain: chainId, error: e });
          return { changes: [], notYet: chainRows.map((r) => r.id) };
        });
        changes.push(...out.changes);
        for (const id of out.notYet) notYet.add(id);
        return;
      }
      const client = evmClient(chain, { launchIds: chainRows.map((r) => r.id), hop: "confirm" });
      try {
        const [latest, receipts] = await Promise.all([
          client.getBlockNumber({ cacheTime: 0 }),
          Promise.all(chainRows.map((r) => receiptOf(client, r.txHash as Hex))),
        ]);
        await Promise.all(
          chainRows.map(async (row, i) => {
            const receipt = await landedReceipt(client, chain, row, latest, receipts[i] ?? null);
            const verdict = await judgeEvm(client, chain, row, receipt, latest);
            if (verdict.kind === "not-yet") return void notYet.add(row.id);
            const key = `${chain.id}:${row.deployer}`;
            const entry = settled.get(key) ?? { chain: chain.id, deployer: row.deployer, ids: [] };
            entry.ids.push(row.id);
            settled.set(key, entry);
            changes.push(verdict.change);
          }),
        );
      } catch (e) {
        log("warn", "deployer.confirm_check_failed", { chain: chainId, error: e });
        for (const r of chainRows) notYet.add(r.id);
      }
    }),
  );

  await announceFinal(env, await applyChanges(env.DB, changes));
  await Promise.all([...settled.values()].map((s) => signerFor(env, s.chain, s.deployer).settle(s.ids)));
  const delaySeconds = deployerConfig(env).confirmDelaySeconds;
  for (const m of batch.messages) {
    if (notYet.has(m.body.launchId)) m.retry({ delaySeconds });
    else m.ack();
  }
}

export function confirmedChange(chain: ChainConfig, row: LaunchRow, req: LaunchRequest, facts: TokenFacts, c: Creation): Change {
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

export type Verdict = { kind: "not-yet" } | { kind: "final"; change: Change; txHash: Hex };

/** The chain's confirmation depth rule: the receipt's block and `confirmations − 1` blocks on top of it. */
export function deepEnough(chain: Pick<ChainConfig, "confirmations">, receiptBlock: bigint, latest: bigint): boolean {
  return latest - receiptBlock + 1n >= BigInt(Math.max(chain.confirmations, 1));
}

/**
 * The one rule for an EVM launch's "confirmed", on every path that finds its
 * transaction (the confirmations consumer; a redelivery, replay, re-drive or
 * sweep that finds the token already there): a receipt at least the chain's
 * `confirmations` deep, that succeeded, for a token that matches the request.
 * A reverted receipt that deep fails the launch; anything less is "not yet".
 */
export async function judgeEvm(client: PublicClient, chain: ChainConfig, row: LaunchRow, receipt: TransactionReceipt | null, latest: bigint): Promise<Verdict> {
  if (!receipt || !deepEnough(chain, receipt.blockNumber, latest)) return { kind: "not-yet" };
  const txHash = receipt.transactionHash;
  if (receipt.status !== "success") {
    log("warn", "deployer.reverted", { launchId: row.id, chain: chain.id, txHash, outcome: "failed" });
    return { kind: "final", txHash, change: { kind: "failed", launchId: row.id, errorType: "revert", detail: `transaction ${txHash} reverted in block ${receipt.blockNumber}` } };
  }
  const req = JSON.parse(row.request) as LaunchRequest;
  const facts = await readToken(client, row.address as Address);
  const mismatch = tokenMismatches(facts, req);
  if (mismatch.length) {
    return { kind: "final", txHash, change: { kind: "failed", launchId: row.id, errorType: "verification", detail: `the token at ${row.address} differs: ${mismatch.join(", ")}` } };
  }
  const creation = { txHash, blockNumber: Number(receipt.blockNumber), gasUsed: receipt.gasUsed.toString() };
  log("info", "deployer.confirmed", { launchId: row.id, chain: chain.id, txHash, block: Number(receipt.blockNumber), gasUsed: receipt.gasUsed, outcome: "confirmed" });
  return { kind: "final", txHash, change: confirmedChange(chain, row, req, facts, creation) };
}

/**
 * The receipt of the transaction that deployed the launch's token. The stored
 * hash's receipt when it succeeded; otherwise (no receipt: the Signer replaced
 * it, or a new one went out after a reorg; reverted: a second transaction for a
 * token the first already created) the token's creation event names the one.
 */
export async function landedReceipt(client: PublicClient, chain: ChainConfig, row: LaunchRow, latest: bigint, stored: TransactionReceipt | null): Promise<TransactionReceipt | null> {
  if (stored?.status === "success") return stored;
  const code = await client.getCode({ address: row.address as Address }).catch(() => undefined);
  if (!code || code === "0x") return stored;
  const creation = await findCreation(client, chain, row, latest).catch(() => null);
  if (!creation || creation.txHash === stored?.transactionHash) return stored;
  return (await receiptOf(client, creation.txHash)) ?? stored;
}

const receiptOf = (client: PublicClient, hash: Hex | null | undefined) =>
  hash ? client.getTransactionReceipt({ hash }).catch(() => null) : Promise.resolve(null);

/** The factory's TokenCreated log of the launch (null when none in its block window). */
export async function findCreation(client: PublicClient, chain: ChainConfig, row: LaunchRow, latest: bigint): Promise<{ txHash: Hex; blockNumber: bigint } | null> {
  const logs = await client.getContractEvents({
    address: factoryAddress as Address,
    abi: forgeFactoryAbi,
    eventName: "TokenCreated",
    args: { launchId: launchIdToBytes32(row.id) },
    fromBlock: creationFromBlock(chain, row.createdAt, latest, Date.now()),
    toBlock: latest,
  });
  const first = logs[0];
  return first?.transactionHash && first.blockNumber !== null ? { txHash: first.transactionHash, blockNumber: first.blockNumber } : null;
}
