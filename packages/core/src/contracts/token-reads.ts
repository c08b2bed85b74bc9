// What the chain says about a token now (issue 19), as plain JSON-RPC calls a
// Worker sends through its chain's gate in one batch (the cron's token-state
// job), without a viem client or an RPC connection. Pure: calls out, answers in.
// EVM: totalSupply(), owner(), paused(), cap() of a ForgeToken (v1 and v2 answer
// all four); Solana: the mint account (getMultipleAccounts, base64) parsed for
// supply and its three authorities.
import { decodeFunctionResult, encodeFunctionData, zeroAddress, type Address, type Hex } from "viem";
import { forgeTokenV2Abi } from "./artifacts";
import { parseMint } from "../solana/token-2022";

/** What token_state keeps of one read (base units as decimal strings). */
export type ChainTokenState = {
  currentSupply: string;
  owner: string | null;
  paused: boolean;
  cap: string | null;
  mintAuthority: string | null;
  freezeAuthority: string | null;
  updateAuthority: string | null;
};

const EVM_READS = ["totalSupply", "owner", "paused", "cap"] as const;
/** Calls per EVM token in evmTokenStateCalls. */
export const EVM_CALLS_PER_TOKEN = EVM_READS.length;

/** eth_call requests for one token, in EVM_READS order. */
export function evmTokenStateCalls(token: Address, block: string = "latest"): { method: string; params: unknown[] }[] {
  return EVM_READS.map((functionName) => ({
    method: "eth_call",
    params: [{ to: token, data: encodeFunctionData({ abi: forgeTokenV2Abi, functionName }) }, block],
  }));
}

/** The answers of evmTokenStateCalls (hex results in order). Throws on an empty answer: no token code there. */
export function decodeEvmTokenState(answers: string[]): ChainTokenState {
  if (answers.length !== EVM_READS.length || answers.some((a) => a === "0x" || !a)) throw new Error("no ForgeToken code at the address (empty eth_call answer)");
  const [supply, owner, paused, cap] = answers as [Hex, Hex, Hex, Hex];
  const o = decodeFunctionResult({ abi: forgeTokenV2Abi, functionName: "owner", data: owner }) as Address;
  const c = decodeFunctionResult({ abi: forgeTokenV2Abi, functionName: "cap", data: cap }) as bigint;
  return {
    currentSupply: (decodeFunctionResult({ abi: forgeTokenV2Abi, functionName: "totalSupply", data: supply }) as bigint).toString(),
    // OpenZeppelin's renounceOwnership sets the owner to the zero address.
    owner: o === zeroAddress ? null : o,
    paused: decodeFunctionResult({ abi: forgeTokenV2Abi, functionName: "paused", data: paused }) as boolean,
    cap: c === 0n ? null : c.toString(), // ForgeToken: cap 0 = uncapped
    mintAuthority: null, freezeAuthority: null, updateAuthority: null,
  };
}

/** One getMultipleAccounts call for up to 100 mints (the RPC's limit), base64-encoded. */
export function solanaMintStateCall(mints: string[], commitment: "confirmed" | "finalized" = "confirmed") {
  return { method: "getMultipleAccounts", params: [mints, { encoding: "base64", commitment }] };
}

type AccountValue = { data: [string, string] | string[] } | null;

/**
 * A getMultipleAccounts answer's `value` array → each mint's state, or null for
 * an account that is missing or not a mint. The update authority is the token
 * metadata's (Token-2022 metadata extension): null when revoked or absent.
 */
export function decodeSolanaMintStates(value: AccountValue[]): (ChainTokenState | null)[] {
  return value.map((acc) => {
    if (!acc || !Array.isArray(acc.data) || typeof acc.data[0] !== "string") return null;
    const facts = parseMint(base64Bytes(acc.data[0]));
    if (!facts?.isInitialized) return null;
    return {
      currentSupply: facts.supply.toString(),
      owner: null,
      paused: false,
      cap: null,
      mintAuthority: facts.mintAuthority,
      freezeAuthority: facts.freezeAuthority,
      updateAuthority: facts.metadata?.updateAuthority ?? null,
    };
  });
}

function base64Bytes(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
