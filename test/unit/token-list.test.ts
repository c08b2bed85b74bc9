// The token list builder (core assets/token-list.ts) against the schema published
// in @uniswap/token-lists: the copied patterns are the schema's, every list built
// validates, names the schema refuses are left out, versions move as the spec says.
import { describe, expect, it } from "vitest";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import schema from "@uniswap/token-lists/src/tokenlist.schema.json";
import { buildTokenList, LIST_MAX_TOKENS, LIST_TOKEN_NAME, LIST_TOKEN_SYMBOL, listName, nextVersion, type ListToken } from "../../packages/core/src/assets/token-list";

const ajv = new Ajv({ allErrors: true, verbose: true });
addFormats(ajv);
const validate = ajv.compile(schema);
const token = (i: number, over: Partial<ListToken> = {}): ListToken => ({
  chainId: 31337, address: `0x${i.toString(16).padStart(40, "0")}`, name: `Token ${i}`, symbol: `T${i}`, decimals: 18, logoURI: `https://api.example/api/v1/assets/${"a".repeat(64)}`, ...over,
});
const now = new Date("2026-11-28T00:00:00Z");

describe("token lists", () => {
  it("copies the schema's name and symbol rules", () => {
    const info = (schema as any).definitions.TokenInfo.properties;
    expect(info.name.maxLength).toBe(LIST_TOKEN_NAME.maxLength);
    expect(info.name.anyOf[1].pattern).toBe(LIST_TOKEN_NAME.pattern.source);
    expect(info.symbol.maxLength).toBe(LIST_TOKEN_SYMBOL.maxLength);
    expect(info.symbol.anyOf[1].pattern).toBe(LIST_TOKEN_SYMBOL.pattern.source);
    expect((schema as any).properties.tokens.maxItems).toBe(LIST_MAX_TOKENS);
  });

  it("builds lists the schema accepts, leaving out names it refuses", () => {
    const odd = [token(1, { name: "x".repeat(61) }), token(2, { name: "tab\there" }), token(3, { name: "Ünïcødé Ⓣoken 🚀" })];
    const list = buildTokenList(listName("Local ETH (anvil 31337)"), odd, null, now)!;
    expect(validate(list), JSON.stringify(validate.errors)).toBe(true);
    expect(list.tokens.map((t) => t.name)).toEqual(["Ünïcødé Ⓣoken 🚀"]);
    expect(buildTokenList("Empty", [token(1, { name: "y".repeat(70) })], null, now)).toBeNull();
  });

  it("keeps the newest 10,000 and stays valid at the cap", () => {
    const list = buildTokenList("Big", Array.from({ length: LIST_MAX_TOKENS + 5 }, (_, i) => token(i + 1)), null, now)!;
    expect(list.tokens).toHaveLength(LIST_MAX_TOKENS);
    expect(list.tokens[0]!.symbol).toBe("T1");
    expect(validate(list), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it("bumps major on removal, minor on addition, patch on a changed detail, nothing otherwise", () => {
    const v1 = buildTokenList("L", [token(1), token(2)], null, now)!;
    expect(v1.version).toEqual({ major: 1, minor: 0, patch: 0 });
    expect(nextVersion(v1, [token(1), token(2)])).toEqual({ major: 1, minor: 0, patch: 0 });
    expect(nextVersion(v1, [token(3), token(1), token(2)])).toEqual({ major: 1, minor: 1, patch: 0 });
    expect(nextVersion(v1, [token(1), token(2, { logoURI: "https://api.example/other" })])).toEqual({ major: 1, minor: 0, patch: 1 });
    expect(nextVersion(v1, [token(1)])).toEqual({ major: 2, minor: 0, patch: 0 });
    // An unchanged list keeps its timestamp: the same document.
    expect(buildTokenList("L", [token(1), token(2)], v1, new Date("2027-01-01T00:00:00Z"))!.timestamp).toBe(v1.timestamp);
  });
});
