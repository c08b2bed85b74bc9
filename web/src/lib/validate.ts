// The launch request rules, as the API applies them (packages/core/src/launch.ts:
// LaunchRequest + checkLaunchForChain), rewritten without zod and viem so the
// create page stays small. test/e2e/web-rules.test.ts runs both on the same
// inputs and fails if they disagree. Messages are written for people; paths
// are the API's, so its problem+json errors land on the same fields.
import { lookAlikeProblem } from "@tokenforge/core/names";
import { base58Decode } from "@tokenforge/core/auth/base58";
import { checksumAddress } from "./keccak";

export type Family = "evm" | "solana";
export type FeatureName = "mintable" | "burnable" | "pausable" | "permit" | "freezable";
export type Issue = { path: string; message: string };

const UINT256_MAX = (1n << 256n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

/** Per family: largest raw supply, largest raw cap, decimals and features (familyLimits in core). */
export const FAMILY: Record<Family, { maxRaw: bigint; maxCapRaw: bigint; maxDecimals: number; defaultDecimals: number; features: FeatureName[] }> = {
  evm: { maxRaw: UINT256_MAX, maxCapRaw: (1n << 240n) - 1n, maxDecimals: 18, defaultDecimals: 18, features: ["mintable", "burnable", "pausable", "permit"] },
  solana: { maxRaw: U64_MAX, maxCapRaw: U64_MAX, maxDecimals: 9, defaultDecimals: 9, features: ["mintable", "burnable", "freezable"] },
};

export type LaunchBody = {
  chain: string;
  name: string;
  symbol: string;
  decimals: number;
  initialSupply: string;
  maxSupply?: string;
  owner: string;
  features: Partial<Record<FeatureName, boolean>>;
  metadataUri?: string;
  /** Presence (issue 18): the platform writes the metadata document from these. */
  logo?: string;
  description?: string;
  website?: string;
  links?: { x?: string; telegram?: string; discord?: string };
};

/** SOLANA_METADATA_MAX_BYTES in core: room for name + symbol + metadataUri in the launch transaction. */
const SOLANA_METADATA_MAX_BYTES = 481;
const WHOLE = /^(0|[1-9][0-9]{0,77})$/;
const NAME_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u;
const SYMBOL_RE = /^[A-Z0-9]{1,11}$/;

/** What the API takes as an owner: all lower-case or all upper-case hex, or a correct EIP-55 checksum. */
export function isAcceptedEvmAddress(a: string): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(a)) return false;
  const hex = a.slice(2);
  return hex === hex.toLowerCase() || hex === hex.toUpperCase() || checksumAddress(a) === a;
}

export function isBase58PublicKey(s: string): boolean {
  if (!/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(s)) return false;
  return base58Decode(s)?.length === 32;
}

/** Every problem with a launch body for a chain of `family` (undefined: unknown chain). Empty = the API accepts it. */
export function launchIssues(b: LaunchBody, family: Family | undefined): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  if (!b.chain || b.chain.length > 64 || !family) add("chain", "choose a supported chain");

  const chars = [...b.name].length;
  if (chars < 1 || chars > 64) add("name", chars ? "must be at most 64 characters" : "is required");
  else if (b.name.trim() !== b.name) add("name", "must not start or end with spaces");
  else if (!NAME_RE.test(b.name)) add("name", "must not contain control or invisible characters");
  else if (lookAlikeProblem(b.name)) add("name", lookAlikeProblem(b.name)!);

  if (!SYMBOL_RE.test(b.symbol)) add("symbol", b.symbol ? "must be 1 to 11 capital letters or digits" : "is required");

  const limits = family ? FAMILY[family] : FAMILY.evm;
  const decimalsOk = Number.isInteger(b.decimals) && b.decimals >= 0 && b.decimals <= limits.maxDecimals;
  if (!decimalsOk) add("decimals", `must be a whole number from 0 to ${limits.maxDecimals}`);

  const supplyOk = WHOLE.test(b.initialSupply);
  if (!supplyOk) add("initialSupply", b.initialSupply ? 'must be a whole number of tokens, e.g. "1000000"' : "is required");
  const scale = 10n ** BigInt(decimalsOk ? b.decimals : 0);
  if (supplyOk) {
    const supply = BigInt(b.initialSupply);
    if (supply === 0n) add("initialSupply", "must be greater than 0");
    else if (decimalsOk && supply * scale > limits.maxRaw) add("initialSupply", `is too large for ${b.decimals} decimals on this chain`);
  }
  if (b.maxSupply !== undefined) {
    if (!WHOLE.test(b.maxSupply)) add("maxSupply", "must be a whole number of tokens, or empty for no cap");
    else {
      const cap = BigInt(b.maxSupply);
      // Solana has no cap: a live mint authority mints any amount; a revoked one fixes the supply.
      if (family === "solana" && b.features.mintable) add("maxSupply", "is not enforced on Solana while the token is mintable: leave it empty, or turn Mintable off");
      else if (family === "solana" && supplyOk && cap !== BigInt(b.initialSupply)) add("maxSupply", "must equal the initial supply on Solana (with Mintable off the supply is fixed), or be empty");
      else if (family !== "solana" && supplyOk && cap < BigInt(b.initialSupply)) add("maxSupply", "must be at least the initial supply");
      else if (decimalsOk && cap * scale > limits.maxCapRaw) add("maxSupply", `is too large for ${b.decimals} decimals on this chain`);
    }
  }
  if (family === "solana" && b.features.burnable === false) add("features.burnable", "is always on for Solana tokens: every holder can burn their own tokens");

  if (!b.owner) add("owner", "is required");
  else if (family === "solana") {
    if (!isBase58PublicKey(b.owner)) add("owner", "must be a Solana address (a base58 public key)");
  } else if (family === "evm") {
    if (!/^0x[0-9a-fA-F]{40}$/.test(b.owner)) add("owner", "must be a 0x address with 40 hex digits");
    else if (!isAcceptedEvmAddress(b.owner)) add("owner", "has a wrong checksum (EIP-55): check it for typos");
    else if (/^0x0{40}$/.test(b.owner)) add("owner", "must not be the zero address");
  }

  // A Solana launch is one transaction (≤ 1232 bytes): name, symbol and URI share what is left.
  if (family === "solana") {
    const enc = new TextEncoder();
    const bytes = enc.encode(b.name).length + enc.encode(b.symbol).length + enc.encode(b.metadataUri ?? "").length;
    if (bytes > SOLANA_METADATA_MAX_BYTES) add("metadataUri", `together with the name and symbol must be at most ${SOLANA_METADATA_MAX_BYTES} bytes on Solana (now ${bytes})`);
  }

  for (const [name, on] of Object.entries(b.features)) {
    if (on && family && !FAMILY[family].features.includes(name as FeatureName)) add(`features.${name}`, `is not available on ${family === "evm" ? "EVM" : "Solana"} chains`);
  }

  if (b.metadataUri !== undefined) {
    let parsable = true;
    try {
      new URL(b.metadataUri);
    } catch {
      parsable = false;
    }
    if (b.metadataUri.length > 512) add("metadataUri", "must be at most 512 characters");
    else if (!/^(https:\/\/[^\s]+|ipfs:\/\/[^\s]+)$/.test(b.metadataUri) || !parsable) add("metadataUri", "must be an https:// or ipfs:// URI");
    if (b.logo !== undefined || b.description !== undefined || b.website !== undefined || (b.links && Object.values(b.links).some(Boolean))) add("metadataUri", "leave it empty when you add a logo, description or links: the platform then writes the metadata");
  }
  return [...issues, ...presenceIssues(b)];
}

