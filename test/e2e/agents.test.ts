// Bots and agents on the real local platform (issue 23's acceptance):
//   1. the official MCP SDK Client over Streamable HTTP: tools, quote, a launch
//      created twice with one idempotencyKey and followed to confirmed, a bad key
//      → 401, a bad input → a tool error naming the field;
//   2. the CLI (`tokenforge`, as `npx tokenforge` runs it): one launch --json exits 0
//      confirmed; a CSV of 200 rows killed halfway and run again (on a terminal:
//      a progress bar; piped: clean lines) confirms all 200 and launches none twice;
//   3. POST /launches/batch of 100 with 3 invalid → 97 accepted and confirmed, 3
//      problems; the same batch again → the same ids.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ROOT, startPlatform, type Platform } from "../../tools/platform";
import { baseLaunch, waitFinal } from "./client";
import { createSiweMessage } from "viem/siwe";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

let p: Platform;
const dir = mkdtempSync(join(tmpdir(), "tf-agents-"));
beforeAll(async () => {
  p = await startPlatform({ port: "auto", quiet: true });
});
afterAll(async () => {
  await p?.stop();
});

const BIN = join(ROOT, "packages/cli/bin/tokenforge.mjs");
type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the CLI; `tty` runs it under script(1), so stdout and stderr are a terminal. */
function cli(args: string[], o: { tty?: boolean; onStderr?: (s: string) => void; kill?: (child: ReturnType<typeof spawn>) => void } = {}) {
  const env = { ...process.env, TOKENFORGE_URL: p.url, TOKENFORGE_API_KEY: p.apiKey, XDG_CONFIG_HOME: join(dir, "config"), NO_COLOR: "1" };
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const child = o.tty ? spawn("script", ["-qefc", quoted, "/dev/null"], { env, cwd: ROOT }) : spawn(process.execPath, [BIN, ...args], { env, cwd: ROOT });
  const run: Run = { code: null, stdout: "", stderr: "" };
  child.stdout!.on("data", (d) => (run.stdout += d));
  child.stderr!.on("data", (d) => {
    run.stderr += d;
    o.onStderr?.(String(d));
  });
  o.kill?.(child);
  return new Promise<Run>((resolve) => child.on("close", (code) => resolve({ ...run, code })));
}

