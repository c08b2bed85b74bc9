// The launch contract: request schema and response shapes, one source for the
// API, the deployer and the web app; the rules that depend on the chain's family
// live here too. Statuses and their moves live in lifecycle.ts.
import { z } from "zod";
import type { ChainConfig, ChainFamily } from "./chains";
import { base58Decode } from "./auth/base58";
import { canonicalEvmAddress } from "./address";
import { lookAlikeProblem } from "./names";
import { LaunchStatus, PaymentMode, isFinal } from "./lifecycle";
import { TokenPresence } from "./assets/metadata";

export { LaunchStatus, PaymentMode, isFinal };

const UINT256_MAX = (1n << 256n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

/** Per family: the largest raw amount and the allowed decimals. */
// The EVM token packs its cap into a uint240 beside decimals and features (one
// storage slot, ~22k gas saved per launch), so a cap must fit 240 bits.
export const familyLimits: Record<ChainFamily, { maxRaw: bigint; maxCapRaw: bigint; intName: string; maxDecimals: number; features: string[] }> = {
  evm: { maxRaw: UINT256_MAX, maxCapRaw: (1n << 240n) - 1n, intName: "uint256", maxDecimals: 18, features: ["mintable", "burnable", "pausable", "permit"] },
  solana: { maxRaw: U64_MAX, maxCapRaw: U64_MAX, intName: "u64", maxDecimals: 9, features: ["mintable", "burnable", "freezable"] },
};

// Whole-token amounts as decimal strings: no sign, no exponent, no leading zeros.
const WholeAmount = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, "must be a decimal string of whole tokens, e.g. \"1000000\"");

// `burnable` has no schema default: its default depends on the chain's family
// (withFamilyDefaults), and on Solana an explicit false must be told apart from
// an omitted one, because the chain cannot keep that promise.
const Features = z
  .strictObject({
    mintable: z.boolean().default(false),
    burnable: z.boolean().optional().meta({
      description: "EVM: default false. Solana: always true (SPL Token lets every holder burn their own tokens); omit it or send true, false is refused.",
    }),
    pausable: z.boolean().default(false),
    permit: z.boolean().default(false),
    freezable: z.boolean().default(false),
  })
  .default({ mintable: false, pausable: false, permit: false, freezable: false });
export type Features = z.infer<typeof Features>;

// Letters, marks, numbers, punctuation, symbols and plain spaces: no control or
// format characters (they make names that look like other names).
const NAME_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u;

/**
 * Who pays (issue 16). `mode` defaults by caller: `wallet` for a web session,
 * `platform` for an API key. Wallet-paid launches name the `payer` (an API key
 * must; a session defaults to its signed-in wallet).
 */
export const PaymentRequest = z.strictObject({
  mode: PaymentMode.optional().meta({ description: "wallet: the payer's wallet sends the launch transaction and pays gas and the platform fee; platform: the platform's deployer sends it. Default: wallet for a web session, platform for an API key." }),
  payer: z.string().min(1).max(64).optional().meta({ description: "wallet mode: the account that sends and pays (required with an API key; a session defaults to its wallet)" }),
  quoteId: z.string().regex(/^quo_[0-9a-z]{26}$/, "must be a quote id from POST /api/v1/quotes").optional(),
});
export type PaymentRequest = z.infer<typeof PaymentRequest>;

/** A wallet-paid EVM launch: the transaction its payer sends (value: the platform fee, wei, decimal). */
export const EvmPaymentTransaction = z.object({
  chainId: z.number().int().positive(),
  to: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  data: z.string().regex(/^0x([0-9a-fA-F]{2})*$/),
  value: z.string().regex(/^(0|[1-9][0-9]*)$/),
});
/**
 * A wallet-paid Solana launch: the transaction its payer signs and sends (base64
 * wire form, the payer's signature slot empty), the last block height it can land
 * in, and what it pays: the platform fee (lamports) to the treasury, which the
 * watch checks in the transaction that made the mint.
 */
