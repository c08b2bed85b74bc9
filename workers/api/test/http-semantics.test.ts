// HTTP as RFC 9110 says (issue 13, item 3): the `Bearer` scheme name in any case,
// a WWW-Authenticate challenge on every 401, and 405 with Allow (not 404) for a
// method a path does not have — checked over every operation of the document.
import { beforeAll, describe, expect, it } from "vitest";
import { call, createKey, expectProblem, json, signInEvm } from "./helpers";

const ADMIN_TOKEN = "test-admin-token"; // vitest.config.ts
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
let doc: any;
let key: string;
let cookie: string;

beforeAll(async () => {
  doc = await json(await call("GET", "/api/v1/openapi.json"));
  cookie = (await signInEvm()).cookie;
  key = (await createKey(cookie, ["launches:read", "launches:write", "webhooks:manage"])).key;
});

/** The documented operations, with a concrete path (ids filled in). */
function operations() {
  return Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[] }>>).map(([p, ops]) => ({
    path: p.replace(/\{id\}/g, "lch_00000000000000000000000000"),
    methods: Object.keys(ops).map((m) => m.toUpperCase()),
    secured: Object.fromEntries(Object.entries(ops).map(([m, op]) => [m.toUpperCase(), (op.security ?? []).length > 0])),
  }));
}

describe("Authorization scheme", () => {
  it("accepts an API key whatever the case of `Bearer`", async () => {
    for (const scheme of ["Bearer", "bearer", "BEARER", "bEaReR"]) {
      const res = await call("GET", "/api/v1/me/launches", { headers: { authorization: `${scheme} ${key}` } });
      expect(res.status, scheme).toBe(200);
    }
  });

  it("accepts the admin token whatever the case of `Bearer`", async () => {
    for (const scheme of ["bearer", "BEARER"]) {
      const res = await call("GET", "/api/v1/admin/dead-letters", { headers: { authorization: `${scheme} ${ADMIN_TOKEN}` } });
      expect(res.status, scheme).toBe(200);
    }
  });
});

describe("401", () => {
  it("carries WWW-Authenticate on every secured operation called without credentials", async () => {
    let checked = 0;
    for (const op of operations()) {
      // Logging out without a session is fine (204): nothing to end.
      for (const m of op.methods.filter((m) => op.secured[m] && !(m === "POST" && op.path === "/api/v1/auth/logout"))) {
        const res = await call(m, op.path, {}, m === "POST" ? {} : undefined);
        expect(res.status, `${m} ${op.path}`).toBe(401);
        expect(res.headers.get("www-authenticate"), `${m} ${op.path}`).toMatch(/^Bearer realm="tokenforge"/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("carries WWW-Authenticate with error=invalid_token for an unknown or revoked key, and for a wrong admin token", async () => {
    for (const auth of ["Bearer tf_not-a-key", "bearer tf_not-a-key", `Bearer tf_${"x".repeat(300)}`]) {
      const res = await call("GET", "/api/v1/launches/lch_00000000000000000000000000", { headers: { authorization: auth } });
      await expectProblem(res.clone(), 401, "unauthorized");
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="tokenforge", error="invalid_token"');
    }
    const res = await call("POST", "/api/v1/admin/cron", { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="tokenforge"/);
  });
});

describe("405", () => {
  it("answers a method a documented path does not have with 405 and an Allow listing the ones it has", async () => {
    let checked = 0;
    for (const op of operations()) {
      const allow = new Set([...op.methods, "OPTIONS", ...(op.methods.includes("GET") ? ["HEAD"] : [])]);
      for (const m of METHODS.filter((m) => !op.methods.includes(m))) {
        // Past each route group's own check (admin token, a session), so the method is what is judged.
        const auth = op.path.startsWith("/api/v1/admin/") ? { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } } : op.path === "/api/v1/mcp" ? { key } : { cookie };
        const res = await call(m, op.path, auth);
        await expectProblem(res.clone(), 405, "method-not-allowed");
        expect(new Set(res.headers.get("allow")!.split(/,\s*/)), `${m} ${op.path}`).toEqual(allow);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("still answers 404 for a path that does not exist", async () => {
    await expectProblem(await call("GET", "/api/v1/nothing-here"), 404, "not-found");
    await expectProblem(await call("DELETE", "/api/v1/launches/lch_00000000000000000000000000/nothing"), 404, "not-found");
  });
});

describe("CORS", () => {
  it("exposes the 401 challenge and the 405 Allow list to a browser client of an allowed origin", async () => {
    const res = await call("GET", "/api/v1/me/launches", { headers: { origin: "https://app.tf.test" } });
    expect(res.status).toBe(401);
    const exposed = (res.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(["www-authenticate", "allow"]));
  });
});
