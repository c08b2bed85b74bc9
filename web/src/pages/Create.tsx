// Create a token: one form, shown as a three-step wizard on small screens
// (token → owner and powers → review) and as form + review side by side on wide
// ones. Rules are the API's (lib/validate.ts), checked as you type; the API's own
// problem+json errors land on the same fields. One Idempotency-Key per draft, so a
// double click or a retry after a lost answer launches once.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  ApiError, asApiError, createLaunch, getChains, newIdempotencyKey, type Accepted, type Chain,
} from "../api";
import { Field, PageTitle, ProblemAlert, usePageTitle } from "../components";
import { FEATURES } from "../features";
import { formatGwei, formatNative, formatWhole, timeAgo } from "../lib/format";
import { isHexAddress, checksumAddress } from "../lib/keccak";
import { FAMILY, launchIssues, toBody, type Draft, type Family, type FeatureName } from "../lib/validate";
import { navigate } from "../router";
import { openSignIn, sessionStore, walletStore } from "../session";
import { useStore } from "../store";

const STEPS = ["Token", "Owner and powers", "Review"] as const;
/** Which wizard step holds each field (API error paths included). */
const STEP_OF: Record<string, number> = {
  chain: 0, name: 0, symbol: 0, decimals: 0, initialSupply: 0, maxSupply: 0,
  owner: 1, features: 1, metadataUri: 1, apiKey: 2,
};
const FIELD_ORDER = ["chain", "name", "symbol", "decimals", "initialSupply", "maxSupply", "owner", "features", "metadataUri"];

const DRAFT_KEY = "tokenforge.draft";
const EMPTY: Draft = { chain: "", name: "", symbol: "", decimals: "18", initialSupply: "", maxSupply: "", owner: "", metadataUri: "", features: {} };

function loadDraft(): Draft {
  try {
    const d = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? "null");
    return d && typeof d === "object" ? { ...EMPTY, ...d, features: { ...(d.features ?? {}) } } : EMPTY;
  } catch {
    return EMPTY;
  }
}
function saveDraft(d: Draft | null) {
  try {
    if (d) sessionStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    else sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    /* storage disabled: the draft lives as long as the page */
  }
}

const familyOfAddress = (a: string): Family | null => (isHexAddress(a) ? "evm" : /^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(a) ? "solana" : null);

