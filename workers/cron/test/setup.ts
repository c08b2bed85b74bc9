// The D1 schema: every migration in migrations/ (applyD1Migrations skips the ones already recorded).
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
