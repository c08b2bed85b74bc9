// Paying for a wallet-paid launch with the signed-in wallet: EVM sends the
// prepared transaction with eth_sendTransaction (EIP-1193) from the payer's
// account, on the launch's chain; Solana has the Wallet Standard wallet sign the
// prepared transaction. Loaded only when someone pays (its own chunk).
import type { Chain } from "../api";
import { base58Encode } from "@tokenforge/core/auth/base58";
import { lastWallet } from "../session";
import { findEvmWallet } from "./active";
import { ensureChain } from "./evm";
import { connectSolana, discoverSolanaWallets, solanaWallets, type StandardWallet, type WalletAccount } from "./solana";

/** Why a payment did not start; `declined` is the user's choice in the wallet (retryable, nothing was charged). */
export class PayError extends Error {
  constructor(readonly reason: "declined" | "no-wallet" | "wrong-account" | "wallet-error", message: string) {
    super(message);
  }
}

/** What the wallet is asked to send, in the user's words: a launch's payment, or an owner's action on a token. */
export type Sending = "payment" | "transaction";

/** EIP-1193 4001 and the Wallet Standard wallets' own words for "the user said no". */
function asPayError(e: unknown, wallet: string, what: Sending): PayError {
  if (e instanceof PayError) return e;
  const code = (e as { code?: number })?.code;
  const text = String((e as Error)?.message ?? e);
  if (code === 4001 || /reject|denied|declined|cancel/i.test(text)) return new PayError("declined", `You declined the ${what} in ${wallet}.`);
  return new PayError("wallet-error", `${wallet} could not send the ${what}: ${text}`);
}

const sameAddress = (a: string, b: string) => (a.startsWith("0x") ? a.toLowerCase() === b.toLowerCase() : a === b);

export type EvmTransaction = { chainId: number; to: string; data: string; value: string };

/** Sends the launch transaction from `payer` on `chain`; returns its hash once the wallet broadcast it. */
export async function payWithEvm(chain: Chain, payer: string, tx: EvmTransaction, what: Sending = "payment"): Promise<string> {
  const w = await findEvmWallet();
  if (!w) throw new PayError("no-wallet", "No EVM wallet found in this browser. Open the wallet you signed in with, then try again.");
  const name = w.info.name;
  try {
    const accounts = (await w.provider.request({ method: "eth_requestAccounts" })) as string[];
    if (!accounts?.some((a) => sameAddress(a, payer))) {
      throw new PayError("wrong-account", `${name} is not on the account you signed in with. Switch to ${payer} in ${name}, then try again.`);
    }
    await ensureChain(w, { ...chain, chainId: tx.chainId });
    return (await w.provider.request({
      method: "eth_sendTransaction",
      params: [{ from: payer, to: tx.to, data: tx.data, value: "0x" + BigInt(tx.value).toString(16) }],
    })) as string;
  } catch (e) {
    throw asPayError(e, name, what);
  }
}

type SignAndSendFeature = {
  signAndSendTransaction(
    ...inputs: { account: WalletAccount; transaction: Uint8Array; chain: string; options?: { preflightCommitment?: string; commitment?: string } }[]
  ): Promise<readonly { signature: Uint8Array }[]>;
};

const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** The Solana wallet the user signed in with (this browser's last one, or the only one), connected on the payer's account. */
async function solanaWalletFor(payer: string, what: Sending): Promise<{ wallet: StandardWallet; account: WalletAccount }> {
  discoverSolanaWallets();
  if (solanaWallets.get().length === 0) await new Promise((r) => setTimeout(r, 450));
  const list = solanaWallets.get();
  const last = lastWallet();
  const wallet = list.find((w) => last?.family === "solana" && w.name === last.id) ?? (list.length === 1 ? list[0] : undefined);
  if (!wallet) throw new PayError("no-wallet", "No Solana wallet found in this browser. Open the wallet you signed in with, then try again.");
  try {
    const first = await connectSolana(wallet);
    const account = wallet.accounts.find((a) => a.address === payer) ?? (first.address === payer ? first : undefined);
    if (!account) {
      throw new PayError("wrong-account", `${wallet.name} is not on the account you signed in with. Switch to ${payer} in ${wallet.name}, then try again.`);
    }
    return { wallet, account };
  } catch (e) {
    throw asPayError(e, wallet.name, what);
  }
}

/** The wallet signs and sends the prepared transaction; returns its signature (base58). */
export async function sendWithSolana(payer: string, transaction: string, what: Sending = "payment"): Promise<string> {
  const { wallet, account } = await solanaWalletFor(payer, what);
  const feature = wallet.features["solana:signAndSendTransaction"] as SignAndSendFeature | undefined;
  if (!feature) throw new PayError("wallet-error", `${wallet.name} cannot send transactions.`);
  try {
    const chain = account.chains.find((c) => c.startsWith("solana:")) ?? "solana:mainnet";
    // The API takes the blockhash at "confirmed": a wallet simulating against "finalized" (the RPC default) would not know it yet.
    const [out] = await feature.signAndSendTransaction({
      account, transaction: fromBase64(transaction), chain, options: { preflightCommitment: "confirmed", commitment: "confirmed" },
    });
    if (!out) throw new Error("the wallet returned no signature");
    return base58Encode(out.signature);
  } catch (e) {
    throw asPayError(e, wallet.name, what);
  }
}