export const SolanaPaymentTransaction = z.object({
  transaction: z.string().min(1),
  lastValidBlockHeight: z.string().regex(/^(0|[1-9][0-9]*)$/),
  payer: z.string().min(32).max(44),
  treasury: z.string().min(32).max(44),
  platformFee: z.string().regex(/^(0|[1-9][0-9]*)$/),
});
export type SolanaPaymentTransaction = z.infer<typeof SolanaPaymentTransaction>;
export const PaymentTransaction = z.union([EvmPaymentTransaction, SolanaPaymentTransaction]);
export type PaymentTransaction = z.infer<typeof PaymentTransaction>;

/** The body of POST /api/v1/launches, before the chain-specific rules. */
export const LaunchRequest = z.strictObject({
  chain: z.string().min(1).max(64),
  name: z
    .string()
    .refine((s) => [...s].length >= 1 && [...s].length <= 64, "must be 1 to 64 characters")
    .refine((s) => s.trim() === s, "must not start or end with spaces")
    .refine((s) => s === "" || NAME_RE.test(s), "must not contain control characters")
    .superRefine((s, ctx) => {
      const why = NAME_RE.test(s) ? lookAlikeProblem(s) : null;
      if (why) ctx.addIssue({ code: "custom", message: why });
    })
    .meta({
      description:
        "1 to 64 characters (code points): letters, marks, numbers, punctuation, symbols and plain spaces " +
        "(Unicode categories L, M, N, P, S); no control or format characters, no leading or trailing spaces; " +
        "each word in one script (no look-alike mixes such as Latin with Cyrillic) and no invisible or blank characters",
    }),
  symbol: z.string().regex(/^[A-Z0-9]{1,11}$/, "must be 1 to 11 uppercase letters or digits"),
  decimals: z.number().int().min(0).max(18),
  initialSupply: WholeAmount.meta({ description: "Whole tokens, minted to the owner at launch; the chain holds this × 10^decimals base units" }),
  maxSupply: WholeAmount.optional().meta({
    description:
      "Whole tokens; omit for no cap. EVM: the token enforces it (at least initialSupply). Solana: the chain has no cap, " +
      "so it is accepted only with mintable false, and then must equal initialSupply (the supply is fixed).",
  }),
  owner: z.string().min(1).max(64),
  features: Features,
  metadataUri: z
    .string()
    .max(512)
    .refine((u) => /^(https:\/\/[^\s]+|ipfs:\/\/[^\s]+)$/.test(u) && isParsableUrl(u), "must be an https:// or ipfs:// URI")
    .optional()
    .meta({ description: "Your own metadata document. Or send logo, description, website and links instead, and the platform writes and serves one (not both)." }),
  ...TokenPresence,
  payment: PaymentRequest.optional(),
});
export type LaunchRequest = z.infer<typeof LaunchRequest>;

function isParsableUrl(u: string) {
  try {
    new URL(u);
    return true;
  } catch {
    return false;
  }
}

export type Issue = { path: string; message: string };

/**
 * The rules that need the chain: owner format, decimals range, amounts that fit
 * the family's integer type, features the family supports. Returns the issues
 * (empty when the request is valid for `chain`).
 */
