// `npm run restore -- <copy id | latest | --list> [--persist-to DIR] [--sql FILE]`
//
// Rebuilds the local D1 database from a long-term copy in (local) R2 written by the
// cron's backup job (format: packages/core/src/backup.ts). Stop the Workers first
// (`npm start`, or the platform of a test): the database files are replaced.
//   1. reads the copy's manifest and every page, checking each page's sha256 (nothing
//      is touched when the copy is incomplete or damaged);
//   2. deletes the local D1 files and applies the repo's migrations (wrangler);
//   3. inserts every row, parents before children;
//   4. reads every table back and compares its digest with the manifest's.
// With `--sql FILE` it writes the inserts as one SQL file instead (for
// `wrangler d1 execute tokenforge --remote --file FILE` on an empty, migrated database).
// In production D1 Time Travel comes first (docs/operations.md).
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { Miniflare } from "miniflare";
import {
  insertSql, listBackupIds, manifestKey, pageSql, parsePage, rowLine, pageText, sha256Hex, tableDigest, LATEST_KEY,
  type BackupManifest, type Cell,
} from "../packages/core/src/backup";
import { ROOT } from "./platform";

const D1_ID = "00000000-0000-4000-8000-000000000001";
const BUCKET = "tokenforge-backups";
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");

export type RestoreResult = { id: string; tables: { name: string; rows: number; sha256: string; matches: boolean }[] };

function localEmulator(persistTo: string) {
  return new Miniflare({
    modules: true,
    script: "export default { fetch: () => new Response(null, { status: 404 }) }",
    defaultPersistRoot: join(persistTo, "v3"),
    d1Databases: { DB: D1_ID },
    r2Buckets: { BACKUPS: BUCKET },
  });
}

type Loaded = { manifest: BackupManifest; pages: Map<string, Cell[][]> };

/** The copy's manifest and pages, each page checked against its recorded digest. */
async function loadCopy(bucket: R2Like, idOrLatest: string): Promise<Loaded> {
  let id = idOrLatest;
  if (id === "latest") {
    const latest = await bucket.get(LATEST_KEY);
    if (!latest) throw new Error("no finished copy in this bucket");
    id = (JSON.parse(await latest.text()) as { id: string }).id;
  }
  const m = await bucket.get(manifestKey(id));
  if (!m) throw new Error(`copy ${id} has no manifest: it never finished, or the id is wrong`);
  const manifest = JSON.parse(await m.text()) as BackupManifest;
  const pages = new Map<string, Cell[][]>();
  for (const t of manifest.tables) {
    for (const p of t.pages) {
      const obj = await bucket.get(p.key);
      if (!obj) throw new Error(`copy ${id}: page ${p.key} is missing`);
      const text = await obj.text();
      if ((await sha256Hex(text)) !== p.sha256) throw new Error(`copy ${id}: page ${p.key} does not match its digest`);
      pages.set(p.key, parsePage(text));
    }
  }
  return { manifest, pages };
}

type R2Like = { get(key: string): Promise<{ text(): Promise<string> } | null> };

