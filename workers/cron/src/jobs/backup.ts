// The scheduled long-term copy of D1 into R2 (format and consistency: @tokenforge/core/backup).
// In production D1 Time Travel is the primary recovery path (any minute of the last
// 30 days); this copy outlives it and can be restored anywhere (`npm run restore`).
import {
  LATEST_KEY, backupId, ident, insertOrder, isBackedUpTable, manifestKey, pageKey, pageSql, pageText,
  rowLine, sha256Hex, tableDigest, type BackupManifest, type PageEntry, type TableCopy,
} from "@tokenforge/core/backup";
import { log } from "@tokenforge/core";

export type BackupEnv = { DB: D1Database; BACKUPS: R2Bucket };
export type BackupSettings = { intervalMs: number; pageRows: number };
export type BackupResult = { ran: false; lastId: string | null } | { ran: true; id: string; tables: number; rows: number; tookMs: number };

type Latest = { id: string; finishedAt: number };

/** Copies D1 when the last finished copy is older than the interval (the cron runs every minute). */
export async function backupIfDue(env: BackupEnv, settings: BackupSettings, now = Date.now()): Promise<BackupResult> {
  const latest = await env.BACKUPS.get(LATEST_KEY).then((o) => (o ? (o.json() as Promise<Latest>) : null));
  if (latest && now - latest.finishedAt < settings.intervalMs) return { ran: false, lastId: latest.id };
  const manifest = await copyDatabase(env, settings.pageRows, now);
  return { ran: true, id: manifest.id, tables: manifest.tables.length, rows: manifest.tables.reduce((n, t) => n + t.rows, 0), tookMs: manifest.finishedAt - manifest.startedAt };
}

/** One full copy, now. The manifest goes last: a copy cut short has none and is never restored. */
export async function copyDatabase(env: BackupEnv, pageRows: number, startedAt = Date.now()): Promise<BackupManifest> {
  const id = backupId(startedAt, crypto.randomUUID().slice(0, 8));
  const names = (await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>()).results
    .map((r) => r.name).filter(isBackedUpTable);
  const parents = new Map<string, string[]>();
  for (const name of names) {
    const fks = await env.DB.prepare(`PRAGMA foreign_key_list(${ident(name)})`).all<{ table: string }>();
    parents.set(name, fks.results.map((f) => f.table));
  }
  const tables: TableCopy[] = [];
  for (const name of insertOrder(names, parents)) tables.push(await copyTable(env, id, name, pageRows));
  const migrations = (await env.DB.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>()).results.map((r) => r.name);
  const manifest: BackupManifest = { format: 1, id, startedAt, finishedAt: Date.now(), pageRows, migrations, tables };
  await env.BACKUPS.put(manifestKey(id), JSON.stringify(manifest), { httpMetadata: { contentType: "application/json" } });
  await env.BACKUPS.put(LATEST_KEY, JSON.stringify({ id, finishedAt: manifest.finishedAt } satisfies Latest));
  log("info", "backup.done", { backupId: id, tables: tables.length, rows: tables.reduce((n, t) => n + t.rows, 0), tookMs: manifest.finishedAt - startedAt });
  return manifest;
}

async function copyTable(env: BackupEnv, id: string, name: string, pageRows: number): Promise<TableCopy> {
  const info = await env.DB.prepare(`PRAGMA table_info(${ident(name)})`).all<{ name: string }>();
  const columns = ["rowid", ...info.results.map((c) => c.name)];
  const top = await env.DB.prepare(`SELECT coalesce(max(rowid), 0) AS w FROM ${ident(name)}`).first<{ w: number }>();
  const watermark = top?.w ?? 0;
  const select = env.DB.prepare(pageSql(name, columns));
  const pages: PageEntry[] = [];
  let after = 0;
  for (;;) {
    const rows = await select.bind(after, watermark, pageRows).raw();
    if (rows.length === 0) break;
    const text = pageText(rows.map(rowLine));
    const key = pageKey(id, name, pages.length);
    await env.BACKUPS.put(key, text, { httpMetadata: { contentType: "application/x-ndjson" } });
    pages.push({ key, rows: rows.length, sha256: await sha256Hex(text) });
    after = Number(rows[rows.length - 1]![0]);
    if (rows.length < pageRows) break;
  }
  return { name, columns, watermark, rows: pages.reduce((n, p) => n + p.rows, 0), pages, sha256: await tableDigest(pages) };
}
