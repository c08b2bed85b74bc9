// Integration tests of the cron Worker inside workerd (vitest-pool-workers): its
// jobs through its own entries (scheduled() and POST /run) with real D1 (the
// migrations applied by test/setup.ts) and KV, a real anvil, and the real
// ChainGate Durable Object in the deployer Worker (built by the global setup and
// run beside it under its deployed name, as the cron's script_name binding wants).
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { API_STAND_IN } from "../../test/workerd/api-stand-in.ts";

const here = import.meta.dirname;
const migrations = await readD1Migrations(path.join(here, "../../migrations"));

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
            API_STAND_IN,
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
