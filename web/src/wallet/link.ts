// Linking another wallet to the signed-in account (issue 17): sign in with it
// (SIWE or SIWS, the same messages as sign-in) and send the signature to
// /me/wallets/…; the session stays the account's. Loaded on demand from /me.
import { linkEvmWallet, linkSolanaWallet } from "../api";
import { connectEvm, discoverEvmWallets, evmWallets, signInWithEvm } from "./evm";
import { connectSolana, discoverSolanaWallets, signInWithSolana, solanaWallets } from "./solana";

const settle = () => new Promise((r) => setTimeout(r, 450));

/** Links the account the EVM wallet has selected now (switch accounts in the wallet first). */
export async function linkEvm(): Promise<string> {
  discoverEvmWallets();
  if (!evmWallets.get().length) await settle();
  const w = evmWallets.get()[0];
  if (!w) throw new Error("no EVM wallet found in this browser");
  const { address, chainId } = await connectEvm(w);
  const { wallet } = await signInWithEvm(w, address, chainId, linkEvmWallet);
  return wallet.address;
}

export async function linkSolana(): Promise<string> {
  discoverSolanaWallets();
  if (!solanaWallets.get().length) await settle();
  const w = solanaWallets.get()[0];
  if (!w) throw new Error("no Solana wallet found in this browser");
  const { wallet } = await signInWithSolana(w, await connectSolana(w), linkSolanaWallet);
  return wallet.address;
}
