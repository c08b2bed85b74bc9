// The contract as clients nobody here wrote read it (issue 13), on the real
// platform: `redocly lint` (recommended rules) on the served OpenAPI document;
// the `eventsource` npm package (a spec-following EventSource) on the launch
// stream, which must stop reconnecting once the launch is final; a browser's
// view of the web pages' security headers (static assets, no Worker involved).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventSource, type FetchLike } from "eventsource";
import { ROOT, startPlatform, type Platform } from "../../tools/platform";
import { baseLaunch, postLaunch, waitFinal } from "./client";
import { contentSecurityPolicy, securityHeaders } from "../../web/src/security-headers";

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

type Connection = { lastEventId: string | null; status: number };

/** An `eventsource` client on a launch's stream that records each (re)connection and each `launch` event. */
function follow(id: string) {
  const connections: Connection[] = [];
  const views: { id: string; status: string }[] = [];
  const recording: FetchLike = async (url, init) => {
    const res = await fetch(url, init);
    connections.push({ lastEventId: new Headers(init.headers).get("last-event-id"), status: res.status });
    return res;
  };
  const es = new EventSource(`${p.url}/api/v1/launches/${id}/stream`, { fetch: recording });
  es.addEventListener("launch", (e) => views.push({ id: e.lastEventId, status: JSON.parse(e.data).status }));
  return { es, connections, views };
}

async function untilClosed(es: EventSource, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (es.readyState !== EventSource.CLOSED) {
    if (Date.now() > deadline) {
      es.close();
      throw new Error("the EventSource is still reconnecting");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("launch stream with the `eventsource` package", () => {
  it("follows a launch to confirmed, reconnects once with the final id, gets 204 and stops for good", async () => {
    const { status, json } = await postLaunch(p, baseLaunch({ symbol: "SSE" }));
    expect(status).toBe(202);
    const { es, connections, views } = follow(json.id);
    await untilClosed(es, 90_000);
    const last = views.at(-1)!;
    expect(last.status).toBe("confirmed");
    expect(connections.at(-1)).toEqual({ lastEventId: last.id, status: 204 });
    expect(connections.slice(0, -1).every((c) => c.status === 200)).toBe(true);
    // Well past the stream's retry interval (1 s): no further connection.
    const seen = connections.length;
    await new Promise((r) => setTimeout(r, 3_000));
    expect(connections.length).toBe(seen);
  });

  it("gives a new client of a final launch 200 with the final view, then 204 on its reconnect", async () => {
    const { json } = await postLaunch(p, baseLaunch({ symbol: "SSF" }));
    const [view] = await waitFinal(p, [json.id]);
    const { es, connections, views } = follow(json.id);
    await untilClosed(es, 30_000);
    expect(views).toEqual([{ id: String(view.events.length), status: view.status }]);
    expect(connections).toEqual([
      { lastEventId: null, status: 200 },
      { lastEventId: String(view.events.length), status: 204 },
    ]);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(connections).toHaveLength(2);
  });
});

describe("web pages (Workers Static Assets, dist/_headers)", () => {
  it("carry CSP with frame-ancestors, nosniff, X-Frame-Options and HSTS on /, /tokens, the SPA fallback and assets", async () => {
    const home = await fetch(`${p.url}/`);
    const html = await home.text();
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
    expect(script).toMatch(/^\/assets\//);
    for (const path of ["/", "/tokens", "/launches/lch_00000000000000000000000000", "/no/such/page", script!]) {
      const res = await fetch(`${p.url}${path}`);
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self';");
      // The same policy the shared module builds (the build fills in the registries' RPC origins).
      const rpcOrigins = /connect-src 'self' ([^;]*)/.exec(csp)?.[1]?.split(" ") ?? [];
      expect(csp, path).toBe(contentSecurityPolicy({ rpcOrigins }));
      const want = securityHeaders({ rpcOrigins });
      for (const [name, value] of Object.entries(want)) expect(res.headers.get(name), `${path} ${name}`).toBe(value);
    }
  });

  it("leaves the API's own headers to the Worker", async () => {
    const res = await fetch(`${p.url}/api/v1/chains`);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  });
});
