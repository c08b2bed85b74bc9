// Where ForgeFactory and its ForgeToken implementation live on every EVM chain. Pure: the
// addresses follow from the committed creation code (artifacts.ts) and a fixed salt through the
// deterministic CREATE2 deployer, which exists at the same address on Ethereum, BSC, Base, anvil…
import { concat, encodeAbiParameters, getAddress, getContractAddress, keccak256, stringToHex, type Address, type Hex } from "viem";
import { forgeFactoryBytecode, forgeFactoryV2Bytecode } from "./artifacts";

export {
  FACTORY_VERSION, forgeFactoryAbi, forgeTokenAbi, forgeFactoryBytecode, forgeFactoryV2Abi, forgeTokenV2Abi, forgeFactoryV2Bytecode,
} from "./artifacts";

/** Arachnid's deterministic deployment proxy: calldata = salt (32 bytes) ++ init code. */
export const DETERMINISTIC_DEPLOYER: Address = "0x4e59b44847b379578588920cA78FbF26c0B4956C";

/** CREATE2 salt of the factory; bump the suffix together with FACTORY_VERSION. */
export const FACTORY_SALT: Hex = keccak256(stringToHex("tokenforge.factory.v1"));

export const factoryAddress: Address = getContractAddress({
  opcode: "CREATE2",
  from: DETERMINISTIC_DEPLOYER,
  salt: FACTORY_SALT,
  bytecode: forgeFactoryBytecode,
});

/** The factory's constructor does `new ForgeToken()`: CREATE with the factory's first nonce (1, EIP-161). */
export const implementationAddress: Address = getContractAddress({ from: factoryAddress, nonce: 1n });

/** Calldata for the deterministic deployer that creates the factory. */
export const factoryDeployData: Hex = `${FACTORY_SALT}${forgeFactoryBytecode.slice(2)}`;

/** CREATE2 salt of ForgeFactoryV2. */
export const FACTORY_V2_SALT: Hex = keccak256(stringToHex("tokenforge.factory.v2"));

export type FactoryDeployment = { factory: Address; implementation: Address; deployData: Hex };

/**
 * Where ForgeFactoryV2 owned by `owner` lives: its creation code includes the owner, so the same
 * owner (in production one Safe address on every chain) gives the same factory address everywhere.
 */
export function factoryV2For(owner: Address): FactoryDeployment {
  // Kept per owner: the keccak of the whole creation code cost ~5 ms of CPU on every launch and quote.
  const known = factoriesV2.get(owner);
  if (known) return known;
  const initCode = concat([forgeFactoryV2Bytecode, encodeAbiParameters([{ type: "address" }], [getAddress(owner)])]);
  const factory = getContractAddress({ opcode: "CREATE2", from: DETERMINISTIC_DEPLOYER, salt: FACTORY_V2_SALT, bytecode: initCode });
  const deployment = Object.freeze({ factory, implementation: getContractAddress({ from: factory, nonce: 1n }), deployData: concat([FACTORY_V2_SALT, initCode]) });
  // Owners come from the chain registry (a handful); the bound only guards against a caller passing many.
  if (factoriesV2.size >= 64) factoriesV2.clear();
  factoriesV2.set(owner, deployment);
  return deployment;
}
const factoriesV2 = new Map<string, FactoryDeployment>();

/** The factory new launches on a chain use: v2 where the registry names its owner, v1 elsewhere. */
export type EvmFactory = { version: "1" | "2"; factory: Address; implementation: Address };

export function factoryForChain(chain: { factoryOwner?: string }): EvmFactory {
  if (!chain.factoryOwner) return { version: "1", factory: factoryAddress, implementation: implementationAddress };
  const { factory, implementation } = factoryV2For(chain.factoryOwner as Address);
  return { version: "2", factory, implementation };
}

/** The factory a stored EVM launch was made for (its `factory_version`): "2" → the chain's v2, anything else → v1. */
export function factoryOfLaunch(chain: { factoryOwner?: string }, version: string | null | undefined): EvmFactory {
  if (version === "2") {
    if (!chain.factoryOwner) throw new Error("a v2 launch on a chain without factoryOwner in the registry");
    const { factory, implementation } = factoryV2For(chain.factoryOwner as Address);
    return { version: "2", factory, implementation };
  }
  return { version: "1", factory: factoryAddress, implementation: implementationAddress };
}
