// The launch form: POST /api/v1/launches. Client checks mirror the API loosely;
// the API is the authority and its problem+json errors are shown per field and
// in the alert region.
import { cloneElement, type VNode } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import {
  ApiError, createLaunch, FAMILY, loadApiKey, newIdempotencyKey, saveApiKey,
  type Accepted, type Chain, type Family, type FeatureName, type LaunchBody,
} from "./api";

type Values = {
  chain: string;
  name: string;
  symbol: string;
  decimals: string;
  initialSupply: string;
  maxSupply: string;
  owner: string;
  metadataUri: string;
};
type Errors = Record<string, string>;

const FEATURE_LABELS: Record<FeatureName, string> = {
  mintable: "Mintable — the owner can mint more (up to the max supply)",
  burnable: "Burnable — holders can burn their tokens",
  pausable: "Pausable — the owner can pause transfers",
  permit: "Permit — gasless approvals (EIP-2612)",
  freezable: "Freezable — the owner can freeze token accounts",
};

const WHOLE = /^(0|[1-9][0-9]{0,77})$/;
const FIELDS = ["chain", "name", "symbol", "decimals", "initialSupply", "maxSupply", "owner", "metadataUri"];

/** Trim what the user may have pasted with spaces (not the name: the API rejects edge spaces, so say so). */
function clean(v: Values): Values {
  const t = (s: string) => s.trim();
  return { ...v, symbol: t(v.symbol), decimals: t(v.decimals), initialSupply: t(v.initialSupply), maxSupply: t(v.maxSupply), owner: t(v.owner), metadataUri: t(v.metadataUri) };
}

function validate(v: Values, family: Family | undefined): Errors {
  const e: Errors = {};
  if (!v.chain) e.chain = "choose a chain";
  const nameLength = [...v.name].length;
  if (nameLength === 0) e.name = "is required";
  else if (nameLength > 64) e.name = "must be at most 64 characters";
  else if (v.name.trim() !== v.name) e.name = "must not start or end with spaces";
  if (!/^[A-Z0-9]{1,11}$/.test(v.symbol)) e.symbol = "must be 1 to 11 uppercase letters or digits";
  const maxDecimals = family ? FAMILY[family].maxDecimals : 18;
  if (!/^[0-9]{1,2}$/.test(v.decimals) || Number(v.decimals) > maxDecimals) {
    e.decimals = `must be a whole number from 0 to ${maxDecimals}`;
  }
  if (!WHOLE.test(v.initialSupply)) e.initialSupply = 'must be a whole number of tokens, e.g. "1000000"';
  else if (v.initialSupply === "0") e.initialSupply = "must be greater than 0";
  if (v.maxSupply) {
    if (!WHOLE.test(v.maxSupply)) e.maxSupply = "must be a whole number of tokens, or empty for no cap";
    else if (!e.initialSupply && BigInt(v.maxSupply) < BigInt(v.initialSupply)) e.maxSupply = "must be at least the initial supply";
  }
  if (!v.owner) e.owner = "is required";
  else if (family === "evm" && !/^0x[0-9a-fA-F]{40}$/.test(v.owner)) e.owner = "must be a 0x address (40 hex digits)";
  else if (family === "solana" && !/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(v.owner)) e.owner = "must be a base58 Solana public key";
  if (v.metadataUri && !/^(https|ipfs):\/\/\S+$/.test(v.metadataUri)) e.metadataUri = "must be an https:// or ipfs:// URI";
  return e;
}

/** Where an API error goes: a field, the features fieldset, or (null) only the alert. */
function fieldOf(path: string): string | null {
  if (FIELDS.includes(path) || path === "apiKey") return path;
  if (path === "features" || path.startsWith("features.")) return "features";
  return null;
}

type Props = {
  chains: Chain[] | null;
  chainsError: ApiError | null;
  onRetryChains: () => void;
  onLaunched: (accepted: Accepted) => void;
};

