// The node's verdicts on a transaction travel through the gated transport
// untouched: "nonce too low" from eth_sendRawTransaction and a revert from
// eth_estimateGas reach classifyError (what the Signer reacts to) with their
// kind, are never retried on another endpoint, and count as successes for the
// endpoint that answered them: errors are classified before they count against
// an endpoint, or one bad launch would open every breaker of its chain.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createPublicClient, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { gatedTransport } from "@tokenforge/gate";
import { classifyError } from "../src/errors";
import { gateEnv, gateFor, testChain } from "./helpers";

// anvil's well-known account #5 (funded by anvil, a test key): not the Signer test's account #0.
const account = privateKeyToAccount("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");
// PUSH1 0 PUSH1 0 REVERT: any call to it reverts.
const REVERTER = "0x00000000000000000000000000000000000beef1";

async function anvil<T>(method: string, params: unknown[]): Promise<T> {
  const res = await fetch(env.TEST_ANVIL_URL, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return ((await res.json()) as { result: T }).result;
}

/** Two endpoints, both the test anvil (the fault proxy belongs to gated-fetch.test.ts, which switches its modes). */
async function gatedClient() {
  const chain = testChain([
    { url: env.TEST_ANVIL_URL, provider: "first" },
    { url: env.TEST_ANVIL_URL, provider: "second" },
  ]);
  const gate = await gateFor(chain, { realClock: true });
  const client = createPublicClient({ transport: gatedTransport(gateEnv, chain, { batch: { batchSize: 200, wait: 0 } }) }) as PublicClient;
  return { ...gate, client };
}

const transfer = (nonce: number, value: bigint) =>
  account.signTransaction({ chainId: 31337, type: "eip1559", nonce, to: account.address, value, gas: 21_000n, maxFeePerGas: 10n ** 11n, maxPriorityFeePerGas: 10n ** 9n });

describe("node errors through the gate", () => {
  it("a transaction reusing a mined nonce fails as nonce-too-low, not as an endpoint failure", async () => {
    const { client, stub, chain } = await gatedClient();
    const nonce = await client.getTransactionCount({ address: account.address, blockTag: "pending" });
    const first = await client.request({ method: "eth_sendRawTransaction", params: [await transfer(nonce, 1n)] });
    expect(first).toMatch(/^0x[0-9a-f]{64}$/);
    await anvil("evm_mine", []);
    const err = await client.request({ method: "eth_sendRawTransaction", params: [await transfer(nonce, 2n)] }).catch((e: unknown) => e);
    expect(classifyError(err)).toMatchObject({ kind: "nonce-too-low", permanent: false });
    const snap = await stub.snapshot(chain.id);
    expect(snap.endpoints[0]).toMatchObject({ state: "closed", failures: 0 });
    expect(snap.endpoints[1]!.calls).toBe(0); // answered by the primary: no failover for a verdict on the request
  });

  it("a reverting call fails as a permanent revert at the estimate, and nothing counts against the endpoint", async () => {
    const { client, stub, chain } = await gatedClient();
    await anvil("anvil_setCode", [REVERTER, "0x60006000fd"]);
    const err = await client.estimateGas({ account: account.address, to: REVERTER as Hex, data: "0x" }).catch((e: unknown) => e);
    expect(classifyError(err)).toMatchObject({ kind: "revert", permanent: true });
    const snap = await stub.snapshot(chain.id);
    expect(snap.endpoints[0]).toMatchObject({ state: "closed", failures: 0 });
    expect(snap.endpoints[1]!.calls).toBe(0);
  });
});
