// The owner's own transactions on their token (issue 19, owner controls), built in
// the browser and sent by the connected wallet: EVM calls encoded with viem against
// the token ABI the deployer uses, sent with eth_sendTransaction (EIP-1193); Solana
// SetAuthority on the Token-2022 mint, built with @solana/kit and sent with the
// Wallet Standard's signAndSendTransaction. Then the chain is polled until it has
// the transaction. Loaded only when an owner opens the controls (its own chunk).
import { encodeFunctionData, parseUnits } from "viem";
import {
  address, appendTransactionMessageInstruction, compileTransaction, createNoopSigner, createTransactionMessage, getTransactionEncoder,
  pipe, setTransactionMessageFeePayer, setTransactionMessageLifetimeUsingBlockhash, type Blockhash,
} from "@solana/kit";
import { AuthorityType, getSetAuthorityInstruction } from "@solana-program/token";
import { forgeTokenV2Abi } from "@tokenforge/core/contracts/artifacts";
import { TOKEN_2022_PROGRAM } from "@tokenforge/core/solana/token-2022";
import type { Chain } from "../api";
import { payWithEvm, sendWithSolana } from "./pay";

export type OwnerAction =
  | { kind: "renounce" } | { kind: "pause" } | { kind: "unpause" }
  | { kind: "mint"; to: string; amount: string; decimals: number }
  | { kind: "revokeMint" } | { kind: "revokeFreeze" };

/** The calldata of an EVM owner action (ForgeTokenV2's ABI: the same for every factory version's token). */
export function evmCallData(action: OwnerAction): `0x${string}` {
  switch (action.kind) {
    case "renounce": return encodeFunctionData({ abi: forgeTokenV2Abi, functionName: "renounceOwnership" });
    case "pause": return encodeFunctionData({ abi: forgeTokenV2Abi, functionName: "pause" });
    case "unpause": return encodeFunctionData({ abi: forgeTokenV2Abi, functionName: "unpause" });
    case "mint":
      return encodeFunctionData({ abi: forgeTokenV2Abi, functionName: "mint", args: [action.to as `0x${string}`, parseUnits(action.amount, action.decimals)] });
    default: throw new Error(`${action.kind} is a Solana action`);
  }
}

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result as T;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** A Token-2022 SetAuthority that revokes (newAuthority: none), paid and signed by the authority itself. */
export async function solanaRevokeTransaction(rpcUrl: string, mint: string, authority: string, kind: "revokeMint" | "revokeFreeze"): Promise<string> {
  const { value } = await rpc<{ value: { blockhash: string; lastValidBlockHeight: number } }>(rpcUrl, "getLatestBlockhash", [{ commitment: "confirmed" }]);
  const signer = createNoopSigner(address(authority)); // the wallet signs; this only marks the account as a signer
  const ix = getSetAuthorityInstruction({
    owned: address(mint), owner: signer, newAuthority: null,
    authorityType: kind === "revokeMint" ? AuthorityType.MintTokens : AuthorityType.FreezeAccount,
  }, { programAddress: TOKEN_2022_PROGRAM });
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(address(authority), m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: value.blockhash as Blockhash, lastValidBlockHeight: BigInt(value.lastValidBlockHeight) }, m),
    (m) => appendTransactionMessageInstruction(ix, m),
  );
  return toBase64(new Uint8Array(getTransactionEncoder().encode(compileTransaction(message))));
}

/** Sends the action from `owner` through the connected wallet; returns the transaction hash or signature. */
export async function sendOwnerAction(chain: Chain, token: string, owner: string, action: OwnerAction): Promise<string> {
  if (chain.family === "evm") return payWithEvm(chain, owner, { chainId: chain.chainId!, to: token, data: evmCallData(action), value: "0" }, "transaction");
  if (action.kind !== "revokeMint" && action.kind !== "revokeFreeze") throw new Error(`${action.kind} is an EVM action`);
  return sendWithSolana(owner, await solanaRevokeTransaction(chain.rpcUrl, token, owner, action.kind), "transaction");
}

/** Polls the chain until it has the transaction (EVM receipt, Solana "confirmed"); throws if it failed there. */
export async function waitOnChain(chain: Chain, id: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (chain.family === "evm") {
      const r = await rpc<{ status: string } | null>(chain.rpcUrl, "eth_getTransactionReceipt", [id]);
      if (r) {
        if (r.status !== "0x1") throw new Error("the transaction reverted on chain");
        return;
      }
    } else {
      const { value } = await rpc<{ value: ({ confirmationStatus: string; err: unknown } | null)[] }>(chain.rpcUrl, "getSignatureStatuses", [[id]]);
      const s = value[0];
      if (s?.err) throw new Error(`the transaction failed on chain: ${JSON.stringify(s.err)}`);
      if (s && (s.confirmationStatus === "confirmed" || s.confirmationStatus === "finalized")) return;
    }
    await new Promise((r) => setTimeout(r, 700));
  }
  throw new Error("the chain has not included the transaction yet; check it on the explorer");
}
