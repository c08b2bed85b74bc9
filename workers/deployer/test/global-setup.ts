// Runs in Node before the workerd tests: a real anvil, and the fault-injecting
// RPC proxy in front of it. Tests reach the proxy's modes over HTTP
// (POST <proxy>/__control), since they run inside workerd. Also the local Solana
// node (litesvm) with a funded fee payer whose key is made here, for the
// consumers' Solana path.
import type { TestProject } from "vitest/node";
import { runAnvil } from "../../../tools/chains/anvil";
import { startRpcProxy } from "../../../tools/rpc-proxy/index";
import { startSolanaNode } from "../../../tools/solana-node/index";
import { generateKeypairSecret } from "../../../packages/core/src/solana/keypair";

export default async function setup(project: TestProject) {
  const anvil = await runAnvil({ chainId: 31337 });
  const proxy = await startRpcProxy({ upstream: anvil.rpcUrl });
  const solana = await startSolanaNode({ port: 0 });
  const feePayer = await generateKeypairSecret();
  solana.control.setBalance(feePayer.address, 1_000n * 10n ** 9n);
  project.provide("anvilUrl", anvil.rpcUrl);
  project.provide("proxyUrl", proxy.url);
  project.provide("solanaPort", String(solana.port));
  project.provide("solanaFeePayerKey", feePayer.secret);
  return async () => {
    await solana.close();
    await proxy.close();
    await anvil.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    anvilUrl: string;
    proxyUrl: string;
    solanaPort: string;
    /** A key made for this run (never committed): the fee payer of the Solana launches. */
    solanaFeePayerKey: string;
  }
}
