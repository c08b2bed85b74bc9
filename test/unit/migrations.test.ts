// The drizzle schema (packages/core/src/db/schema.ts), the SQL migrations wrangler applies, and
// drizzle-kit's snapshots agree: `drizzle-kit generate` on the repo finds nothing to write (a new
// migration is then only the next change), and the database the migrations build has exactly the
// tables, columns and indexes of one built from the schema alone.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
import { prepareLocalD1 } from "../../tools/local-d1";

const ROOT = join(import.meta.dirname, "../..");
const WORK = join(ROOT, ".tmp", `migrations-test-${process.pid}`);
const DB_ID = "00000000-0000-4000-8000-00000000abcd";
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

const drizzleGenerate = (out: string) =>
  spawnSync(join(ROOT, "node_modules/.bin/drizzle-kit"), ["generate", "--dialect", "sqlite", "--schema", "./packages/core/src/db/schema.ts", "--out", out], { cwd: ROOT, encoding: "utf8" });
const sqlFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".sql")).sort();

/** Tables with their columns, and indexes with their columns, as SQLite reports them. */
async function shape(migrationsDir: string, name: string): Promise<{ columns: Record<string, unknown>[]; indexes: Record<string, unknown>[] }> {
  const stateDir = join(WORK, name);
  await prepareLocalD1({ stateDir, databaseId: DB_ID, migrationsDir });
  const mf = new Miniflare({ modules: true, script: "", d1Persist: join(stateDir, "v3", "d1"), d1Databases: { DB: DB_ID } });
  try {
    const db = await mf.getD1Database("DB");
    // Two queries (SQLite's table-valued pragmas), not one per table: each call crosses into workerd.
    // Columns by name: one added by ALTER TABLE comes last, one from CREATE TABLE in schema order.
    const tables = "sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_cf_%' AND m.name <> 'd1_migrations'";
    const columns = (await db.prepare(`SELECT m.name AS tbl, p.name, p.type, p."notnull", p.dflt_value, p.pk FROM ${tables.replace("WHERE", ", pragma_table_info(m.name) p WHERE")} ORDER BY tbl, p.name`).all<Record<string, unknown>>()).results;
    const indexes = (await db.prepare(`SELECT m.name AS tbl, il.name AS idx, il."unique", il.origin, ii.seqno, ii.name AS col FROM ${tables.replace("WHERE", ", pragma_index_list(m.name) il, pragma_index_info(il.name) ii WHERE")} ORDER BY tbl, idx, ii.seqno`).all<Record<string, unknown>>()).results;
    return { columns, indexes };
  } finally {
    await mf.dispose();
  }
}

describe("migrations, schema and drizzle snapshots", () => {
  it("drizzle-kit generate finds no schema change the migrations lack", () => {
    const copy = join(WORK, "repo-migrations");
    mkdirSync(WORK, { recursive: true });
    cpSync(join(ROOT, "migrations"), copy, { recursive: true });
    const r = drizzleGenerate(copy);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(sqlFiles(copy)).toEqual(sqlFiles(join(ROOT, "migrations")));
  }, 60_000);

  it("the migrations build the database the schema describes", async () => {
    const fromSchema = join(WORK, "from-schema");
    const r = drizzleGenerate(fromSchema);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(sqlFiles(fromSchema)).toHaveLength(1);
    const [built, described] = [await shape(join(ROOT, "migrations"), "built"), await shape(fromSchema, "described")];
    expect(new Set(built.columns.map((c) => c.tbl)).size).toBeGreaterThan(25);
    expect(built.indexes.length).toBeGreaterThan(30);
    expect(built).toEqual(described);
  }, 60_000);
});
