// Wizard step 1: the chain and the token itself (name, symbol, decimals, supply, cap).
import type { Chain } from "../../api";
import { Field } from "../../components";
import { FAMILY } from "../../lib/validate";
import type { DraftForm } from "./use-draft";

const chainHint = (chain: Chain | undefined) =>
  chain ? (chain.family === "evm" ? `EVM chain, id ${chain.chainId}. Pays in ${chain.nativeSymbol}.` : `Solana. Pays in ${chain.nativeSymbol}.`) : "Loading the chains…";

export function TokenStep({ form, chains }: { form: DraftForm; chains: Chain[] | null }) {
  const { draft, chain, family, errorOf, text } = form;
  return (
    <fieldset class="step" data-step="0">
      <legend tabIndex={-1}>Token</legend>
      <Field id="chain" label="Chain" error={errorOf("chain")} hint={chainHint(chain)}>
        <select
          name="chain" value={draft.chain} disabled={!chains}
          onChange={(e) => form.selectChain(e.currentTarget.value)}
        >
          {!chains && <option value="">Loading chains…</option>}
          {chains?.map((c) => (
            <option value={c.id}>{c.name}</option>
          ))}
        </select>
      </Field>
      <Field id="name" label="Name" error={errorOf("name")} hint="Up to 64 characters, shown by wallets and explorers.">
        <input {...text("name")} autoComplete="off" maxLength={64} placeholder="Forge Coin" />
      </Field>
      <div class="row">
        <Field id="symbol" label="Symbol" error={errorOf("symbol")} hint="A–Z and 0–9, up to 11.">
          <input {...text("symbol", (v) => v.toUpperCase())} autoComplete="off" autoCapitalize="characters" spellcheck={false} maxLength={11} placeholder="FORGE" />
        </Field>
        <Field id="decimals" label="Decimals" error={errorOf("decimals")} hint={`0 to ${family ? FAMILY[family].maxDecimals : 18}; ${family === "solana" ? "9" : "18"} is usual.`}>
          <input {...text("decimals")} inputMode="numeric" autoComplete="off" />
        </Field>
      </div>
      <div class="row">
        <Field id="initialSupply" label="Initial supply" error={errorOf("initialSupply")} hint="Whole tokens, minted to the owner.">
          <input {...text("initialSupply")} inputMode="numeric" autoComplete="off" placeholder="1000000" />
        </Field>
        <Field id="maxSupply" label="Max supply (optional)" error={errorOf("maxSupply")} hint="Empty: no cap.">
          <input {...text("maxSupply")} inputMode="numeric" autoComplete="off" />
        </Field>
      </div>
    </fieldset>
  );
}
