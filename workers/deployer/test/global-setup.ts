// Runs in Node before the workerd tests: a real anvil, and the fault-injecting
// RPC proxy in front of it. Tests reach the proxy's modes over HTTP
// (POST <proxy>/__control), since they run inside workerd.
import type { TestProject } from "vitest/node";
import { runAnvil } from "../../../tools/chains/anvil";
import { startRpcProxy } from "../../../tools/rpc-proxy/index";

export default async function setup(project: TestProject) {
  const anvil = await runAnvil({ chainId: 31337 });
  const proxy = await startRpcProxy({ upstream: anvil.rpcUrl });
  project.provide("anvilUrl", anvil.rpcUrl);
  project.provide("proxyUrl", proxy.url);
  return async () => {
    await proxy.close();
    await anvil.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    anvilUrl: string;
    proxyUrl: string;
  }
}
