// Puts ForgeFactory (and, through its constructor, the ForgeToken implementation) on an EVM chain
// by sending salt ++ creation code to the deterministic CREATE2 deployer. Idempotent: the address
// depends only on the code and salt, so if code is already there we are done. Used by the start
// script (local anvil chains) and tests.
//
// Usage: npx tsx tools/chains/deploy-factory.ts <rpcUrl> [fundedPrivateKey]
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { createPublicClient, createWalletClient, http, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  DETERMINISTIC_DEPLOYER,
  factoryAddress,
  factoryDeployData,
  factoryV2For,
  forgeFactoryV2Abi,
  implementationAddress,
  type FactoryDeployment,
} from "../../packages/core/src/contracts/factory";

export type DeployedFactory = { factory: Address; implementation: Address };

const V1: FactoryDeployment = { factory: factoryAddress, implementation: implementationAddress, deployData: factoryDeployData };

const hasCode = (code: Hex | undefined) => code !== undefined && code !== "0x";

/**
 * Deploys the factory if it is not there yet. Without a key the transaction is sent from the
 * node's first unlocked account (eth_accounts[0], e.g. anvil's dev accounts).
 */
export function deployFactory(rpcUrl: string, fundedPrivateKey?: Hex): Promise<DeployedFactory> {
  return deployThroughCreate2(rpcUrl, V1, fundedPrivateKey);
}

/** ForgeFactoryV2 owned by `owner` (the same owner gives the same address on every chain). */
export function deployFactoryV2(rpcUrl: string, owner: Address, fundedPrivateKey?: Hex): Promise<DeployedFactory> {
  return deployThroughCreate2(rpcUrl, factoryV2For(owner), fundedPrivateKey);
}

/**
 * Sets a ForgeFactoryV2's treasury, fee and fee-exempt accounts as its owner, which must be an
 * unlocked account of the node (anvil's dev accounts): what the owner's Safe does in production.
 */
export async function configureFactoryV2(rpcUrl: string, owner: Address, s: { treasury: Address; feeWei: bigint; exempt: Address[]; contractURI?: { prefix: string; suffix: string } }): Promise<void> {
  const transport = http(rpcUrl, { retryCount: 2 });
  const publicClient = createPublicClient({ transport, pollingInterval: 100 });
  const wallet = createWalletClient({ transport, account: owner });
  const { factory } = factoryV2For(owner);
  // Sent one after another without waiting, then every receipt awaited: one block for all of
  // them instead of one each.
  const calls: [string, readonly unknown[]][] = [["setTreasury", [s.treasury]], ["setFee", [s.feeWei]], ...s.exempt.map((a): [string, readonly unknown[]] => ["setFeeExempt", [a, true]]), ...(s.contractURI ? [["setContractURI", [s.contractURI.prefix, s.contractURI.suffix]] as [string, readonly unknown[]]] : [])];
  // Explicit nonces: the node's "pending" count does not always include what was just sent.
  const first = await publicClient.getTransactionCount({ address: owner, blockTag: "latest" });
  const hashes: Hex[] = [];
  for (const [i, [functionName, args]] of calls.entries()) {
    hashes.push(await wallet.writeContract({ chain: null, address: factory, abi: forgeFactoryV2Abi, functionName, args, nonce: first + i, gas: 200_000n } as never));
  }
  const receipts = await Promise.all(hashes.map((hash) => publicClient.waitForTransactionReceipt({ hash, timeout: 60_000 })));
  receipts.forEach((r, i) => {
    if (r.status !== "success") throw new Error(`${calls[i]![0]} reverted on ${rpcUrl} (tx ${r.transactionHash})`);
  });
}

async function deployThroughCreate2(rpcUrl: string, target: FactoryDeployment, fundedPrivateKey?: Hex): Promise<DeployedFactory> {
  const transport = http(rpcUrl, { retryCount: 2 });
  const publicClient = createPublicClient({ transport, pollingInterval: 100 });
  const { factory: factoryAddress, implementation: implementationAddress, deployData: factoryDeployData } = target;
  const result = { factory: factoryAddress, implementation: implementationAddress };

  if (hasCode(await publicClient.getCode({ address: factoryAddress }))) return result;
  if (!hasCode(await publicClient.getCode({ address: DETERMINISTIC_DEPLOYER }))) {
    throw new Error(`no deterministic CREATE2 deployer at ${DETERMINISTIC_DEPLOYER} on ${rpcUrl}`);
  }

  let hash: Hex;
  if (fundedPrivateKey) {
    const wallet = createWalletClient({ account: privateKeyToAccount(fundedPrivateKey), transport });
    hash = await wallet.sendTransaction({ chain: null, to: DETERMINISTIC_DEPLOYER, data: factoryDeployData });
  } else {
    const wallet = createWalletClient({ transport });
    const [from] = await wallet.getAddresses();
    if (!from) throw new Error(`no unlocked account on ${rpcUrl}; pass a funded private key`);
    hash = await wallet.sendTransaction({ chain: null, account: from, to: DETERMINISTIC_DEPLOYER, data: factoryDeployData });
  }
  const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: 60_000 });

  // Check the code rather than only the status: a concurrent deployer may have won the race
  // (our tx then reverts), which is fine because the code at the address is the same.
  const [factoryCode, implCode] = await Promise.all([
    publicClient.getCode({ address: factoryAddress }),
    publicClient.getCode({ address: implementationAddress }),
  ]);
  if (!hasCode(factoryCode) || !hasCode(implCode)) {
    throw new Error(`factory deployment failed (tx ${hash}, status ${receipt.status}): no code at ${factoryAddress}`);
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [rpcUrl, key] = process.argv.slice(2);
  if (!rpcUrl) {
    console.error("usage: tsx tools/chains/deploy-factory.ts <rpcUrl> [fundedPrivateKey]");
    process.exit(2);
  }
  deployFactory(rpcUrl, key as Hex | undefined).then(
    (r) => console.log(JSON.stringify(r)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
