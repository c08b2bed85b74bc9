// The safety summary of a token (issue 19): which powers its owner or an
// authority still holds, in the terms token scanners use, each with a one-line
// plain meaning. Pure: the launch record, what the chain said (token_state) and
// the verification status in, a list out; the API and the web app show it as is.
import type { ChainFamily } from "./chains";

export const SAFETY_CHECKS = [
  "mintable", "pausable", "freezeAuthority", "updateAuthority", "ownerRenounced", "capped", "verifiedSource",
] as const;
export type SafetyCheckId = (typeof SAFETY_CHECKS)[number];

/**
 * One line of the summary. `value` answers the scanner's question (is it mintable?
 * is the owner renounced?); null while unknown (the chain not read yet) or when the
 * question does not apply. `risk`: "none" reassures a buyer, "warn" is a power
 * someone still holds over holders or supply, "unknown" cannot be said yet.
 */
export type SafetyCheck = { id: SafetyCheckId; label: string; value: boolean | null; risk: "none" | "warn" | "unknown"; meaning: string };

export type VerificationStatus = "verified" | "pending" | "failed" | "unsupported";

export type SafetyInput = {
  family: ChainFamily;
  /** The features the token was launched with (EVM: the code refuses the others for ever). */
  features: { mintable?: boolean; pausable?: boolean; freezable?: boolean };
  decimals: number;
  /** null until the cron has read the chain. */
  state: {
    owner: string | null;
    paused: boolean;
    /** Base units; null = uncapped (EVM). */
    cap: string | null;
    authorities?: { mint: string | null; freeze: string | null; update: string | null };
  } | null;
  verification: { etherscan: VerificationStatus; sourcify: VerificationStatus };
};

const LABELS: Record<SafetyCheckId, string> = {
  mintable: "Mintable",
  pausable: "Pausable",
  freezeAuthority: "Freeze authority",
  updateAuthority: "Update authority",
  ownerRenounced: "Owner renounced",
  capped: "Capped supply",
  verifiedSource: "Verified source",
};

/** The summary, one entry per check in SAFETY_CHECKS order. */
export function safetySummary(input: SafetyInput): SafetyCheck[] {
  return input.family === "solana" ? solanaChecks(input) : evmChecks(input);
}

function check(id: SafetyCheckId, value: boolean | null, warnWhen: boolean, meaning: string): SafetyCheck {
  return { id, label: LABELS[id], value, risk: value === null ? "unknown" : value === warnWhen ? "warn" : "none", meaning };
}

function evmChecks({ features, state, verification }: SafetyInput): SafetyCheck[] {
  const known = state !== null;
  const owned = known ? state.owner !== null : null;
  // A power exists only while the code has the feature AND someone owns the token.
  const can = (feature: boolean | undefined) => (!feature ? false : owned);
  const mintable = can(features.mintable);
  const pausable = can(features.pausable);
  const capped = known ? state.cap !== null : null;
  const verified = verificationValue(verification);
  return [
    check("mintable", mintable, true, mintable === null ? "Not read from the chain yet."
      : mintable ? (capped ? "The owner can create new tokens, up to the cap." : "The owner can create any number of new tokens.")
      : features.mintable ? "Nobody can create new tokens: the owner gave up ownership." : "The contract has no mint function enabled: the supply can only shrink."),
    check("pausable", pausable, true, pausable === null ? "Not read from the chain yet."
      : pausable ? `The owner can stop every transfer${state?.paused ? " (transfers are paused now)" : ""}.`
      : features.pausable ? (state?.paused ? "Transfers are paused for ever: the owner gave up ownership while paused." : "Nobody can pause transfers any more: the owner gave up ownership.")
      : "Transfers cannot be paused: the contract has no pause enabled."),
    check("freezeAuthority", false, true, "EVM tokens from TokenForge have no way to freeze a holder's balance."),
    check("updateAuthority", false, true, "The name, symbol and code cannot be changed: the token is not upgradeable."),
    check("ownerRenounced", owned === null ? null : !owned, false, owned === null ? "Not read from the chain yet."
      : owned ? "An owner still holds the powers marked above." : "Ownership was renounced: no address holds owner powers."),
    check("capped", capped, false, capped === null ? "Not read from the chain yet."
      : capped ? "The total supply can never exceed a fixed maximum." : features.mintable ? "There is no maximum supply." : "There is no maximum supply, but no one can mint either."),
    check("verifiedSource", verified, false, verified === null ? "Source verification is still pending."
      : verified ? "The contract's source code is published and matches the deployed code." : "The source code is not verified with an explorer."),
  ];
}

function solanaChecks({ state }: SafetyInput): SafetyCheck[] {
  const a = state?.authorities ?? null;
  const held = (k: "mint" | "freeze" | "update") => (a ? a[k] !== null : null);
  const mint = held("mint");
  const freeze = held("freeze");
  const update = held("update");
  const none = mint === null ? null : !mint && !freeze && !update;
  return [
    check("mintable", mint, true, mint === null ? "Not read from the chain yet."
      : mint ? "The mint authority can create any number of new tokens." : "The mint authority was revoked: the supply can only shrink."),
    check("pausable", false, true, "SPL tokens have no pause: transfers cannot be stopped for everyone at once."),
    check("freezeAuthority", freeze, true, freeze === null ? "Not read from the chain yet."
      : freeze ? "The freeze authority can freeze any holder's tokens." : "The freeze authority was revoked: no holder can be frozen."),
    check("updateAuthority", update, true, update === null ? "Not read from the chain yet."
      : update ? "The update authority can change the name, symbol and metadata." : "The metadata can no longer be changed."),
    check("ownerRenounced", none, false, none === null ? "Not read from the chain yet."
      : none ? "Every authority was revoked: no key holds any power over the token." : "At least one authority above is still held."),
    check("capped", mint === null ? null : !mint, false, mint === null ? "Not read from the chain yet."
      : mint ? "There is no maximum supply while the mint authority is held." : "The supply is fixed: the mint authority was revoked."),
    check("verifiedSource", null, false, "Not applicable: SPL tokens run the audited Token-2022 program, not code of their own."),
  ];
}

/** Verified when either explorer verified it; false when both failed or neither supports the chain; null while pending. */
function verificationValue(v: SafetyInput["verification"]): boolean | null {
  const all = [v.etherscan, v.sourcify];
  if (all.includes("verified")) return true;
  if (all.includes("pending")) return null;
  return false;
}
