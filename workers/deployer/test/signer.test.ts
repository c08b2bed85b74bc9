// The Signer Durable Object in workerd with real SQLite storage, against a real
// anvil (started by the global setup): nonces handed out in order without gaps,
// a launch already in flight gets its transaction back, and a new instance on the
// same storage (a restart) resyncs from the chain and carries on.
import { env, runInDurableObject } from "cloudflare:test";
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { encodeFunctionData, type Hex } from "viem";
import { forgeFactoryAbi } from "@tokenforge/core/contracts/artifacts";
import { factoryAddress, factoryDeployData, DETERMINISTIC_DEPLOYER } from "@tokenforge/core/contracts/factory";
import { launchIdToBytes32 } from "@tokenforge/core/evm/token-address";
import { Signer } from "../src/signer.do";
import { privateKeySigner, type TransactionSigner } from "@tokenforge/core/crypto/signer";

const anvil = inject("anvilUrl");
const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

async function rpc<T>(method: string, params: unknown[]): Promise<T> {
  const res = await fetch(anvil, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result: T; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

async function ensureFactory() {
  if ((await rpc<Hex>("eth_getCode", [factoryAddress, "latest"])) !== "0x") return;
  const [from] = await rpc<string[]>("eth_accounts", []);
  await rpc("eth_sendTransaction", [{ from, to: DETERMINISTIC_DEPLOYER, data: factoryDeployData, gas: "0x1c9c380" }]);
  await rpc("evm_mine", []);
}

function request(launchId: string) {
  const data = encodeFunctionData({
    abi: forgeFactoryAbi, functionName: "createToken",
    args: [launchIdToBytes32(launchId), { name: `Signer ${launchId}`, symbol: "SGN", decimals: 18, owner: OWNER, initialSupply: 10n ** 21n, maxSupply: 0n, features: 0 }],
  });
  return { launchId, to: factoryAddress as Hex, data, tokenAddress: "0x0000000000000000000000000000000000000001" };
}

describe("Signer Durable Object", () => {
  it("hands out consecutive nonces, dedupes a launch in flight, and resyncs after a restart", async () => {
    await ensureFactory();
    const stub = env.SIGNER.get(env.SIGNER.idFromName(`local-eth:test-${Date.now()}`));
    const ids = Array.from({ length: 5 }, (_, i) => `lch_signer${Date.now().toString(36)}${i}`);
    const first = await stub.send("local-eth", ids.map(request));
    expect(first.every((r) => r.ok)).toBe(true);
    const nonces = first.map((r) => (r.ok ? r.nonce : -1));
    expect(nonces).toEqual(nonces.map((_, i) => nonces[0]! + i));
    for (const r of first) if (r.ok) expect(r.hash).toMatch(/^0x[0-9a-f]{64}$/);
    // Redelivery of a launch already in flight: the same transaction, no new nonce.
    const again = await stub.send("local-eth", [request(ids[2]!)]);
    expect(again[0]).toEqual(first[2]);

    await rpc("evm_mine", []);
    const status = await stub.status("local-eth");
    expect(status.nextNonce).toBe(nonces[4]! + 1);

    // A new instance on the same storage (what a restart gives) resyncs from the
    // chain: the next launch takes the next nonce, and the old ones are settled.
    const next = await runInDurableObject(stub, async (instance, state) => {
      // A real restart ends the old instance with its work; here it lives on beside the new one, so its
      // background broadcast (and the fee and balance read after it) must be over first. Otherwise a
      // timer of that work, queued ahead of the new instance's and waiting for the input lock, holds up
      // workerd's timers while the new instance's resync holds that lock (blockConcurrencyWhile): a deadlock
      // that only two live instances on one storage can make.
      await (instance as unknown as { broadcasting: Promise<void> }).broadcasting;
      const restarted = new Signer(state, env as never);
      return restarted.send("local-eth", [request(`${ids[0]}x`), request(ids[1]!)]);
    });
    expect(next[0]!.ok && next[0]!.nonce).toBe(nonces[4]! + 1);
    expect(next[1]).toEqual(first[1]); // settled launches keep their transaction too
  });

  it("reserves a nonce and records it in one step: two deliveries racing a slow signer share one transaction and leave no hole", async () => {
    await ensureFactory();
    const stub = env.SIGNER.get(env.SIGNER.idFromName(`local-eth:race-${Date.now()}`));
    const id = `lch_race${Date.now().toString(36)}`;
    const base = await privateKeySigner((env as unknown as { DEPLOYER_PRIVATE_KEY: Hex }).DEPLOYER_PRIVATE_KEY);
    const out = await runInDurableObject(stub, async (obj) => {
      const instance = obj as unknown as Signer;
      const signer = obj as unknown as { txSigner: TransactionSigner | null };
      // A signer that does I/O (KMS, a remote signer): the Durable Object runs other calls meanwhile.
      signer.txSigner = { address: () => base.address(), signTransaction: async (tx) => { await new Promise((r) => setTimeout(r, 300)); return base.signTransaction(tx); } } as TransactionSigner;
      const before = (await instance.status("local-eth")).nextNonce!;
      const [a, b] = await Promise.all([instance.send("local-eth", [request(id)]), instance.send("local-eth", [request(id)])]);
      return { a: a[0], b: b[0], before, after: (await instance.status("local-eth")).nextNonce };
    });
    expect(out.a?.ok).toBe(true);
    expect(out.b).toEqual(out.a);
    expect(out.after).toBe(out.before + 1);
  });
});
