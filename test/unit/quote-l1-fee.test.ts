// Quotes on an OP-stack chain (issue 16): the L1 data fee comes from
// GasPriceOracle.getL1Fee at the predeploy address, for the very createToken
// transaction the payer would send. A real anvil with ForgeFactoryV2 and a
// stand-in oracle (contracts/test/GasPriceOracleStandIn.sol, compiled here with the
// repo's solc settings) put at 0x4200…000F with anvil_setCode; the same chain
// without the OP-stack mark pays no L1 fee.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import solc from "solc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hexToBytes, serializeTransaction, type Address, type Hex } from "viem";
import { EVM_LAUNCH_GAS, LaunchRequest, withFamilyDefaults, type ChainConfig } from "@tokenforge/core";
import { evmCreateTokenTx, GAS_PRICE_ORACLE, quoteEvm, type RpcBatch } from "@tokenforge/core/quote";
import { runAnvil, type AnvilNode } from "../../tools/chains/anvil";
import { configureFactoryV2, deployFactoryV2 } from "../../tools/chains/deploy-factory";
import { SOLC_SETTINGS } from "../../tools/compile-contracts";

const OWNER: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"; // anvil dev account 0, unlocked
const PAYER: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"; // anvil dev account 1, funded
const FEE = 1_000_000_000_000_000n;
const L1_BASE_FEE = 7_000_000_000n; // the stand-in's constant

let anvil: AnvilNode;
let rpc: RpcBatch;

function standInRuntime(): Hex {
  const source = readFileSync(join(import.meta.dirname, "../../contracts/test/GasPriceOracleStandIn.sol"), "utf8");
  const input = { language: "Solidity", sources: { "test/GasPriceOracleStandIn.sol": { content: source } }, settings: SOLC_SETTINGS };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as { errors?: { severity: string; formattedMessage: string }[]; contracts: Record<string, Record<string, { evm: { deployedBytecode: { object: string } } }>> };
  const errors = (out.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  return `0x${out.contracts["test/GasPriceOracleStandIn.sol"]!.GasPriceOracleStandIn!.evm.deployedBytecode.object}`;
}

beforeAll(async () => {
  anvil = await runAnvil();
  rpc = async (calls) => {
    const res = await fetch(anvil.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(calls.map((c, id) => ({ jsonrpc: "2.0", id, ...c }))) });
    const answers = (await res.json()) as ({ id: number } & ({ result: unknown } | { error: { message: string } }))[];
    return calls.map((_, i) => answers.find((a) => a.id === i)!);
  };
  await deployFactoryV2(anvil.rpcUrl, OWNER);
  await configureFactoryV2(anvil.rpcUrl, OWNER, { treasury: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", feeWei: FEE, exempt: [] });
  const [set] = await rpc([{ method: "anvil_setCode", params: [GAS_PRICE_ORACLE, standInRuntime()] }]);
  expect(set).not.toHaveProperty("error");
}, 120_000);
afterAll(async () => anvil?.stop());

const chain = (opStack: boolean): ChainConfig => ({
  id: "op-local", name: "OP local", family: "evm", chainId: 31337, nativeSymbol: "ETH", confirmations: 1, blockTimeMs: 1000,
  publicRpcUrl: "http://127.0.0.1", explorer: null, rpc: [{ url: "http://127.0.0.1", provider: "anvil", quota: { requests: 1, perSeconds: 1 } }],
  factoryOwner: OWNER, opStack,
});
const request = withFamilyDefaults(LaunchRequest.parse({ chain: "op-local", name: "Layer Two Coin", symbol: "L2C", decimals: 18, initialSupply: "1000000", owner: PAYER }), "evm");

function calldataGas(bytes: Uint8Array): bigint {
  let gas = 68n * 16n;
  for (const b of bytes) gas += b === 0 ? 4n : 16n;
  return gas;
}

describe("quoteEvm", () => {
  it("quotes a known calldata shape from the kept estimate with a cached gas price: no RPC call", async () => {
    let calls = 0;
    const counting: RpcBatch = (c) => ((calls += c.length), rpc(c));
    const estimates = new Map<string, bigint>();
    const input = { chain: chain(false), request, payer: PAYER, value: FEE, now: Date.now(), cachedGasPrice: 2_000_000_000n, estimates };
    const first = await quoteEvm(counting, input);
    expect(first.gasUnitsFrom).toBe("estimate");
    expect(calls).toBe(1);
    // Another launch of the same shape (same name and symbol lengths).
    const same = withFamilyDefaults(LaunchRequest.parse({ ...request, name: "Layer Two Cain", symbol: "L2D" }), "evm");
    const again = await quoteEvm(counting, { ...input, request: same, now: Date.now() + 1 });
    expect(calls).toBe(1);
    expect(again).toEqual({ ...first, networkFee: first.gasUnits * 2_000_000_000n });
    // A longer name fills another slot: estimated again.
    const longer = withFamilyDefaults(LaunchRequest.parse({ ...request, name: "A much longer token name that fills a second slot" }), "evm");
    const third = await quoteEvm(counting, { ...input, request: longer });
    expect(calls).toBe(2);
    expect(third.gasUnits).toBeGreaterThan(first.gasUnits);
    // Without a cached gas price the chain is asked, as before.
    await quoteEvm(counting, { ...input, cachedGasPrice: null });
    expect(calls).toBe(5);
  });

  it("on an OP-stack chain adds GasPriceOracle.getL1Fee of the payer's unsigned createToken transaction", async () => {
    const now = Date.now();
    const input = { chain: chain(true), request, payer: PAYER, value: FEE, now };
    const q = await quoteEvm(rpc, input);
    // eth_estimateGas of the real call ran (the payer is funded): not the fallback figure.
    expect(q.gasUnitsFrom).toBe("estimate");
    expect(q.gasUnits).not.toBe(BigInt(EVM_LAUNCH_GAS));
    expect(q.gasUnits).toBeGreaterThan(150_000n);
    const tx = evmCreateTokenTx(input);
    const unsigned = serializeTransaction({ type: "eip1559", chainId: 31337, nonce: 0, gas: q.gasUnits, maxFeePerGas: q.gasPrice, maxPriorityFeePerGas: 0n, to: tx.to, value: tx.value, data: tx.data });
    expect(q.l1Fee).toBe(calldataGas(hexToBytes(unsigned)) * L1_BASE_FEE);
    expect(q.networkFee).toBe(q.gasUnits * q.gasPrice + q.l1Fee!);
    console.log(`quote on an OP-stack chain: ${q.gasUnits} gas × ${q.gasPrice} wei + L1 fee ${q.l1Fee} wei`);
  });

  it("elsewhere has no L1 fee; an unfunded payer gets the measured launch gas", async () => {
    const q = await quoteEvm(rpc, { chain: chain(false), request, payer: PAYER, value: FEE, now: Date.now() });
    expect(q.l1Fee).toBeNull();
    expect(q.networkFee).toBe(q.gasUnits * q.gasPrice);
    const broke = await quoteEvm(rpc, { chain: chain(false), request, payer: "0x000000000000000000000000000000000000bEEF", value: FEE, now: Date.now() });
    expect(broke).toMatchObject({ gasUnitsFrom: "measured", gasUnits: BigInt(EVM_LAUNCH_GAS) });
  });
});
