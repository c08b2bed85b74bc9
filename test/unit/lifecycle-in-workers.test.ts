// Every Worker moves a launch only through core's lifecycle.ts (issue 14, item 4):
// no launch status is written into a Worker's SQL by hand. The Workers' code uses
// double quotes, so a single-quoted status is a status inside SQL (or a comment
// quoting SQL); either way it belongs to the lifecycle module's guards and targets.
// UI labels and webhook event names ("launch.confirmed") are not statuses.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { LAUNCH_STATUSES } from "@tokenforge/core/lifecycle";

const ROOT = join(import.meta.dirname, "../..");
const STATUS_IN_SQL = new RegExp(`'(${LAUNCH_STATUSES.join("|")})'`);

function workerSources(): string[] {
  const workers = join(ROOT, "workers");
  return readdirSync(workers).flatMap((w) =>
    (readdirSync(join(workers, w, "src"), { recursive: true }) as string[])
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(workers, w, "src", f)),
  );
}

function statusLiterals(source: string): { line: number; text: string }[] {
  return source.split("\n").flatMap((text, i) => (STATUS_IN_SQL.test(text) ? [{ line: i + 1, text: text.trim() }] : []));
}

describe("the launch lifecycle in the Workers", () => {
  it("finds a status written into SQL by hand", () => {
    expect(statusLiterals(`db.prepare("UPDATE launches SET status = 'queued' WHERE id = ?")`)).toHaveLength(1);
    expect(statusLiterals("`SELECT id FROM launches WHERE status IN ('queued','submitted')`")).toHaveLength(1);
    expect(statusLiterals(`const type = "launch.confirmed"; if (row.status === "failed") return;`)).toEqual([]);
  });

  it("has no launch-status literal in any Worker's SQL: guards and targets come from lifecycle.ts", () => {
    const files = workerSources();
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((f) => statusLiterals(readFileSync(f, "utf8")).map((l) => `${relative(ROOT, f)}:${l.line}: ${l.text}`));
    expect(found).toEqual([]);
  });
});