export function checkLaunchForChain(req: LaunchRequest, chain: ChainConfig): Issue[] {
  const issues: Issue[] = [];
  const limits = familyLimits[chain.family];
  if (req.metadataUri !== undefined && hasPresence(req)) {
    issues.push({ path: "metadataUri", message: "send either metadataUri or logo/description/website/links (the platform then writes the metadata document), not both" });
  }
  if (req.decimals > limits.maxDecimals) {
    issues.push({ path: "decimals", message: `must be at most ${limits.maxDecimals} on ${chain.family} chains` });
  }
  if (chain.family === "evm") {
    if (!canonicalEvmAddress(req.owner)) {
      issues.push({ path: "owner", message: "must be an EVM address: all lower-case, all upper-case or EIP-55 checksummed" });
    } else if (/^0x0{40}$/i.test(req.owner)) {
      issues.push({ path: "owner", message: "must not be the zero address" });
    }
  } else if (!isBase58PublicKey(req.owner)) {
    issues.push({ path: "owner", message: "must be a base58 Solana public key" });
  }
  if (chain.family === "solana") {
    const utf8 = new TextEncoder();
    const bytes = utf8.encode(req.name).length + utf8.encode(req.symbol).length + utf8.encode(req.metadataUri ?? "").length;
    if (bytes > SOLANA_METADATA_MAX_BYTES) {
      issues.push({ path: "metadataUri", message: `with name and symbol must be at most ${SOLANA_METADATA_MAX_BYTES} bytes on solana chains (the launch is one transaction of at most 1232 bytes)` });
    }
  }
  const supply = BigInt(req.initialSupply);
  const scale = 10n ** BigInt(Math.min(req.decimals, limits.maxDecimals));
  if (supply === 0n) issues.push({ path: "initialSupply", message: "must be greater than 0" });
  if (supply * scale > limits.maxRaw) {
    issues.push({ path: "initialSupply", message: `times 10^decimals must fit in ${limits.intName}` });
  }
  if (req.maxSupply !== undefined && chain.family === "solana") {
    // An SPL mint has no cap: while the mint authority lives it mints any amount.
    // Only a revoked authority (mintable false) fixes the supply, at exactly the initial one.
    if (req.features.mintable) {
      issues.push({ path: "maxSupply", message: "is only accepted with mintable: false on solana chains: an SPL mint authority can mint past any cap, so omit maxSupply or set mintable to false" });
    } else if (BigInt(req.maxSupply) !== supply) {
      issues.push({ path: "maxSupply", message: "must equal initialSupply on solana chains with mintable: false (the mint authority is revoked, so the supply is fixed)" });
    }
  }
  if (chain.family === "solana" && req.features.burnable === false) {
    issues.push({ path: "features.burnable", message: "cannot be false on solana chains: SPL Token lets every holder burn their own tokens; omit it or send true" });
  }
  if (req.maxSupply !== undefined) {
    const cap = BigInt(req.maxSupply);
    if (cap < supply && chain.family !== "solana") issues.push({ path: "maxSupply", message: "must be at least initialSupply" });
    if (cap * scale > limits.maxCapRaw) {
      issues.push({ path: "maxSupply", message: `times 10^decimals must be below 2^${limits.maxCapRaw.toString(2).length}` });
    }
  }
  for (const [name, on] of Object.entries(req.features)) {
    if (on && !limits.features.includes(name)) {
      issues.push({ path: `features.${name}`, message: `is not available on ${chain.family} chains` });
    }
  }
  return issues;
}

/** Whether the launch asks the platform to write its metadata document. */
export function hasPresence(req: Pick<LaunchRequest, "logo" | "description" | "website" | "links">): boolean {
  return req.logo !== undefined || req.description !== undefined || req.website !== undefined || (req.links !== undefined && Object.values(req.links).some(Boolean));
}

/** The request in canonical form (EVM owner in EIP-55), so equal requests store, hash and answer alike. Call after checkLaunchForChain. */
export function canonicalLaunch(req: LaunchRequest, chain: ChainConfig): LaunchRequest {
  if (chain.family !== "evm") return req;
  return { ...req, owner: canonicalEvmAddress(req.owner) ?? req.owner };
}

/**
 * The request as accepted on a chain of `family`: `burnable` filled in (EVM false,
 * Solana true: what the chain does). Run after checkLaunchForChain found no issue.
 */
export function withFamilyDefaults(req: LaunchRequest, family: ChainFamily): LaunchRequest {
  return { ...req, features: { ...req.features, burnable: req.features.burnable ?? family === "solana" } };
}

/**
 * Room for name + symbol + metadataUri (UTF-8 bytes) in a Solana launch: the
 * transaction's fixed part with every option (mint and freeze authority kept,
 * priority fee) leaves this much of the 1232-byte limit; test/unit/solana-launch-tx.test.ts
 * builds the transaction at the limit and one byte over. (481 since the mint is made by
 * Transfer + Allocate + Assign, which tolerate lamports sent to its address beforehand,
 * instead of CreateAccount: 16 bytes more.)
 */