async function mcpClient(key: string) {
  const client = new Client({ name: "agents-e2e", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${p.url}/api/v1/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  return client;
}

describe("agents", () => {
  it("MCP: lists tools, quotes, creates one launch for two calls with one idempotencyKey and follows it to confirmed; bad key 401, bad input names the field", async () => {
    const client = await mcpClient(p.apiKey);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["list_chains", "quote_launch", "create_launch", "get_launch", "list_tokens", "get_token"]));
    const body = baseLaunch({ name: "Agent Coin", symbol: "AGENT" });
    const quote: any = await client.callTool({ name: "quote_launch", arguments: body });
    expect(quote.isError, JSON.stringify(quote.content)).toBeFalsy();
    expect(quote.structuredContent).toMatchObject({ chain: "local-eth", platformFee: "0", id: expect.stringMatching(/^quo_/) });

    const args = { ...body, idempotencyKey: "agent-e2e-1" };
    const first: any = await client.callTool({ name: "create_launch", arguments: args });
    const again: any = await client.callTool({ name: "create_launch", arguments: args });
    expect(first.structuredContent).toMatchObject({ status: "queued", id: expect.stringMatching(/^lch_/) });
    expect(again.structuredContent.id).toBe(first.structuredContent.id);
    let view: any;
    for (let i = 0; i < 120; i++) {
      view = (await client.callTool({ name: "get_launch", arguments: { id: first.structuredContent.id } })).structuredContent;
      if (view.status === "confirmed" || view.status === "failed") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(view).toMatchObject({ status: "confirmed", address: first.structuredContent.address });
    // The second call launched nothing: the caller's launches named so are one.
    const mine = await (await fetch(`${p.url}/api/v1/me/launches?limit=100`, { headers: { authorization: `Bearer ${p.apiKey}` } })).json() as any;
    expect(mine.launches.filter((l: any) => l.symbol === "AGENT")).toHaveLength(1);
    const token: any = await client.callTool({ name: "get_token", arguments: { chain: "local-eth", address: view.address } });
    // The token's detail as GET /tokens/{chain}/{address} gives it, safety summary included (issue 19).
    expect(token.structuredContent).toMatchObject({ symbol: "AGENT", launchId: view.id, safety: expect.any(Array) });
    expect(token.structuredContent.safety.length).toBeGreaterThan(0);

    const bad: any = await client.callTool({ name: "create_launch", arguments: { ...body, decimals: 40 } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/decimals/);
    await client.close();

    const res = await fetch(`${p.url}/api/v1/mcp`, {
      method: "POST",
      headers: { authorization: "Bearer tf_wrong", "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
    await expect(mcpClient("tf_wrong")).rejects.toThrow();
  }, 120_000);

  it("CLI: login stores the key 0600; one launch --json exits 0 with the confirmed launch view", async () => {
    const login = await cli(["login", "--key", p.apiKey, "--url", p.url]);
    expect(login.code, login.stderr).toBe(0);
    const config = join(dir, "config", "tokenforge", "config.json");
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(config, "utf8"))).toMatchObject({ url: p.url, apiKey: p.apiKey });

    const run = await cli([
      "launch", "--chain", "local-eth", "--name", "Cli Coin", "--symbol", "CLI", "--decimals", "18", "--initial-supply", "1000",
      "--max-supply", "2000", "--owner", baseLaunch().owner, "--feature", "mintable", "--feature", "burnable", "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const view = JSON.parse(run.stdout);
    expect(view).toMatchObject({ status: "confirmed", chain: "local-eth", request: { symbol: "CLI", maxSupply: "2000", features: { mintable: true, burnable: true } } });
    // Piped, the live progress is plain lines on stderr: queued … confirmed, no control characters.
    expect(run.stderr).toMatch(/confirmed/);
    expect(run.stderr).not.toMatch(/[\r\x1b]/);
    const refused = await cli(["launch", "--chain", "local-eth", "--name", "Bad", "--symbol", "bad", "--decimals", "18", "--initial-supply", "1", "--owner", baseLaunch().owner]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/symbol/);
  }, 120_000);

  it("CLI bulk: 200 rows, killed halfway and run again on a terminal, confirm all with nothing launched twice", async () => {
    const file = join(dir, "launches.csv");
    const rows = Array.from({ length: 200 }, (_, i) => `local-eth,Bulk Coin ${i},BULK${i},18,${1000 + i},${baseLaunch().owner},mintable;burnable`);
    writeFileSync(file, ["chain,name,symbol,decimals,initialSupply,owner,features", ...rows].join("\n") + "\n");
    const results = `${file}.results.csv`;

    // Killed once the first hundred were accepted (their ids are in the results file), before the end.
    const killed = await cli(["launch", "--file", file], {
      kill: (child) => {
        const timer = setInterval(() => {
          if (existsSync(results) && readFileSync(results, "utf8").split("\n").filter((l) => /,lch_/.test(l)).length >= 100) {
            clearInterval(timer);
            child.kill("SIGKILL");
          }
        }, 20);
      },
    });
    expect(killed.code).toBeNull(); // killed, not finished
    expect(killed.stderr).not.toMatch(/[\r\x1b]/);
    const before = readFileSync(results, "utf8").split("\n").filter((l) => /,lch_/.test(l)).length;
    expect(before).toBeGreaterThanOrEqual(100);
    expect(before).toBeLessThan(200 + 1);

    const resumed = await cli(["launch", "--file", file], { tty: true });
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(resumed.stdout).toMatch(/\[#+-*\] \d+\/200 confirmed/); // the bar, redrawn in place
    expect(resumed.stdout).toMatch(/200 of 200 confirmed/);

    const lines = readFileSync(results, "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    expect(lines).toHaveLength(200);
    expect(lines.every((l) => l[4] === "confirmed")).toBe(true);
    const ids = new Set(lines.map((l) => l[2]));
    expect(ids.size).toBe(200);
    // The server holds exactly 200 launches of these rows: none was launched twice.
    const launched: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await (await fetch(`${p.url}/api/v1/me/launches?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { headers: { authorization: `Bearer ${p.apiKey}` } })).json();
      launched.push(...page.launches.filter((l: any) => /^Bulk Coin /.test(l.name)));
      cursor = page.nextCursor;
    } while (cursor);
    expect(launched).toHaveLength(200);
    expect(new Set(launched.map((l) => l.id))).toEqual(ids);
  }, 300_000);

  it("batch: 100 items with 3 invalid → 97 accepted and confirmed, 3 problems; the same batch again → the same ids", async () => {
    const launches: unknown[] = Array.from({ length: 100 }, (_, i) => baseLaunch({ name: `Batch Coin ${i}`, symbol: `BTC${i}` }));
    launches[3] = { ...(launches[3] as object), decimals: 19 };
    launches[40] = { ...(launches[40] as object), owner: "0x1234" };
    launches[77] = { ...(launches[77] as object), initialSupply: "-5" };
    const post = async () => {
      const res = await fetch(`${p.url}/api/v1/launches/batch`, {
        method: "POST",
        headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json", "idempotency-key": "e2e-batch-1" },
        body: JSON.stringify({ launches }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { results: any[] }).results;
    };
    const results = await post();
    expect(results.filter((r) => r.status === 202)).toHaveLength(97);
    expect([3, 40, 77].map((i) => results[i].status)).toEqual([422, 422, 422]);
    expect(results[3].problem.errors[0].path).toBe("decimals");
    expect(results[40].problem.errors[0].path).toBe("owner");
    expect(results[77].problem.errors[0].path).toBe("initialSupply");
    const ids = results.filter((r) => r.status === 202).map((r) => r.id);
    const views = await waitFinal(p, ids, 180_000);
    expect(views.filter((v) => v.status === "confirmed")).toHaveLength(97);
    const again = await post();
    expect(again.map((r) => r.id ?? r.status)).toEqual(results.map((r) => r.id ?? r.status));
  }, 240_000);

  it("batch with credits for 50 launches: the first 50 valid items are accepted, the rest 402, in item order", async () => {
    // A new user (SIWE) with an API key, and credits for exactly the first 50 items' quotes.
    const account = privateKeyToAccount(generatePrivateKey());
    const { nonce } = (await (await fetch(`${p.url}/api/v1/auth/nonce`, { method: "POST" })).json()) as { nonce: string };
    const message = createSiweMessage({ domain: new URL(p.url).host, address: account.address, uri: p.url, version: "1", chainId: 31337, nonce, issuedAt: new Date(), statement: "Sign in to TokenForge" });
    const signIn = await fetch(`${p.url}/api/v1/auth/siwe`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature: await account.signMessage({ message }) }) });
    expect(signIn.status).toBe(200);
    const cookie = /tf_session=[^;]+/.exec(signIn.headers.get("set-cookie") ?? "")![0];
    const me = (await (await fetch(`${p.url}/api/v1/me`, { headers: { cookie } })).json()) as { user: { id: string } };
    const keyRes = await fetch(`${p.url}/api/v1/keys`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ name: "batch bot", scopes: ["launches:read", "launches:write"] }) });
    const { key } = (await keyRes.json()) as { key: string };
    const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const items = Array.from({ length: 100 }, (_, i) => baseLaunch({ name: `Credit Coin ${i}`, symbol: `CC${i}` }));
    // Each item carries its own quote, so its cost is fixed whatever the gas price does meanwhile.
    const quotes = await Promise.all(items.map(async (b) => {
      const q = await fetch(`${p.url}/api/v1/quotes`, { method: "POST", headers: auth, body: JSON.stringify(b) });
      expect(q.status).toBe(201);
      return (await q.json()) as { id: string; total: string };
    }));
    const first50 = quotes.slice(0, 50).reduce((n, q) => n + BigInt(q.total), 0n);
    await p.grantCredits(me.user.id, { "local-eth": first50 }, "e2e: credits for 50");
    const res = await fetch(`${p.url}/api/v1/launches/batch`, {
      method: "POST", headers: { ...auth, "idempotency-key": "e2e-batch-credits" },
      body: JSON.stringify({ launches: items.map((b, i) => ({ ...b, payment: { mode: "platform", quoteId: quotes[i]!.id } })) }),
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: any[] };
    expect(results.slice(0, 50).map((r) => r.status)).toEqual(Array(50).fill(202));
    expect(results.slice(50).map((r) => r.status)).toEqual(Array(50).fill(402));
    expect(results[50].problem.type).toMatch(/insufficient-credits$/);
    const credits = (await (await fetch(`${p.url}/api/v1/credits`, { headers: auth })).json()) as { balances: { chain: string; available: string; reserved: string }[] };
    const eth = credits.balances.find((b) => b.chain === "local-eth")!;
    expect(BigInt(eth.available) + BigInt(eth.reserved)).toBeLessThanOrEqual(first50);
    expect(BigInt(eth.available)).toBe(0n);
    const views = await waitFinal(p, results.slice(0, 50).map((r) => r.id), 180_000);
    expect(views.filter((v) => v.status === "confirmed")).toHaveLength(50);
  }, 240_000);
});
