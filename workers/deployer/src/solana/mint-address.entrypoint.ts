// Workers RPC entrypoint the api calls (service binding DEPLOYER, entrypoint
// "MintAddress" in workers/api/wrangler.toml) to put a Solana launch's mint address in its
// 202 before anything is sent.
//
// Why here and not in the api: the mint keypair is derived from MINT_SEED_SECRET
// and the launch id (so a launch makes at most one mint). Whoever holds that secret holds every
// future mint's private key and could occupy a launch's address before we do;
// the api is the internet-facing Worker, so the secret stays with the deployer
// and the api gets only public addresses through this narrow method. (A
// createAccountWithSeed address — public, derivable from the fee payer — would
// avoid the call, but then the mint is not a keypair and the design's
// "derived mint keypair" guarantee would be a different one.) A same-account
// service binding is a function call on the same machine, well under a millisecond.
import { WorkerEntrypoint } from "cloudflare:workers";
import type { Address, Blockhash } from "@solana/kit";
import { chainRegistry, findChain, isBase58PublicKey } from "@tokenforge/core";
import { deriveMintAddress, walletLaunchTransaction } from "@tokenforge/core/solana/index";
import { rentForZeroBytes, solanaRpc } from "./rpc";
import type { Env } from "../env";
import { feePayer } from "./keys";
import type { MintAddressRpc, WalletTransactionInput, WalletTransactionIssued } from "@tokenforge/core/solana/mint-address";

const LAUNCH_ID = /^lch_[0-9a-z]{26}$/;

export class MintAddress extends WorkerEntrypoint<Env> implements MintAddressRpc {
  /** The mint address of a launch (public; the key behind it never leaves the deployer). */
  async address(launchId: string): Promise<string> {
    if (!LAUNCH_ID.test(launchId)) throw new Error("not a launch id");
    if (!this.env.MINT_SEED_SECRET) throw new Error("MINT_SEED_SECRET is not set on the deployer");
    return deriveMintAddress(this.env.MINT_SEED_SECRET, launchId);
  }

  /** The fee payer's public address (for health and the launch row's deployer column). */
  async feePayer(): Promise<string> {
    return (await feePayer(this.env)).address;
  }

  /**
   * A wallet-paid launch's transaction on the newest confirmed blockhash: the api
   * calls this for the 202 and for each fresh transaction in the payment window.
   * Public data only (no secret is involved: the mint is createWithSeed(payer, id)).
   */
  async walletTransaction(input: WalletTransactionInput): Promise<WalletTransactionIssued> {
    if (!LAUNCH_ID.test(input.launchId)) throw new Error("not a launch id");
    if (!isBase58PublicKey(input.payer)) throw new Error("the payer is not a Solana address");
    const chain = findChain(chainRegistry(this.env), input.chain);
    if (chain?.family !== "solana") throw new Error(`not a Solana chain: ${input.chain}`);
    if (!chain.treasury || chain.platformFee === undefined) throw new Error(`chain ${chain.id} names no treasury or platformFee`);
    const rpc = solanaRpc(this.env, chain, { launchIds: [input.launchId], hop: "wallet-tx" });
    const [rent0, { value: lifetime }] = await Promise.all([rentForZeroBytes(this.env, chain), rpc.getLatestBlockhash({ commitment: "confirmed" }).send()]);
    const tx = await walletLaunchTransaction({
      payer: input.payer as Address, launchId: input.launchId, req: input.request, rentForZeroBytes: rent0,
      treasury: chain.treasury as Address, platformFee: BigInt(chain.platformFee),
      lifetime: lifetime as { blockhash: Blockhash; lastValidBlockHeight: bigint },
    });
    return { mint: tx.mint, transaction: tx.transaction, lastValidBlockHeight: tx.lastValidBlockHeight.toString(), payer: input.payer, treasury: chain.treasury, platformFee: chain.platformFee };
  }
}
