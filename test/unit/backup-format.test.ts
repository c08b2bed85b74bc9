// The copy format's pure parts (packages/core/src/backup.ts): what may be copied, in
// which order a restore inserts tables, and that digests follow the rows.
import { describe, expect, it } from "vitest";
import { backupId, insertOrder, isBackedUpTable, pageText, parsePage, rowLine, sha256Hex, tableDigest } from "../../packages/core/src/backup";

describe("backup format", () => {
  it("copies the platform's tables, not D1's, SQLite's or the migration list", () => {
    expect(["launches", "users", "sqlite_sequence", "_cf_KV", "d1_migrations"].filter(isBackedUpTable)).toEqual(["launches", "users"]);
  });

  it("orders parents before children and names a foreign-key cycle", () => {
    const parents = new Map([["api_keys", ["users"]], ["launches", ["users", "api_keys"]], ["users", ["users"]]]);
    expect(insertOrder(["launches", "api_keys", "users", "events"], parents)).toEqual(["users", "api_keys", "events", "launches"]);
    expect(() => insertOrder(["a", "b"], new Map([["a", ["b"]], ["b", ["a"]]]))).toThrow(/cycle a → b → a/);
  });

  it("round-trips rows and refuses values a copy cannot hold exactly", () => {
    const rows = [[1, "lch_1", null, 2.5], [2, "it's \"quoted\"\nnewline", 0, -1]];
    expect(parsePage(pageText(rows.map(rowLine)))).toEqual(rows);
    expect(pageText([])).toBe("");
    expect(() => rowLine([2 ** 60])).toThrow(/2\^53/);
    expect(() => rowLine([new Uint8Array(2)])).toThrow(/unsupported/);
    expect(() => rowLine([Number.NaN])).toThrow(/non-finite/);
  });

  it("digests change with any row and ids sort by time", async () => {
    const a = await sha256Hex(pageText([rowLine([1, "a"])]));
    const b = await sha256Hex(pageText([rowLine([1, "b"])]));
    expect(a).not.toBe(b);
    expect(await tableDigest([{ sha256: a }, { sha256: b }])).not.toBe(await tableDigest([{ sha256: b }, { sha256: a }]));
    expect(backupId(Date.UTC(2026, 10, 28, 2, 0, 0, 123), "3f9a")).toBe("20261128T020000Z-3f9a");
    expect(backupId(Date.UTC(2026, 0, 1), "x") < backupId(Date.UTC(2026, 10, 1), "x")).toBe(true);
  });
});
