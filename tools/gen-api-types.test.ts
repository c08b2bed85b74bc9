// The committed API types (packages/api-types) are what the api's code generates
// now: a route or schema change without `npm run gen:api-types` fails here, so
// the web app and clients never compile against a stale API.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateApiTypes, staleApiTypes } from "./gen-api-types";

describe("@tokenforge/api-types", () => {
  it("is up to date with the api's OpenAPI document (run `npm run gen:api-types` after changing a route)", async () => {
    expect(await staleApiTypes()).toEqual([]);
  });

  it("types responses from the route schemas: the launch view's status is the lifecycle's enum", async () => {
    const { document, types } = await generateApiTypes();
    const doc = JSON.parse(document) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.paths).toHaveProperty(["/api/v1/launches/{id}"]);
    expect(doc.components.schemas).toHaveProperty("Launch");
    expect(types).toMatch(/Launch: \{[^]*?status: "awaiting_payment" \| "queued" \| "submitted" \| "confirmed" \| "failed" \| "expired";/);
    expect(types).toContain("export interface paths");
    expect(types).toContain("export interface components");
  });

  it("is where the web app's response types come from: web/src/api.ts writes no object type by hand", () => {
    const source = readFileSync(new URL("../web/src/api.ts", import.meta.url), "utf8");
    expect(source).toMatch(/^import type \{ components, paths \} from "@tokenforge\/api-types";$/m);
    const handWritten = [...source.matchAll(/^export (?:type (\w+)(?:<[^>]*>)? = [^;]*?\{\s*\w+\??:|interface (\w+))/gm)].map((m) => m[1] ?? m[2]);
    expect(handWritten).toEqual([]);
  });
});
