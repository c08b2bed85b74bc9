// A bot developer's path on the real platform (issue 6, acceptance 2): sign in
// with Ethereum (a viem local account), create an API key, generate a typed
// client from the served OpenAPI document (openapi-typescript + openapi-fetch),
// create a launch with it, and receive the signed launch.confirmed webhook on a
// local HTTP server, verified with the Standard Webhooks algorithm.
import { createHmac, timingSafeEqual } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import openapiTS, { astToString } from "openapi-typescript";
import createClient from "openapi-fetch";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { ROOT, startPlatform, type Platform } from "../../tools/platform";
import { OWNER, waitFinal } from "./client";

// anvil's well-known account #0.
const ANVIL_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

type Received = { headers: IncomingHttpHeaders; body: string };
let p: Platform;
let hookServer: Server;
let hookUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  p = await startPlatform({ port: "auto", quiet: true });
  hookServer = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", r));
  const addr = hookServer.address();
  hookUrl = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/hooks/tokenforge`;
});

afterAll(async () => {
  await new Promise((r) => hookServer?.close(r));
  await p?.stop();
});

/** Standard Webhooks verification, as a receiver writes it (standardwebhooks.com). */
function verifyStandardWebhook(secret: string, headers: IncomingHttpHeaders, body: string, toleranceSeconds = 300) {
  const id = String(headers["webhook-id"]);
  const timestamp = Number(headers["webhook-timestamp"]);
  if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > toleranceSeconds) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  return String(headers["webhook-signature"])
    .split(" ")
    .some((sig) => {
      const [version, b64] = sig.split(",");
      const got = Buffer.from(b64 ?? "", "base64");
      return version === "v1" && got.length === expected.length && timingSafeEqual(got, expected);
    });
}

describe("a bot developer, end to end", () => {
  let cookie = "";
  let apiKey = "";
  let webhookSecret = "";
  let launchId = "";

  it("signs in with Ethereum using a viem local account", async () => {
    const account = privateKeyToAccount(ANVIL_KEY);
    const { nonce } = (await (await fetch(`${p.url}/api/v1/auth/nonce`, { method: "POST" })).json()) as { nonce: string };
    const message = createSiweMessage({
      domain: new URL(p.url).host, address: account.address, uri: p.url, version: "1", chainId: 31337, nonce, issuedAt: new Date(),
      statement: "Sign in to TokenForge",
    });
    const res = await fetch(`${p.url}/api/v1/auth/siwe`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature: await account.signMessage({ message }) }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const { user } = (await res.json()) as { user: { walletAddress: string; role: string } };
    expect(user.walletAddress).toBe(account.address); // EIP-55, the one stored form
    cookie = /tf_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
    const me = (await (await fetch(`${p.url}/api/v1/me`, { headers: { cookie } })).json()) as { user: { id: string; walletAddress: string } };
    expect(me.user.walletAddress).toBe(user.walletAddress);
    // Platform-paid launches are paid from credits (issue 17): the new user gets some, like the dev user.
    await p.grantCredits(me.user.id);
  });

  it("creates an API key from the session", async () => {
    const res = await fetch(`${p.url}/api/v1/keys`, {
      method: "POST", headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: "e2e bot", scopes: ["launches:read", "launches:write", "webhooks:manage"] }),
    });
    expect(res.status).toBe(201);
    apiKey = ((await res.json()) as { key: string }).key;
    expect(apiKey).toMatch(/^tf_/);
  });

  it("registers a webhook for launch.confirmed to a local HTTP server", async () => {
    const res = await fetch(`${p.url}/api/v1/webhooks`, {
      method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ url: hookUrl, events: ["launch.confirmed", "launch.failed"] }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    webhookSecret = ((await res.json()) as { secret: string }).secret;
    expect(webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
  });

  it("generates a typed client from /api/v1/openapi.json that type-checks a launch", async () => {
    const dir = join(ROOT, `.tmp/e2e-openapi-${new URL(p.url).port}`);
    mkdirSync(dir, { recursive: true });
    const ast = await openapiTS(new URL(`${p.url}/api/v1/openapi.json`));
    writeFileSync(join(dir, "tokenforge.d.ts"), astToString(ast));
    // The generated types must accept a valid launch and reject a misspelled field.
    writeFileSync(
      join(dir, "client.ts"),
      `import createClient from "openapi-fetch";
