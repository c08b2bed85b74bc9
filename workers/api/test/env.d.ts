// Bindings the tests read through `env` from "cloudflare:test".
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    CACHE: KVNamespace;
  }
}
