// Writes the local D1 database that `wrangler dev --persist-to <stateDir>` opens: the repo's
// migrations (recorded in wrangler's `d1_migrations` table, so `wrangler d1 migrations apply`
// sees them as applied) and any seed SQL, through one in-process Miniflare, the way wrangler's
// own local D1 commands reach it. Why not `wrangler d1 migrations apply`: it boots the wrangler
// CLI and then one Miniflare per migration file, ~9 s of every platform start (each e2e file
// starts one) against ~1 s here.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";

/**
 * Splits a migration file into statements at `;` outside quotes and comments. Our migrations
 * hold plain DDL/DML (no triggers, no BEGIN…END); test/unit/local-d1.test.ts checks this split
 * equals wrangler's (`unstable_splitSqlQuery`) on every file. Not wrangler's own function: importing
 * wrangler costs ~1.5 s of blocked event loop per platform start.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"' || ch === "`") {
      const end = sql.indexOf(ch, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      cur += sql.slice(i, stop);
      i = stop - 1;
    } else if (ch === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end - 1;
    } else if (ch === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 1;
    } else if (ch === ";") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The database id wrangler keys the local D1 by (the api config's `database_id`). */
export function localDatabaseId(apiConfigToml: string): string {
  const id = /database_id\s*=\s*"([^"]+)"/.exec(apiConfigToml)?.[1];
  if (!id) throw new Error("no D1 database_id in the api's wrangler config");
  return id;
}

/** Applies the not yet applied migrations of `migrationsDir` (one transaction per file, with its record), then `seed`. */
export async function prepareLocalD1(opts: { stateDir: string; databaseId: string; migrationsDir: string; seed?: string }): Promise<string[]> {
  const mf = new Miniflare({ modules: true, script: "", d1Persist: join(opts.stateDir, "v3", "d1"), d1Databases: { DATABASE: opts.databaseId } });
  try {
    const db = await mf.getD1Database("DATABASE");
    await db.prepare("CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)").run();
    const applied = new Set((await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>()).results.map((r) => r.name));
    const files = readdirSync(opts.migrationsDir).filter((f) => f.endsWith(".sql") && !applied.has(f)).sort();
    for (const f of files) {
      const statements = splitStatements(readFileSync(join(opts.migrationsDir, f), "utf8")).map((q) => db.prepare(q));
      await db.batch([...statements, db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(f)]);
    }
    if (opts.seed) await db.batch(splitStatements(opts.seed).map((q) => db.prepare(q)));
    return files;
  } finally {
    await mf.dispose();
  }
}
