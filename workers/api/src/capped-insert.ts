// Inserts a row only while fewer than `cap` rows of the same owner are live, in
// one SQL statement (INSERT … SELECT … WHERE (SELECT COUNT(*) …) < cap). D1 runs
// each statement atomically, so parallel requests cannot all pass a count taken
// before any of them inserted (20 parallel key creations once left 54 of 50).

/** The columns to write (SQL names, from code only) and the live-rows condition to count under. */
export type CappedInsert = {
  table: "api_keys" | "webhooks" | "announce_destinations";
  row: Record<string, string | number | null>;
  /** SQL condition over `table` selecting the owner's live rows, with its parameters. */
  live: { where: string; params: (string | number)[] };
  cap: number;
};

/** True when the row was inserted; false when the owner already has `cap` live rows. */
export async function insertUnderCap(db: D1Database, c: CappedInsert): Promise<boolean> {
  const columns = Object.keys(c.row);
  const statement = db
    .prepare(
      `INSERT INTO ${c.table} (${columns.join(", ")}) SELECT ${columns.map(() => "?").join(", ")} ` +
        `WHERE (SELECT COUNT(*) FROM ${c.table} WHERE ${c.live.where}) < ?`,
    )
    .bind(...Object.values(c.row), ...c.live.params, c.cap);
  const result = await statement.run();
  return result.meta.changes === 1;
}
