// Three projects: pure unit tests in node, Worker integration tests in workerd
// (vitest-pool-workers, configured per Worker folder), and end-to-end tests that
// start the whole local platform (serial: they share ports and chains).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      "workers/api/vitest.config.ts",
      "workers/deployer/vitest.config.ts",
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
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
