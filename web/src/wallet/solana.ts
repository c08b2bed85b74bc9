// Solana wallets through the Wallet Standard (github.com/wallet-standard): the app
// announces itself with "wallet-standard:app-ready" and wallets register through
// the callback, before or after this code loads. Sign-in is SIWS: the EIP-4361
// text with "Solana account", signed with solana:signMessage (ed25519).
import { getNonce, signInSolana } from "../api";
import { base58Encode } from "@tokenforge/core/auth/base58";
import { signInMessage } from "../lib/signin-message";
import { createStore } from "../store";

export type WalletAccount = { address: string; publicKey: Uint8Array; chains: readonly string[]; features: readonly string[] };
type ConnectFeature = { connect(input?: { silent?: boolean }): Promise<{ accounts: readonly WalletAccount[] }> };
type SignMessageFeature = {
  signMessage(...inputs: { account: WalletAccount; message: Uint8Array }[]): Promise<readonly { signedMessage: Uint8Array; signature: Uint8Array }[]>;
};
export type StandardWallet = {
  version: string;
  name: string;
  icon: string;
  chains: readonly string[];
  accounts: readonly WalletAccount[];
  features: Record<string, unknown>;
};

export const solanaWallets = createStore<StandardWallet[]>([]);

const usable = (w: StandardWallet) =>
  w.chains.some((c) => c.startsWith("solana:")) && !!w.features["standard:connect"] && !!w.features["solana:signMessage"];

function register(...wallets: StandardWallet[]) {
  const add = wallets.filter((w) => usable(w) && !solanaWallets.get().includes(w));
  if (add.length) solanaWallets.set([...solanaWallets.get(), ...add]);
  return () => solanaWallets.set(solanaWallets.get().filter((w) => !wallets.includes(w)));
}

let ready = false;
export function discoverSolanaWallets() {
  if (ready) return;
  ready = true;
  const api = Object.freeze({ register });
  addEventListener("wallet-standard:register-wallet", (e) => {
    const callback = (e as CustomEvent<(api: { register: typeof register }) => void>).detail;
    try {
      callback(api);
    } catch {
      /* a broken wallet must not break the page */
    }
  });
  dispatchEvent(new CustomEvent("wallet-standard:app-ready", { detail: api }));
}

export async function connectSolana(w: StandardWallet): Promise<WalletAccount> {
  const { accounts } = await (w.features["standard:connect"] as ConnectFeature).connect();
  const account = accounts.find((a) => a.chains.some((c) => c.startsWith("solana:"))) ?? accounts[0];
  if (!account) throw new Error("the wallet shared no account");
  return account;
}

export async function signInWithSolana<T = Awaited<ReturnType<typeof signInSolana>>>(
  w: StandardWallet, account: WalletAccount, submit: (message: string, signature: string, publicKey: string) => Promise<T> = signInSolana as never,
): Promise<T> {
  const { nonce } = await getNonce();
  const chainId = account.chains.find((c) => c.startsWith("solana:"))?.slice("solana:".length) ?? "mainnet";
  const message = signInMessage("solana", account.address, chainId, nonce);
  const [signed] = await (w.features["solana:signMessage"] as SignMessageFeature).signMessage({ account, message: new TextEncoder().encode(message) });
  if (!signed) throw new Error("the wallet returned no signature");
  return submit(message, base58Encode(signed.signature), account.address);
}
