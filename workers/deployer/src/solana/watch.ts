// The Solana adapter's watch: a launch the platform does not send (a wallet pays
// for the transaction) is found at its predicted mint. The mint must exist at the
// chain's commitment and be the Token-2022 mint the request asks for (judge.ts);
// one seen only at "processed" is pending. The rpc comes first and nothing of the
// Worker runtime is imported: test/unit/chain-adapter-watch.test.ts runs it on the local node.
//
// A wallet-paid launch (its payment names payer, treasury and fee) additionally:
// - is confirmed only when the transaction that made its mint paid the treasury the
//   platform fee (the payer could send another transaction to its own address);
// - expires only when its window passed AND the chain is past the last valid block
//   height of the last transaction issued for it (until then that one may still land).
import type { Address, Signature } from "@solana/kit";
import { SolanaPaymentTransaction, type ChainConfig } from "@tokenforge/core";
import { walletFeePaid } from "@tokenforge/core/solana/index";
import { absentOutcome, type LaunchOutcome, type WatchedLaunch } from "../adapter";
import { checkMints, mintsExist } from "./read";
import { chainCommitment, type SolanaRpc } from "./rpc";
import { judgeMint } from "./judge";

type WalletPayment = SolanaPaymentTransaction;

function walletPayment(l: WatchedLaunch): WalletPayment | null {
  const p = SolanaPaymentTransaction.safeParse(l.payment ?? null);
  return p.success ? p.data : null;
}

export async function watchSolana(rpc: SolanaRpc, chain: ChainConfig, launches: WatchedLaunch[], now: number): Promise<LaunchOutcome[]> {
  if (!launches.length) return [];
  const commitment = chainCommitment(chain);
  const payments = launches.map(walletPayment);
  // Read before the accounts: if the mint is absent even at "processed" afterwards
  // and this height is past a transaction's last valid one, that transaction can never land.
  const height = payments.some((p) => p) ? await rpc.getBlockHeight({ commitment: "confirmed" }).send() : null;
  const [checks, seen] = await Promise.all([checkMints(rpc, launches, commitment), mintsExist(rpc, launches, "processed")]);
  return Promise.all(
    launches.map(async (l, i): Promise<LaunchOutcome> => {
      const pay = payments[i];
      if (checks[i]!.exists) {
        const judged = judgeMint(chain, l, checks[i]!, null, 0);
        if (judged.kind !== "confirmed" || !pay) return judged;
        const creation = await creatingTransaction(rpc, l.address as Address, pay.payer, commitment);
        if (!creation) return { kind: "pending", launchId: l.id, detail: "the mint's transaction is not at the chain's commitment yet" };
        if (!walletFeePaid(creation, pay.treasury, BigInt(pay.platformFee))) {
          return { kind: "failed", launchId: l.id, errorType: "verification", detail: `the transaction ${creation.signature} that made the mint did not pay the platform fee of ${pay.platformFee} lamports to ${pay.treasury}` };
        }
        return { ...judged, txHash: creation.signature, blockNumber: creation.slot, detail: `slot ${creation.slot}; platform fee paid` };
      }
      if (seen[i]) return { kind: "pending", launchId: l.id, detail: `the mint ${l.address} is not at the chain's commitment yet` };
      const absent = absentOutcome(l, now, l.address);
      if (absent.kind === "expired" && pay && height !== null && height <= BigInt(pay.lastValidBlockHeight)) {
        return { kind: "pending", launchId: l.id, detail: `the window passed; the last transaction issued may land until block height ${pay.lastValidBlockHeight} (now ${height})` };
      }
      return absent;
    }),
  );
}

export type CreatingTransaction = { signature: string; slot: number; accountKeys: string[]; preBalances: bigint[]; postBalances: bigint[]; err: unknown };

/**
 * The oldest successful transaction touching the mint that the payer signed: the
 * one that made it (only the payer, as the seed's base, can allocate that address;
 * lamports others send to it beforehand are not signed by the payer).
 */
export async function creatingTransaction(rpc: SolanaRpc, mint: Address, payer: string, commitment: "processed" | "confirmed" | "finalized"): Promise<CreatingTransaction | null> {
  const at = commitment === "processed" ? "confirmed" : commitment; // history is not served below confirmed
  const sigs = await rpc.getSignaturesForAddress(mint, { commitment: at, limit: 1000 }).send();
  for (const s of [...sigs].reverse()) {
    if (s.err != null) continue;
    const tx = await rpc.getTransaction(s.signature as Signature, { commitment: at, encoding: "json", maxSupportedTransactionVersion: 0 }).send();
    if (!tx?.meta) continue;
    const msg = tx.transaction.message;
    const signers = msg.accountKeys.slice(0, msg.header.numRequiredSignatures);
    if (!signers.includes(payer as Address)) continue;
    const loaded = tx.meta.loadedAddresses;
    return {
      signature: s.signature,
      slot: Number(s.slot),
      accountKeys: [...msg.accountKeys, ...(loaded?.writable ?? []), ...(loaded?.readonly ?? [])],
      preBalances: tx.meta.preBalances.map(BigInt),
      postBalances: tx.meta.postBalances.map(BigInt),
      err: tx.meta.err,
    };
  }
  return null;
}
