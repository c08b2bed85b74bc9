// What each token feature lets the owner do later, in plain words, and whether
// token scanners (honeypot / rug checkers) flag it. Shared by the create form,
// the review and the token page.
import type { Family, FeatureName } from "./lib/validate";

/**
 * `on`/`off`: for the creator, in the form; `what`: for anyone, on the token page.
 * `heldBy`: whose power it is when only one key can use it — once that key is gone
 * (EVM owner renounced, Solana authority revoked) the contract still has the feature
 * but nobody can use it, which is what the token page must say.
 */
type Explained = { title: string; on: string; off?: string; what: string; flagged: boolean; heldBy?: "owner" | "freezeAuthority" };

export const FEATURES: Record<Family, Partial<Record<FeatureName, Explained>>> = {
  evm: {
    mintable: {
      title: "Mintable",
      on: "You can create more tokens later, up to the max supply if you set one. Scanners flag this: holders can be diluted.",
      off: "Nobody can ever create more tokens than the initial supply.",
      what: "The owner can create more tokens, up to the max supply if there is one.",
      flagged: true,
      heldBy: "owner",
    },
    burnable: { title: "Burnable", on: "Holders can destroy their own tokens, which lowers the supply.", what: "Holders can destroy their own tokens.", flagged: false },
    pausable: {
      title: "Pausable",
      on: "You can stop every transfer at any time. Scanners flag this: holders could be unable to sell.",
      what: "The owner can stop every transfer at any time.",
      flagged: true,
      heldBy: "owner",
    },
    permit: {
      title: "Permit (EIP-2612)",
      on: "Holders can approve spending with a signature instead of a transaction, so apps can save them gas.",
      what: "Holders can approve spending with a signature instead of a transaction.",
      flagged: false,
    },
  },
  solana: {
    mintable: {
      title: "Mintable",
      on: "You keep the mint authority and can create more tokens later. Scanners flag a live mint authority.",
      off: "The mint authority is revoked at launch: the supply is fixed forever.",
      what: "The mint authority can create more tokens; once it is revoked the supply is fixed.",
      flagged: true,
      heldBy: "owner",
    },
    burnable: {
      title: "Burnable",
      on: "Always on for Solana tokens: SPL Token lets every holder burn their own tokens, which lowers the supply.",
      what: "Holders can burn their own tokens (every SPL token allows it).",
      flagged: false,
    },
    freezable: {
      title: "Freezable",
      on: "You keep the freeze authority and can freeze any holder's token account. Scanners flag this.",
      off: "The freeze authority is revoked at launch: no account can ever be frozen.",
      what: "The freeze authority can freeze any holder's token account.",
      flagged: true,
      heldBy: "freezeAuthority",
    },
  },
};
