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
import { deriveMintAddress } from "@tokenforge/core/solana/index";
import type { Env } from "../env";
import { feePayer } from "./keys";
import type { MintAddressRpc } from "@tokenforge/core/solana/mint-address";

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
}
