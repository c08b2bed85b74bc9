// `npm run build`: the production build. Bundles each Worker exactly as
// `wrangler deploy` would (--dry-run, production environment) and builds the
// web app, then prints each bundle's gzip size against Cloudflare's 3 MB limit.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "./platform";

export const WORKER_LIMIT_GZIP = 3 * 1024 * 1024; // Workers paid plan, compressed

/** Every deployable Worker: each folder under workers/ that holds a wrangler.toml (its own config). */
export const WORKERS = readdirSync(join(ROOT, "workers"))
  .filter((name) => existsSync(join(ROOT, "workers", name, "wrangler.toml")))
  .sort()
  .map((name) => ({ name, config: `workers/${name}/wrangler.toml` }));

export type BuildReport = { name: string; bytes: number; gzipBytes: number }[];

/**
 * `webOutDir`: where the web app is built (web/dist, the api's assets, by default). The
 * build test builds it elsewhere: platforms of the e2e tests running beside it serve
 * web/dist, and wrangler dev reloads their Workers when it changes.
 */
export function buildAll(outRoot = join(ROOT, "dist"), opts: { webOutDir?: string } = {}): BuildReport {
  rmSync(outRoot, { recursive: true, force: true });
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" };
  const report: BuildReport = [];
  const webOut = opts.webOutDir ?? join(ROOT, "web/dist");
  const web = spawnSync("npx", ["vite", "build", "--config", "web/vite.config.ts", "--logLevel", "warn", "--outDir", webOut, "--emptyOutDir"], { cwd: ROOT, encoding: "utf8" });
  if (web.status !== 0) throw new Error(`web build failed:\n${web.stdout}\n${web.stderr}`);
  report.push({ name: "web (JS+CSS+HTML)", ...sizeOf(webOut, /\.(js|css|html)$/) });
  for (const w of WORKERS) {
    const out = join(outRoot, w.name);
    const r = spawnSync(join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--env", "production", "-c", w.config, "--outdir", out], { cwd: ROOT, env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`wrangler deploy --dry-run for ${w.name} failed:\n${r.stdout}\n${r.stderr}`);
    report.push({ name: `worker ${w.name}`, ...sizeOf(out, /\.(js|mjs|wasm)$/) });
  }
  return report;
}

function sizeOf(dir: string, pattern: RegExp) {
  let bytes = 0;
  let gzipBytes = 0;
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (pattern.test(p) && !p.endsWith(".map")) {
        const data = readFileSync(p);
        bytes += data.length;
        gzipBytes += gzipSync(data, { level: 9 }).length;
      }
    }
  };
  walk(dir);
  return { bytes, gzipBytes };
}

if (process.argv[1] && relative(process.argv[1], new URL(import.meta.url).pathname) === "") {
  const report = buildAll();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  for (const r of report) console.log(`${r.name.padEnd(20)} ${kb(r.bytes).padStart(10)}  gzip ${kb(r.gzipBytes).padStart(9)}`);
  const over = report.filter((r) => r.name.startsWith("worker") && r.gzipBytes > WORKER_LIMIT_GZIP);
  if (over.length) {
    console.error(`over Cloudflare's 3 MB compressed limit: ${over.map((o) => o.name).join(", ")}`);
    process.exit(1);
  }
}