import type { paths } from "./tokenforge";
const client = createClient<paths>({ baseUrl: "http://localhost" });
export async function launch() {
  const { data, error } = await client.POST("/api/v1/launches", {
    headers: { "idempotency-key": "k1" },
    body: { chain: "local-eth", name: "Typed", symbol: "TYP", decimals: 18, initialSupply: "1", owner: "0x0", features: { mintable: true } },
  });
  if (data) { const id: string = data.id; const status: "queued" | "awaiting_payment" = data.status; return { id, status }; }
  return error?.type;
}
export async function wrong() {
  // @ts-expect-error decimals must be a number
  await client.POST("/api/v1/launches", { body: { chain: "x", name: "x", symbol: "X", decimals: "18", initialSupply: "1", owner: "x" } });
  const view = await client.GET("/api/v1/launches/{id}", { params: { path: { id: "lch_x" } } });
  const events: { status: "awaiting_payment" | "queued" | "submitted" | "confirmed" | "failed" | "expired" }[] | undefined = view.data?.events;
  return events;
}
`,
    );
    const tsc = spawnSync(join(ROOT, "node_modules/.bin/tsc"), [
      "--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler", "--lib", "es2022,dom", join(dir, "client.ts"),
    ], { encoding: "utf8" });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  });

  it("creates a launch with the generated client and receives the signed launch.confirmed webhook", async () => {
    // At run time openapi-fetch needs no types (the previous test proved the generated ones fit).
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const client = createClient<any>({ baseUrl: p.url, headers: { authorization: `Bearer ${apiKey}` }, fetch: fetchRetryingStaleSocket });
    const { data, error, response } = await client.POST("/api/v1/launches", {
      headers: { "idempotency-key": `e2e-accounts-${Date.now()}` },
      body: { chain: "local-eth", name: "Webhook Coin", symbol: "HOOK", decimals: 18, initialSupply: "1000", owner: OWNER },
    });
    expect(response.status, JSON.stringify(error)).toBe(202);
    expect(response.headers.get("ratelimit-policy")).toContain("key-minute");
    launchId = data.id;

    const [view] = await waitFinal(p, [launchId], 90_000);
    expect(view.status).toBe("confirmed");

    // The deployer announces the final launch on tf-webhook-events; the api delivers it.
    const deadline = Date.now() + 60_000;
    let hook: Received | undefined;
    while (!(hook = received.find((r) => r.body.includes(launchId))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(hook, "no webhook arrived").toBeTruthy();
    expect(hook!.headers["content-type"]).toBe("application/json");
    expect(hook!.headers["webhook-id"]).toMatch(/^msg_/);
    expect(verifyStandardWebhook(webhookSecret, hook!.headers, hook!.body)).toBe(true);
    expect(verifyStandardWebhook(webhookSecret, hook!.headers, hook!.body.replace("confirmed", "failed"))).toBe(false);
    const payload = JSON.parse(hook!.body);
    expect(payload).toMatchObject({ type: "launch.confirmed", data: { id: launchId, status: "confirmed", address: view.address, txHash: view.txHash } });

    const log = (await (await fetch(`${p.url}/api/v1/webhooks`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { webhooks: { id: string }[] };
    const deliveries = (await (await fetch(`${p.url}/api/v1/webhooks/${log.webhooks[0]!.id}/deliveries`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as {
      deliveries: { launchId: string; statusCode: number; error: string | null }[];
    };
    expect(deliveries.deliveries.find((d) => d.launchId === launchId)).toMatchObject({ statusCode: 204, error: null });
  });

  it("lists the launch under /me/launches for its creator only", async () => {
    const mine = (await (await fetch(`${p.url}/api/v1/me/launches`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { launches: { id: string }[] };
    expect(mine.launches.map((l) => l.id)).toContain(launchId);
    const dev = (await (await fetch(`${p.url}/api/v1/me/launches`, { headers: { authorization: `Bearer ${p.apiKey}` } })).json()) as { launches: { id: string }[] };
    expect(dev.launches.map((l) => l.id)).not.toContain(launchId);
  });

  it("serves the interactive docs page and its assets from the Worker (no CDN)", async () => {
    const page = await fetch(`${p.url}/api/v1/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    for (const asset of ["/api/v1/docs/docs.js", "/api/v1/docs/docs.css"]) expect((await fetch(`${p.url}${asset}`)).status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
  });
});

// The previous test spends seconds in tsc; a keep-alive socket the local server
// closed meanwhile fails the next request with "other side closed". A bot would
// retry: safe here, the POST carries an Idempotency-Key.
async function fetchRetryingStaleSocket(input: Request): Promise<Response> {
  const retry = input.clone();
  try {
    return await fetch(input as never);
  } catch (e) {
    if ((e as { cause?: { code?: string } }).cause?.code !== "UND_ERR_SOCKET") throw e;
    return fetch(retry as never);
  }
}
