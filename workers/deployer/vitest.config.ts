// Integration tests of the deployer Worker inside workerd (vitest-pool-workers):
// the ChainGate Durable Object with real SQLite storage, and gatedFetch sending
// real JSON-RPC through the fault-injecting proxy to a real anvil, both started
// in Node by the global setup and handed in as bindings; the queue consumers and
// the Signer's alarm against real D1 (migrations applied by test/setup.ts).
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { API_STAND_IN } from "../../test/workerd/api-stand-in.ts";

const here = import.meta.dirname;
const migrations = await readD1Migrations(path.join(here, "../../migrations"));

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      // The test entry re-exports the Worker and the Durable Objects it defines.
      main: path.join(here, "test/worker.ts"),
      wrangler: { configPath: path.join(here, "wrangler.toml") },
      miniflare: {
        workers: [API_STAND_IN],
        bindings: {
          // anvil's well-known account #0: a test key, never a real one.
          DEPLOYER_PRIVATE_KEY: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
          TEST_ANVIL_URL: inject("anvilUrl"),
          // The registry's local-eth endpoints (primary and secondary) at the test anvil, for the Signer test.
          LOCAL_ETH_PRIMARY_URL: inject("anvilUrl"),
          LOCAL_ETH_PORT: new URL(inject("anvilUrl")).port,
          TEST_PROXY_URL: inject("proxyUrl"),
          // Short windows so breakers open and heal within a test.
          BREAKER_WINDOW_MS: "10000",
          BREAKER_MIN_CALLS: "4",
          BREAKER_COOLDOWN_MS: "1000",
          RPC_TIMEOUT_MS: "400",
          RPC_MAX_WAIT_MS: "3000",
          TEST_MIGRATIONS: migrations,
          // The local Solana node of the global setup, and the deployer's Solana secrets for it (test values).
          LOCAL_SOL_PORT: inject("solanaPort"),
          SOLANA_FEE_PAYER_KEY: inject("solanaFeePayerKey"),
          MINT_SEED_SECRET: "test-only-mint-seed-secret-for-workerd-tests",
          // The consumer tests call queue() themselves: a confirmation they cause
          // must not also reach the real consumer while they look at its row.
          CONFIRM_DELAY_SECONDS: "3600",
        },
      },
    })),
  ],
  test: {
    name: "deployer",
    // One workerd runtime for all of this project's files (not one per file: ~5 s of start-up each,
    // most of the suite's workerd time). Files share its D1/KV, so no test may assume an empty database.
    isolate: false,
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    setupFiles: ["./test/setup.ts"],
    testTimeout: 20_000,
  },
});
