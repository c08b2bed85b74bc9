// Three projects: pure unit tests in node, Worker integration tests in workerd
// (vitest-pool-workers, configured per Worker folder and gathered by glob), and end-to-end tests that
// start the whole local platform (each on its own free ports, so they can run
// side by side).
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Which project's files start first. Vitest's own order runs the projects by name
 * (api, cron, deployer, e2e, unit), so the long e2e files (20–90 s each, one
 * platform apiece) started only after the workerd files and the run ended on the
 * slowest unit files. Long first, short last: e2e, then unit, then the workerd
 * projects, whose files take seconds each and fill the slots the last e2e files leave.
 */
const PROJECT_ORDER = ["e2e", "unit"];

class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Within a project vitest's order stands: failed first, then longest (from its cache) or largest first.
    const sorted = await super.sort(files);
    const rank = (s: TestSpecification) => {
      const i = PROJECT_ORDER.indexOf(s.project.name);
      return i === -1 ? PROJECT_ORDER.length : i;
    };
    return sorted.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
  }
}

export default defineConfig({
  test: {
    // On 2 cores vitest would default to one worker; the e2e files mostly wait for
    // blocks, so two files run at a time. Three finished sooner while a platform was
    // anvils + workerd alone, but each now also starts five stand-in servers and more
    // cron jobs: with three at once, timing-sensitive files (restore, crash) failed
    // under the load and free ports raced.
    maxWorkers: 2,
    sequence: { sequencer: LongFilesFirst },
    projects: [
      // Each Worker folder's own workerd project (workers/<name>/vitest.config.ts).
      "workers/*/vitest.config.ts",
      {
        test: {
          name: "unit",
          // Files share each worker's module cache (not re-imported per file: import time was most of
          // this project's wall time). No unit test mocks modules or leaves globals behind.
          isolate: false,
          include: ["test/unit/**/*.test.ts", "tools/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          // Files share each worker's module cache (viem, @solana/kit, the stand-ins: ~4 s of imports per
          // file otherwise). Each file still starts and stops its own platform.
          isolate: false,
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 240_000,
          // Pages and chains answer slower when three platforms share 2 cores.
          expect: { poll: { timeout: 15_000, interval: 100 } },
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
