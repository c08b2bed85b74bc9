// Wizard step 3: what will be launched, what scanners will say about it, what it
// costs, and the launch button (with an API key instead of a session, if wanted).
// Signed in, the wallet pays: the price is a quote (network fee, TokenForge's fee,
// total, and how long it holds), and the button gets one, then pays.
import type { ApiError, Chain, Quote } from "../../api";
import { Field, ProblemAlert } from "../../components";
import { FEATURES } from "../../features";
import { formatGwei, formatNative, formatWhole, timeAgo } from "../../lib/format";
import { FAMILY, type Family, type FeatureName } from "../../lib/validate";
import type { DraftForm } from "./use-draft";
import { expiresAt, QUOTE_MARGIN_MS, type QuoteState } from "./use-quote";

/** How the launch will be authorised: a session, or an API key typed here (never stored). */
export type Credentials = { signedIn: boolean; sessionLoading: boolean; apiKey: string; setApiKey: (key: string) => void };

/** Paying from the signed-in wallet: its quote, and why it cannot pay on this chain (another family's wallet). */
export type WalletPay = { quote: QuoteState; cannotPay: string | null };

type Props = { form: DraftForm; credentials: Credentials; problem: ApiError | null; busy: boolean; ready: boolean; pay: WalletPay | null };

export function ReviewStep({ form, credentials, problem, busy, ready, pay }: Props) {
  const { draft, body, chain, family, issues } = form;
  const { signedIn, apiKey } = credentials;
  const label = busy
    ? "Launching…"
    : pay
      ? pay.quote.loading ? "Getting a quote…" : pay.quote.valid ? "Pay and launch" : pay.quote.quote ? "Get a new quote" : "Get a quote"
      : signedIn || apiKey.trim() ? "Launch token" : "Sign in and launch";
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
      {pay ? <Price chain={chain} pay={pay} /> : <Cost chain={chain} />}

      {!signedIn && !credentials.sessionLoading && <ApiKeyField form={form} credentials={credentials} />}
      <ProblemAlert error={problem} />
      <button type="submit" class="launch-button" disabled={busy || !ready || !!pay?.cannotPay || !!pay?.quote.loading} data-testid="launch-submit">
        {label}
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

const countdown = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

/** The quote: what the wallet will pay, in the chain's coin, and for how long that price holds. */
function Price({ chain, pay }: { chain: Chain | undefined; pay: WalletPay }) {
  const { quote: q, cannotPay } = pay;
  const decimals = chain?.family === "solana" ? 9 : 18;
  const coin = (raw: string, quote: Quote) => formatNative(raw, decimals, quote.currency);
  const left = q.quote ? expiresAt(q.quote) - q.now : 0;
  const expired = !!q.quote && !q.valid;
  return (
    <div class="cost" data-testid="quote">
      <h3>Price</h3>
      {cannotPay ? (
        <p class="notice small-text" data-testid="cannot-pay">{cannotPay}</p>
      ) : !chain ? (
        <p class="hint">Choose a chain.</p>
      ) : !q.quote ? (
        <p class="hint">{q.loading ? "Getting a quote…" : <>Your wallet pays the network fee and TokenForge's fee. Get a quote to see the price; it holds for a few minutes.</>}</p>
      ) : (
        <>
          <dl class="facts compact">
            <dt>Network fee</dt><dd data-testid="quote-network-fee">{coin(q.quote.networkFee, q.quote)}</dd>
            <dt>TokenForge fee</dt><dd data-testid="quote-platform-fee">{coin(q.quote.platformFee, q.quote)}</dd>
            <dt>Total</dt><dd><strong class="cost-value" data-testid="quote-total">{coin(q.quote.total, q.quote)}</strong></dd>
          </dl>
          {q.quote.gas && (
            <p class="hint">{Number(q.quote.gas.units).toLocaleString()} gas × {formatGwei(q.quote.gas.price)}{q.quote.l1Fee ? <>, plus the L1 data fee</> : null}.</p>
          )}
          {q.note && <p class="notice small-text" data-testid="quote-note">{q.note}</p>}
          <p class={expired ? "error" : "hint"} data-testid="quote-expiry">
            {expired ? "This quote expired. Get a new one to launch." : <>This price holds for <span class="mono">{countdown(left - QUOTE_MARGIN_MS)}</span>.</>}
          </p>
        </>
      )}
      {/* Screen readers hear the quote arrive and expire, not every tick of the countdown. */}
      <p class="visually-hidden" role="status">{q.quote ? (expired ? "The quote expired." : `Quote: ${coin(q.quote.total, q.quote)} in total.`) : ""}</p>
      <ProblemAlert error={q.error} />
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
