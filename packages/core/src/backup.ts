// Long-term copies of D1 in R2: the format both sides share (the cron's backup job
// writes it, `npm run restore` reads it), with no I/O here.
//
// A copy is a folder `backups/<id>/`: one JSON-lines object per page of each table
// (`<table>/<n>.jsonl`, each line the row's values in column order, rowid first) and
// `manifest.json`, written last, so a copy without a manifest is incomplete and never
// restored. Each table is read in rowid order up to a watermark (its max rowid when
// its copy started): rows inserted later are left for the next copy. D1 has no read
// transaction across statements, so "consistent" means per page (one statement),
// per table up to the watermark; a row updated while the copy runs may appear in its
// newer state. A restore therefore loses what was written after each table's
// watermark — the platform heals the rest from the chain (docs/operations.md).

/** Tables the platform owns; D1's and SQLite's own (and wrangler's migration list) are not copied. */
export function isBackedUpTable(name: string): boolean {
  return !name.startsWith("sqlite_") && !name.startsWith("_cf_") && name !== "d1_migrations";
}

export type PageEntry = { key: string; rows: number; sha256: string };

export type TableCopy = {
  name: string;
  /** Column names in the order each line holds them; the first is always `rowid`. */
  columns: string[];
  /** The table's max rowid when its copy started (0 when empty): rows above it are not in this copy. */
  watermark: number;
  rows: number;
  pages: PageEntry[];
  /** sha256 over the page digests in order: equal tables (same rows, same paging) have equal digests. */
  sha256: string;
};

export type BackupManifest = {
  format: 1;
  id: string;
  startedAt: number;
  finishedAt: number;
  pageRows: number;
  /** The migrations the copied database had applied, in order: a restore needs a schema at least as new. */
  migrations: string[];
  /** Parents before children (foreign keys), the order a restore inserts them in. */
  tables: TableCopy[];
};

export const BACKUP_PREFIX = "backups/";
export const LATEST_KEY = `${BACKUP_PREFIX}latest.json`;
export const manifestKey = (id: string) => `${BACKUP_PREFIX}${id}/manifest.json`;
export const pageKey = (id: string, table: string, page: number) => `${BACKUP_PREFIX}${id}/${table}/${String(page).padStart(6, "0")}.jsonl`;

/** Sortable and unique enough for one copy per interval: `20261128T020000Z-3f9a`. */
export function backupId(now: number, suffix: string): string {
  return `${new Date(now).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${suffix}`;
}

export type Cell = string | number | null;

/** One row as its page line. D1 hands back strings, numbers and nulls for our columns (no BLOBs: checked on write). */
export function rowLine(values: readonly unknown[]): string {
  for (const v of values) {
    if (v !== null && typeof v !== "string" && typeof v !== "number") throw new Error(`backup: unsupported cell type ${typeof v}`);
    if (typeof v === "number" && !Number.isFinite(v)) throw new Error("backup: non-finite number");
    // D1 hands INTEGERs to JS as numbers: past 2^53 the value read is already rounded, and a copy must not be.
    if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) throw new Error("backup: integer beyond 2^53 cannot be copied exactly");
  }
  return JSON.stringify(values);
}

export function pageText(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

export function parsePage(text: string): Cell[][] {
  return text.split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l) as Cell[]);
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

export async function tableDigest(pages: readonly Pick<PageEntry, "sha256">[]): Promise<string> {
  return sha256Hex(pages.map((p) => p.sha256).join(""));
}

/**
 * Parents before children, so inserts in this order satisfy every foreign key.
 * `parents` maps a table to the tables it references; self-references are ignored.
 */
export function insertOrder(tables: readonly string[], parents: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (t: string, path: string[]) => {
    if (state.get(t) === "done") return;
    if (state.get(t) === "visiting") throw new Error(`backup: foreign-key cycle ${[...path, t].join(" → ")}`);
    state.set(t, "visiting");
    for (const p of parents.get(t) ?? []) if (p !== t && tables.includes(p)) visit(p, [...path, t]);
    state.set(t, "done");
    out.push(t);
  };
  for (const t of [...tables].sort()) visit(t, []);
  return out;
}

/** A quoted SQLite identifier (table and column names come from sqlite_master, still quoted for safety). */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The INSERT a restore runs for one row of `table` (rowid first, as the page lines hold it). */
export function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${ident(table)} (${columns.map(ident).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
}

/** The SELECT both the copy and the restore's check page with: rowid order, bounded by the watermark. */
export function pageSql(table: string, columns: readonly string[]): string {
  return `SELECT ${columns.map(ident).join(", ")} FROM ${ident(table)} WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?`;
}

/** What listing needs of an R2 bucket (the Worker's binding, or Miniflare's for the restore tool). */
export type ListableBucket = {
  list(opts: { prefix: string; delimiter: string; cursor?: string }): Promise<{ delimitedPrefixes: string[]; truncated: boolean; cursor?: string }>;
};

/** Ids of the copies in the bucket, newest first (a copy without its manifest is unfinished: check before use). */
export async function listBackupIds(bucket: ListableBucket): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: BACKUP_PREFIX, delimiter: "/", cursor });
    ids.push(...page.delimitedPrefixes.map((p) => p.slice(BACKUP_PREFIX.length, -1)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return ids.sort().reverse();
}