export const SOLANA_METADATA_MAX_BYTES = 481;

/**
 * Room a wallet-paid Solana launch leaves its wallet: Phantom and others add
 * instructions before sending — a compute-budget limit and price (program key 32 +
 * two instructions 20 = 52 bytes) and Lighthouse assertions (program key 32 + one
 * or two assertions ≈ 100) — so the prepared transaction stops this far below 1232.
 */
export const SOLANA_WALLET_ADDITIONS_RESERVE_BYTES = 160;
/**
 * name + symbol + metadataUri (UTF-8 bytes) of a wallet-paid Solana launch: its
 * transaction (payer-signed only, AllocateWithSeed, the fee transfer to the treasury;
 * packages/core/src/solana/wallet-launch.ts) with every option and a distinct owner,
 * plus the reserve above, fills 1232 bytes at this size; test/unit/solana-wallet-launch.test.ts
 * builds it at the limit and one byte over.
 */
export const SOLANA_WALLET_METADATA_MAX_BYTES = 325;

/** The wallet-paid Solana size rule (the create handler applies it once the payment mode is known). */
export function solanaWalletMetadataIssues(req: Pick<LaunchRequest, "name" | "symbol" | "metadataUri">): { path: string; message: string }[] {
  const utf8 = new TextEncoder();
  const bytes = utf8.encode(req.name).length + utf8.encode(req.symbol).length + utf8.encode(req.metadataUri ?? "").length;
  if (bytes <= SOLANA_WALLET_METADATA_MAX_BYTES) return [];
  return [{ path: "metadataUri", message: `with name and symbol must be at most ${SOLANA_WALLET_METADATA_MAX_BYTES} bytes for a wallet-paid solana launch (one transaction of at most 1232 bytes, with room for the wallet's own instructions)` }];
}

const BASE58_RE = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;
/** A 32-byte key in base58 (the Solana address format). */
export function isBase58PublicKey(s: string): boolean {
  return BASE58_RE.test(s) && base58Decode(s)?.length === 32;
}

/** Raw on-chain amount: whole tokens × 10^decimals. */
export const toRawAmount = (whole: string, decimals: number) => BigInt(whole) * 10n ** BigInt(decimals);

/** Whole tokens from a raw amount, as a decimal string; a fraction (only possible after burns) is kept after a point. */
export function toWholeAmount(raw: string | bigint, decimals: number): string {
  const v = BigInt(raw);
  const scale = 10n ** BigInt(decimals);
  const frac = (v % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return (v / scale).toString() + (frac ? `.${frac}` : "");
}

export const LaunchError = z.object({ type: z.string(), detail: z.string() });
export type LaunchError = z.infer<typeof LaunchError>;

export const LaunchEvent = z.object({ status: LaunchStatus, at: z.string(), detail: z.string().nullable() });
export type LaunchEvent = z.infer<typeof LaunchEvent>;

/**
 * The queue message: only the id. The row in D1 is the truth, so a stale message cannot carry stale data.
 * "reconcile": the cron found the submitted launch's transaction unknown to the chain; the Signer sends it again.
 */
export const LaunchMessage = z.object({ launchId: z.string(), reason: z.enum(["created", "sweep", "replay", "redrive", "retry", "reconcile", "reorg", "resume"]).optional() });
export type LaunchMessage = z.infer<typeof LaunchMessage>;
/** A wallet-paid launch to look for on chain (queue "tf-watch"; the deployer's watch consumer). */
export const WatchMessage = z.object({ launchId: z.string(), reason: z.enum(["created", "payment", "sweep", "rewatch"]).optional() });
export type WatchMessage = z.infer<typeof WatchMessage>;
export const ConfirmMessage = z.object({ launchId: z.string(), checks: z.number().int().default(0) });
export type ConfirmMessage = z.infer<typeof ConfirmMessage>;
