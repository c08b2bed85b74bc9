import { describe, expect, it } from "vitest";
import { declaredRangeDrift, lsProblems, missingOptionalEntries, resolveInLock } from "./check-lock";

describe("the lock guard", () => {
  it("finds a platform binary that a locked package declares but the lock lacks (what npm ci refuses)", () => {
    const lock = {
      packages: {
        "": {},
        "node_modules/litesvm": { version: "1.5.0", optionalDependencies: { "litesvm-linux-x64-gnu": "1.5.0", "litesvm-darwin-arm64": "1.5.0" } },
        "node_modules/litesvm-linux-x64-gnu": { version: "1.5.0" },
      },
    };
    expect(missingOptionalEntries(lock)).toEqual(["litesvm-darwin-arm64@1.5.0 (wanted by node_modules/litesvm)"]);
  });

  it("resolves a dependency the way Node does: nested first, then up the node_modules folders", () => {
    const lock = { packages: { "": {}, "node_modules/a": {}, "node_modules/a/node_modules/b": {}, "node_modules/b": {}, "node_modules/c": {} } };
    expect(resolveInLock(lock, "node_modules/a", "b")).toBe("node_modules/a/node_modules/b");
    expect(resolveInLock(lock, "node_modules/a/node_modules/b", "c")).toBe("node_modules/c");
    expect(resolveInLock(lock, "node_modules/c", "d")).toBeUndefined();
  });

  it("compares package.json's ranges with the lock's copy of them", () => {
    const lock = { packages: { "": { dependencies: { hono: "4.13.19" }, devDependencies: { litesvm: "1.5.0" } } } };
    const drift = declaredRangeDrift(lock, { "": { dependencies: { hono: "4.13.19", "left-pad": "1.3.0" }, devDependencies: { litesvm: "1.4.1" } } });
    expect(drift).toEqual([
      "package.json dependencies.left-pad: package.json says 1.3.0, the lock nothing",
      "package.json devDependencies.litesvm: package.json says 1.4.1, the lock 1.5.0",
    ]);
  });

  it("reports invalid and missing entries from npm ls, but not a dist-tag spec it cannot check offline", () => {
    const tree = {
      dependencies: {
        ws: { version: "8.23.0", invalid: '"8.18.0" from the root project' },
        lighthouse: { dependencies: { "third-party-web": { version: "0.30.0", invalid: '"latest" from node_modules/@paulirish/trace_engine' } } },
        gone: { missing: true },
      },
    };
    expect(lsProblems(tree)).toEqual(['invalid: ws@8.23.0 ("8.18.0" from the root project)', "missing: gone"]);
  });
});
