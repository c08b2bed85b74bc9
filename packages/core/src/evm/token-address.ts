// Predicts the address of a launch's token before the transaction is sent — the basis of
// "a launch deploys at most one token, however often its message is delivered". Pure; mirrors ForgeFactory._salt
// and OpenZeppelin 5.7 Clones.cloneDeterministic / predictDeterministicAddress exactly.
import {
  concat,
  encodeAbiParameters,
  getContractAddress,
  keccak256,
  stringToHex,
  type Address,
  type Hex,
} from "viem";

/** Mirrors the Solidity struct TokenParams (contracts/src/TokenParams.sol); amounts in base units. */
export type TokenParams = {
  name: string;
  symbol: string;
  decimals: number;
  owner: Address;
  /** base units (already multiplied by 10^decimals) */
  initialSupply: bigint;
  /** base units; 0n = uncapped */
  maxSupply: bigint;
  /** bitmask, see FEATURES / encodeFeatures */
  features: number;
};

export const FEATURES = { mintable: 1, burnable: 2, pausable: 4, permit: 8 } as const;
export type FeatureFlags = { mintable?: boolean; burnable?: boolean; pausable?: boolean; permit?: boolean };

export function encodeFeatures(f: FeatureFlags): number {
  return (
    (f.mintable ? FEATURES.mintable : 0) |
    (f.burnable ? FEATURES.burnable : 0) |
    (f.pausable ? FEATURES.pausable : 0) |
    (f.permit ? FEATURES.permit : 0)
  );
}

export function decodeFeatures(bits: number): Required<FeatureFlags> {
  return {
    mintable: (bits & FEATURES.mintable) !== 0,
    burnable: (bits & FEATURES.burnable) !== 0,
    pausable: (bits & FEATURES.pausable) !== 0,
    permit: (bits & FEATURES.permit) !== 0,
  };
}

/** ABI shape of TokenParams, for abi.encode(p) (a tuple with dynamic members). */
export const tokenParamsAbiParameter = {
  type: "tuple",
  components: [
    { name: "name", type: "string" },
    { name: "symbol", type: "string" },
    { name: "decimals", type: "uint8" },
    { name: "owner", type: "address" },
    { name: "initialSupply", type: "uint256" },
    { name: "maxSupply", type: "uint256" },
    { name: "features", type: "uint8" },
  ],
} as const;

/** The bytes32 launch id the factory sees: keccak256 of the UTF-8 launch id string. */
export function launchIdToBytes32(id: string): Hex {
  return keccak256(stringToHex(id));
}

/** keccak256(abi.encode(deployer, launchId, keccak256(abi.encode(params)))) as in ForgeFactory._salt. */
export function launchSalt(deployer: Address, launchIdBytes32: Hex, params: TokenParams): Hex {
  const paramsHash = keccak256(encodeAbiParameters([tokenParamsAbiParameter], [params]));
  return keccak256(
    encodeAbiParameters(
      [{ type: "address" }, { type: "bytes32" }, { type: "bytes32" }],
      [deployer, launchIdBytes32, paramsHash],
    ),
  );
}

/** EIP-1167 minimal proxy creation code (55 bytes), as OZ Clones builds it. */
export function cloneInitCode(implementation: Address): Hex {
  return concat(["0x3d602d80600a3d3981f3363d3d373d3d3d363d73", implementation, "0x5af43d82803e903d91602b57fd5bf3"]);
}

/** Runtime code of a clone (45 bytes): what eth_getCode returns at a token address. */
export function cloneRuntimeCode(implementation: Address): Hex {
  return concat(["0x363d3d373d3d3d363d73", implementation, "0x5af43d82803e903d91602b57fd5bf3"]).toLowerCase() as Hex;
}

export type PredictTokenAddressArgs = {
  factory: Address;
  implementation: Address;
  /** the account that sends createToken (msg.sender) */
  deployer: Address;
  /** bytes32, e.g. launchIdToBytes32(launch.id) */
  launchId: Hex;
  params: TokenParams;
};

export function predictTokenAddress({ factory, implementation, deployer, launchId, params }: PredictTokenAddressArgs): Address {
  return getContractAddress({
    opcode: "CREATE2",
    from: factory,
    salt: launchSalt(deployer, launchId, params),
    bytecode: cloneInitCode(implementation),
  });
}
