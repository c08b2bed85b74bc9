// The Signer's alarm in workerd (runDurableObjectAlarm) against a real anvil: a
// transaction it holds in flight that the node never got is sent again and,
// once mined, settled; a lost transaction whose token already exists gives its
// nonce to a zero-value self-transfer so the nonces behind it are not blocked;
// a nonce nobody holds below an in-flight transaction is filled the same way.
// The in-flight state is written into the object's own SQLite storage, the way
// send() leaves it after a crash between storing and broadcasting.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeFunctionData, keccak256, type Address, type Hex } from "viem";
import { newId } from "@tokenforge/core";
import { evmLaunchAddress, evmTokenParams } from "@tokenforge/core/launch-evm";
import { factoryAddress } from "@tokenforge/core/contracts/factory";
import { forgeFactoryAbi } from "@tokenforge/core/contracts/artifacts";
import { launchIdToBytes32 } from "@tokenforge/core/evm/token-address";
import type { Signer } from "../src/signer.do";
import { ensureFactory, freshDeployer, launchRequest, mined, rpc, signerOf, type Deployer } from "./launch-fixtures";

type Tx = { from: string; to: string | null; value: Hex; nonce: Hex; hash: Hex };
const GAS = 2_000_000n;

/** A factory call for a new launch whose token `sender` would create. */
function launchCall(sender: Address) {
  const launchId = newId("lch");
  const req = launchRequest({ name: "Alarm Test", symbol: "ALRM" });
  const data = encodeFunctionData({ abi: forgeFactoryAbi, functionName: "createToken", args: [launchIdToBytes32(launchId), evmTokenParams(req)] });
  return { launchId, data, tokenAddress: evmLaunchAddress(launchId, sender, req) };
}

/**
 * Stores a signed transaction in the Signer's in flight set under its next nonce,
 * sent `ageMs` ago and never broadcast (what a crash after the insert leaves),
 * and schedules the alarm far enough ahead that only the test runs it.
 */
