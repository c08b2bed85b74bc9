// No Worker imports another Worker's source: each deploys on its own, so what
// two Workers share lives in packages/ and is imported by name. Scans every
// source and test file under workers/<a>/ for import specifiers (static,
// re-exports, dynamic and type-position `import("…")`) that resolve into
// workers/<b>/.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const workersDir = join(root, "workers");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === "node_modules" || name.startsWith(".")) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(m?[jt]sx?)$/.test(name) ? [path] : [];
  });
}

// `from "x"`, `import "x"`, `import("x")`, `require("x")`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;

/** Imports of each file under workers/<a>/ that resolve into another workers/<b>/. */
function crossWorkerImports(): string[] {
  const found: string[] = [];
  for (const worker of readdirSync(workersDir)) {
    const home = join(workersDir, worker);
    if (!statSync(home).isDirectory()) continue;
    for (const file of files(home)) {
      for (const [, spec] of readFileSync(file, "utf8").matchAll(SPECIFIER)) {
        if (!spec!.startsWith(".")) continue;
        const target = resolve(dirname(file), spec!);
        const rel = relative(workersDir, target);
        if (rel.startsWith("..")) continue; // outside workers/: packages, tools, test helpers
        const other = rel.split(sep)[0];
        if (other !== worker) found.push(`${relative(root, file)} imports ${spec} (workers/${other})`);
      }
    }
  }
  return found;
}

describe("Worker boundaries", () => {
  it("finds import specifiers in every form it scans for", () => {
    const text = `import a from "../x"; export { b } from '../y'; const c = await import("../z"); type D = import("../w").D;`;
    expect([...text.matchAll(SPECIFIER)].map((m) => m[1])).toEqual(["../x", "../y", "../z", "../w"]);
  });

  it("no file under workers/<a>/ imports from workers/<b>/", () => {
    expect(crossWorkerImports()).toEqual([]);
  });
});
