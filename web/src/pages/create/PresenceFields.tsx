// The token's presence in the create form (issue 18): a logo uploaded at once
// (the API sniffs it, bounds it and strips EXIF/GPS before storing), a description,
// a website and links. The platform writes the metadata document from them.
import { useState } from "preact/hooks";
import { asApiError, uploadAsset } from "../../api";
import { Field } from "../../components";
import type { DraftForm } from "./use-draft";

const MAX_BYTES = 1_000_000;

export function PresenceFields({ form }: { form: DraftForm }) {
  const { draft, errorOf, text } = form;
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  async function pick(e: Event) {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    if (file.size > MAX_BYTES) return setState({ busy: false, error: "The image is over 1 MB." });
    setState({ busy: true });
    try {
      const asset = await uploadAsset(file);
      form.update({ logo: asset.id, logoUrl: asset.url });
      setState({ busy: false });
    } catch (err) {
      const a = asApiError(err);
      setState({ busy: false, error: a.status === 401 ? "Sign in to upload a logo." : a.detail ?? a.title });
    }
  }
  const logoError = state.error ?? errorOf("logo");
  return (
    <fieldset class="presence">
      <legend>Logo and links (optional)</legend>
      <div class="logo-row">
        <span class="logo-preview" aria-hidden="true">{draft.logoUrl ? <img src={draft.logoUrl} alt="" width={64} height={64} /> : null}</span>
        <Field id="logo" label="Logo" error={logoError} hint="PNG, JPEG, WebP or GIF, up to 1 MB; square works best. Location and camera data are removed.">
          <input type="file" accept="image/png,image/jpeg,image/webp,image/gif" onChange={pick} disabled={state.busy} data-testid="logo-input" />
        </Field>
        {draft.logo && <button type="button" class="small secondary" onClick={() => form.update({ logo: undefined, logoUrl: undefined })}>Remove</button>}
      </div>
      <Field id="description" label="Description" error={errorOf("description")} hint="Up to 1000 characters, shown by wallets and explorers.">
        <textarea name="description" rows={3} maxLength={1000} value={draft.description ?? ""} onInput={(e) => form.update({ description: e.currentTarget.value })} />
      </Field>
      <Field id="website" label="Website" error={errorOf("website")} hint="https://…">
        <input {...text("website")} type="url" autoComplete="off" spellcheck={false} placeholder="https://" />
      </Field>
      <div class="row">
        <Field id="linkX" label="X" error={errorOf("links.x")}>
          <input {...text("linkX")} type="url" autoComplete="off" spellcheck={false} placeholder="https://x.com/…" />
        </Field>
        <Field id="linkTelegram" label="Telegram" error={errorOf("links.telegram")}>
          <input {...text("linkTelegram")} type="url" autoComplete="off" spellcheck={false} placeholder="https://t.me/…" />
        </Field>
        <Field id="linkDiscord" label="Discord" error={errorOf("links.discord")}>
          <input {...text("linkDiscord")} type="url" autoComplete="off" spellcheck={false} placeholder="https://discord.gg/…" />
        </Field>
      </div>
    </fieldset>
  );
}
