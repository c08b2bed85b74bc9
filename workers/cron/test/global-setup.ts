// Runs in Node before the cron's workerd tests: a real anvil with the fault
// proxy in front of it (local-eth's primary endpoint; anvil itself is the
// secondary) with ForgeFactoryV2 on it, an endpoint that drops every connection for local-bsc and
// local-sol (a provider that is down), and the deployer Worker built as
// `wrangler deploy` would, so the ChainGate the cron binds by script_name is the
// real one.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { runAnvil } from "../../../tools/chains/anvil";
import { startRpcProxy } from "../../../tools/rpc-proxy/index";
import { configureFactoryV2, deployFactoryV2 } from "../../../tools/chains/deploy-factory";
import { chainRegistry } from "../../../packages/core/src/chains";
import { startSocialStandIns } from "../../../tools/social-stand-ins";

/** The platform fee the chain-settings job must read back from the factory (wei). */
const FACTORY_FEE = 1_000_000_000_000_000n;
/** Where the factory sends fees (any address: the job only reads it). */
const TREASURY = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

const root = path.resolve(import.meta.dirname, "../../..");

export default async function setup(project: TestProject) {
  const out = mkdtempSync(path.join(tmpdir(), "tf-cron-test-deployer-"));
  const built = spawnSync(path.join(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "-c", "workers/deployer/wrangler.toml", "--outdir", out], {
    cwd: root, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  if (built.status !== 0) throw new Error(`building the deployer failed:\n${built.stdout}\n${built.stderr}`);

  const anvil = await runAnvil();
  const proxy = await startRpcProxy({ upstream: anvil.rpcUrl });
  // local-eth's ForgeFactoryV2, owned and configured as the platform does it (the chain-settings job reads it).
  const owner = chainRegistry({ TF_ENV: "local" }).find((c) => c.id === "local-eth")!.factoryOwner as `0x${string}`;
  await deployFactoryV2(anvil.rpcUrl, owner);
  await configureFactoryV2(anvil.rpcUrl, owner, { treasury: TREASURY, feeWei: FACTORY_FEE, exempt: [] });
  // Accepts and drops every connection: a provider that is down, on a port nobody else can take meanwhile.
  const dead = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));

  // The X digest posts to the X stand-in.
  const social = await startSocialStandIns({ telegramBotToken: "0:unused", xAccessToken: "x-test-access-token" });
  project.provide("socialUrl", social.url);
  project.provide("anvilUrl", anvil.rpcUrl);
  project.provide("proxyUrl", proxy.url);
  project.provide("factoryFee", FACTORY_FEE.toString());
  project.provide("treasury", TREASURY);
  project.provide("deadPort", String((dead.address() as AddressInfo).port));
  project.provide("deployerScript", path.join(out, "index.js"));
  return async () => {
    await new Promise((resolve) => dead.close(resolve));
    await proxy.close();
    await social.close();
    await anvil.stop();
    rmSync(out, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    anvilUrl: string;
    proxyUrl: string;
    socialUrl: string;
    deployerScript: string;
    deadPort: string;
    factoryFee: string;
    treasury: string;
  }
}
