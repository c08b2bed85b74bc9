// Three projects: pure unit tests in node, Worker integration tests in workerd
// (vitest-pool-workers, configured per Worker folder and gathered by glob), and end-to-end tests that
// start the whole local platform (each on its own free ports, so they can run
// side by side).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // On 2 cores vitest would default to one worker; the e2e files mostly wait
    // for blocks, so three files at a time finish sooner without starving CPU.
    maxWorkers: 3,
    projects: [
      // Each Worker folder's own workerd project (workers/<name>/vitest.config.ts).
      "workers/*/vitest.config.ts",
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "tools/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
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
