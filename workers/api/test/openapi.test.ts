// The OpenAPI document as third-party generators read it (issue 13, item 1):
// patterns any regex engine compiles the same way, an operationId and a
// security requirement on every operation, the admin routes documented. The
// full `redocly lint` of the served document runs in test/e2e/third-party-clients.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, call, expectProblem, json, signInEvm } from "./helpers";
import { app } from "../src/app";

type Operation = { operationId?: string; security?: unknown[]; description?: string; summary?: string };
let doc: any;

function* walk(node: unknown, path = "#"): Generator<[string, Record<string, unknown>]> {
  if (!node || typeof node !== "object") return;
  yield [path, node as Record<string, unknown>];
  for (const [k, v] of Object.entries(node)) yield* walk(v, `${path}/${k}`);
}

function operations(): [string, Operation][] {
  const ops: [string, Operation][] = [];
  for (const group of ["paths", "webhooks"] as const) {
    for (const [p, item] of Object.entries((doc[group] ?? {}) as Record<string, Record<string, Operation>>)) {
      for (const [method, op] of Object.entries(item)) ops.push([`${method.toUpperCase()} ${p}`, op]);
    }
  }
  return ops;
}

beforeAll(async () => {
  doc = await json(await call("GET", "/api/v1/openapi.json"));
});

describe("OpenAPI document", () => {
  it("documents every route the app serves (but the document itself and its docs page)", () => {
    const notOperations = new Set([
      // The document and the page that renders it.
      "GET /api/v1/openapi.json", "GET /api/v1/docs", "GET /api/v1/docs/docs.js", "GET /api/v1/docs/docs.css",
      // 405 only (a stateless MCP server has no stream or session): said in POST /api/v1/mcp's description.
      "GET /api/v1/mcp", "DELETE /api/v1/mcp", "PUT /api/v1/mcp", "PATCH /api/v1/mcp",
    ]);
    const served = new Set(
      app.routes
        .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/v1/"))
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}")}`),
    );
    expect(served.size).toBeGreaterThan(40);
    const missing = [...served].filter((k) => {
      const [method, path] = k.split(" ") as [string, string];
      return !notOperations.has(k) && !doc.paths[path]?.[method.toLowerCase()];
    });
    expect(missing).toEqual([]);
  });

  it("types the operators' answers the Ops page reads (charts, alerts) and the cron's forwarded reports", () => {
    const schemaOf = (path: string, method: string, status: string) => doc.paths[path][method].responses[status].content["application/json"].schema.$ref;
    expect(schemaOf("/api/v1/ops/charts", "get", "200")).toBe("#/components/schemas/ChartSeries");
    expect(schemaOf("/api/v1/ops/alerts", "get", "200")).toBe("#/components/schemas/OpsAlerts");
    expect(schemaOf("/api/v1/admin/backups", "post", "200")).toBe("#/components/schemas/BackupNow");
    expect(schemaOf("/api/v1/admin/reconcile-credits", "post", "200")).toBe("#/components/schemas/ReconcileCreditsReport");
    expect(Object.keys(doc.paths["/api/v1/metrics"].get.responses["200"].content)).toEqual(["text/plain; version=0.0.4"]);
  });

  it("answers a bad digest clock with problem+json before it reaches the cron Worker", async () => {
    const admin = await signInEvm(ADMIN_KEY);
    await expectProblem(await call("POST", "/api/v1/announcements/digest?now=yesterday", admin), 422, "validation-error");
  });

  it("emits no \\p{…} escapes or /flags in patterns: each means the same with and without the u flag", () => {
    const patterns = [...walk(doc)].filter(([, n]) => typeof n.pattern === "string").map(([p, n]) => [p, n.pattern as string] as const);
    expect(patterns.length).toBeGreaterThan(0);
    for (const [where, pattern] of patterns) {
      expect(pattern, where).not.toMatch(/\\[pP]\{/);
      expect(pattern, where).not.toMatch(/\/[dgimsuyv]+$/);
      expect(() => new RegExp(pattern), where).not.toThrow();
      expect(() => new RegExp(pattern, "u"), where).not.toThrow();
    }
  });

  it("states in words the character rules it checks in code", () => {
    const schemas = doc.components.schemas;
    expect(schemas.CreateKeyRequest.properties.name.description).toMatch(/control.*category C/);
    expect(schemas.CreateWebhookRequest.properties.description.description).toMatch(/control.*category C/);
    const launch = doc.paths["/api/v1/launches"].post.requestBody.content["application/json"].schema;
    expect(launch.properties.name.description).toMatch(/no control or format characters/);
  });

  it("gives every operation a unique operationId and a security requirement", () => {
    const ops = operations();
    expect(ops.filter(([, op]) => !op.operationId).map(([k]) => k)).toEqual([]);
    const ids = ops.map(([, op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ops.filter(([, op]) => !Array.isArray(op.security)).map(([k]) => k)).toEqual([]);
  });

  it("documents the admin dead-letter operations and the cron run's body", () => {
    const paths = doc.paths;
    expect(paths["/api/v1/admin/dead-letters"]?.get?.operationId).toBe("listDeadLetters");
    expect(paths["/api/v1/admin/dead-letters/replay"]?.post?.operationId).toBe("replayAllDeadLetters");
    expect(paths["/api/v1/admin/dead-letters/{id}/replay"]?.post?.operationId).toBe("replayDeadLetter");
    expect(paths["/api/v1/admin/cron"].post.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/CronRun" });
  });

  it("has examples that fit their own patterns", () => {
    for (const [where, node] of walk(doc)) {
      if (typeof node.pattern === "string" && typeof node.example === "string") {
        expect(node.example, where).toMatch(new RegExp(node.pattern));
      }
    }
    expect(doc.components.schemas.SiweRequest.properties.signature.example).toMatch(/^0x[0-9a-fA-F]{130}$/);
  });
});

describe("the category-C rules, enforced in code", () => {
  it("refuses a key name with a bidi override or a zero-width joiner, accepts emoji and accents", async () => {
    const { cookie } = await signInEvm();
    for (const name of ["bot\u202Eevil", "a\u200Db", "tab\there"]) {
      const body = await expectProblem(await call("POST", "/api/v1/keys", { cookie }, { name, scopes: ["launches:read"] }), 422, "validation-error");
      expect(JSON.stringify(body)).toContain("name");
    }
    expect((await call("POST", "/api/v1/keys", { cookie }, { name: "café bot 🚀", scopes: ["launches:read"] })).status).toBe(201);
  });

  it("refuses a webhook description with a format character", async () => {
    const { cookie } = await signInEvm();
    const res = await call("POST", "/api/v1/webhooks", { cookie }, { url: "https://hooks.example.com/x", events: ["launch.confirmed"], description: "hi\u2066there" });
    await expectProblem(res, 422, "validation-error");
  });
});

describe("the features() bitmask (issue 13, item 6)", () => {
  it("is documented on the Token schema and the tokens tag: bits, and why probing for permit misleads", () => {
    const text = [doc.components.schemas.Token.properties.features.description, doc.tags.find((t: { name: string }) => t.name === "tokens").description];
    for (const t of text) {
      expect(t).toContain("`features()`");
      expect(t).toMatch(/1 mintable, 2 burnable, 4 pausable, 8 permit/);
      expect(t).toMatch(/DOMAIN_SEPARATOR\(\)/);
      expect(t).toMatch(/nonces\(address\)/);
      expect(t).toMatch(/only when bit 8 is set/);
    }
  });
});
