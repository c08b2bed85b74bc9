// The EVM wallet this tab connected (its provider is not serialisable, so it lives
// here and not in the session store), and finding the last-used one again after a
// reload. Nothing signs with a Solana wallet after sign-in, so none is kept.
import { lastWallet } from "../session";
import { discoverEvmWallets, evmWallets, type EvmWallet } from "./evm";

let evm: EvmWallet | null = null;

export function setActiveEvm(w: EvmWallet | null) {
  evm = w;
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
