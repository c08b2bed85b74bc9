// tools/local-d1.ts: its statement split equals wrangler's on every migration, and the database it
// writes is the one `wrangler dev` opens (wrangler's own `d1 execute --local` reads the tables and
// sees every migration as applied).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unstable_splitSqlQuery } from "wrangler";
import { localDatabaseId, prepareLocalD1, splitStatements } from "../../tools/local-d1";

const ROOT = join(import.meta.dirname, "../..");
const MIGRATIONS = join(ROOT, "migrations");
const API_CONFIG = join(ROOT, "workers/api/wrangler.toml");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("local D1 preparation", () => {
  it("splits every migration file into the statements wrangler would", () => {
    const files = readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql"));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const sql = readFileSync(join(MIGRATIONS, f), "utf8");
      // wrangler returns a one-statement file as it is (its comments and trailing `;` kept): the same statement.
      const wranglers = unstable_splitSqlQuery(sql).map((q) => q.replace(/^\s*--.*$/gm, "").trim().replace(/;$/, "").trim());
      expect(splitStatements(sql), f).toEqual(wranglers);
    }
    expect(splitStatements("INSERT INTO t VALUES ('a;b', \"c;d\"); -- x; y\n/* z; */ SELECT 1;")).toEqual(["INSERT INTO t VALUES ('a;b', \"c;d\")", "SELECT 1"]);
  });

  it("writes the database wrangler opens: migrations recorded as applied, seed rows there, a second run applies nothing", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "tf-d1-"));
    dirs.push(stateDir);
    const databaseId = localDatabaseId(readFileSync(API_CONFIG, "utf8"));
    const seed = "INSERT INTO users (id, wallet_address, role, created_at) VALUES ('usr_t', '0xabc', 'user', 1);";
    const applied = await prepareLocalD1({ stateDir, databaseId, migrationsDir: MIGRATIONS, seed });
    expect(applied).toEqual(readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql")).sort());
    expect(await prepareLocalD1({ stateDir, databaseId, migrationsDir: MIGRATIONS })).toEqual([]);

    const wrangler = (...args: string[]) =>
      spawnSync(join(ROOT, "node_modules/.bin/wrangler"), [...args, "--local", "-c", API_CONFIG, "--persist-to", stateDir], {
        encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" },
      });
    const users = wrangler("d1", "execute", "tokenforge", "--json", "--command", "SELECT id FROM users");
    expect(users.status, users.stderr).toBe(0);
    expect(JSON.parse(users.stdout)[0].results).toEqual([{ id: "usr_t" }]);
    const apply = wrangler("d1", "migrations", "apply", "tokenforge");
    expect(apply.status, apply.stderr).toBe(0);
    expect(apply.stdout).toContain("No migrations to apply");
  }, 60_000);
});
