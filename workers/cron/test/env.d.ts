// Bindings the cron tests read through `env` from "cloudflare:workers".
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    CACHE: KVNamespace;
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_ANVIL_URL: string;
    TEST_PROXY_URL: string;
  }
}
