// Wallet sign-in, sessions, API keys and the browser hardening, in workerd.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { createSiwsMessage } from "@tokenforge/core/auth/siws";
import { base58Encode } from "@tokenforge/core/auth/base58";
import worker from "../src/index";
import { ADMIN_KEY, call, createKey, expectProblem, json, ORIGIN, signInEvm, signInSolana, solanaKeypair } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;

async function siweParts(over: Record<string, unknown> = {}, privateKey = generatePrivateKey()) {
  const account = privateKeyToAccount(privateKey);
  const nonce = (await json<{ nonce: string }>(await call("POST", "/api/v1/auth/nonce"))).nonce;
  const message = createSiweMessage({ domain: "tf.test", address: account.address, uri: ORIGIN, version: "1", chainId: 31337, nonce, issuedAt: new Date(), ...over });
  return { message, signature: await account.signMessage({ message }), account, nonce };
}

describe("Sign-In with Ethereum", () => {
  it("creates the user on first sign-in and sets an HttpOnly, SameSite=Lax session cookie", async () => {
    const { message, signature, account } = await siweParts();
    const res = await call("POST", "/api/v1/auth/siwe", {}, { message, signature });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.user).toMatchObject({ walletAddress: account.address, role: "user" });
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^tf_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // TF_ENV=local
    const token = /tf_session=([^;]+)/.exec(cookie)![1]!;
    const me = await call("GET", "/api/v1/me", { cookie: `tf_session=${token}` });
    expect((await json(me)).user.id).toBe(body.user.id);
    // Only the hash of the session id is stored.
    const rows = await DB.prepare("SELECT id_hash FROM sessions WHERE user_id = ?").bind(body.user.id).all<{ id_hash: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.id_hash).not.toContain(token);
    const audit = await DB.prepare("SELECT action FROM audit_log WHERE actor_user_id = ? ORDER BY at").bind(body.user.id).all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["user.created", "auth.sign_in"]);
  });

  it("signs the same wallet in again as the same user", async () => {
    const pk = generatePrivateKey();
    const a = await signInEvm(pk);
    const b = await signInEvm(pk);
    expect(b.user.id).toBe(a.user.id);
  });

  it("accepts a nonce once: replaying a signed message is refused", async () => {
    const { message, signature } = await siweParts();
    expect((await call("POST", "/api/v1/auth/siwe", {}, { message, signature })).status).toBe(200);
    await expectProblem(await call("POST", "/api/v1/auth/siwe", {}, { message, signature }), 401, "unauthorized");
  });

  it("refuses a nonce the server never issued, and an expired one", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const forged = createSiweMessage({ domain: "tf.test", address: account.address, uri: ORIGIN, version: "1", chainId: 31337, nonce: "madeUpNonce123", issuedAt: new Date() });
    await expectProblem(await call("POST", "/api/v1/auth/siwe", {}, { message: forged, signature: await account.signMessage({ message: forged }) }), 401);
    await DB.prepare("INSERT INTO auth_nonces (nonce, expires_at, created_at) VALUES ('expiredNonce0001', ?, ?)").bind(Date.now() - 1000, Date.now() - 400_000).run();
    const old = createSiweMessage({ domain: "tf.test", address: account.address, uri: ORIGIN, version: "1", chainId: 31337, nonce: "expiredNonce0001", issuedAt: new Date() });
    await expectProblem(await call("POST", "/api/v1/auth/siwe", {}, { message: old, signature: await account.signMessage({ message: old }) }), 401);
  });

  it("refuses another domain, an unknown chain, an expired message and a signature by someone else", async () => {
    const body = ({ message, signature }: { message: string; signature: string }) => ({ message, signature });
    const other = await siweParts({ domain: "evil.example" });
    await expectProblem(await call("POST", "/api/v1/auth/siwe", {}, body(other)), 422, "validation-error");
    const chain = await siweParts({ chainId: 1 });
    await expectProblem(await call("POST", "/api/v1/auth/siwe", {}, body(chain)), 422, "validation-error");
    const expired = await siweParts({ expirationTime: new Date(Date.now() - 1000) });
    await expectProblem(await call("POST", "/api/v1/auth/siwe", {}, body(expired)), 401);
    const parts = await siweParts();
    const mallory = privateKeyToAccount(generatePrivateKey());
    await expectProblem(await call("POST", "/api/v1/auth/siwe", {}, { message: parts.message, signature: await mallory.signMessage({ message: parts.message }) }), 401);
    // The nonce of a refused attempt is still usable by its owner.
    expect((await call("POST", "/api/v1/auth/siwe", {}, { message: parts.message, signature: parts.signature })).status).toBe(200);
  });

  it("makes ADMIN_WALLETS admins", async () => {
    const { user } = await signInEvm(ADMIN_KEY);
    expect(user.role).toBe("admin");
  });
});

