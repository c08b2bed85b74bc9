// Only the api Worker may be reachable from the internet (issue 12, item 2): the
// cron Worker's POST /run is unauthenticated and the deployer's entrypoints are
// for service bindings, so neither may get a workers.dev URL or preview URLs.
// Read with wrangler's own config reader, per environment, for the committed
// configs and for the ones tools/platform.ts generates for `npm start` and tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
