// The EVM adapter's prepare: the factory call that creates a launch's token at
// its predicted CREATE2 address, on the factory the launch was made for (its
// factory_version). The deployer sends v2 launches as their payer (it is
// fee-exempt, value 0). Pure; no Worker imports.
import type { Address } from "viem";
import { evmCreateCall } from "@tokenforge/core/launch-evm";
import { factoryOfLaunch } from "@tokenforge/core/contracts/factory";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { AdapterContext, Prepared } from "../adapter";

export async function prepareEvm({ chain }: AdapterContext, row: Pick<LaunchRow, "id" | "request" | "address" | "deployer" | "factoryVersion">): Promise<Extract<Prepared, { family: "evm" }>> {
  const { to, data } = evmCreateCall(row.id, row.request, factoryOfLaunch(chain, row.factoryVersion), row.deployer as Address);
  return { family: "evm", to, data, address: row.address };
}
