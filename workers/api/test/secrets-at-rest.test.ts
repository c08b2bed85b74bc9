// Secrets at rest (issue 6, acceptance 5): a secret sealed
// with the envelope (AES-256-GCM under the master key) appears nowhere in D1 or
// KV in plain text, in any encoding we can think of; API keys and session ids
// are stored only as hashes. The envelope opens only with its key and its row.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fromBase64, masterKeysFromEnv, open, seal, type Envelope } from "@tokenforge/core/crypto/envelope";
import { envelopeSigner } from "@tokenforge/core/crypto/signer";
import { privateKeyToAccount } from "viem/accounts";
import { parseTransaction, recoverTransactionAddress, type TransactionSerializable } from "viem";
import { call, createKey, createWebhook, signInEvm } from "./helpers";
import { resealEnvelopes } from "../src/reseal";

const e = env as unknown as { DB: D1Database; CACHE: KVNamespace };

/** Every row of every table of D1, as one string. */
async function dumpD1(): Promise<string> {
  const tables = await e.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
  const parts: string[] = [];
  for (const { name } of tables.results) {
    const rows = await e.DB.prepare(`SELECT * FROM "${name}"`).all();
    parts.push(name, JSON.stringify(rows.results));
  }
  return parts.join("\n");
}

async function dumpKv(): Promise<string> {
  const parts: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await e.CACHE.list({ cursor });
    for (const k of page.keys) parts.push(k.name, (await e.CACHE.get(k.name)) ?? "");
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return parts.join("\n");
}

/** The forms a leaked secret could take: as given, its key bytes in hex, base64 and base64url. */
function encodings(secret: string): string[] {
  const raw = fromBase64(secret.replace(/^whsec_/, ""));
  const hex = [...raw].map((b) => b.toString(16).padStart(2, "0")).join("");
  const b64 = btoa(String.fromCharCode(...raw));
  return [secret, secret.replace(/^whsec_/, ""), hex, b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")];
}

describe("secrets at rest", () => {
  it("stores a webhook's signing secret only as an envelope, and API keys and sessions only as hashes", async () => {
    const { cookie } = await signInEvm();
    const { key } = await createKey(cookie, ["webhooks:manage"]);
    const hook = await createWebhook({ key });
    const d1 = await dumpD1();
    const kv = await dumpKv();
    for (const form of [...encodings(hook.secret), key, cookie.split("=")[1]!]) {
      expect(d1).not.toContain(form);
      expect(kv).not.toContain(form);
    }
    // The envelope is there, and opens to the secret with the master key and this row's id.
    const row = await e.DB.prepare("SELECT secret FROM webhooks WHERE id = ?").bind(hook.id).first<{ secret: string }>();
    const envelope = JSON.parse(row!.secret) as Envelope;
    expect(Object.keys(envelope).sort()).toEqual(["ct", "iv", "v"]);
    expect(envelope.v).toBe(1);
    const keys = await masterKeysFromEnv(env as never);
    expect(await open(keys, envelope, `webhook:${hook.id}`)).toBe(hook.secret);
    // Bound to its row: the same envelope does not open as another webhook's.
    await expect(open(keys, envelope, "webhook:whk_other")).rejects.toThrow();
    // Never shown again after creation.
    const listed = await (await call("GET", "/api/v1/webhooks", { key })).text();
    for (const form of encodings(hook.secret)) expect(listed).not.toContain(form);
  });

  it("rotates: old envelopes open with their version, new ones seal with the current key", async () => {
    const v1 = await masterKeysFromEnv({ MASTER_KEY_1: btoa("a".repeat(32)) });
    const old = await seal(v1, "deployer-private-key", "signer:local-eth");
    const both = await masterKeysFromEnv({ MASTER_KEY_1: btoa("a".repeat(32)), MASTER_KEY_2: btoa("b".repeat(32)), MASTER_KEY_VERSION: "2" });
    expect(await open(both, old, "signer:local-eth")).toBe("deployer-private-key");
    const fresh = await seal(both, "deployer-private-key", "signer:local-eth");
    expect(fresh.v).toBe(2);
    expect(fresh.ct).not.toBe(old.ct);
    await expect(open(v1, fresh, "signer:local-eth")).rejects.toThrow(/version 2/);
    // A flipped bit in the ciphertext is detected (GCM tag).
    const bytes = fromBase64(fresh.ct);
    bytes[0]! ^= 1;
    await expect(open(both, { ...fresh, ct: btoa(String.fromCharCode(...bytes)) }, "signer:local-eth")).rejects.toThrow();
  });

  it("signs through the TransactionSigner interface from an envelope, the key never leaving it in plain text", async () => {
    const pk = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" as const; // anvil #1
    const keys = await masterKeysFromEnv(env as never);
    const sealed = await seal(keys, pk, "deployer:evm");
    expect(JSON.stringify(sealed)).not.toContain(pk.slice(2));
    const signer = envelopeSigner(keys, sealed, "deployer:evm");
    expect(await signer.address()).toBe(privateKeyToAccount(pk).address);
    const tx: TransactionSerializable = { chainId: 31337, nonce: 0, to: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", value: 1n, gas: 21000n, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n };
    const raw = await signer.signTransaction(tx);
    expect(parseTransaction(raw).to).toBe(tx.to!.toLowerCase());
    expect(await recoverTransactionAddress({ serializedTransaction: raw as never })).toBe(privateKeyToAccount(pk).address);
    await expect(envelopeSigner(keys, sealed, "deployer:other").address()).rejects.toThrow();
  });

  it("refuses a missing or malformed master key clearly", async () => {
    await expect(masterKeysFromEnv({})).rejects.toThrow(/no master key/);
    await expect(masterKeysFromEnv({ MASTER_KEY_1: btoa("short") })).rejects.toThrow(/32 bytes/);
    await expect(masterKeysFromEnv({ MASTER_KEY_1: btoa("a".repeat(32)), MASTER_KEY_VERSION: "3" })).rejects.toThrow(/MASTER_KEY_3/);
  });
});

describe("re-encryption after a rotation", () => {
  it("re-seals every stored webhook secret under the new key, once, so the old key can go", async () => {
    const { cookie } = await signInEvm();
    const { key } = await createKey(cookie, ["webhooks:manage"]);
    const hooks = [await createWebhook({ key }), await createWebhook({ key })];
    const base = env as unknown as Record<string, unknown>;
    // The operator adds MASTER_KEY_2 and makes it current (a new env object: keys are cached per env).
    const rotated = { ...base, MASTER_KEY_2: btoa("r".repeat(32)), MASTER_KEY_VERSION: "2" } as never;
    const first = await resealEnvelopes(rotated, 1000);
    expect(first.version).toBe(2);
    expect(first.resealed).toBeGreaterThanOrEqual(2);
    expect(first.remaining).toBe(0);
    expect(await resealEnvelopes(rotated, 1000)).toEqual({ version: 2, resealed: 0, remaining: 0 });
    // Now only MASTER_KEY_2 is needed: each secret opens with it alone, bound to its row.
    const onlyNew = await masterKeysFromEnv({ MASTER_KEY_2: btoa("r".repeat(32)) });
    for (const hook of hooks) {
      const row = await e.DB.prepare("SELECT secret FROM webhooks WHERE id = ?").bind(hook.id).first<{ secret: string }>();
      const envelope = JSON.parse(row!.secret) as Envelope;
      expect(envelope.v).toBe(2);
      expect(await open(onlyNew, envelope, `webhook:${hook.id}`)).toBe(hook.secret);
    }
  });
});
