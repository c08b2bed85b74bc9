// The chain families the deployer knows: one line each. A new family is a
// folder beside evm/ and solana/ exporting a ChainAdapter, and its line here.
import type { ChainConfig, ChainFamily } from "@tokenforge/core";
import type { ChainAdapter } from "./adapter";
import { evmAdapter } from "./evm/adapter";
import { solanaAdapter } from "./solana/adapter";

const ADAPTERS: Record<ChainFamily, ChainAdapter> = {
  evm: evmAdapter,
  solana: solanaAdapter,
};

export function adapterFor(chain: Pick<ChainConfig, "family">): ChainAdapter {
  return ADAPTERS[chain.family];
}
