// The chain registry's placeholders: secrets and ports from the env, defaults
// that nest (local-eth's primary defaults to anvil's own port), quotas that
// tests can shrink, and values from the env never parsed as templates.
import { describe, expect, it } from "vitest";
import { chainRegistry, fillVars } from "../../packages/core/src/chains";

describe("fillVars", () => {
  it("fills names, falls back to defaults, and nests defaults", () => {
    const t = "${PRIMARY:-http://127.0.0.1:${PORT:-8545}}/v2/${KEY}";
    expect(fillVars(t, {})).toBe("http://127.0.0.1:8545/v2/");
    expect(fillVars(t, { PORT: "9000", KEY: "k" })).toBe("http://127.0.0.1:9000/v2/k");
    expect(fillVars(t, { PRIMARY: "https://rpc.example", PORT: "9000", KEY: "k" })).toBe("https://rpc.example/v2/k");
    expect(fillVars("${EMPTY:-fallback}", { EMPTY: "" })).toBe("fallback");
  });

  it("inserts env values as they are, never as templates", () => {
    expect(fillVars("${A}", { A: "${B}", B: "secret" })).toBe("${B}");
  });

  it("keeps text that only looks like a placeholder", () => {
    expect(fillVars("$5 ${lower} ${OPEN", {})).toBe("$5 ${lower} ${OPEN");
    expect(fillVars("${A:-x", { A: "y" })).toBe("${A:-x");
  });
});

describe("chainRegistry (local)", () => {
  it("gives local-eth a primary and anvil as secondary, both anvil by default", () => {
    const eth = chainRegistry({ TF_ENV: "local", LOCAL_ETH_PORT: "18545" }).find((c) => c.id === "local-eth")!;
    expect(eth.rpc.map((r) => [r.provider, r.url])).toEqual([
      ["primary", "http://127.0.0.1:18545"],
      ["anvil", "http://127.0.0.1:18545"],
    ]);
    expect(eth.rpc.every((r) => r.quota.requests >= 10_000 && r.quota.perSeconds === 1)).toBe(true);
  });

  it("puts a proxy in front as the primary and shrinks budgets from vars", () => {
    const eth = chainRegistry({ TF_ENV: "local", LOCAL_ETH_PORT: "18545", LOCAL_ETH_PRIMARY_URL: "http://127.0.0.1:9999", LOCAL_ETH_PRIMARY_RPS: "4" })
      .find((c) => c.id === "local-eth")!;
    expect(eth.rpc[0]).toMatchObject({ url: "http://127.0.0.1:9999", quota: { requests: 4, perSeconds: 1 } });
    expect(eth.rpc[1]!.url).toBe("http://127.0.0.1:18545");
  });

  it("refuses a quota that is not a positive number", () => {
    expect(() => chainRegistry({ TF_ENV: "local", LOCAL_ETH_PRIMARY_RPS: "lots" })).toThrow(/RPC quota .* is not a positive number/);
  });
});
