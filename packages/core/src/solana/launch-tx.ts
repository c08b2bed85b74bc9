// One Solana launch as one atomic transaction, and the check that a mint found
// on chain is the one a launch asked for. Pure: the caller supplies the signers,
// the blockhash and the cluster's rent; nothing here talks to a node.
//
// The transaction (Token-2022):
//   1. the mint account, as Transfer (its rent, funded for the size the metadata
//      grows it to: the token-metadata program reallocs but does not move
//      lamports) + Allocate (sized for the metadata pointer) + Assign (to
//      Token-2022), the last two signed by the derived mint keypair. Not
//      CreateAccount, which fails on an address that holds lamports: the mint's
//      address is announced at once, and anyone could send lamports to it.
//   2. MetadataPointer::Initialize → the mint itself, authority = owner
//   3. InitializeMint2: decimals; mint authority = the mint key for now;
//      freeze authority = owner when freezable, else none from the start
//   4. TokenMetadata::Initialize (name, symbol, uri), update authority = owner
//   5. CreateAssociatedTokenIdempotent for the owner
//   6. MintTo the initial supply
//   7. SetAuthority(MintTokens) → owner when mintable, else none (revoked)
// A second creation of the same mint fails at step 1 (Allocate: the account is
// in use), so the chain itself keeps "one launch, one mint" whatever the deployer does.
import {
  appendTransactionMessageInstructions,
  compileTransaction,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  getTransactionEncoder,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Blockhash,
  type Instruction,
  type TransactionSigner,
} from "@solana/kit";
import { getAllocateInstruction, getAssignInstruction, getTransferSolInstruction } from "@solana-program/system";
import {
  AuthorityType,
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  getInitializeMint2Instruction,
  getMintToInstruction,
  getSetAuthorityInstruction,
} from "@solana-program/token";
import { toRawAmount, type LaunchRequest } from "../launch";
import {
  getInitializeMetadataPointerInstruction,
  getInitializeTokenMetadataInstruction,
  MINT_WITH_METADATA_POINTER_LEN,
  rentExemptLamports,
  TOKEN_2022_ATA_LEN,
  TOKEN_2022_PROGRAM,
  tokenMetadataTlvLen,
  type MintFacts,
  type TokenAccountFacts,
  type TokenMetadataFields,
} from "./token-2022";
import { getComputeBudgetInstructions, type PriorityFee } from "./compute-budget";

/** Solana's packet limit for a serialized transaction (PACKET_DATA_SIZE − headers). */
export const MAX_TRANSACTION_BYTES = 1232;
/** Signatures on a launch: the fee payer and the mint. */
export const LAUNCH_SIGNATURES = 2;
const LAMPORTS_PER_SIGNATURE = 5000n;

export const metadataFields = (req: LaunchRequest): TokenMetadataFields => ({ name: req.name, symbol: req.symbol, uri: req.metadataUri ?? "" });

/** Where the launch's tokens go: the owner's associated token account for the mint. */
export async function ownerTokenAccount(owner: Address, mint: Address): Promise<Address> {
  const [ata] = await findAssociatedTokenPda({ owner, mint, tokenProgram: TOKEN_2022_PROGRAM });
  return ata;
}

export type LaunchInstructionsInput = {
  feePayer: TransactionSigner;
  mint: TransactionSigner;
  req: LaunchRequest;
  /** getMinimumBalanceForRentExemption(0) of the cluster. */
  rentForZeroBytes: bigint;
  priorityFee?: PriorityFee | null;
};

export async function launchInstructions(input: LaunchInstructionsInput): Promise<{ instructions: Instruction[]; ata: Address; mintLamports: bigint }> {
  const { feePayer, mint, req } = input;
  const mintLamports = rentExemptLamports(input.rentForZeroBytes, MINT_WITH_METADATA_POINTER_LEN + tokenMetadataTlvLen(metadataFields(req)));
  const ata = await ownerTokenAccount(req.owner as Address, mint.address);
  const instructions: Instruction[] = [
    ...getComputeBudgetInstructions(input.priorityFee ?? null),
    getTransferSolInstruction({ source: feePayer, destination: mint.address, amount: mintLamports }),
    getAllocateInstruction({ newAccount: mint, space: MINT_WITH_METADATA_POINTER_LEN }),
    getAssignInstruction({ account: mint, programAddress: TOKEN_2022_PROGRAM }),
    ...tokenInstructions({ payer: feePayer, mint: mint.address, mintAuthority: mint, req, ata }),
  ];
  return { instructions, ata, mintLamports };
}

/**
 * Steps 2–7 once the mint account is Token-2022's: the mint authority signs until
 * SetAuthority hands it to the owner or revokes it (the mint key for a
 * platform-paid launch, the payer for a wallet-paid one, wallet-launch.ts).
 */
