// What a launch costs its payer, before it is made (POST /api/v1/quotes). Pure
// where it can be: the RPC calls go through a batch function the caller gives
// (the api's gated one; a plain one in tests), so the figures are computed the
// same way everywhere. Amounts are bigints in the chain's smallest unit.
import { encodeFunctionData, keccak256, parseAbi, serializeTransaction, stringToHex, type Address, type Hex } from "viem";
import type { ChainConfig } from "./chains";
import type { LaunchRequest } from "./launch";
import { evmTokenParams } from "./launch-evm";
import { EVM_LAUNCH_GAS } from "./fees";
import { factoryForChain, forgeFactoryV2Abi } from "./contracts/factory";
import { LAUNCH_SIGNATURES, metadataFields } from "./solana/launch-tx";
import { MINT_WITH_METADATA_POINTER_LEN, TOKEN_2022_ATA_LEN, rentExemptLamports, tokenMetadataTlvLen } from "./solana/token-2022";
import type { PriorityFee } from "./solana/compute-budget";

export type RpcCall = { method: string; params: unknown[] };
export type RpcAnswer = { result: unknown } | { error: { code?: number; message: string } };
/** Sends calls as one batch; answers in call order. */
export type RpcBatch = (calls: RpcCall[]) => Promise<RpcAnswer[]>;

/** OP-stack predeploy: the L1 data fee a transaction pays on top of its L2 gas. */
export const GAS_PRICE_ORACLE: Address = "0x420000000000000000000000000000000000000F";
export const gasPriceOracleAbi = parseAbi(["function getL1Fee(bytes _data) view returns (uint256)"]);

/** How long a wallet-paid launch's createToken deadline runs when estimating (it does not change the gas). */
const ESTIMATE_DEADLINE_SECONDS = 3600;
const LAMPORTS_PER_SIGNATURE = 5000n;

export type EvmQuoteInput = {
  chain: ChainConfig;
  request: LaunchRequest;
  /** Who sends createToken: the payer (wallet mode) or the platform's deployer (platform mode, itself the payer). */
  payer: Address;
  /** msg.value: the platform fee (wallet mode) or 0 (the fee-exempt deployer). */
  value: bigint;
  /** Gas price (wei, base fee + tip) from the cron's cache, when fresh; otherwise read from the chain. */
  cachedGasPrice?: bigint | null;
  now: number;
  /**
   * Estimates kept by calldata shape (sender, factory, value, calldata length), as the
   * deployer's Signer keeps them: the gas of createToken depends on the storage slots its
   * strings fill, which the length fixes. Given with a cached gas price, a known shape
   * is quoted with no RPC call (platform-paid launches: the sender is always the deployer).
   */
  estimates?: Map<string, bigint>;
};

export type EvmQuoteFigures = {
  gasUnits: bigint;
  /** estimate: eth_estimateGas of the very call; measured: the payer could not run it (funds), so the measured launch gas. */
  gasUnitsFrom: "estimate" | "measured";
  gasPrice: bigint;
  /** OP-stack chains: GasPriceOracle.getL1Fee of the transaction; null elsewhere. */
  l1Fee: bigint | null;
  networkFee: bigint;
};

/** The createToken transaction a launch sends on a v2 chain, with a stand-in launch id (the real one is made at launch; same size). */
export function evmCreateTokenTx(input: Pick<EvmQuoteInput, "chain" | "request" | "payer" | "value" | "now">) {
  const { factory } = factoryForChain(input.chain);
  // The same stand-in for every quote of a payer: the same request is estimated on the same calldata, so its figure does not wander with the clock.
  const launchId = keccak256(stringToHex(`quote:${input.payer}`));
  const deadline = BigInt(Math.floor(input.now / 1000) + ESTIMATE_DEADLINE_SECONDS);
  const data = encodeFunctionData({ abi: forgeFactoryV2Abi, functionName: "createToken", args: [launchId, evmTokenParams(input.request), input.payer, deadline] });
  return { from: input.payer, to: factory, data, value: input.value };
}

const hex = (n: bigint) => `0x${n.toString(16)}`;
const answer = (a: RpcAnswer | undefined): unknown => (a && "result" in a ? a.result : undefined);

/**
 * Gas units (eth_estimateGas of the actual createToken from the payer), gas price
 * and, on OP-stack chains, the L1 data fee: one batch, plus one call for the L1 fee.
 */
