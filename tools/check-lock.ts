// Offline guard, first step of `npm test`: package.json and package-lock.json must agree, so
// `npm ci` (what CI runs) installs exactly from the lock. Two checks, neither touches the registry:
//   1. `npm ls --package-lock-only --all`: every declared range is satisfied by a locked version;
//   2. every optional dependency a locked package declares (the per-platform binaries of anvil,
//      litesvm, workerd, esbuild, …) has its own entry in the lock. `npm ls` does not look at
//      these, but `npm ci` refuses a lock without them ("Missing: … from lock file").
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const fix =
  "The lock is out of sync with package.json. Fix: run `npm install` (it rewrites package-lock.json), " +
  "check that `npm ci` then installs, and commit both files.";

type Deps = Record<string, string>;
type LockEntry = { version?: string; link?: boolean; dependencies?: Deps; devDependencies?: Deps; optionalDependencies?: Deps; peerDependencies?: Deps };
const depFields = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] as const;
type Lock = { packages: Record<string, LockEntry> };

/** Where Node would find `name` from the package at `path` (walk up node_modules folders). */
export function resolveInLock(lock: Lock, fromPath: string, name: string): string | undefined {
  let dir = fromPath;
  for (;;) {
    const candidate = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (dir === "") return undefined;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut < 0 ? "" : dir.slice(0, cut);
  }
}

/** Optional dependencies declared by locked packages that the lock has no entry for. */
export function missingOptionalEntries(lock: Lock): string[] {
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
      if (!resolveInLock(lock, path, name)) missing.push(`${name}@${range} (wanted by ${path || "the root"})`);
    }
  }
  return missing;
}

type LsNode = { version?: string; invalid?: string; missing?: boolean; problems?: string[]; dependencies?: Record<string, LsNode> };

/** What `npm ls` calls wrong, less one false alarm: a dist-tag spec ("latest", used by lighthouse's
 *  trace engine) cannot be checked without the registry, so `npm ls` offline calls it invalid. */
export function lsProblems(tree: LsNode): string[] {
  const found: string[] = [];
  const walk = (node: LsNode, name: string) => {
    if (node.missing) found.push(`missing: ${name}`);
    else if (node.invalid && !/^"[a-z][\w.-]*" from /i.test(node.invalid)) found.push(`invalid: ${name}@${node.version} (${node.invalid})`);
    for (const [child, sub] of Object.entries(node.dependencies ?? {})) walk(sub, child);
  };
  walk(tree, "(root)");
  return [...new Set(found)];
}

/** The lock keeps a copy of each project package.json's declared ranges (the root's under "", each
 *  workspace's under its folder); `npm ls` trusts that copy, so compare it with the real files. */
export function declaredRangeDrift(lock: Lock, manifests: Record<string, LockEntry>): string[] {
  const drift: string[] = [];
  for (const [path, manifest] of Object.entries(manifests)) {
    const locked = lock.packages[path] ?? {};
    for (const field of depFields) {
      const want = manifest[field] ?? {};
      const have = locked[field] ?? {};
      for (const name of new Set([...Object.keys(want), ...Object.keys(have)])) {
        if (want[name] !== have[name]) drift.push(`${path || "package.json"} ${field}.${name}: package.json says ${want[name] ?? "nothing"}, the lock ${have[name] ?? "nothing"}`);
      }
    }
  }
  return drift;
}

function projectManifests(): Record<string, LockEntry> {
  const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as LockEntry & { workspaces?: string[] };
  const manifests: Record<string, LockEntry> = { "": rootManifest };
  for (const pattern of rootManifest.workspaces ?? []) {
    const base = pattern.replace(/\/\*$/, "");
    for (const dir of pattern.endsWith("/*") ? readdirSync(join(root, base)) : [""]) {
      const rel = dir ? `${base}/${dir}` : base;
      if (existsSync(join(root, rel, "package.json"))) manifests[rel] = JSON.parse(readFileSync(join(root, rel, "package.json"), "utf8"));
    }
  }
  return manifests;
}

function main(): void {
  const problems: string[] = [];
  let out: string;
  try {
    out = execFileSync("npm", ["ls", "--package-lock-only", "--all", "--offline", "--json"], { cwd: root, stdio: "pipe", maxBuffer: 64 << 20 }).toString();
  } catch (error) {
    out = String((error as { stdout?: Buffer }).stdout ?? "{}"); // exits 1 on any problem; read them all
  }
  problems.push(...lsProblems(JSON.parse(out || "{}") as LsNode));
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as Lock;
  problems.push(...declaredRangeDrift(lock, projectManifests()));
  problems.push(...missingOptionalEntries(lock).map((entry) => `missing from lock file: ${entry}`));
  if (problems.length > 0) {
    console.error(`check-lock: ${problems.length} problem(s)\n  ${problems.join("\n  ")}\n${fix}`);
    process.exit(1);
  }
  console.log(`check-lock: package.json and package-lock.json agree (${Object.keys(lock.packages).length} entries)`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
