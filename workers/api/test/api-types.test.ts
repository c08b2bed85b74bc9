// The committed @tokenforge/api-types is generated in node from the api's app
// (tools/gen-api-types.ts); here, in workerd, the document the Worker serves must
// be that same document, and the health reports (plain Hono routes, documented
// by hand in operators-doc.ts) must fit the schemas the document gives them.
import { describe, expect, it } from "vitest";
import committed from "@tokenforge/api-types/openapi.json";
import { Health } from "../src/schemas";
import { call, json } from "./helpers";

describe("the API's generated types", () => {
  it("come from the document the Worker serves at /api/v1/openapi.json", async () => {
    const res = await call("GET", "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual(committed);
  });

  it("describe the public and the deep health reports as they are answered", async () => {
    const pub = await call("GET", "/api/v1/health");
    const pubBody = await json(pub);
    expect(Health.safeParse(pubBody).error).toBeUndefined();
    expect(pubBody.chains.length).toBeGreaterThan(0);

    const deep = await call("GET", "/api/v1/health/deep", { headers: { authorization: "Bearer test-admin-token" } });
    expect([200, 503]).toContain(deep.status);
    const deepBody = await json(deep);
    expect(Health.safeParse(deepBody).error).toBeUndefined();
    expect(deepBody.chains.some((c: { endpoints: { latest?: unknown; error?: unknown }[] }) => c.endpoints.some((e) => "latest" in e || "error" in e))).toBe(true);
  });
});
