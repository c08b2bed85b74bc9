// Sign-in is bound to the configured PUBLIC_ORIGINS (issue 12, item 8), not to
// the request's Host header: a message's domain, its URI's origin (scheme, host,
// port) and its chain id are checked. And both specs are followed (item 10):
// SIWS takes the Phantom spec's solana:mainnet / solana:devnet chain ids, SIWE
// refuses an address that is not in its EIP-55 checksum form.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { createSiwsMessage } from "@tokenforge/core/auth/siws";
import { base58Encode } from "@tokenforge/core/auth/base58";
import worker from "../src/index";
import { expectProblem, json, ORIGIN, solanaKeypair } from "./helpers";

/** A request as it arrives at `origin` (its Host header is that origin's host). */
async function post(origin: string, path: string, body?: unknown) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${origin}${path}`, { method: "POST", headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }),
    env as never,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}
const nonceAt = async (origin: string) => (await json<{ nonce: string }>(await post(origin, "/api/v1/auth/nonce"))).nonce;

async function siwe(origin: string, over: Partial<Parameters<typeof createSiweMessage>[0]>) {
  const account = privateKeyToAccount(generatePrivateKey());
  const message = createSiweMessage({
    domain: "tf.test", address: account.address, uri: ORIGIN, version: "1", chainId: 31337, nonce: await nonceAt(origin), issuedAt: new Date(), ...over,
  });
  return post(origin, "/api/v1/auth/siwe", { message, signature: await account.signMessage({ message }) });
}

async function siws(origin: string, over: Partial<Parameters<typeof createSiwsMessage>[0]>) {
  const { pair, address } = await solanaKeypair();
  const message = createSiwsMessage({ domain: "tf.test", address, uri: ORIGIN, version: "1", chainId: "localnet", nonce: await nonceAt(origin), issuedAt: new Date(), ...over });
  const sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, new TextEncoder().encode(message)));
  return post(origin, "/api/v1/auth/siws", { message, signature: base58Encode(sig), publicKey: address });
}

const noSession = (res: Response) => expect(res.headers.get("set-cookie") ?? "").not.toContain("tf_session=");

describe("SIWE bound to PUBLIC_ORIGINS", () => {
  it("refuses a message for evil.example sent with Host: evil.example", async () => {
    const res = await siwe("https://evil.example", { domain: "evil.example", uri: "https://evil.example/login" });
    noSession(res);
    await expectProblem(res, 422, "validation-error");
  });

  it("refuses a URI on another origin, another scheme or another port", async () => {
    for (const uri of ["https://evil.example/", "http://tf.test/", "https://tf.test:8443/", "https://tf.test.evil.example/"]) {
      const res = await siwe(ORIGIN, { uri });
      noSession(res);
      await expectProblem(res, 422, "validation-error");
    }
  });

  it("refuses a chain id the platform does not serve", async () => {
    await expectProblem(await siwe(ORIGIN, { chainId: 1 }), 422, "validation-error");
  });

  it("accepts the configured origin, whatever Host the request came with", async () => {
    const res = await siwe("https://relay.example", {});
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("refuses an address that is not EIP-55 checksummed (EIP-4361)", async () => {
    // viem's createSiweMessage writes the checksum form: put the lower-case address in the text by hand.
    const account = privateKeyToAccount(generatePrivateKey());
    const message = createSiweMessage({ domain: "tf.test", address: account.address, uri: ORIGIN, version: "1", chainId: 31337, nonce: await nonceAt(ORIGIN), issuedAt: new Date() })
      .replace(account.address, account.address.toLowerCase());
    expect(message).toContain(`\n${account.address.toLowerCase()}\n`);
    const res = await post(ORIGIN, "/api/v1/auth/siwe", { message, signature: await account.signMessage({ message }) });
    noSession(res);
    const body = await expectProblem(res, 422, "validation-error");
    expect(JSON.stringify(body)).toMatch(/EIP-55/);
  });
});

describe("SIWS bound to PUBLIC_ORIGINS", () => {
  it("refuses a message for evil.example sent with Host: evil.example, and a URI elsewhere", async () => {
    const res = await siws("https://evil.example", { domain: "evil.example", uri: "https://evil.example" });
    noSession(res);
    await expectProblem(res, 422, "validation-error");
    await expectProblem(await siws(ORIGIN, { uri: "https://evil.example/" }), 422, "validation-error");
    await expectProblem(await siws(ORIGIN, { uri: undefined }), 422, "validation-error");
  });

  it("takes the Phantom SIWS chain ids solana:mainnet and solana:devnet, refuses others", async () => {
    for (const chainId of ["solana:mainnet", "solana:devnet", "mainnet", "devnet"]) {
      const res = await siws(ORIGIN, { chainId });
      expect(res.status, `${chainId}: ${await res.clone().text()}`).toBe(200);
    }
    await expectProblem(await siws(ORIGIN, { chainId: "solana:elsewhere" }), 422, "validation-error");
  });
});