export function LaunchForm({ chains, chainsError, onRetryChains, onLaunched }: Props) {
  const [apiKey, setApiKey] = useState(loadApiKey);
  const [values, setValues] = useState<Values>({
    chain: "", name: "", symbol: "", decimals: "18", initialSupply: "", maxSupply: "", owner: "", metadataUri: "",
  });
  const [features, setFeatures] = useState<Partial<Record<FeatureName, boolean>>>({});
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<{ title: string; detail?: string; extra: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const sending = useRef(false);
  // One Idempotency-Key per form fill: kept across retries of the same values
  // (a double click or a lost answer launches once), renewed when a value changes.
  const idempotencyKey = useRef<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const chain = chains?.find((c) => c.id === values.chain);
  const family = chain?.family;

  // Pick the first chain once the list arrives.
  useEffect(() => {
    if (chains?.length && !chains.some((c) => c.id === values.chain)) selectChain(chains[0].id);
  }, [chains]);

  // After a failed submit, move focus to the first field with an error.
  useEffect(() => {
    if (attempt) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  function set(name: keyof Values, value: string) {
    idempotencyKey.current = null;
    setValues((v) => ({ ...v, [name]: value }));
    setErrors(({ [name]: _, ...rest }) => rest);
  }

  function selectChain(id: string) {
    const next = chains?.find((c) => c.id === id);
    idempotencyKey.current = null;
    setValues((v) => {
      const prev = chains?.find((c) => c.id === v.chain);
      // Follow the family's usual decimals unless the user chose their own.
      const usual = prev ? String(FAMILY[prev.family].defaultDecimals) : "18";
      const decimals = next && v.decimals === usual ? String(FAMILY[next.family].defaultDecimals) : v.decimals;
      return { ...v, chain: id, decimals };
    });
    setErrors(({ chain: _, owner: __, features: ___, ...rest }) => rest);
  }

  function toggle(name: FeatureName, on: boolean) {
    idempotencyKey.current = null;
    setFeatures((f) => ({ ...f, [name]: on }));
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (sending.current) return;
    const v = clean(values);
    const found = validate(v, family);
    setProblem(null);
    setErrors(found);
    if (Object.keys(found).length) {
      const n = Object.keys(found).length;
      setProblem({ title: `Check ${n === 1 ? "1 field" : `${n} fields`} before launching.`, extra: [] });
      setAttempt((a) => a + 1);
      return;
    }
    const body: LaunchBody = {
      chain: v.chain,
      name: v.name,
      symbol: v.symbol,
      decimals: Number(v.decimals),
      initialSupply: v.initialSupply,
      ...(v.maxSupply ? { maxSupply: v.maxSupply } : {}),
      owner: v.owner,
      features: Object.fromEntries(FAMILY[family!].features.map((f) => [f, !!features[f]])),
      ...(v.metadataUri ? { metadataUri: v.metadataUri } : {}),
    };
    const key = (idempotencyKey.current ??= newIdempotencyKey());
    sending.current = true;
    setBusy(true);
    let accepted: Accepted | null = null;
    try {
      for (let tries = 0; ; tries++) {
        try {
          accepted = await createLaunch(body, apiKey, key);
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
      showApiError(err);
    } finally {
      sending.current = false;
      setBusy(false);
    }
    if (accepted) {
      idempotencyKey.current = null;
      onLaunched(accepted);
    }
  }

  function showApiError(err: unknown) {
    if (!(err instanceof ApiError)) {
      setProblem({ title: "Something went wrong", detail: String(err), extra: [] });
      return;
    }
    const byField: Errors = {};
    const extra: string[] = [];
    for (const { path, message } of err.errors) {
      const field = fieldOf(path);
      if (field) byField[field] = byField[field] ? `${byField[field]}; ${message}` : field === "features" ? `${path}: ${message}` : message;
      else extra.push(path ? `${path}: ${message}` : message);
    }
    if (err.status === 401 || err.status === 403) byField.apiKey = err.detail ?? err.title;
    setErrors(byField);
    setProblem({ title: err.title, detail: err.detail, extra });
    setAttempt((a) => a + 1);
  }

  const input = (name: keyof Values) => ({
    name,
    value: values[name],
    onInput: (e: Event) => set(name, (e.currentTarget as HTMLInputElement).value),
  });

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="form-title">
      <h2 id="form-title">Launch a token</h2>

      <div role="alert" class={chainsError || problem ? "alert" : undefined}>
        {chainsError && (
          <p>
            <strong>Could not load the chains.</strong> {chainsError.detail ?? chainsError.title}{" "}
            <button type="button" class="link" onClick={onRetryChains}>Try again</button>
          </p>
        )}
        {problem && (
          <>
            <p><strong>{problem.title}</strong></p>
            {problem.detail && <p>{problem.detail}</p>}
            {problem.extra.length > 0 && <ul>{problem.extra.map((m) => <li>{m}</li>)}</ul>}
          </>
        )}
      </div>

      <Field id="apiKey" label="API key" error={errors.apiKey} hint="The dev key that npm start prints (tf_…). Kept in this browser only.">
        <input
          name="apiKey" type="password" autoComplete="off" spellcheck={false} placeholder="tf_…" value={apiKey}
          onInput={(e) => {
            const k = e.currentTarget.value;
            setApiKey(k);
            saveApiKey(k.trim());
            setErrors(({ apiKey: _, ...rest }) => rest);
          }}
        />
      </Field>

      <Field id="chain" label="Chain" error={errors.chain}>
        <select name="chain" value={values.chain} disabled={!chains} onChange={(e) => selectChain(e.currentTarget.value)}>
          {!chains && <option value="">Loading chains…</option>}
          {chains?.map((c) => (
            <option value={c.id}>{c.name} ({c.family === "evm" ? `EVM, chain id ${c.chainId}` : "Solana"})</option>
          ))}
        </select>
      </Field>

      <Field id="name" label="Name" error={errors.name}>
        <input {...input("name")} autoComplete="off" maxLength={64} placeholder="Forge Coin" />
      </Field>

      <div class="row">
        <Field id="symbol" label="Symbol" error={errors.symbol} hint="A–Z and 0–9, up to 11">
          <input {...input("symbol")} autoComplete="off" autoCapitalize="characters" spellcheck={false} maxLength={11} placeholder="FORGE" />
        </Field>
        <Field id="decimals" label="Decimals" error={errors.decimals}>
          <input {...input("decimals")} inputMode="numeric" autoComplete="off" />
        </Field>
      </div>

      <div class="row">
        <Field id="initialSupply" label="Initial supply" error={errors.initialSupply} hint="Whole tokens">
          <input {...input("initialSupply")} inputMode="numeric" autoComplete="off" placeholder="1000000" />
        </Field>
        <Field id="maxSupply" label="Max supply (optional)" error={errors.maxSupply} hint="Empty: no cap">
          <input {...input("maxSupply")} inputMode="numeric" autoComplete="off" />
        </Field>
      </div>

      <Field id="owner" label="Owner address" error={errors.owner} hint={family === "solana" ? "Base58 public key" : "Checksummed 0x address"}>
        <input {...input("owner")} autoComplete="off" spellcheck={false} placeholder={family === "solana" ? "base58 public key" : "0x…"} />
      </Field>

      <fieldset aria-describedby={errors.features ? "features-error" : undefined}>
        <legend>Features</legend>
        {(family ? FAMILY[family].features : []).map((f) => (
          <label class="check">
            <input type="checkbox" name={`features.${f}`} checked={!!features[f]} onChange={(e) => toggle(f, e.currentTarget.checked)} />
            <span>{FEATURE_LABELS[f]}</span>
          </label>
        ))}
        {!family && <p class="hint">Choose a chain first.</p>}
        {errors.features && <p class="error" id="features-error">{errors.features}</p>}
      </fieldset>

      <Field id="metadataUri" label="Metadata URI (optional)" error={errors.metadataUri} hint="https:// or ipfs://">
        <input {...input("metadataUri")} type="url" autoComplete="off" spellcheck={false} placeholder="https://…" />
      </Field>

      <button type="submit" disabled={busy || !chains}>Launch</button>
      {busy && <span class="hint" role="status"> Sending…</span>}
    </form>
  );
}

/** A labelled control with its hint and error, wired up for assistive technology. */
function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: VNode }) {
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={`f-${id}`}>{label}</label>
      {cloneElement(children, { id: `f-${id}`, "aria-invalid": error ? "true" : undefined, "aria-describedby": described })}
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}
