// From an accepted launch request to the factory's TokenParams and the token's
// CREATE2 address. The API predicts the address with it; the deployer builds the
// same params for the transaction, so the two can never disagree.
import type { Address } from "viem";
import type { LaunchRequest } from "./launch";
import { toRawAmount } from "./launch";
import { encodeFeatures, launchIdToBytes32, predictTokenAddress, type TokenParams } from "./evm/token-address";
import { factoryAddress, implementationAddress } from "./contracts/factory";

export function evmTokenParams(req: LaunchRequest): TokenParams {
  return {
    name: req.name,
    symbol: req.symbol,
    decimals: req.decimals,
    owner: req.owner as Address,
    initialSupply: toRawAmount(req.initialSupply, req.decimals),
    maxSupply: req.maxSupply === undefined ? 0n : toRawAmount(req.maxSupply, req.decimals),
    features: encodeFeatures(req.features),
  };
}

export function evmLaunchAddress(launchId: string, deployer: Address, req: LaunchRequest): Address {
  return predictTokenAddress({
    factory: factoryAddress,
    implementation: implementationAddress,
    deployer,
    launchId: launchIdToBytes32(launchId),
    params: evmTokenParams(req),
  });
}
