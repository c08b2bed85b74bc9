// Integration tests of the api Worker inside workerd (vitest-pool-workers):
// real D1 (migrations applied in the setup file), KV and a queue producer.
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");
/** The address of the test admin's key (test/helpers.ts ADMIN_KEY), listed in ADMIN_WALLETS. */
const ADMIN_WALLET = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
/** What the deployer stand-in answers for every Solana mint address (test/solana-validation.test.ts). */
const STAND_IN_MINT = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T";
/** The provider key the ChainGate stand-in puts in the URLs it grants (only the deployer holds such keys). */
const STAND_IN_PROVIDER_KEY = "stand-in-provider-key-7f3a";

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: path.join(import.meta.dirname, "wrangler.toml") },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(path.join(root, "migrations")),
          EVM_DEPLOYER_ADDRESS: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
          ADMIN_TOKEN: "test-admin-token",
          // Accounts (issue 6). Limits stay generous for the suites that send
          // hundreds of requests; limits.test.ts passes its own small ones.
          ADMIN_WALLETS: ADMIN_WALLET,
          ALLOW_PRIVATE_WEBHOOKS: "false",
          CORS_ORIGINS: "https://app.tf.test",
          PUBLIC_ORIGINS: "https://tf.test",
          MASTER_KEY_1: "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE=",
          RATE_LIMIT_KEY_PER_MINUTE: "100000",
          RATE_LIMIT_IP_PER_MINUTE: "100000",
          RATE_LIMIT_LAUNCHES_PER_DAY: "100000",
          RATE_LIMIT_IP_LAUNCHES_PER_DAY: "100000",
          WEBHOOK_RETRY_BASE_SECONDS: "10",
          // Files write chain_settings and read GET /chains at once; chains-cache.test.ts turns the isolate copy on.
          CHAINS_CACHE_SECONDS: "0",
          // The Telegram bot's setWebhook secret_token (announcements).
          TELEGRAM_WEBHOOK_SECRET: "test-telegram-secret",
        },
        // The cron Worker is not part of these tests; a stand-in answers its binding.
        serviceBindings: {
          CRON: () => Response.json({ sweep: { requeued: 0 } }),
          // The deployer's MintAddress entrypoint (Workers RPC): a stand-in with a fixed mint.
          DEPLOYER: { name: "tokenforge-deployer", entrypoint: "MintAddress" },
        },
        workers: [
          {
            // Named like the real deployer, so this Worker's wrangler.toml CHAIN_GATE binding
            // (script_name = "tokenforge-deployer") resolves: a ChainGate stand-in
            // whose endpoints are all closed, with budget. Like the real gate it
            // grants URLs resolved with the deployer's secrets (a provider key in
            // the path, which the api's own registry does not have), and it counts
            // the calls it gets (test/health.test.ts).
            name: "tokenforge-deployer",
            modules: true,
            compatibilityDate: "2026-04-20",
            durableObjects: { CHAIN_GATE: "ChainGate" },
            script: `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
              export class MintAddress extends WorkerEntrypoint { async address() { return "${STAND_IN_MINT}"; } }
              export class ChainGate extends DurableObject {
                n = { snapshot: 0, reserve: 0 };
                async snapshot(chain) { this.n.snapshot++; return { chain, at: Date.now(), healthy: true, endpoints: [] }; }
                async reserve(chain, index) { this.n.reserve++; return { endpoint: { url: "https://rpc.stand-in.test/" + chain + "/" + index + "/${STAND_IN_PROVIDER_KEY}", provider: "stand-in", index }, waitMs: 0 }; }
                async calls() { return { ...this.n }; }
              }
              export default { fetch: () => new Response("stand-in") };`,
          },
        ],
      },
    }),
  ],
  test: {
    name: "api",
    // One workerd runtime for all of this project's files (not one per file: ~5 s of start-up each,
    // most of the suite's workerd time). Files share its D1/KV, so no test may assume an empty database.
    isolate: false,
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/setup.ts"],
    // The machine is shared with other suites (2 cores): leave room.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
}));