export async function quoteEvm(rpc: RpcBatch, input: EvmQuoteInput): Promise<EvmQuoteFigures> {
  const tx = evmCreateTokenTx(input);
  const live = input.cachedGasPrice == null;
  const shape = `${input.chain.id}:${tx.from}:${tx.to}:${tx.value}:${tx.data.length}`;
  const known = input.estimates?.get(shape);
  if (known !== undefined && !live && !input.chain.opStack) {
    const gasPrice = input.cachedGasPrice!;
    return { gasUnits: known, gasUnitsFrom: "estimate", gasPrice, l1Fee: null, networkFee: known * gasPrice };
  }
  const calls: RpcCall[] = [{ method: "eth_estimateGas", params: [{ ...tx, value: hex(tx.value) }, "latest"] }];
  if (live) calls.push({ method: "eth_gasPrice", params: [] }, { method: "eth_maxPriorityFeePerGas", params: [] });
  // With a cached price, a chain that cannot be reached still gets a quote (measured units); without one it cannot.
  const answers = await rpc(calls).catch((e: unknown) => {
    if (live) throw e;
    return [] as RpcAnswer[];
  });
  const estimate = answer(answers[0]);
  const gasUnits = typeof estimate === "string" ? BigInt(estimate) : BigInt(EVM_LAUNCH_GAS);
  if (typeof estimate === "string" && input.estimates) {
    if (input.estimates.size >= 1_000) input.estimates.clear();
    input.estimates.set(shape, gasUnits);
  }
  let gasPrice = input.cachedGasPrice ?? 0n;
  if (live) {
    const base = answer(answers[1]);
    if (typeof base !== "string") throw new Error(`eth_gasPrice: ${JSON.stringify(answers[1])}`);
    const tip = answer(answers[2]);
    gasPrice = BigInt(base) + (typeof tip === "string" ? BigInt(tip) : 0n);
  }
  const l1Fee = input.chain.opStack ? await l1DataFee(rpc, input.chain, tx, gasUnits, gasPrice) : null;
  return { gasUnits, gasUnitsFrom: typeof estimate === "string" ? "estimate" : "measured", gasPrice, l1Fee, networkFee: gasUnits * gasPrice + (l1Fee ?? 0n) };
}

/** GasPriceOracle.getL1Fee of the unsigned EIP-1559 transaction (the oracle allows for the signature itself). */
async function l1DataFee(rpc: RpcBatch, chain: ChainConfig, tx: { to: Address; data: Hex; value: bigint }, gas: bigint, gasPrice: bigint): Promise<bigint> {
  const unsigned = serializeTransaction({ type: "eip1559", chainId: chain.chainId!, nonce: 0, gas, maxFeePerGas: gasPrice, maxPriorityFeePerGas: 0n, to: tx.to, value: tx.value, data: tx.data });
  const data = encodeFunctionData({ abi: gasPriceOracleAbi, functionName: "getL1Fee", args: [unsigned] });
  const [a] = await rpc([{ method: "eth_call", params: [{ to: GAS_PRICE_ORACLE, data }, "latest"] }]);
  const r = answer(a);
  if (typeof r !== "string" || r === "0x") throw new Error(`GasPriceOracle.getL1Fee on ${chain.id}: ${JSON.stringify(a)}`);
  return BigInt(r);
}

export type SolanaQuoteFigures = {
  /** Rent-exempt deposits: the mint with its metadata-pointer extension and metadata, and the owner's token account. */
  mintRent: bigint;
  tokenAccountRent: bigint;
  signatureFees: bigint;
  priorityFee: bigint;
  networkFee: bigint;
};

/** A Solana launch's network fee from the cluster's rent for 0 bytes (getMinimumBalanceForRentExemption(0)). */
export function quoteSolana(request: LaunchRequest, rentForZeroBytes: bigint, priority: PriorityFee | null): SolanaQuoteFigures {
  const mintRent = rentExemptLamports(rentForZeroBytes, MINT_WITH_METADATA_POINTER_LEN + tokenMetadataTlvLen(metadataFields(request)));
  const tokenAccountRent = rentExemptLamports(rentForZeroBytes, TOKEN_2022_ATA_LEN);
  const signatureFees = BigInt(LAUNCH_SIGNATURES) * LAMPORTS_PER_SIGNATURE;
  const priorityFee = priority && priority.microLamportsPerUnit > 0n ? (BigInt(priority.computeUnitLimit) * priority.microLamportsPerUnit + 999_999n) / 1_000_000n : 0n;
  return { mintRent, tokenAccountRent, signatureFees, priorityFee, networkFee: mintRent + tokenAccountRent + signatureFees + priorityFee };
}
