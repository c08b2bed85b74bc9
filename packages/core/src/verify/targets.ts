// Which of our contracts are verified on an EVM chain, and with what: the
// implementation and the factory from the standard-JSON input of the
// reproducible build (tools/compile-contracts.ts writes it beside the artifacts),
// each token clone linked to the implementation. Pure.
import { encodeAbiParameters, type Address } from "viem";
import standardJson from "../../../../contracts/artifacts/standard-json-input.json";
import { factoryForChain } from "../contracts/factory";

export type VerificationKind = "implementation" | "factory" | "clone";
export type VerifyService = "etherscan" | "sourcify";

/** The queue message of one verification job: its row is (chain, address, service). */
export type VerifyMessage = { chain: string; address: string; service: VerifyService };

export type SourceTarget = { kind: "implementation" | "factory"; address: Address; contractIdentifier: string; constructorArgs: string };

/** The compiler and the input every source verification submits. */
export const buildInput = { compilerVersion: standardJson.compilerVersion, input: standardJson.input };

/** The implementation and the factory of the chain's current factory version. */
export function sourceTargets(chain: { factoryOwner?: string }): SourceTarget[] {
  const f = factoryForChain(chain);
  const names = f.version === "2" ? { impl: "ForgeTokenV2", factory: "ForgeFactoryV2" } : { impl: "ForgeToken", factory: "ForgeFactory" };
  const contracts = standardJson.contracts as Record<string, string>;
  return [
    { kind: "implementation", address: f.implementation, contractIdentifier: contracts[names.impl]!, constructorArgs: "" },
    {
      kind: "factory", address: f.factory, contractIdentifier: contracts[names.factory]!,
      // ForgeFactoryV2's constructor takes its owner; v1's takes nothing.
      constructorArgs: f.version === "2" ? encodeAbiParameters([{ type: "address" }], [chain.factoryOwner as Address]) : "",
    },
  ];
}
