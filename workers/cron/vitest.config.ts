// Integration tests of the cron Worker inside workerd (vitest-pool-workers): its
// jobs through its own entries (scheduled() and POST /run) with real D1 (the
// migrations applied by test/setup.ts) and KV, a real anvil, and the real
// ChainGate Durable Object in the deployer Worker (built by the global setup and
// run beside it under its deployed name, as the cron's script_name binding wants).
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const here = import.meta.dirname;
const migrations = await readD1Migrations(path.join(here, "../../migrations"));

/**
 * The api Worker's Ledger Durable Object, as a stand-in named like the api (the
 * LEDGER binding's script_name): it records the commands it gets and answers
 * every capture or refund as done, so tests see what the settlers asked for;
 * and its PlatformSpend, so the cron's PLATFORM_SPEND binding resolves.
 */
const LEDGER_STAND_IN = {
  name: "tokenforge-api",
  modules: true,
  compatibilityDate: "2026-04-20",
  durableObjects: { LEDGER: { className: "Ledger", useSQLite: true }, PLATFORM_SPEND: { className: "PlatformSpend", useSQLite: true } },
  script: `import { DurableObject } from "cloudflare:workers";
    export class Ledger extends DurableObject {
      async command(userId, cmd) {
        const log = (await this.ctx.storage.get("log")) ?? [];
        log.push({ userId, ...cmd });
        await this.ctx.storage.put("log", log);
        return { ok: true, duplicate: false, balance: { available: "0", reserved: "0" }, reservation: { n: cmd.reservation ?? 1, chain: "x", amount: "1", closed: cmd.kind } };
      }
      async commands() { return (await this.ctx.storage.get("log")) ?? []; }
      async snapshot() { return { balances: {}, entries: [] }; }
    }
    // The platform's spend counter (the PLATFORM_SPEND binding): nothing spent; the spend alert's e2e test uses the real one.
    export class PlatformSpend extends DurableObject {
      async spentToday() { return "0"; }
    }
    export default { fetch: () => new Response("stand-in") };`,
};

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => {
      // The local registry's endpoints, the same for the cron and the gate that resolves them.
      const chains = {
        TF_ENV: "local",
        LOCAL_ETH_PORT: new URL(inject("anvilUrl")).port,
        LOCAL_ETH_PRIMARY_URL: inject("proxyUrl"),
        LOCAL_BSC_PORT: inject("deadPort"),
        LOCAL_SOL_PORT: inject("deadPort"),
        RPC_TIMEOUT_MS: "1000",
        RPC_MAX_WAIT_MS: "3000",
      };
      return {
        main: path.join(here, "src/index.ts"),
        wrangler: { configPath: path.join(here, "wrangler.toml") },
        miniflare: {
          bindings: { ...chains, TEST_MIGRATIONS: migrations, TEST_ANVIL_URL: inject("anvilUrl"), TEST_PROXY_URL: inject("proxyUrl"), TEST_FACTORY_FEE: inject("factoryFee"), TEST_TREASURY: inject("treasury"), TEST_SOCIAL_URL: inject("socialUrl"), X_API_BASE: inject("socialUrl"), MASTER_KEY_1: "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE=" },
          workers: [
            LEDGER_STAND_IN,
            {
              name: "tokenforge-deployer",
              modules: true,
              scriptPath: inject("deployerScript"),
              // The bundle lives outside the repo: module names are relative to its folder.
              modulesRoot: path.dirname(inject("deployerScript")),
              compatibilityDate: "2026-04-20",
              compatibilityFlags: ["nodejs_compat"],
              durableObjects: { CHAIN_GATE: { className: "ChainGate", useSQLite: true } },
              bindings: chains,
            },
          ],
        },
      };
    }),
  ],
  test: {
    name: "cron",
    // One workerd runtime for all of this project's files (not one per file: ~5 s of start-up each,
    // most of the suite's workerd time). Files share its D1/KV, so no test may assume an empty database.
    isolate: false,
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    setupFiles: ["./test/setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