describe("Sign-In with Solana", () => {
  it("verifies an ed25519 signature sent as base58 or base64", async () => {
    const a = await signInSolana();
    expect(a.user).toMatchObject({ walletAddress: a.address, role: "user" });
    const b = await signInSolana({ base64: true });
    expect(b.user.walletAddress).toBe(b.address);
    expect((await json(await call("GET", "/api/v1/me", { cookie: a.cookie }))).user.walletAddress).toBe(a.address);
  });

  it("refuses a tampered message, another public key and another domain", async () => {
    const { pair, address } = await solanaKeypair();
    const nonce = (await json(await call("POST", "/api/v1/auth/nonce"))).nonce;
    const message = createSiwsMessage({ domain: "tf.test", address, uri: ORIGIN, nonce, issuedAt: new Date() });
    const sig = base58Encode(new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, new TextEncoder().encode(message))));
    await expectProblem(await call("POST", "/api/v1/auth/siws", {}, { message: message.replace("Issued At", "Issued At"), signature: sig.slice(0, -2) + "11", publicKey: address }), 401);
    const other = await solanaKeypair();
    await expectProblem(await call("POST", "/api/v1/auth/siws", {}, { message, signature: sig, publicKey: other.address }), 422);
    const foreign = createSiwsMessage({ domain: "evil.example", address, uri: "https://evil.example", nonce, issuedAt: new Date() });
    await expectProblem(await call("POST", "/api/v1/auth/siws", {}, { message: foreign, signature: sig, publicKey: address }), 422);
    expect((await call("POST", "/api/v1/auth/siws", {}, { message, signature: sig, publicKey: address })).status).toBe(200);
  });
});

describe("sessions", () => {
  it("ends on logout: the cookie no longer signs in", async () => {
    const { cookie } = await signInEvm();
    const res = await call("POST", "/api/v1/auth/logout", { cookie });
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toMatch(/tf_session=;/);
    await expectProblem(await call("GET", "/api/v1/me", { cookie }), 401);
  });

  it("refuses a state-changing request with the cookie from a foreign origin (CSRF)", async () => {
    const { cookie } = await signInEvm();
    await expectProblem(await call("POST", "/api/v1/keys", { cookie, headers: { origin: "https://evil.example" } }, { name: "x", scopes: ["launches:read"] }), 403, "forbidden");
    await expectProblem(await call("POST", "/api/v1/keys", { cookie, headers: { "sec-fetch-site": "cross-site" } }, { name: "x", scopes: ["launches:read"] }), 403);
    expect((await call("POST", "/api/v1/keys", { cookie, headers: { origin: ORIGIN } }, { name: "x", scopes: ["launches:read"] })).status).toBe(201);
    expect((await call("POST", "/api/v1/keys", { cookie, headers: { origin: "https://app.tf.test" } }, { name: "y", scopes: ["launches:read"] })).status).toBe(201);
  });
});

