// Test helpers for the api Worker in workerd: requests, problem+json checks and
// real wallet sign-ins (SIWE with viem local accounts, SIWS with a WebCrypto
// ed25519 key), so the suites exercise the same paths a user does.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import type { Hex } from "viem";
import { base58Encode } from "@tokenforge/core/auth/base58";
import { createSiwsMessage } from "@tokenforge/core/auth/siws";
import { grantCredits, type LedgerEnv } from "@tokenforge/core/credits/store";
import worker from "../src/index";

export const ORIGIN = "https://tf.test";
export const P = "https://tokenforge.dev/problems/";
/** anvil account #4: listed in ADMIN_WALLETS by vitest.config.ts. */
export const ADMIN_KEY: Hex = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";
export const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
// Platform-paid whoever calls (a session's default is wallet payment, which these tests do not exercise).
export const goodLaunch = { chain: "local-eth", name: "Forge Coin", symbol: "FORGE", decimals: 18, initialSupply: "1000000", owner: OWNER, payment: { mode: "platform" } };

export type Auth = { cookie?: string; key?: string; headers?: Record<string, string> };

/**
 * One request into the Worker's fetch handler, with this test run's bindings.
 * (Straight into the handler rather than through SELF: the same app and
 * bindings, without the service hop that makes hundreds of requests slow on a
 * busy machine.)
 */
export async function call(method: string, path: string, auth: Auth = {}, body?: unknown, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { ...auth.headers, ...headers };
  if (auth.cookie) h.cookie = auth.cookie;
  if (auth.key) h.authorization = `Bearer ${auth.key}`;
  if (body !== undefined && !("content-type" in h)) h["content-type"] = "application/json";
  const request = new Request(`${ORIGIN}${path}`, {
    method,
    headers: h,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, env as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Through the Worker's service binding, as a deployed request arrives. */
export const viaSelf = (path: string, init?: RequestInit) => SELF.fetch(`${ORIGIN}${path}`, init);

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export async function expectProblem(res: Response, status: number, type?: string) {
  expect(res.status, await res.clone().text()).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = await json<{ type: string; status: number; title: string }>(res);
  if (type) expect(body.type).toBe(P + type);
  expect(body.status).toBe(status);
  return body;
}

async function nonce(): Promise<string> {
  const res = await call("POST", "/api/v1/auth/nonce");
  expect(res.status).toBe(201);
  return (await json<{ nonce: string }>(res)).nonce;
}

/** Signs in with Ethereum; returns the session cookie and the user. */
export async function signInEvm(privateKey: Hex = generatePrivateKey(), over: Partial<Parameters<typeof createSiweMessage>[0]> = {}) {
  const account = privateKeyToAccount(privateKey);
  const message = createSiweMessage({
    domain: "tf.test", address: account.address, uri: ORIGIN, version: "1", chainId: 31337,
    nonce: await nonce(), issuedAt: new Date(), statement: "Sign in to TokenForge", ...over,
  });
  const signature = await account.signMessage({ message });
  const res = await call("POST", "/api/v1/auth/siwe", {}, { message, signature });
  expect(res.status, await res.clone().text()).toBe(200);
  const user = (await json<{ user: { id: string; walletAddress: string; role: string } }>(res)).user;
  await giveCredits(user.id);
  return { cookie: sessionCookie(res), user, account };
}

export async function solanaKeypair() {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  return { pair, address: base58Encode(raw) };
}

/** Signs in with Solana (ed25519); the signature is sent base58 unless `base64`. */
export async function signInSolana(opts: { base64?: boolean } = {}) {
  const { pair, address } = await solanaKeypair();
  const message = createSiwsMessage({ domain: "tf.test", address, statement: "Sign in to TokenForge", uri: ORIGIN, version: "1", chainId: "localnet", nonce: await nonce(), issuedAt: new Date() });
  const sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, new TextEncoder().encode(message)));
  const signature = opts.base64 ? btoa(String.fromCharCode(...sig)) : base58Encode(sig);
  const res = await call("POST", "/api/v1/auth/siws", {}, { message, signature, publicKey: address });
  expect(res.status, await res.clone().text()).toBe(200);
  const user = (await json<{ user: { id: string; walletAddress: string; role: string } }>(res)).user;
  await giveCredits(user.id);
  return { cookie: sessionCookie(res), user, address };
}

/** Test users' credits on every local chain (issue 17: platform-paid launches are paid from them), as `npm start` gives its dev user. */
export const TEST_CREDITS: Record<string, bigint> = { "local-eth": 10n ** 21n, "local-bsc": 10n ** 21n, "local-sol": 10n ** 12n };

export async function giveCredits(userId: string, amounts: Record<string, bigint> = TEST_CREDITS) {
  for (const [chain, amount] of Object.entries(amounts)) {
    await grantCredits(env as unknown as LedgerEnv, { userId, chain, amount, by: "test", reason: "test credits", key: `test:${userId}:${chain}` });
  }
}

export function sessionCookie(res: Response): string {
  const set = res.headers.get("set-cookie") ?? "";
  const m = /tf_session=([^;]+)/.exec(set);
  expect(m, `no session cookie in ${set}`).toBeTruthy();
  return `tf_session=${m![1]}`;
}

export async function createKey(cookie: string, scopes: string[], name = "test key") {
  const res = await call("POST", "/api/v1/keys", { cookie }, { name, scopes });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<{ id: string; key: string; prefix: string; scopes: string[] }>(res);
}

export async function createWebhook(auth: Auth, url = "https://hooks.example.com/tf", events = ["launch.confirmed", "launch.failed"]) {
  const res = await call("POST", "/api/v1/webhooks", auth, { url, events });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<{ id: string; secret: string; url: string }>(res);
}

export async function createLaunch(auth: Auth, over: Record<string, unknown> = {}) {
  const res = await call("POST", "/api/v1/launches", auth, { ...goodLaunch, ...over });
  expect(res.status, await res.clone().text()).toBe(202);
  return json<{ id: string; address: string }>(res);
}