async function lostInFlight(stub: DurableObjectStub<Signer>, d: Deployer, call: { launchId: string; data: Hex; tokenAddress: Address }, opts: { skip?: number } = {}) {
  const ageMs = 60_000;
  const block = await rpc<{ baseFeePerGas: Hex }>("eth_getBlockByNumber", ["latest", false]);
  const tip = 10n ** 9n;
  const maxFee = BigInt(block.baseFeePerGas) * 2n + tip;
  return runInDurableObject(stub, async (instance, state) => {
    const signer = instance as unknown as { nextNonce: number };
    // `skip` nonces below it are taken by nothing: a hole (a signing that failed, a transaction a reorg dropped).
    const nonce = signer.nextNonce + (opts.skip ?? 0);
    signer.nextNonce = nonce + 1;
    const raw = await d.signer.signTransaction({ chainId: 31337, type: "eip1559", nonce, to: factoryAddress, data: call.data, gas: GAS, maxFeePerGas: maxFee, maxPriorityFeePerGas: tip });
    const hash = keccak256(raw);
    const at = Date.now() - ageMs;
    state.storage.sql.exec(
      `INSERT INTO inflight (nonce, launch_id, token_address, to_address, data, gas, hash, raw, max_fee, tip, first_sent_at, sent_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      nonce, call.launchId, call.tokenAddress, factoryAddress, call.data, GAS.toString(), hash, raw, maxFee.toString(), tip.toString(), at, at,
    );
    await state.storage.setAlarm(Date.now() + 3_600_000);
    return { nonce, hash, raw };
  });
}

/**
 * The hash the Signer keeps for a launch id, in flight or settled: after an alarm
 * that leaves something in flight, the next alarm (1 s later) may settle it first.
 */
async function heldHash(stub: DurableObjectStub<Signer>, launchId: string): Promise<string | undefined> {
  const { inflight, settled } = await stored(stub, launchId);
  return inflight[0]?.hash ?? settled[0]?.hash;
}

function stored(stub: DurableObjectStub<Signer>, launchId: string) {
  return runInDurableObject(stub, (_, state) => ({
    inflight: state.storage.sql.exec<{ hash: string }>("SELECT hash FROM inflight WHERE launch_id = ?", launchId).toArray(),
    settled: state.storage.sql.exec<{ hash: string }>("SELECT hash FROM settled WHERE launch_id = ?", launchId).toArray(),
  }));
}

describe("Signer alarm", () => {
  let deployer: Deployer;
  let stub: DurableObjectStub<Signer>;
  beforeAll(async () => {
    await ensureFactory();
    deployer = await freshDeployer();
    stub = await signerOf(deployer);
    await stub.status("local-eth"); // resynced: the chain is known and the next nonce read
  });

  it("re-sends a transaction the node never got, then settles it once it is mined", async () => {
    const call = launchCall(deployer.address);
    const { nonce, hash } = await lostInFlight(stub, deployer, call);
    expect(await rpc<Tx | null>("eth_getTransactionByHash", [hash])).toBeNull();

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // The same signed bytes reached the chain and were mined, and the token exists.
    expect((await mined(hash)).status).toBe("0x1");
    const tx = await rpc<Tx | null>("eth_getTransactionByHash", [hash]);
    expect(Number(tx?.nonce)).toBe(nonce);
    expect(await rpc<Hex>("eth_getCode", [call.tokenAddress, "latest"])).not.toBe("0x");

    // The alarm it left for itself (the transaction was in flight until an alarm saw it mined) settles it.
    await runDurableObjectAlarm(stub);
    expect(await stored(stub, call.launchId)).toEqual({ inflight: [], settled: [{ hash }] });
  });

  it("gives the nonce of a lost transaction whose token already exists to a zero-value self-transfer", async () => {
    // The token of this launch was created already, by another sender's transaction.
    const accounts = await rpc<Address[]>("eth_accounts", []);
    const other = accounts.at(-2)!;
    const call = launchCall(other);
    await mined(await rpc<Hex>("eth_sendTransaction", [{ from: other, to: factoryAddress, data: call.data, gas: `0x${GAS.toString(16)}` }]));
    expect(await rpc<Hex>("eth_getCode", [call.tokenAddress, "latest"])).not.toBe("0x");
    const { nonce, hash } = await lostInFlight(stub, deployer, call);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const replaced = await heldHash(stub, call.launchId);
    expect(replaced).toBeDefined();
    expect(replaced).not.toBe(hash);
    // On chain: the nonce went to a self-transfer of nothing, and the account moved past it.
    await mined(replaced!);
    const fill = await rpc<Tx | null>("eth_getTransactionByHash", [replaced]);
    expect(fill).toMatchObject({ from: deployer.address.toLowerCase(), to: deployer.address.toLowerCase(), value: "0x0" });
    expect(Number(fill!.nonce)).toBe(nonce);
    expect(Number(await rpc<Hex>("eth_getTransactionCount", [deployer.address, "latest"]))).toBe(nonce + 1);
    expect(await rpc<Tx | null>("eth_getTransactionByHash", [hash])).toBeNull();
  });

  it("fills a hole below an in-flight transaction with a zero-value self-transfer, so the transaction behind it is mined", async () => {
    const call = launchCall(deployer.address);
    const { nonce, hash, raw } = await lostInFlight(stub, deployer, call, { skip: 1 });
    await rpc("eth_sendRawTransaction", [raw]); // the node holds it, unminable behind the missing nonce
    expect(await rpc<unknown>("eth_getTransactionReceipt", [hash])).toBeNull();

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const hole = await heldHash(stub, `hole:${nonce - 1}`);
    expect(hole).toBeDefined();
    const fill = await rpc<Tx | null>("eth_getTransactionByHash", [hole]);
    expect(fill).toMatchObject({ from: deployer.address.toLowerCase(), to: deployer.address.toLowerCase(), value: "0x0" });
    expect(Number(fill!.nonce)).toBe(nonce - 1);
    // With the hole filled, the launch's transaction behind it landed.
    expect(await mined(hash)).toMatchObject({ status: "0x1" });
    expect(Number(await rpc<Hex>("eth_getTransactionCount", [deployer.address, "latest"]))).toBe(nonce + 1);
  });
});
