// Reads a deployed token and checks it is the one the launch asked for: a
// second delivery that finds code at the address must not confirm a stranger.
import type { Address, PublicClient } from "viem";
import { forgeTokenAbi } from "@tokenforge/core/contracts/artifacts";
import { toRawAmount, type LaunchRequest } from "@tokenforge/core";

export type TokenFacts = { name: string; symbol: string; decimals: number; totalSupply: bigint; owner: Address };

export async function readToken(client: PublicClient, address: Address): Promise<TokenFacts> {
  const call = <F extends "name" | "symbol" | "decimals" | "totalSupply" | "owner">(functionName: F) =>
    client.readContract({ address, abi: forgeTokenAbi, functionName } as never);
  const [name, symbol, decimals, totalSupply, owner] = await Promise.all([
    call("name"), call("symbol"), call("decimals"), call("totalSupply"), call("owner"),
  ]);
  return { name: name as string, symbol: symbol as string, decimals: Number(decimals), totalSupply: totalSupply as bigint, owner: owner as Address };
}

/** The differences between the token on chain and the request (empty when it matches). */
export function tokenMismatches(facts: TokenFacts, req: LaunchRequest): string[] {
  const out: string[] = [];
  if (facts.name !== req.name) out.push(`name is ${JSON.stringify(facts.name)}`);
  if (facts.symbol !== req.symbol) out.push(`symbol is ${facts.symbol}`);
  if (facts.decimals !== req.decimals) out.push(`decimals is ${facts.decimals}`);
  if (facts.totalSupply !== toRawAmount(req.initialSupply, req.decimals)) out.push(`total supply is ${facts.totalSupply}`);
  if (facts.owner.toLowerCase() !== req.owner.toLowerCase()) out.push(`owner is ${facts.owner}`);
  return out;
}
