// Units (issue 13, item 4): a token view speaks whole tokens like the launch
// request, under a name that says what the amount is (the supply minted at
// launch), and the document states the unit of every supply field.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, json, OWNER } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;

describe("GET /tokens amounts", () => {
  it("reports initialSupply in whole tokens (the row keeps base units), and no base-unit totalSupply", async () => {
    const rows = [
      ["local-eth", "0x00000000000000000000000000000000000000a1", "lch_units0000000000000000000a", 18, (10n ** 24n).toString(), "1000000"],
      ["local-eth", "0x00000000000000000000000000000000000000a2", "lch_units0000000000000000000b", 0, "42", "42"],
      ["local-sol", "Units1111111111111111111111111111111111111", "lch_units0000000000000000000c", 9, "42000000000000", "42000"],
    ] as const;
    for (const [chain, address, launchId, decimals, raw] of rows) {
      await DB.prepare(
        "INSERT INTO tokens (chain, address, launch_id, name, symbol, decimals, total_supply, owner, features, metadata_uri, tx_hash, created_at) VALUES (?, ?, ?, 'Units', 'UNIT', ?, ?, ?, '{}', NULL, NULL, ?)",
      ).bind(chain, address, launchId, decimals, raw, OWNER, Date.now()).run();
    }
    const list = await json<{ tokens: Record<string, unknown>[] }>(await call("GET", `/api/v1/tokens?owner=${OWNER}&limit=100`));
    for (const [, address, , , , whole] of rows) {
      const t = list.tokens.find((x) => x.address === address)!;
      expect(t.initialSupply, address).toBe(whole);
      expect(t).not.toHaveProperty("totalSupply");
    }
  });

  it("states the unit of each supply field in the OpenAPI document", async () => {
    const doc = await json(await call("GET", "/api/v1/openapi.json"));
    const token = doc.components.schemas.Token;
    expect(token.properties.totalSupply).toBeUndefined();
    expect(token.required).toContain("initialSupply");
    expect(token.properties.initialSupply.description).toMatch(/whole tokens/);
    const request = doc.paths["/api/v1/launches"].post.requestBody.content["application/json"].schema;
    expect(request.description).toMatch(/whole tokens/);
    expect(request.properties.maxSupply.description).toMatch(/Whole tokens/);
  });
});

describe("units in the document", () => {
  it("names the unit of every amount a client reads or sends", async () => {
    const doc = await json(await call("GET", "/api/v1/openapi.json"));
    const s = doc.components.schemas;
    const request = doc.paths["/api/v1/launches"].post.requestBody.content["application/json"].schema;
    const fees = s.Chain.properties.fees.anyOf?.find((x: { properties?: unknown }) => x.properties) ?? s.Chain.properties.fees;
    const described: [string, string | undefined, RegExp][] = [
      ["request initialSupply", request.properties.initialSupply.description, /whole tokens/i],
      ["request maxSupply", request.properties.maxSupply.description, /whole tokens/i],
      ["accepted request initialSupply", s.AcceptedLaunchRequest.properties.initialSupply.description, /whole tokens/i],
      ["Token initialSupply", s.Token.properties.initialSupply.description, /whole tokens/i],
      ["Launch gasUsed", s.Launch.properties.gasUsed.description, /gas units/],
      ["fees gasPrice", fees.properties.gasPrice.description, /wei.*lamports/],
      ["fees estimatedCost", fees.properties.estimatedCost.description, /wei.*lamports/],
    ];
    for (const [what, description, unit] of described) expect(description, what).toMatch(unit);
  });
});
