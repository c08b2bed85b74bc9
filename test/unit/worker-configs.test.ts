// Only the api Worker may be reachable from the internet (issue 12, item 2): the
// cron Worker's POST /run is unauthenticated and the deployer's entrypoints are
// for service bindings, so neither may get a workers.dev URL or preview URLs.
// Read with wrangler's own config reader, per environment, for the committed
// configs and for the ones tools/platform.ts generates for `npm start` and tests.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { ROOT, WORKER_CONFIGS, writeWorkerConfigs } from "../../tools/platform";

const INTERNAL = ["deployer", "cron"] as const;
const dir = mkdtempSync(join(tmpdir(), "tf-configs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(path: string, env?: string) {
  return unstable_readConfig({ config: path, env }, { hideWarnings: true });
}

describe("internal Workers are not public", () => {
  const generated = writeWorkerConfigs(dir, {}, { api: {}, deployer: {}, cron: {} });
  const cases = INTERNAL.flatMap((w) => [
    { name: `committed ${w}`, path: join(ROOT, WORKER_CONFIGS[w]) },
    { name: `generated ${w}`, path: generated[w] },
  ]);
  for (const c of cases) {
    for (const env of [undefined, "production"]) {
      it(`${c.name} (${env ?? "top level"}): workers_dev = false, preview_urls = false`, () => {
        const config = read(c.path, env);
        expect(config.name).toMatch(/^tokenforge-(deployer|cron)$/);
        expect(config.workers_dev).toBe(false);
        expect(config.preview_urls).toBe(false);
        // No route either: nothing on the internet leads to it.
        expect(config.routes ?? []).toEqual([]);
      });
    }
  }
});

// A folder per deployable (issue 15, item 3): each Worker folder holds its wrangler
// config, its vitest config where it has workerd tests, and a package.json that
// shows what it runs on, at the root's exact versions (one copy in the lock).
describe("a folder per Worker", () => {
  const rootPkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { workspaces: string[]; dependencies: Record<string, string> };
  const folders = readdirSync(join(ROOT, "workers")).filter((f) => statSync(join(ROOT, "workers", f)).isDirectory());

  it("every Worker folder is a workspace with its own wrangler.toml, and the platform runs each", () => {
    expect(rootPkg.workspaces).toContain("workers/*");
    expect(folders.sort()).toEqual(Object.keys(WORKER_CONFIGS).sort());
    for (const [w, rel] of Object.entries(WORKER_CONFIGS)) expect(rel).toBe(`workers/${w}/wrangler.toml`);
    expect(existsSync(join(ROOT, "wrangler.toml"))).toBe(false);
  });

  /** Package names a folder's source imports (bare specifiers, not relative paths or workerd's own modules). */
  const importsOf = (dir: string): Set<string> => {
    const names = new Set<string>();
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f)) {
          // Static imports and re-exports, side-effect imports, dynamic import("…").
          const re = /^\s*(?:import|export)\b[^";]*?\bfrom\s+"([^"]+)"|^\s*import\s+"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/gm;
          for (const m of readFileSync(p, "utf8").matchAll(re)) {
            const spec = (m[1] ?? m[2] ?? m[3])!;
            if (spec.startsWith(".")) continue;
            if (spec.startsWith("cloudflare:") || spec.startsWith("node:")) continue;
            names.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
          }
        }
      }
    };
    walk(dir);
    return names;
  };

  for (const w of Object.keys(WORKER_CONFIGS)) {
    it(`workers/${w}/package.json declares each package its src imports, at the root's version`, () => {
      const pkg = JSON.parse(readFileSync(join(ROOT, "workers", w, "package.json"), "utf8")) as { name: string; private: boolean; dependencies: Record<string, string> };
      expect(pkg.name).toBe(`@tokenforge/${w}`);
      expect(pkg.private).toBe(true);
      const used = [...importsOf(join(ROOT, "workers", w, "src"))].sort();
      expect(Object.keys(pkg.dependencies).sort()).toEqual(used);
      for (const [name, version] of Object.entries(pkg.dependencies)) {
        expect(version, name).toBe(name.startsWith("@tokenforge/") ? "*" : rootPkg.dependencies[name]);
      }
    });
  }

  it("the api's config, moved into its folder, still points at its entry, the web app and the migrations", () => {
    for (const env of [undefined, "production"]) {
      const config = read(join(ROOT, WORKER_CONFIGS.api), env);
      const here = dirname(join(ROOT, WORKER_CONFIGS.api));
      expect(config.main).toBe(join(ROOT, "workers/api/src/index.ts"));
      expect(resolve(here, config.assets!.directory!)).toBe(join(ROOT, "web/dist"));
      expect(resolve(here, config.d1_databases[0]!.migrations_dir!)).toBe(join(ROOT, "migrations"));
    }
  });
});
