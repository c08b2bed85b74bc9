// Wizard step 3: what will be launched, what scanners will say about it, what it
// costs, and the launch button (with an API key instead of a session, if wanted).
import type { ApiError, Chain } from "../../api";
import { Field, ProblemAlert } from "../../components";
import { FEATURES } from "../../features";
import { formatGwei, formatNative, formatWhole, timeAgo } from "../../lib/format";
import { FAMILY, type Family, type FeatureName } from "../../lib/validate";
import type { DraftForm } from "./use-draft";

/** How the launch will be authorised: a session, or an API key typed here (never stored). */
export type Credentials = { signedIn: boolean; sessionLoading: boolean; apiKey: string; setApiKey: (key: string) => void };

type Props = { form: DraftForm; credentials: Credentials; problem: ApiError | null; busy: boolean; ready: boolean };

export function ReviewStep({ form, credentials, problem, busy, ready }: Props) {
  const { draft, body, chain, family, issues } = form;
  const { signedIn, apiKey } = credentials;
  return (
    <section class="step review" data-step="2" aria-labelledby="review-title">
      <h2 id="review-title" tabIndex={-1}>Review</h2>
      <dl class="facts compact">
        <dt>Chain</dt><dd>{chain?.name ?? "—"}</dd>
        <dt>Token</dt><dd>{draft.name ? <><span data-testid="review-name">{draft.name}</span> ({body.symbol || "—"})</> : "—"}</dd>
        <dt>Supply</dt>
        <dd>
          {body.initialSupply ? formatWhole(body.initialSupply) : "—"}
          {body.maxSupply ? `, capped at ${formatWhole(body.maxSupply)}` : body.initialSupply ? ", no cap" : ""}
        </dd>
        <dt>Decimals</dt><dd>{draft.decimals || "—"}</dd>
        <dt>Owner</dt><dd class="mono wrap">{body.owner || "—"}</dd>
        <dt>Powers</dt>
        <dd>{family ? (FAMILY[family].features.filter((f) => body.features[f]).map((f) => FEATURES[family][f]!.title).join(", ") || "none") : "—"}</dd>
      </dl>
      <Flags family={family} features={draft.features} />
      <Cost chain={chain} />

      {!signedIn && !credentials.sessionLoading && <ApiKeyField form={form} credentials={credentials} />}
      <ProblemAlert error={problem} />
      <button type="submit" class="launch-button" disabled={busy || !ready} data-testid="launch-submit">
        {busy ? "Launching…" : signedIn || apiKey.trim() ? "Launch token" : "Sign in and launch"}
      </button>
      {form.submitted && issues.length > 0 && (
        <p class="error" role="alert">Check {issues.length === 1 ? "1 field" : `${issues.length} fields`} before launching.</p>
      )}
    </section>
  );
}

function Flags({ family, features }: { family: Family | undefined; features: Partial<Record<FeatureName, boolean>> }) {
  if (!family) return <p class="hint">&nbsp;</p>;
  const flagged = FAMILY[family].features.filter((f) => features[f] && FEATURES[family][f]?.flagged);
  return flagged.length ? (
    <p class="notice small-text">
      Token scanners will show {flagged.map((f) => FEATURES[family][f]!.title.toLowerCase()).join(" and ")} as a risk to buyers. Keep only the
      powers you need.
    </p>
  ) : (
    <p class="hint">No powers that token scanners flag.</p>
  );
}

function Cost({ chain }: { chain: Chain | undefined }) {
  const fees = chain?.fees;
  return (
    <div class="cost" data-testid="cost">
      <h3>Estimated cost</h3>
      {!chain ? (
        <p class="hint">Choose a chain.</p>
      ) : fees ? (
        <>
          <p class="cost-value">≈ {formatNative(fees.estimatedCost, chain.family === "solana" ? 9 : 18, chain.nativeSymbol)}</p>
          <p class="hint">
            {chain.family === "evm"
              ? <>{fees.launchUnits.toLocaleString()} gas × {formatGwei(fees.gasPrice)}</>
              : <>rent and fees for the mint</>}
            {" · "}updated {timeAgo(fees.updatedAt)}. Paid by TokenForge's deployer.
          </p>
        </>
      ) : (
        <p class="hint">Estimate unavailable right now: this chain's fee data has not arrived yet.</p>
      )}
    </div>
  );
}

function ApiKeyField({ form, credentials }: { form: DraftForm; credentials: Credentials }) {
  return (
    <details class="api-key">
      <summary>Launch with an API key instead</summary>
      <Field id="apiKey" label="API key" error={form.serverErrors.apiKey} hint="A tf_… key with the launches:write scope. Used for this launch only, never stored.">
        <input type="password" name="apiKey" autoComplete="off" spellcheck={false} placeholder="tf_…" value={credentials.apiKey}
          onInput={(e) => { credentials.setApiKey(e.currentTarget.value); form.setServerErrors(({ apiKey: _, ...r }) => r); }} />
      </Field>
    </details>
  );
}
