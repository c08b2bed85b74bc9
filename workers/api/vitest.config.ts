// Integration tests of the api Worker inside workerd (vitest-pool-workers):
// real D1 (migrations applied in the setup file), KV and a queue producer.
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: path.join(root, "wrangler.toml") },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(path.join(root, "migrations")),
          EVM_DEPLOYER_ADDRESS: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
          ADMIN_TOKEN: "test-admin-token",
        },
        // The cron Worker is not part of these tests; a stand-in answers its binding.
        serviceBindings: { CRON: () => Response.json({ sweep: { requeued: 0 } }) },
      },
    }),
  ],
  test: {
    name: "api",
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/setup.ts"],
  },
}));
