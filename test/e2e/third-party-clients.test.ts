// The contract as clients nobody here wrote read it (issue 13), on the real
// platform: `redocly lint` (recommended rules) on the served OpenAPI document.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startPlatform, type Platform } from "../../tools/platform";

let p: Platform;

beforeAll(async () => {
  p = await startPlatform({ port: "auto", quiet: true });
});
afterAll(async () => {
  await p?.stop();
});

describe("OpenAPI document", () => {
  it("passes `redocly lint` with the recommended rules: zero errors, zero warnings", async () => {
    const res = await fetch(`${p.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const dir = join(ROOT, `.tmp/e2e-redocly-${new URL(p.url).port}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "openapi.json");
    writeFileSync(file, await res.text());
    const run = spawnSync(
      process.execPath,
      [join(ROOT, "node_modules/@redocly/cli/bin/cli.js"), "lint", file, "--extends=recommended", "--format=json"],
      {
        cwd: dir, // no redocly.yaml here: the recommended rules, nothing switched off
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", REDOCLY_SUPPRESS_NOTIFICATIONS: "true", NO_COLOR: "1" },
      },
    );
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as {
      totals: { errors: number; warnings: number; ignored: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    const problems = report.problems.map((x) => `${x.ruleId} at ${x.location[0]?.pointer}: ${x.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
    expect(run.status, run.stderr).toBe(0);
  });
});
