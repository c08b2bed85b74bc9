// The EVM adapter's prepare: the factory call that creates a launch's token at
// its predicted CREATE2 address. The same bytes whoever sends them (the Signer
// today, a wallet for wallet-paid launches). Pure; no Worker imports.
import type { Hex } from "viem";
import { encodeFunctionData } from "viem";
import type { LaunchRequest } from "@tokenforge/core";
import { evmTokenParams } from "@tokenforge/core/launch-evm";
import { launchIdToBytes32 } from "@tokenforge/core/evm/token-address";
import { factoryAddress } from "@tokenforge/core/contracts/factory";
import { forgeFactoryAbi } from "@tokenforge/core/contracts/artifacts";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { AdapterContext, Prepared } from "../adapter";

export async function prepareEvm(_ctx: AdapterContext, row: Pick<LaunchRow, "id" | "request" | "address">): Promise<Extract<Prepared, { family: "evm" }>> {
  const req = row.request;
  const data = encodeFunctionData({ abi: forgeFactoryAbi, functionName: "createToken", args: [launchIdToBytes32(row.id), evmTokenParams(req)] });
  return { family: "evm", to: factoryAddress as Hex, data, address: row.address };
}
