// From an accepted launch request to the factory's TokenParams, the factory call
// and the token's CREATE2 address. The API predicts the address and (for a
// wallet-paid launch) hands out the call; the deployer builds the same call for
// its own transactions, so the two can never disagree.
import { encodeFunctionData, maxUint256, type Address, type Hex } from "viem";
import type { LaunchRequest } from "./launch";
import { toRawAmount } from "./launch";
import { encodeFeatures, launchIdToBytes32, predictTokenAddress, type TokenParams } from "./evm/token-address";
import { factoryAddress, implementationAddress, type EvmFactory } from "./contracts/factory";
import { forgeFactoryAbi, forgeFactoryV2Abi } from "./contracts/artifacts";

const V1: EvmFactory = { version: "1", factory: factoryAddress, implementation: implementationAddress };

/** The platform's own v2 sends never expire: the deployer may resend after any delay (reconcile, reorg). */
export const PLATFORM_DEADLINE = maxUint256;

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

/** Where the launch's token will be: `sender` is the account that sends createToken (v2: the payer). */
export function evmLaunchAddress(launchId: string, sender: Address, req: LaunchRequest, factory: EvmFactory = V1): Address {
  return predictTokenAddress({
    factory: factory.factory,
    implementation: factory.implementation,
    deployer: sender,
    launchId: launchIdToBytes32(launchId),
    params: evmTokenParams(req),
  });
}

/**
 * The createToken call of a launch. v1 takes (launchId, params); v2 adds the
 * payer (who must be the sender) and the deadline in unix seconds.
 */
export function evmCreateCall(launchId: string, req: LaunchRequest, factory: EvmFactory, payer: Address, deadline: bigint = PLATFORM_DEADLINE): { to: Address; data: Hex } {
  const id = launchIdToBytes32(launchId);
  const params = evmTokenParams(req);
  const data = factory.version === "2"
    ? encodeFunctionData({ abi: forgeFactoryV2Abi, functionName: "createToken", args: [id, params, payer, deadline] })
    : encodeFunctionData({ abi: forgeFactoryAbi, functionName: "createToken", args: [id, params] });
  return { to: factory.factory, data };
}

/** A wallet-paid launch's createToken deadline (unix seconds) for its pay-by time (ms): the factory refuses any block after it. */
export const evmDeadlineSeconds = (payBy: number): bigint => BigInt(Math.floor(payBy / 1000));
