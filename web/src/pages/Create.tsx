// Create a token: one form, shown as a three-step wizard on small screens
// (token → owner and powers → review) and as form + review side by side on wide
// ones. Rules are the API's (lib/validate.ts), checked as you type; the API's own
// problem+json errors land on the same fields. One Idempotency-Key per draft, so a
// double click or a retry after a lost answer launches once.
// The draft lives in create/use-draft.ts, the steps in create/*Step.tsx.
// Signed in (no API key typed), the signed-in wallet pays: the button first gets
// a quote, then launches with it and hands over to the launch page, which asks
// the wallet to pay. A refused quote (409: expired, used, fee changed) is
// replaced by a new one for the user to check.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { asApiError, getChains, newIdempotencyKey, type Accepted, type ApiError, type Chain } from "../api";
import { PageTitle, ProblemAlert, usePageTitle } from "../components";
import { checksumAddress, isHexAddress } from "../lib/keccak";
import { navigate } from "../router";
import { openSignIn, sessionStore, walletStore } from "../session";
import { useStore } from "../store";
import { OwnerStep } from "./create/OwnerStep";
import { ReviewStep } from "./create/ReviewStep";
import { TokenStep } from "./create/TokenStep";
import { errorsByField, isQuoteRefused, sendLaunch } from "./create/send";
import { familyOfAddress, saveDraft, useDraft } from "./create/use-draft";
import { useQuote } from "./create/use-quote";
import { FIELD_ORDER, STEPS, useWizard } from "./create/wizard";

// Long: the form page's hooks (wizard, quote, submit) and its JSX, one per step, read best in one place; the
// pieces with logic of their own live in create/.
export default function Create(_: { params: Record<string, string> }) {
  usePageTitle("Launch a token");
  const session = useStore(sessionStore);
  const signedIn = session.status === "user";
  const { chains, chainsError, retryChains } = useChains();
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [apiKey, setApiKey] = useState("");
  const sending = useRef(false);

  const myAddress = useMyAddress();
  const form = useDraft(chains, myAddress);
  const wizard = useWizard(form);

  // Wallet-paid when signed in and no API key typed (an API key's launches are platform-paid).
  const walletMode = signedIn && !apiKey.trim();
  const myFamily = signedIn ? familyOfAddress(session.user.walletAddress) : null;
  const cannotPay = walletMode && form.family && myFamily && myFamily !== form.family
    ? `You signed in with ${myFamily === "evm" ? "an EVM" : "a Solana"} wallet, which cannot pay on ${form.chain?.name ?? "this chain"}. Sign out and sign in with ${form.family === "evm" ? "an EVM" : "a Solana"} wallet, or choose another chain.`
    : null;
  const quote = useQuote(form.body, walletMode && !!form.chain && !cannotPay);
  // One Idempotency-Key per quote: a new quote makes a different request.
  const quoteKey = useRef<{ quoteId: string; key: string } | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (sending.current) return;
    form.setSubmitted(true);
    setProblem(null);
    if (form.issues.length) {
      wizard.showErrors(form.issues[0]!.path.split(".")[0]!);
      return;
    }
    if (!signedIn && !apiKey.trim()) {
      openSignIn("Sign in to launch your token. Your draft stays on this page.");
      return;
    }
    if (walletMode) return payAndLaunch();
    const key = form.idempotencyKey();
    sending.current = true;
    setBusy(true);
    let accepted: Accepted | null = null;
    try {
      accepted = await sendLaunch(form.body, key, signedIn ? undefined : apiKey.trim());
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

  /** Quote first (the user sees the price before paying), then the launch with it; the launch page asks the wallet to pay. */
  async function payAndLaunch() {
    if (cannotPay) return;
    const q = quote.quote;
    if (!q || !quote.valid) {
      await quote.request(q ? "The last quote expired; this is a new one." : null);
      return;
    }
    if (quoteKey.current?.quoteId !== q.id) quoteKey.current = { quoteId: q.id, key: newIdempotencyKey() };
    const key = quoteKey.current.key;
    sending.current = true;
    setBusy(true);
    let accepted: Accepted | null = null;
    try {
      accepted = await sendLaunch(form.body, key, undefined, { mode: "wallet", quoteId: q.id });
    } catch (e) {
      const err = asApiError(e);
      if (isQuoteRefused(err)) {
        await quote.request(`The quote was refused: ${err.detail ?? err.title}. Here is a new one; check it and pay again.`);
      } else showApiError(err);
    } finally {
      sending.current = false;
      setBusy(false);
    }
    if (accepted) {
      saveDraft(null);
      navigate(`/launches/${encodeURIComponent(accepted.id)}`, { state: { accepted, pay: true } });
    }
  }

  function showApiError(err: ApiError) {
    const byField = errorsByField(err, signedIn);
    form.setServerErrors(byField);
    setProblem(err);
    wizard.showErrors(FIELD_ORDER.find((f) => byField[f]));
  }

  const { step } = wizard;
  const credentials = { signedIn, sessionLoading: session.status === "loading", apiKey, setApiKey };
  return (
    <section class="create">
      <PageTitle>Launch a token</PageTitle>
      <ProblemAlert error={chainsError} onRetry={retryChains} />
      <Progress step={step} />

      <form ref={wizard.formRef} onSubmit={submit} noValidate class={`wizard at-step-${step}`} aria-label="New token" data-testid="launch-form">
        <TokenStep form={form} chains={chains} />
        <OwnerStep form={form} myAddress={myAddress} />
        <ReviewStep form={form} credentials={credentials} problem={problem} busy={busy} ready={!!chains} pay={walletMode ? { quote, cannotPay } : null} />
        <div class="wizard-nav">
          {step > 0 && <button type="button" class="secondary" onClick={() => wizard.goTo(step - 1)}>Back</button>}
          {step < STEPS.length - 1 && <button type="button" onClick={() => wizard.goTo(step + 1)} data-testid="wizard-next">Next</button>}
        </div>
      </form>
    </section>
  );
}

/** The signed-in or connected wallet's address (EVM ones checksummed): the natural owner. */
function useMyAddress(): string | null {
  const session = useStore(sessionStore);
  const wallet = useStore(walletStore);
  return useMemo(() => {
    const a = wallet?.address ?? (session.status === "user" ? session.user.walletAddress : null);
    if (!a) return null;
    return isHexAddress(a) ? checksumAddress(a) : a;
  }, [wallet, session]);
}

function useChains() {
  const [chains, setChains] = useState<Chain[] | null>(null);
  const [chainsError, setChainsError] = useState<ApiError | null>(null);
  const [chainsTry, setChainsTry] = useState(0);
  useEffect(() => {
    setChainsError(null);
    getChains().then(setChains, (e) => setChainsError(asApiError(e)));
  }, [chainsTry]);
  return { chains, chainsError, retryChains: () => setChainsTry((n) => n + 1) };
}

function Progress({ step }: { step: number }) {
  return (
    <ol class="wizard-progress" aria-label="Steps">
      {STEPS.map((s, i) => (
        <li aria-current={i === step ? "step" : undefined} class={i < step ? "done" : undefined}>
          <span class="visually-hidden">Step {i + 1} of {STEPS.length}: </span>
          {s}
        </li>
      ))}
    </ol>
  );
}
