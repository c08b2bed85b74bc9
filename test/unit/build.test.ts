// The production build: every Worker bundles with `wrangler deploy --dry-run`
// (production environment) under Cloudflare's 3 MB compressed limit, and the web app builds.
import { join } from "node:path";
import { expect, it } from "vitest";
import { buildAll, WORKER_LIMIT_GZIP, WORKERS } from "../../tools/build";
import { ROOT } from "../../tools/platform";

it("finds each Worker by its folder's own wrangler config", () => {
  expect(WORKERS).toEqual([
    { name: "api", config: "workers/api/wrangler.toml" },
    { name: "cron", config: "workers/cron/wrangler.toml" },
    { name: "deployer", config: "workers/deployer/wrangler.toml" },
  ]);
});

it("bundles each Worker for production under 3 MB gzip and builds the web app", { timeout: 120_000 }, () => {
  // The web app into the test's own folder: running e2e platforms serve web/dist.
  const report = buildAll(join(ROOT, ".tmp/build-test"), { webOutDir: join(ROOT, ".tmp/build-test-web") });
  console.log(report.map((r) => `${r.name}: ${(r.gzipBytes / 1024).toFixed(1)} KB gzip`).join("\n"));
  for (const w of WORKERS) {
    const r = report.find((x) => x.name === `worker ${w.name}`)!;
    expect(r.gzipBytes).toBeGreaterThan(10_000);
    expect(r.gzipBytes).toBeLessThan(WORKER_LIMIT_GZIP);
  }
  expect(report.find((x) => x.name.startsWith("web"))!.gzipBytes).toBeGreaterThan(1_000);
});
