// EVM wallets: EIP-6963 discovery (every installed wallet announces itself with a
// name and icon; window.ethereum is only the fallback for wallets that predate it),
// EIP-1193 requests, SIWE sign-in (EIP-4361 + personal_sign), and EIP-747
// wallet_watchAsset with EIP-3326/3085 chain switching.
import { getNonce, signInEvm, type Chain } from "../api";
import { checksumAddress } from "../lib/keccak";
import { signInMessage } from "../lib/signin-message";
import { createStore } from "../store";

export type Eip1193Provider = { request(args: { method: string; params?: unknown }): Promise<unknown> };
export type EvmWalletInfo = { uuid: string; name: string; icon: string; rdns: string };
export type EvmWallet = { info: EvmWalletInfo; provider: Eip1193Provider };

export const evmWallets = createStore<EvmWallet[]>([]);

let listening = false;
export function discoverEvmWallets() {
  if (!listening) {
    listening = true;
    addEventListener("eip6963:announceProvider", (e) => {
      const detail = (e as CustomEvent<EvmWallet>).detail;
      if (!detail?.info?.uuid || typeof detail.provider?.request !== "function") return;
      const others = evmWallets.get().filter((w) => w.info.uuid !== detail.info.uuid && w.info.rdns !== "legacy.window.ethereum");
      evmWallets.set([...others, detail]);
    });
  }
  dispatchEvent(new Event("eip6963:requestProvider"));
  // Wallets without EIP-6963 inject window.ethereum only; list it when nobody announced.
  setTimeout(() => {
    const legacy = (globalThis as { ethereum?: Eip1193Provider }).ethereum;
    if (evmWallets.get().length === 0 && legacy && typeof legacy.request === "function") {
      evmWallets.set([{ info: { uuid: "legacy", name: "Browser wallet", icon: "", rdns: "legacy.window.ethereum" }, provider: legacy }]);
    }
  }, 400);
}

const utf8Hex = (s: string) => "0x" + [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function connectEvm(w: EvmWallet): Promise<{ address: string; chainId: number }> {
  const accounts = (await w.provider.request({ method: "eth_requestAccounts" })) as string[];
  if (!accounts?.[0]) throw new Error("the wallet shared no account");
  const chainId = Number(BigInt((await w.provider.request({ method: "eth_chainId" })) as string));
  return { address: checksumAddress(accounts[0]), chainId };
}

/** SIWE: a server nonce, the EIP-4361 message, personal_sign, then the API sets the session cookie (or, with `submit` = linkEvmWallet, links the wallet to the signed-in account). */
export async function signInWithEvm<T = Awaited<ReturnType<typeof signInEvm>>>(w: EvmWallet, address: string, chainId: number, submit: (message: string, signature: string) => Promise<T> = signInEvm as never): Promise<T> {
  const { nonce } = await getNonce();
  const message = signInMessage("evm", address, chainId, nonce);
  const signature = (await w.provider.request({ method: "personal_sign", params: [utf8Hex(message), address] })) as string;
  return submit(message, signature);
}

export async function ensureChain(w: EvmWallet, chain: Chain) {
  const want = "0x" + chain.chainId!.toString(16);
  const current = (await w.provider.request({ method: "eth_chainId" })) as string;
  if (BigInt(current) === BigInt(want)) return;
  try {
    await w.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: want }] });
  } catch (e) {
    // 4902: the wallet does not know the chain; offer it (EIP-3085), which also switches.
    if ((e as { code?: number }).code !== 4902) throw e;
    await w.provider.request({
      method: "wallet_addEthereumChain",
      params: [{
        chainId: want, chainName: chain.name, rpcUrls: [chain.rpcUrl],
        nativeCurrency: { name: chain.nativeSymbol, symbol: chain.nativeSymbol, decimals: 18 },
        ...(chain.explorerUrl ? { blockExplorerUrls: [chain.explorerUrl] } : {}),
      }],
    });
  }
}

/** EIP-747: asks the wallet to track the token (true when the user accepted). */
export async function watchAsset(w: EvmWallet, chain: Chain, token: { address: string; symbol: string; decimals: number; image?: string | null }) {
  await ensureChain(w, chain);
  const ok = await w.provider.request({
    method: "wallet_watchAsset",
    params: { type: "ERC20", options: { address: token.address, symbol: token.symbol.slice(0, 11), decimals: token.decimals, ...(token.image ? { image: token.image } : {}) } },
  });
  return ok !== false;
}