/** Logo, description, website and links (core assets/metadata.ts TokenPresence). */
function presenceIssues(b: LaunchBody): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  if (b.logo !== undefined && !/^[0-9a-f]{64}$/.test(b.logo)) add("logo", "upload the logo again");
  if (b.description !== undefined && b.description.length > 1000) add("description", "must be at most 1000 characters");
  else if (b.description !== undefined && /[\u0000-\u0008\u000b-\u001f\u007f]/.test(b.description)) add("description", "must not contain control characters");
  const https = (path: string, v: string | undefined) => {
    if (v === undefined) return;
    let ok = false;
    try {
      ok = new URL(v).protocol === "https:" && !/\s/.test(v);
    } catch {
      ok = false;
    }
    if (v.length > 200) add(path, "must be at most 200 characters");
    else if (!ok) add(path, "must be an https:// URL");
  };
  https("website", b.website);
  for (const k of ["x", "telegram", "discord"] as const) https(`links.${k}`, b.links?.[k]);
  return issues;
}

/** The form's text fields. */
export type Draft = {
  chain: string;
  name: string;
  symbol: string;
  decimals: string;
  initialSupply: string;
  maxSupply: string;
  owner: string;
  metadataUri: string;
  features: Partial<Record<FeatureName, boolean>>;
  /** The uploaded logo's asset id and its URL (for the preview). */
  logo?: string;
  logoUrl?: string;
  description?: string;
  website?: string;
  linkX?: string;
  linkTelegram?: string;
  linkDiscord?: string;
};

/**
 * The body the form sends: pasted spaces trimmed (not from the name, where the API
 * rejects them, so the user sees why), amounts without group separators, an
 * all-lowercase EVM address checksummed (a mixed-case one is kept: its case is a
 * checksum the user should get right), features limited to the family's
 * (burnable always on for Solana).
 */
export function toBody(d: Draft, family: Family | undefined): LaunchBody {
  const owner = d.owner.trim();
  const amount = (s: string) => s.trim().replace(/[,_\s]/g, "");
  const dec = d.decimals.trim();
  const allowed = family ? FAMILY[family].features : [];
  return {
    chain: d.chain,
    name: d.name,
    symbol: d.symbol.trim(),
    decimals: /^\d{1,2}$/.test(dec) ? Number(dec) : NaN,
    initialSupply: amount(d.initialSupply),
    ...(amount(d.maxSupply) ? { maxSupply: amount(d.maxSupply) } : {}),
    owner: family === "evm" && /^0x[0-9a-f]{40}$/.test(owner.toLowerCase()) && (owner === owner.toLowerCase() || owner.slice(2) === owner.slice(2).toUpperCase()) ? checksumAddress(owner) : owner,
    // SPL holders can always burn: a Solana token says so instead of promising otherwise.
    features: Object.fromEntries(allowed.map((f) => [f, family === "solana" && f === "burnable" ? true : !!d.features[f]])),
    ...(d.metadataUri.trim() ? { metadataUri: d.metadataUri.trim() } : {}),
    ...presenceOf(d),
  };
}

/** The logo, description, website and links the form holds (only those filled in). */
function presenceOf(d: Draft): Pick<LaunchBody, "logo" | "description" | "website" | "links"> {
  const t = (v: string | undefined) => v?.trim() || undefined;
  const links = Object.fromEntries(Object.entries({ x: t(d.linkX), telegram: t(d.linkTelegram), discord: t(d.linkDiscord) }).filter(([, v]) => v));
  return {
    ...(d.logo ? { logo: d.logo } : {}),
    ...(t(d.description) ? { description: d.description!.trim() } : {}),
    ...(t(d.website) ? { website: t(d.website) } : {}),
    ...(Object.keys(links).length ? { links } : {}),
  };
}
