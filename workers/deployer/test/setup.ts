// The D1 schema for the consumer tests: every migration in migrations/, applied
// once per test file (applyD1Migrations skips the ones already recorded).
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
