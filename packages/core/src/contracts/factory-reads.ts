// Reads of ForgeFactoryV2's fee and treasury as plain JSON-RPC calls, so a Worker
// can send them through its chain's gate in one batch (the cron's settings job)
// without a viem client. Pure: calls out, answers in.
import { decodeFunctionResult, encodeFunctionData, type Address, type Hex } from "viem";
import { forgeFactoryV2Abi } from "./artifacts";

export type FactorySettings = { platformFee: string; treasury: Address };

/** eth_call requests for fee() and treasury(), in that order. */
export function factorySettingsCalls(factory: Address, block: string = "latest"): { method: string; params: unknown[] }[] {
  const call = (functionName: "fee" | "treasury") => ({
    method: "eth_call",
    params: [{ to: factory, data: encodeFunctionData({ abi: forgeFactoryV2Abi, functionName }) }, block],
  });
  return [call("fee"), call("treasury")];
}

/**
 * The answers of factorySettingsCalls. Throws when either is empty ("0x": no factory
 * at the address yet), so a chain without its factory is never recorded as fee 0.
 */
export function decodeFactorySettings(fee: string, treasury: string): FactorySettings {
  if (fee === "0x" || treasury === "0x") throw new Error("no ForgeFactoryV2 code at the address (empty eth_call answer)");
  const f = decodeFunctionResult({ abi: forgeFactoryV2Abi, functionName: "fee", data: fee as Hex }) as bigint;
  const t = decodeFunctionResult({ abi: forgeFactoryV2Abi, functionName: "treasury", data: treasury as Hex }) as Address;
  return { platformFee: f.toString(), treasury: t };
}