describe("API keys", () => {
  it("shows a key once, lists it without the secret, and stores only its SHA-256", async () => {
    const { cookie, user } = await signInEvm();
    const created = await createKey(cookie, ["launches:read", "launches:write"], "my bot");
    expect(created.key).toMatch(/^tf_[A-Za-z0-9_-]{32}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    const list = await json(await call("GET", "/api/v1/keys", { cookie }));
    expect(list.keys).toHaveLength(1);
    expect(list.keys[0]).toEqual({ id: created.id, name: "my bot", prefix: created.prefix, scopes: ["launches:read", "launches:write"], createdAt: expect.any(String), lastUsedAt: null, revokedAt: null, spendCapPerDay: null });
    expect(JSON.stringify(list)).not.toContain(created.key);
    const row = await DB.prepare("SELECT hash FROM api_keys WHERE id = ?").bind(created.id).first<{ hash: string }>();
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(created.key)))].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(row!.hash).toBe(digest);
    const audit = await DB.prepare("SELECT action, target FROM audit_log WHERE actor_user_id = ? AND action LIKE 'key.%'").bind(user.id).all();
    expect(audit.results).toEqual([{ action: "key.created", target: created.id }]);
  });

  it("records lastUsedAt at most once a minute, and a revoked key stops working at once", async () => {
    const { cookie } = await signInEvm();
    const { id, key } = await createKey(cookie, ["launches:read"]);
    const use = async () => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request(`${ORIGIN}/api/v1/me/launches`, { headers: { authorization: `Bearer ${key}` } }), env as never, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    expect((await use()).status).toBe(200);
    const first = (await DB.prepare("SELECT last_used_at FROM api_keys WHERE id = ?").bind(id).first<{ last_used_at: number }>())!.last_used_at;
    expect(first).toBeGreaterThan(Date.now() - 10_000);
    expect((await use()).status).toBe(200);
    const second = (await DB.prepare("SELECT last_used_at FROM api_keys WHERE id = ?").bind(id).first<{ last_used_at: number }>())!.last_used_at;
    expect(second).toBe(first);

    const revoked = await call("DELETE", `/api/v1/keys/${id}`, { cookie });
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).revokedAt).toBeTruthy();
    await expectProblem(await call("GET", "/api/v1/me/launches", { key }), 401, "unauthorized");
  });

  it("refuses unknown scopes, empty names and an API key managing keys", async () => {
    const { cookie } = await signInEvm();
    await expectProblem(await call("POST", "/api/v1/keys", { cookie }, { name: "x", scopes: ["admin"] }), 422, "validation-error");
    await expectProblem(await call("POST", "/api/v1/keys", { cookie }, { name: " ", scopes: ["launches:read"] }), 422);
    await expectProblem(await call("POST", "/api/v1/keys", { cookie }, { name: "x", scopes: [] }), 422);
    const { key } = await createKey(cookie, ["launches:read", "launches:write", "webhooks:manage"]);
    await expectProblem(await call("POST", "/api/v1/keys", { key }, { name: "x", scopes: ["launches:read"] }), 403, "forbidden");
  });
});

describe("browser hardening", () => {
  it("sends security headers on every answer, HSTS only outside local", async () => {
    for (const path of ["/api/v1/chains", "/api/v1/nope", "/api/v1/docs"]) {
      const res = await call("GET", path);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
    const ctx = createExecutionContext();
    const prod = await worker.fetch(new Request(`${ORIGIN}/api/v1/openapi.json`), { ...env, TF_ENV: "production" } as never, ctx);
    expect(prod.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("allows CORS only for CORS_ORIGINS", async () => {
    const pre = await call("OPTIONS", "/api/v1/launches", {}, undefined, { origin: "https://app.tf.test", "access-control-request-method": "POST" });
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://app.tf.test");
    expect(pre.headers.get("access-control-allow-credentials")).toBe("true");
    const evil = await call("OPTIONS", "/api/v1/launches", {}, undefined, { origin: "https://evil.example", "access-control-request-method": "POST" });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const get = await call("GET", "/api/v1/chains", {}, undefined, { origin: "https://evil.example" });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });
});
