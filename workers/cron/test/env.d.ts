// Bindings the cron tests read through `env` from "cloudflare:workers".
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    CACHE: KVNamespace;
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_ANVIL_URL: string;
    TEST_PROXY_URL: string;
    /** local-eth's ForgeFactoryV2 as the global setup configured it. */
    TEST_FACTORY_FEE: string;
    TEST_TREASURY: string;
    /** tools/social-stand-ins.ts (its X stand-in accepts "x-test-access-token"). */
    TEST_SOCIAL_URL: string;
    MASTER_KEY_1: string;
  }
}
