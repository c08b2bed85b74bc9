// The chain registry's placeholders: secrets and ports from the env, defaults
// that nest (local-eth's primary defaults to anvil's own port), quotas that
// tests can shrink, and values from the env never parsed as templates.
import { describe, expect, it } from "vitest";
import { chainRegistry, fillVars, findChain, redactRpcUrl, redactUrls } from "../../packages/core/src/chains";

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

describe("local-sol", () => {
  it("has a primary and a secondary endpoint a test can point elsewhere, both the node by default", () => {
    const urls = (env: Record<string, string>) => findChain(chainRegistry({ TF_ENV: "local", ...env }), "local-sol")!.rpc.map((r) => [r.provider, r.url]);
    expect(urls({ LOCAL_SOL_PORT: "9100" })).toEqual([["primary", "http://127.0.0.1:9100"], ["solana-node", "http://127.0.0.1:9100"]]);
    expect(urls({ LOCAL_SOL_PORT: "9100", LOCAL_SOL_PRIMARY_URL: "http://127.0.0.1:7000" })[0]).toEqual(["primary", "http://127.0.0.1:7000"]);
  });
});

describe("URL redaction", () => {
  it("cuts a URL, and every URL in a message, to its origin: paths, queries and credentials carry provider keys", () => {
    expect(redactRpcUrl("https://user:key@rpc.example/v2/SECRET?api-key=S")).toBe("https://rpc.example");
    expect(redactRpcUrl("not a url")).toBe("<invalid url>");
    expect(redactUrls('fetch to https://rpc.example/v2/SECRET failed; "http://10.0.0.1:8545/?key=S" (see https://a.example/x)'))
      .toBe('fetch to https://rpc.example failed; "http://10.0.0.1:8545" (see https://a.example)');
  });
});
