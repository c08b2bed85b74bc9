// The wallet objects this tab connected (non-serialisable, so they live here and
// not in the session store), and finding the last-used wallet again after a reload.
import { lastWallet, walletStore } from "../session";
import { discoverEvmWallets, evmWallets, type EvmWallet } from "./evm";
import { discoverSolanaWallets, solanaWallets, type StandardWallet, type WalletAccount } from "./solana";

let evm: EvmWallet | null = null;
let solana: { wallet: StandardWallet; account: WalletAccount } | null = null;

export function setActiveEvm(w: EvmWallet | null) {
  evm = w;
}
export function setActiveSolana(v: { wallet: StandardWallet; account: WalletAccount } | null) {
  solana = v;
}

const settle = () => new Promise((r) => setTimeout(r, 450));

/** The connected EVM wallet, or the last one used in this browser, or the only one installed. */
export async function findEvmWallet(): Promise<EvmWallet | null> {
  if (evm) return evm;
  discoverEvmWallets();
  if (evmWallets.get().length === 0) await settle();
  const list = evmWallets.get();
  const last = lastWallet();
  const w = list.find((x) => last?.family === "evm" && (x.info.rdns === last.id || x.info.uuid === last.id)) ?? (list.length === 1 ? list[0]! : null);
  return w ?? null;
}

export async function findSolanaWallet(): Promise<StandardWallet | null> {
  if (solana) return solana.wallet;
  discoverSolanaWallets();
  if (solanaWallets.get().length === 0) await settle();
  const list = solanaWallets.get();
  const last = lastWallet();
  return list.find((x) => last?.family === "solana" && x.name === last.id) ?? (list.length === 1 ? list[0]! : null);
}

export const connectedAddress = () => walletStore.get()?.address ?? null;
