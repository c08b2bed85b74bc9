// Wizard step 2: the owner (with a shortcut to the signed-in wallet), the powers
// the owner keeps, and the metadata URI.
import { Field } from "../../components";
import { FEATURES } from "../../features";
import { FAMILY } from "../../lib/validate";
import { familyOfAddress, type DraftForm } from "./use-draft";
import { PresenceFields } from "./PresenceFields";

export function OwnerStep({ form, myAddress }: { form: DraftForm; myAddress: string | null }) {
  const { draft, family, errorOf, text } = form;
  return (
    <fieldset class="step" data-step="1">
      <legend tabIndex={-1}>Owner and powers</legend>
      <Field
        id="owner" label="Owner" error={errorOf("owner")}
        hint={<>Receives the initial supply and holds the powers below. {family === "solana" ? "A Solana address." : "A 0x address."}</>}
      >
        <input {...text("owner")} autoComplete="off" spellcheck={false} placeholder={family === "solana" ? "Solana address (base58)" : "0x…"} />
      </Field>
      {myAddress && family && familyOfAddress(myAddress) === family && draft.owner.trim() !== myAddress && (
        <p class="inline-action">
          <button type="button" class="small secondary" onClick={() => form.update({ owner: myAddress })}>Use my wallet address</button>
        </p>
      )}
      <fieldset class={`features${errorOf("features") ? " fieldset-invalid" : ""}`} aria-describedby="features-error">
        <legend>Powers the owner keeps</legend>
        {!family && (
          // Rows the size of the real ones until the chain (and so the features) is known.
          <div aria-hidden="true">
            {[0, 1, 2, 3].map(() => <div class="check-placeholder"><span class="bone" /><span class="bone" /></div>)}
          </div>
        )}
        {family && FAMILY[family].features.map((f) => {
          const info = FEATURES[family][f]!;
          // SPL holders can always burn: shown on and fixed, not offered as a choice.
          const fixed = family === "solana" && f === "burnable";
          const on = fixed || !!draft.features[f];
          return (
            <label class="check" key={f}>
              <input
                type="checkbox" name={`features.${f}`} checked={on} disabled={fixed}
                onChange={(e) => form.update({ features: { ...draft.features, [f]: e.currentTarget.checked } }, false)}
                aria-describedby={`feature-${f}-text`}
              />
              <span>
                <strong>{info.title}</strong>
                {info.flagged && <span class="flag">flagged by scanners</span>}
                <span class="hint block" id={`feature-${f}-text`}>{on || !info.off ? info.on : info.off}</span>
              </span>
            </label>
          );
        })}
        <p class="error" id="features-error" aria-live="polite">{errorOf("features") ?? ""}</p>
      </fieldset>
      <PresenceFields form={form} />
      <Field id="metadataUri" label="Or your own metadata URI (optional)" error={errorOf("metadataUri")} hint="https:// or ipfs:// — instead of the logo and links above.">
        <input {...text("metadataUri")} type="url" autoComplete="off" spellcheck={false} placeholder="ipfs://…" />
      </Field>
    </fieldset>
  );
}
