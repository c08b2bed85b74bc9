// The confirmations queue consumer: looks up receipts of submitted launches,
// waits for the chain's confirmations, verifies the token and marks it confirmed.
// Not mined yet → the message comes back after a delay; nobody sleeps on a receipt.
import { type Address, type Hex, type PublicClient } from "viem";
import { log, type ChainConfig, type ConfirmMessage, type LaunchRequest } from "@tokenforge/core";
import { launchIdToBytes32 } from "@tokenforge/core/evm/token-address";
import { factoryAddress } from "@tokenforge/core/contracts/factory";
import { forgeFactoryAbi } from "@tokenforge/core/contracts/artifacts";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { Env } from "./env";
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
          Promise.all(chainRows.map((r) => client.getTransactionReceipt({ hash: r.txHash as Hex }).catch(() => null))),
        ]);
        await Promise.all(
          chainRows.map(async (row, i) => {
            let receipt = receipts[i];
            if (!receipt) {
              // The Signer may have replaced the transaction (higher fees, same
              // nonce): the token's creation event names the one that landed.
              const code = await client.getCode({ address: row.address as Address }).catch(() => undefined);
              const creation = code && code !== "0x" ? await findCreation(client, row, latest > 10_000n ? latest - 10_000n : 0n).catch(() => null) : null;
              if (creation?.txHash && creation.txHash !== row.txHash) {
                receipt = await client.getTransactionReceipt({ hash: creation.txHash }).catch(() => null);
              }
            }
            if (!receipt || latest - receipt.blockNumber + 1n < BigInt(Math.max(chain.confirmations, 1))) {
              notYet.add(row.id);
              return;
            }
            const key = `${chain.id}:${row.deployer}`;
            const entry = settled.get(key) ?? { chain: chain.id, deployer: row.deployer, ids: [] };
            entry.ids.push(row.id);
            settled.set(key, entry);
            if (receipt.status !== "success") {
              changes.push({ kind: "failed", launchId: row.id, errorType: "revert", detail: `transaction ${receipt.transactionHash} reverted in block ${receipt.blockNumber}` });
              log("warn", "deployer.reverted", { launchId: row.id, chain: chain.id, txHash: receipt.transactionHash, outcome: "failed" });
              return;
            }
            const req = JSON.parse(row.request) as LaunchRequest;
            const facts = await readToken(client, row.address as Address);
            const mismatch = tokenMismatches(facts, req);
            if (mismatch.length) {
              changes.push({ kind: "failed", launchId: row.id, errorType: "verification", detail: `the token at ${row.address} differs: ${mismatch.join(", ")}` });
              return;
            }
            const creation = { txHash: receipt.transactionHash, blockNumber: Number(receipt.blockNumber), gasUsed: receipt.gasUsed.toString() };
            changes.push(confirmedChange(chain, row, req, facts, creation));
            log("info", "deployer.confirmed", { launchId: row.id, chain: chain.id, txHash: receipt.transactionHash, block: Number(receipt.blockNumber), gasUsed: receipt.gasUsed, outcome: "confirmed" });
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
  const delaySeconds = Number(env.CONFIRM_DELAY_SECONDS ?? "1");
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

/** Where the factory created the launch's token (its TokenCreated log), for a launch found already deployed. */
export async function findCreation(client: PublicClient, row: LaunchRow, fromBlock: bigint | "earliest" = "earliest"): Promise<Creation> {
  const logs = await client.getContractEvents({
    address: factoryAddress as Address,
    abi: forgeFactoryAbi,
    eventName: "TokenCreated",
    args: { launchId: launchIdToBytes32(row.id) },
    fromBlock,
    toBlock: "latest",
  });
  const first = logs[0];
  if (!first?.transactionHash) return { txHash: (row.txHash as Hex) ?? null, blockNumber: 0, gasUsed: null };
  const receipt = await client.getTransactionReceipt({ hash: first.transactionHash });
  return { txHash: first.transactionHash, blockNumber: Number(first.blockNumber), gasUsed: receipt.gasUsed.toString() };
}
