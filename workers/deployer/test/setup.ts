// The D1 schema for the consumer tests: every migration in migrations/, applied
// once per test file (applyD1Migrations skips the ones already recorded).
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// The pool resolves packages with the "browser" main field, so @solana/kit loads
// its browser build, which refuses WebCrypto outside a secure context; workerd
// has no `isSecureContext`. The deployed bundle (wrangler) loads the workerd
// build, which has no such check: this only lets the test load the same code.
(globalThis as { isSecureContext?: boolean }).isSecureContext ??= true;