function applyMigrations(persistTo: string) {
  const r = spawnSync(WRANGLER, ["d1", "migrations", "apply", "tokenforge", "--local", "-c", "workers/api/wrangler.toml", "--persist-to", persistTo], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  if (r.status !== 0) throw new Error(`applying migrations failed:\n${r.stdout}\n${r.stderr}`);
}

/** Restores copy `id` ("latest" for the newest) into the local D1 under `persistTo`. */
export async function restoreLocal(idOrLatest: string, persistTo: string): Promise<RestoreResult> {
  let mf = localEmulator(persistTo);
  let loaded: Loaded;
  try {
    loaded = await loadCopy(await mf.getR2Bucket("BACKUPS"), idOrLatest);
  } finally {
    await mf.dispose();
  }
  const { manifest, pages } = loaded;
  const known = new Set(readdirSync(join(ROOT, "migrations")).filter((f) => f.endsWith(".sql")));
  const unknown = manifest.migrations.filter((m) => !known.has(m) && !m.includes("dev_seed"));
  if (unknown.length) throw new Error(`copy ${manifest.id} was taken on a newer schema (${unknown.join(", ")}): restore it with that release`);

  rmSync(join(persistTo, "v3", "d1"), { recursive: true, force: true });
  applyMigrations(persistTo);
  mf = localEmulator(persistTo);
  try {
    const db = await mf.getD1Database("DB");
    for (const t of manifest.tables) {
      const insert = db.prepare(insertSql(t.name, t.columns));
      for (const p of t.pages) await db.batch(pages.get(p.key)!.map((row) => insert.bind(...row)));
    }
    const tables = [];
    for (const t of manifest.tables) {
      // Read back with the copy's own paging: equal rows give equal page digests.
      const select = db.prepare(pageSql(t.name, t.columns));
      const digests: { sha256: string }[] = [];
      let after = 0;
      let rows = 0;
      for (;;) {
        const page = await select.bind(after, t.watermark, manifest.pageRows).raw();
        if (page.length === 0) break;
        digests.push({ sha256: await sha256Hex(pageText(page.map(rowLine))) });
        rows += page.length;
        after = Number(page[page.length - 1]![0]);
        if (page.length < manifest.pageRows) break;
      }
      const sha256 = await tableDigest(digests);
      tables.push({ name: t.name, rows, sha256, matches: sha256 === t.sha256 && rows === t.rows });
    }
    return { id: manifest.id, tables };
  } finally {
    await mf.dispose();
  }
}

const sqlValue = (v: Cell) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`);

/** The copy as INSERT statements, parents first, for a migrated empty database elsewhere. */
export async function restoreToSql(idOrLatest: string, persistTo: string, file: string): Promise<string> {
  const mf = localEmulator(persistTo);
  try {
    const { manifest, pages } = await loadCopy(await mf.getR2Bucket("BACKUPS"), idOrLatest);
    const lines: string[] = [];
    for (const t of manifest.tables) {
      const head = insertSql(t.name, t.columns).replace(/ VALUES .*$/, " VALUES ");
      for (const p of t.pages) for (const row of pages.get(p.key)!) lines.push(`${head}(${row.map(sqlValue).join(", ")});`);
    }
    writeFileSync(file, `${lines.join("\n")}\n`);
    return manifest.id;
  } finally {
    await mf.dispose();
  }
}

/** Runs `fn` on the local D1 under `persistTo` (the Workers stopped), e.g. to look at a restored database. */
export async function withLocalD1<T>(persistTo: string, fn: (db: D1Database) => Promise<T>): Promise<T> {
  const mf = localEmulator(persistTo);
  try {
    return await fn(await mf.getD1Database("DB"));
  } finally {
    await mf.dispose();
  }
}

export async function listCopies(persistTo: string) {
  const mf = localEmulator(persistTo);
  try {
    const bucket = await mf.getR2Bucket("BACKUPS");
    const out = [];
    for (const id of await listBackupIds(bucket)) {
      const m = await bucket.get(manifestKey(id));
      const manifest = m ? (JSON.parse(await m.text()) as BackupManifest) : null;
      out.push({ id, finished: manifest ? new Date(manifest.finishedAt).toISOString() : null, rows: manifest?.tables.reduce((n, t) => n + t.rows, 0) ?? null });
    }
    return out;
  } finally {
    await mf.dispose();
  }
}

if (process.argv[1] && relative(process.argv[1], new URL(import.meta.url).pathname) === "") {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i === -1 ? undefined : args.splice(i, 2)[1];
  };
  const persistTo = resolve(ROOT, flag("--persist-to") ?? ".wrangler/state");
  const sqlFile = flag("--sql");
  const target = args[0];
  if (!target) {
    console.error("usage: npm run restore -- <copy id | latest | --list> [--persist-to DIR] [--sql FILE]");
    process.exit(2);
  }
  if (target === "--list") {
    const copies = await listCopies(persistTo);
    if (copies.length === 0) console.log(`no copies in ${BUCKET} under ${persistTo}`);
    for (const c of copies) console.log(`${c.id}  ${c.finished ?? "(unfinished: no manifest)"}  ${c.rows ?? "-"} rows`);
  } else if (sqlFile) {
    const id = await restoreToSql(target, persistTo, resolve(sqlFile));
    console.log(`wrote copy ${id} to ${sqlFile}: apply it to an empty migrated database (docs/operations.md)`);
  } else {
    const result = await restoreLocal(target, persistTo);
    for (const t of result.tables) console.log(`${t.matches ? "ok  " : "DIFF"} ${t.name.padEnd(24)} ${String(t.rows).padStart(8)} rows  ${t.sha256.slice(0, 16)}`);
    const bad = result.tables.filter((t) => !t.matches);
    console.log(bad.length ? `restored ${result.id} with ${bad.length} table(s) differing` : `restored ${result.id}: every table matches its copy`);
    process.exit(bad.length ? 1 : 0);
  }
}
