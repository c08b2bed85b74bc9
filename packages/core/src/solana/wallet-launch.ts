// A wallet-paid Solana launch (issue 16, design (b)): one transaction the payer's
// wallet signs and sends on its own, with the payer as the only signer.
//
// The mint is not a keypair: its address is createWithSeed(base = payer, seed =
// the launch id, owner = Token-2022), so only the payer can ever create it
// (AllocateWithSeed / AssignWithSeed need the base's signature) and no
// platform-held key signs anything. A wallet that adds instructions before
// sending (Phantom's Lighthouse assertions, its own compute-budget price) breaks
// no other signature, because there is none.
//
// The transaction:
//   1. Transfer payer → mint (its rent for the size the metadata grows it to)
//   2. AllocateWithSeed (base = payer): sizes the account AND assigns it to
//      Token-2022 (one instruction, unlike Allocate + Assign for a keypair mint).
//      Not CreateAccountWithSeed: it fails on an address that already holds
//      lamports, and anyone can send lamports to an announced address.
//   3.–8. as the platform-paid launch (launch-tx.ts), with the payer as the mint
//      authority until SetAuthority hands it to the owner or revokes it
//   9. Transfer payer → treasury: the platform fee, in the same atomic transaction.
// The platform cannot stop the payer from sending a different transaction to the
// same address; the watch (deployer) therefore confirms only a mint whose
// creating transaction paid the treasury the fee (walletFeePaid below).
import {
  appendTransactionMessageInstructions,
  compileTransaction,
  createAddressWithSeed,
  createNoopSigner,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getTransactionEncoder,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  type Address,
  type Blockhash,
  type Instruction,
} from "@solana/kit";
import { getAllocateWithSeedInstruction, getTransferSolInstruction } from "@solana-program/system";
import type { LaunchRequest } from "../launch";
import { MINT_WITH_METADATA_POINTER_LEN, rentExemptLamports, TOKEN_2022_ATA_LEN, TOKEN_2022_PROGRAM, tokenMetadataTlvLen } from "./token-2022";
import { metadataFields, ownerTokenAccount, tokenInstructions } from "./launch-tx";

/** Launch ids are 30 ASCII bytes (lch_ + 26); a seed may have at most 32. */
const MAX_SEED_BYTES = 32;

/** The seed of a wallet launch's mint: the launch id itself. */
export function walletMintSeed(launchId: string): string {
  if (new TextEncoder().encode(launchId).length > MAX_SEED_BYTES) throw new Error("a launch id is at most 32 bytes");
  return launchId;
}

/** The mint address of a wallet-paid launch: bound to its payer and its launch id, derivable by anyone. */
export function walletMintAddress(payer: Address, launchId: string): Promise<Address> {
  return createAddressWithSeed({ baseAddress: payer, programAddress: TOKEN_2022_PROGRAM, seed: walletMintSeed(launchId) });
}

export type WalletLaunchInput = {
  payer: Address;
  launchId: string;
  req: LaunchRequest;
  /** getMinimumBalanceForRentExemption(0) of the cluster. */
  rentForZeroBytes: bigint;
  treasury: Address;
  /** The platform fee in lamports (the registry's platformFee). */
  platformFee: bigint;
};

export async function walletLaunchInstructions(input: WalletLaunchInput): Promise<{ instructions: Instruction[]; mint: Address; mintLamports: bigint }> {
  const { payer, req } = input;
  const signer = createNoopSigner(payer); // the wallet signs later; this only marks the payer a signer
  const seed = walletMintSeed(input.launchId);
  const mint = await walletMintAddress(payer, input.launchId);
  const mintLamports = rentExemptLamports(input.rentForZeroBytes, MINT_WITH_METADATA_POINTER_LEN + tokenMetadataTlvLen(metadataFields(req)));
  const ata = await ownerTokenAccount(req.owner as Address, mint);
  const instructions: Instruction[] = [
    getTransferSolInstruction({ source: signer, destination: mint, amount: mintLamports }),
    getAllocateWithSeedInstruction({ newAccount: mint, baseAccount: signer, base: payer, seed, space: MINT_WITH_METADATA_POINTER_LEN, programAddress: TOKEN_2022_PROGRAM }),
    ...tokenInstructions({ payer: signer, mint, mintAuthority: signer, req, ata }),
    getTransferSolInstruction({ source: signer, destination: input.treasury, amount: input.platformFee }),
  ];
  return { instructions, mint, mintLamports };
}

export type WalletLaunchTransaction = {
  /** Base64 wire transaction with the payer's signature slot empty: the wallet signs (and sends) it. */
  transaction: string;
  lastValidBlockHeight: bigint;
  mint: Address;
  bytes: number;
};

/** The unsigned launch transaction for one blockhash (same inputs, same bytes). */
export async function walletLaunchTransaction(input: WalletLaunchInput & { lifetime: { blockhash: Blockhash; lastValidBlockHeight: bigint } }): Promise<WalletLaunchTransaction> {
  const { instructions, mint } = await walletLaunchInstructions(input);
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(createNoopSigner(input.payer), m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(input.lifetime, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const tx = compileTransaction(message);
  return { transaction: getBase64EncodedWireTransaction(tx), lastValidBlockHeight: input.lifetime.lastValidBlockHeight, mint, bytes: getTransactionEncoder().getSizeFromValue(tx) };
}

/** Serialized size of a wallet launch transaction (for the metadata budget and its test). */
export async function walletLaunchTransactionBytes(input: WalletLaunchInput): Promise<number> {
  const lifetime = { blockhash: "11111111111111111111111111111111" as Blockhash, lastValidBlockHeight: 0n };
  return (await walletLaunchTransaction({ ...input, lifetime })).bytes;
}

/** What a wallet launch costs its payer at most before any wallet additions: rents, one signature, the platform fee. */
export function walletLaunchCostLamports(req: LaunchRequest, rentForZeroBytes: bigint, platformFee: bigint): bigint {
  const mint = rentExemptLamports(rentForZeroBytes, MINT_WITH_METADATA_POINTER_LEN + tokenMetadataTlvLen(metadataFields(req)));
  return mint + rentExemptLamports(rentForZeroBytes, TOKEN_2022_ATA_LEN) + 5000n + platformFee;
}

/**
 * Did the transaction that created a wallet launch's mint pay the platform fee?
 * From its balances, not its instructions (a wallet may reorder or add some):
 * the treasury is no signer of the transaction, so its balance can only grow
 * there by transfers to it. `accountKeys` are the transaction's static keys
 * followed by any loaded from lookup tables, in getTransaction's order.
 */
export function walletFeePaid(tx: { accountKeys: string[]; preBalances: bigint[]; postBalances: bigint[]; err: unknown }, treasury: string, fee: bigint): boolean {
  if (tx.err != null) return false;
  const i = tx.accountKeys.indexOf(treasury);
  if (i < 0) return fee === 0n;
  return tx.postBalances[i]! - tx.preBalances[i]! >= fee;
}