export function tokenInstructions(input: { payer: TransactionSigner; mint: Address; mintAuthority: TransactionSigner; req: LaunchRequest; ata: Address }): Instruction[] {
  const { payer, mint, mintAuthority, req, ata } = input;
  const owner = req.owner as Address;
  const token = { programAddress: TOKEN_2022_PROGRAM };
  return [
    getInitializeMetadataPointerInstruction({ mint, authority: owner, metadataAddress: mint }),
    getInitializeMint2Instruction({ mint, decimals: req.decimals, mintAuthority: mintAuthority.address, freezeAuthority: req.features.freezable ? owner : null }, token),
    getInitializeTokenMetadataInstruction({ mint, updateAuthority: owner, mintAuthority, fields: metadataFields(req) }),
    getCreateAssociatedTokenIdempotentInstruction({ payer, ata, owner, mint, tokenProgram: TOKEN_2022_PROGRAM }),
    getMintToInstruction({ mint, token: ata, mintAuthority, amount: toRawAmount(req.initialSupply, req.decimals) }, token),
    getSetAuthorityInstruction({ owned: mint, owner: mintAuthority, authorityType: AuthorityType.MintTokens, newAuthority: req.features.mintable ? owner : null }, token),
  ];
}

export type SignedLaunch = { signature: string; wire: string; bytes: number; lastValidBlockHeight: bigint; ata: Address; mintLamports: bigint };

/** Builds and signs the launch transaction for one blockhash: the same inputs give the same bytes. */
export async function signLaunchTransaction(
  input: LaunchInstructionsInput & { lifetime: { blockhash: Blockhash; lastValidBlockHeight: bigint } },
): Promise<SignedLaunch> {
  const { instructions, ata, mintLamports } = await launchInstructions(input);
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(input.feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(input.lifetime, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const tx = await signTransactionMessageWithSigners(message);
  return {
    signature: getSignatureFromTransaction(tx),
    wire: getBase64EncodedWireTransaction(tx),
    bytes: getTransactionEncoder().getSizeFromValue(tx),
    lastValidBlockHeight: input.lifetime.lastValidBlockHeight,
    ata,
    mintLamports,
  };
}

/** Serialized size of a launch transaction (unsigned signatures count the same): for validation budgets and tests. */
export async function launchTransactionBytes(input: LaunchInstructionsInput): Promise<number> {
  const { instructions } = await launchInstructions(input);
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(input.feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: "11111111111111111111111111111111" as Blockhash, lastValidBlockHeight: 0n }, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  return getTransactionEncoder().getSizeFromValue(compileTransaction(message));
}

/**
 * What one launch costs the fee payer at most: the mint's and the ATA's rent,
 * the signature fees and the priority fee. The balance check before sending uses it.
 */
export function launchCostLamports(req: LaunchRequest, rentForZeroBytes: bigint, priorityFee?: PriorityFee | null): bigint {
  const mint = rentExemptLamports(rentForZeroBytes, MINT_WITH_METADATA_POINTER_LEN + tokenMetadataTlvLen(metadataFields(req)));
  const ata = rentExemptLamports(rentForZeroBytes, TOKEN_2022_ATA_LEN);
  const priority = priorityFee ? (BigInt(priorityFee.computeUnitLimit) * priorityFee.microLamportsPerUnit + 999_999n) / 1_000_000n : 0n;
  return mint + ata + BigInt(LAUNCH_SIGNATURES) * LAMPORTS_PER_SIGNATURE + priority;
}

/** The differences between a mint on chain (and the owner's token account) and the launch request; empty when it matches. */
export function mintMismatches(mintAddress: Address, facts: MintFacts | null, ownerAccount: TokenAccountFacts | null, req: LaunchRequest): string[] {
  if (!facts) return ["the account is not a Token-2022 mint"];
  const owner = req.owner as Address;
  const raw = toRawAmount(req.initialSupply, req.decimals);
  const fields = metadataFields(req);
  const out: string[] = [];
  if (!facts.isInitialized) out.push("the mint is not initialized");
  if (facts.decimals !== req.decimals) out.push(`decimals is ${facts.decimals}`);
  if (facts.supply !== raw) out.push(`supply is ${facts.supply}`);
  const wantMint = req.features.mintable ? owner : null;
  if (facts.mintAuthority !== wantMint) out.push(`mint authority is ${facts.mintAuthority ?? "none"}`);
  const wantFreeze = req.features.freezable ? owner : null;
  if (facts.freezeAuthority !== wantFreeze) out.push(`freeze authority is ${facts.freezeAuthority ?? "none"}`);
  if (facts.metadataPointer?.metadataAddress !== mintAddress) out.push("the metadata pointer does not point at the mint");
  const m = facts.metadata;
  if (!m) out.push("no token metadata");
  else {
    if (m.mint !== mintAddress) out.push(`metadata names mint ${m.mint}`);
    if (m.name !== fields.name) out.push(`name is ${JSON.stringify(m.name)}`);
    if (m.symbol !== fields.symbol) out.push(`symbol is ${JSON.stringify(m.symbol)}`);
    if (m.uri !== fields.uri) out.push(`uri is ${JSON.stringify(m.uri)}`);
    if (m.updateAuthority !== owner) out.push(`metadata update authority is ${m.updateAuthority ?? "none"}`);
  }
  if (!ownerAccount) out.push("the owner has no token account");
  else if (ownerAccount.mint !== mintAddress || ownerAccount.owner !== owner) out.push("the owner's token account belongs to another mint or owner");
  else if (ownerAccount.amount !== raw) out.push(`the owner holds ${ownerAccount.amount}`);
  return out;
}
