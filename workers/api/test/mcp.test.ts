// The remote MCP endpoint (issue 23 item 1) in workerd, driven by the official
// MCP SDK Client over Streamable HTTP (its fetch goes straight into the Worker):
// the tools and their annotations, schemas from the HTTP API's zod schemas, a
// launch created twice with one idempotencyKey, tool errors naming the field,
// 401 with WWW-Authenticate for a bad or missing key, and the key's scopes.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import worker from "../src/index";
import { createKey, goodLaunch, ORIGIN, signInEvm } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;
let key: string;
let readOnlyKey: string;

const intoWorker = async (url: string | URL, init?: RequestInit) => {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url, init), env as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
};

async function connect(k: string | null) {
  const client = new Client({ name: "mcp-test", version: "1" });
  const transport = new StreamableHTTPClientTransport(new URL(`${ORIGIN}/api/v1/mcp`), {
    fetch: intoWorker,
    requestInit: k ? { headers: { authorization: `Bearer ${k}` } } : {},
  });
  await client.connect(transport);
  return client;
}

const { payment: _platform, ...launchArgs } = goodLaunch;
const text = (r: any) => (r.content as { type: string; text: string }[]).map((c) => c.text).join("\n");

beforeAll(async () => {
  const a = await signInEvm();
  key = (await createKey(a.cookie, ["launches:read", "launches:write"], "agent")).key;
  readOnlyKey = (await createKey(a.cookie, ["launches:read"], "reader")).key;
});

describe("MCP /api/v1/mcp", () => {
  it("lists the six tools with annotations and the launch schema's fields", async () => {
    const client = await connect(key);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["create_launch", "get_launch", "get_token", "list_chains", "list_tokens", "quote_launch"]);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.get_launch!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(byName.create_launch!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    const props = (byName.create_launch!.inputSchema as any).properties;
    expect(Object.keys(props)).toEqual(expect.arrayContaining(["chain", "name", "symbol", "decimals", "initialSupply", "owner", "features", "idempotencyKey"]));
    expect((byName.create_launch!.inputSchema as any).required).toEqual(expect.arrayContaining(["chain", "symbol", "owner"]));
    await client.close();
  });

  it("creates one launch for two calls with the same idempotencyKey, and get_launch reads it", async () => {
    const client = await connect(key);
    const args = { ...launchArgs, symbol: "MCPA", idempotencyKey: "agent-retry-1" };
    const first: any = await client.callTool({ name: "create_launch", arguments: args });
    expect(first.isError, text(first)).toBeFalsy();
    expect(first.structuredContent).toMatchObject({ status: "queued", id: expect.stringMatching(/^lch_/), address: expect.stringMatching(/^0x/) });
    const second: any = await client.callTool({ name: "create_launch", arguments: args });
    expect(second.structuredContent).toMatchObject({ id: first.structuredContent.id, replayed: true });
    const rows = await DB.prepare("SELECT COUNT(*) AS n FROM launches WHERE idempotency_key = ?").bind("agent-retry-1").first<{ n: number }>();
    expect(rows!.n).toBe(1);
    const got: any = await client.callTool({ name: "get_launch", arguments: { id: first.structuredContent.id } });
    expect(got.structuredContent).toMatchObject({ id: first.structuredContent.id, status: "queued", request: { symbol: "MCPA" } });
    await client.close();
  });

  it("answers bad input and business errors as tool errors naming the field", async () => {
    const client = await connect(key);
    const schema: any = await client.callTool({ name: "create_launch", arguments: { ...launchArgs, decimals: 40 } });
    expect(schema.isError).toBe(true);
    expect(text(schema)).toMatch(/decimals/);
    const chainRule: any = await client.callTool({ name: "create_launch", arguments: { ...launchArgs, owner: "not-an-evm-address" } });
    expect(chainRule.isError).toBe(true);
    expect(chainRule.structuredContent).toMatchObject({ status: 422, errors: [expect.objectContaining({ path: "owner" })] });
    const wallet: any = await client.callTool({ name: "create_launch", arguments: { ...launchArgs, payment: { mode: "wallet", payer: goodLaunch.owner } } });
    expect(wallet.structuredContent).toMatchObject({ errors: [{ path: "payment.mode" }] });
    const missing: any = await client.callTool({ name: "get_launch", arguments: { id: "lch_00000000000000000000000000" } });
    expect(missing).toMatchObject({ isError: true, structuredContent: { status: 404 } });
    const token: any = await client.callTool({ name: "get_token", arguments: { chain: "nope", address: "0x00" } });
    expect(token.structuredContent).toMatchObject({ errors: [{ path: "chain" }] });
    await client.close();
  });

  it("keeps the key's scopes: a read-only key reads but cannot launch", async () => {
    const client = await connect(readOnlyKey);
    const chains: any = await client.callTool({ name: "list_chains", arguments: {} });
    expect(chains.structuredContent.chains.map((c: { id: string }) => c.id)).toContain("local-eth");
    const tokens: any = await client.callTool({ name: "list_tokens", arguments: { limit: 5 } });
    expect(tokens.structuredContent).toMatchObject({ tokens: expect.any(Array) });
    expect(tokens.structuredContent.tokens.length).toBeLessThanOrEqual(5);
    const denied: any = await client.callTool({ name: "create_launch", arguments: { ...launchArgs, symbol: "MCPR" } });
    expect(denied).toMatchObject({ isError: true, structuredContent: { status: 403 } });
    await client.close();
  });

  it("refuses a missing or bad key with 401 and WWW-Authenticate", async () => {
    for (const auth of [undefined, "Bearer tf_not_a_real_key"]) {
      const res = await intoWorker(`${ORIGIN}/api/v1/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="tokenforge"/);
    }
    await expect(connect("tf_not_a_real_key")).rejects.toThrow(/401|Unauthorized|invalid/i);
  });
});