export default function Create(_: { params: Record<string, string> }) {
  usePageTitle("Launch a token");
  const session = useStore(sessionStore);
  const wallet = useStore(walletStore);
  const [chains, setChains] = useState<Chain[] | null>(null);
  const [chainsError, setChainsError] = useState<ApiError | null>(null);
  const [chainsTry, setChainsTry] = useState(0);
  const [draft, setDraft] = useState<Draft>(loadDraft);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [step, setStep] = useState(0);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [apiKey, setApiKey] = useState("");
  const sending = useRef(false);
  const idempotencyKey = useRef<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useRef(false);

  useEffect(() => {
    setChainsError(null);
    getChains().then(setChains, (e) => setChainsError(asApiError(e)));
  }, [chainsTry]);

  const chain = chains?.find((c) => c.id === draft.chain);
  const family = chain?.family;

  // Pick a chain once the list arrives: ?chain=, the draft's, or the first.
  useEffect(() => {
    if (!chains?.length || chains.some((c) => c.id === draft.chain)) return;
    const wanted = new URLSearchParams(location.search).get("chain");
    selectChain((chains.find((c) => c.id === wanted) ?? chains[0]!).id);
  }, [chains]);

  // The signed-in wallet is the natural owner when it fits the chain.
  const myAddress = useMemo(() => {
    const a = wallet?.address ?? (session.status === "user" ? session.user.walletAddress : null);
    if (!a) return null;
    return isHexAddress(a) ? checksumAddress(a) : a;
  }, [wallet, session]);
  useEffect(() => {
    if (myAddress && family && !draft.owner && familyOfAddress(myAddress) === family) update({ owner: myAddress }, false);
  }, [myAddress, family]);

  useEffect(() => saveDraft(draft), [draft]);

  const body = useMemo(() => toBody(draft, family), [draft, family]);
  const issues = useMemo(() => (chains ? launchIssues(body, family) : []), [body, family, chains]);
  const errorOf = (field: string): string | undefined => {
    if (serverErrors[field]) return serverErrors[field];
    if (!touched[field] && !submitted) return undefined;
    const found = issues.filter((i) => i.path === field || i.path.startsWith(field + "."));
    return found.length ? found.map((i) => i.message).join("; ") : undefined;
  };

  useEffect(() => {
    if (!focusFirstError.current) return;
    focusFirstError.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], .fieldset-invalid input')?.focus();
  });

  function update(patch: Partial<Draft>, touch = true) {
    idempotencyKey.current = null; // a different request deserves a different key
    setDraft((d) => ({ ...d, ...patch }));
    if (touch) setTouched((t) => ({ ...t, ...Object.fromEntries(Object.keys(patch).map((k) => [k, true])) }));
    setServerErrors((e) => {
      const rest = { ...e };
      for (const k of Object.keys(patch)) delete rest[k];
      return rest;
    });
  }

  function selectChain(id: string) {
    const next = chains?.find((c) => c.id === id);
    setDraft((d) => {
      const prev = chains?.find((c) => c.id === d.chain);
      // Follow the family's usual decimals unless the user chose their own.
      const usual = prev ? String(FAMILY[prev.family].defaultDecimals) : "18";
      const decimals = next && (d.decimals === usual || d.decimals === "") ? String(FAMILY[next.family].defaultDecimals) : d.decimals;
      // An owner of the other family cannot be right any more.
      const owner = next && d.owner && familyOfAddress(d.owner.trim()) !== next.family ? "" : d.owner;
      return { ...d, chain: id, decimals, owner };
    });
    idempotencyKey.current = null;
    setServerErrors({});
  }

  const stepHasErrors = (s: number) => issues.some((i) => (STEP_OF[i.path.split(".")[0]!] ?? 0) === s);

  function goTo(next: number) {
    if (next > step) {
      // Moving on checks the fields of the step being left.
      const fields = FIELD_ORDER.filter((f) => STEP_OF[f] === step);
      setTouched((t) => ({ ...t, ...Object.fromEntries(fields.map((f) => [f, true])) }));
      if (stepHasErrors(step)) {
        focusFirstError.current = true;
        return;
      }
    }
    setStep(next);
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[data-step="${next}"] legend, [data-step="${next}"] h2`)?.focus());
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (sending.current) return;
    setSubmitted(true);
    setProblem(null);
    if (issues.length) {
      const first = issues[0]!.path.split(".")[0]!;
      setStep(STEP_OF[first] ?? 0);
      focusFirstError.current = true;
      return;
    }
    const signedIn = session.status === "user";
    if (!signedIn && !apiKey.trim()) {
      openSignIn("Sign in to launch your token. Your draft stays on this page.");
      return;
    }
    const key = (idempotencyKey.current ??= newIdempotencyKey());
    sending.current = true;
    setBusy(true);
    let accepted: Accepted | null = null;
    try {
      for (let tries = 0; ; tries++) {
        try {
          accepted = await createLaunch(body, key, signedIn ? undefined : apiKey.trim());
          break;
        } catch (err) {
          // 409: the first request with this key is still being processed; ask again.
          if (err instanceof ApiError && err.status === 409 && tries < 5) {
            await new Promise((r) => setTimeout(r, (err.retryAfter ?? 1) * 1000));
            continue;
          }
          throw err;
        }
      }
    } catch (err) {
      showApiError(asApiError(err));
    } finally {
      sending.current = false;
      setBusy(false);
    }
    if (accepted) {
      saveDraft(null);
      navigate(`/launches/${encodeURIComponent(accepted.id)}`, { state: { accepted } });
    }
  }

  function showApiError(err: ApiError) {
    const byField: Record<string, string> = {};
    for (const { path, message } of err.errors) {
      const field = path.split(".")[0]!;
      if (field in STEP_OF) byField[field] = byField[field] ? `${byField[field]}; ${message}` : message;
    }
    if (err.status === 401 || err.status === 403) {
      if (session.status !== "user") byField.apiKey = err.detail ?? err.title;
    }
    setServerErrors(byField);
    setProblem(err);
    const first = FIELD_ORDER.find((f) => byField[f]);
    if (first) setStep(STEP_OF[first]!);
    focusFirstError.current = true;
  }

  const text = (name: keyof Omit<Draft, "features" | "chain">, transform?: (v: string) => string) => ({
    name,
    value: draft[name],
    onInput: (e: Event) => {
      const el = e.currentTarget as HTMLInputElement;
      update({ [name]: transform ? transform(el.value) : el.value }, name !== "owner" && name !== "metadataUri" ? true : (e as InputEvent).inputType === "insertFromPaste");
    },
    onBlur: () => setTouched((t) => ({ ...t, [name]: true })),
  });

  const featureList = family ? FAMILY[family].features : [];
  const fees = chain?.fees;
  const decimalsForNative = family === "solana" ? 9 : 18;
  const signedIn = session.status === "user";

  return (
    <section class="create">
      <PageTitle>Launch a token</PageTitle>
      <ProblemAlert error={chainsError} onRetry={() => setChainsTry((n) => n + 1)} />

      <ol class="wizard-progress" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li aria-current={i === step ? "step" : undefined} class={i < step ? "done" : undefined}>
            <span class="visually-hidden">Step {i + 1} of {STEPS.length}: </span>
            {s}
          </li>
        ))}
      </ol>

      <form ref={formRef} onSubmit={submit} noValidate class={`wizard at-step-${step}`} aria-label="New token" data-testid="launch-form">
        <fieldset class="step" data-step="0">
          <legend tabIndex={-1}>Token</legend>
          <Field id="chain" label="Chain" error={errorOf("chain")} hint={chain ? (chain.family === "evm" ? `EVM chain, id ${chain.chainId}. Pays in ${chain.nativeSymbol}.` : `Solana. Pays in ${chain.nativeSymbol}.`) : "Loading the chains…"}>
            <select
              name="chain" value={draft.chain} disabled={!chains}
              onChange={(e) => selectChain(e.currentTarget.value)}
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
              <button type="button" class="small secondary" onClick={() => update({ owner: myAddress })}>Use my wallet address</button>
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
            {family && featureList.map((f) => {
              const info = FEATURES[family][f]!;
              // SPL holders can always burn: shown on and fixed, not offered as a choice.
              const fixed = family === "solana" && f === "burnable";
              const on = fixed || !!draft.features[f];
              return (
                <label class="check" key={f}>
                  <input
                    type="checkbox" name={`features.${f}`} checked={on} disabled={fixed}
                    onChange={(e) => update({ features: { ...draft.features, [f]: e.currentTarget.checked } }, false)}
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

          <Field id="metadataUri" label="Metadata URI (optional)" error={errorOf("metadataUri")} hint="https:// or ipfs:// — a JSON document with the logo and description.">
            <input {...text("metadataUri")} type="url" autoComplete="off" spellcheck={false} placeholder="ipfs://…" />
          </Field>
        </fieldset>

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
            <dd>{family ? (featureList.filter((f) => body.features[f]).map((f) => FEATURES[family][f]!.title).join(", ") || "none") : "—"}</dd>
          </dl>
          <Flags family={family} features={draft.features} />
          <div class="cost" data-testid="cost">
            <h3>Estimated cost</h3>
            {!chain ? (
              <p class="hint">Choose a chain.</p>
            ) : fees ? (
              <>
                <p class="cost-value">≈ {formatNative(fees.estimatedCost, decimalsForNative, chain.nativeSymbol)}</p>
                <p class="hint">
                  {family === "evm"
                    ? <>{fees.launchUnits.toLocaleString()} gas × {formatGwei(fees.gasPrice)}</>
                    : <>rent and fees for the mint</>}
                  {" · "}updated {timeAgo(fees.updatedAt)}. Paid by TokenForge's deployer.
                </p>
              </>
            ) : (
              <p class="hint">Estimate unavailable right now: this chain's fee data has not arrived yet.</p>
            )}
          </div>

          {!signedIn && session.status !== "loading" && (
            <details class="api-key">
              <summary>Launch with an API key instead</summary>
              <Field id="apiKey" label="API key" error={serverErrors.apiKey} hint="A tf_… key with the launches:write scope. Used for this launch only, never stored.">
                <input type="password" name="apiKey" autoComplete="off" spellcheck={false} placeholder="tf_…" value={apiKey}
                  onInput={(e) => { setApiKey(e.currentTarget.value); setServerErrors(({ apiKey: _, ...r }) => r); }} />
              </Field>
            </details>
          )}
          <ProblemAlert error={problem} />
          <button type="submit" class="launch-button" disabled={busy || !chains} data-testid="launch-submit">
            {busy ? "Launching…" : signedIn || apiKey.trim() ? "Launch token" : "Sign in and launch"}
          </button>
          {submitted && issues.length > 0 && (
            <p class="error" role="alert">Check {issues.length === 1 ? "1 field" : `${issues.length} fields`} before launching.</p>
          )}
        </section>

        <div class="wizard-nav">
          {step > 0 && <button type="button" class="secondary" onClick={() => goTo(step - 1)}>Back</button>}
          {step < STEPS.length - 1 && <button type="button" onClick={() => goTo(step + 1)} data-testid="wizard-next">Next</button>}
        </div>
      </form>
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

