// My account → API keys for bots and scripts: create (the key is shown once,
// with a copy button), list, revoke (a second click confirms).
import { useEffect, useState } from "preact/hooks";
import { asApiError, createKey, listKeys, revokeKey, type ApiError, type ApiKey } from "../../api";
import { CopyButton, Field, ProblemAlert, Skeleton } from "../../components";
import { formatDateTime, timeAgo } from "../../lib/format";

const SCOPES: { id: string; text: string }[] = [
  { id: "launches:read", text: "Read launches" },
  { id: "launches:write", text: "Create launches" },
  { id: "webhooks:manage", text: "Manage webhooks" },
];

export function ApiKeys() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);

  const refresh = () => listKeys().then((r) => { setKeys(r.keys); setError(null); }, (e) => { setError(asApiError(e)); setKeys((k) => k ?? []); });
  useEffect(() => void refresh(), []);

  async function revoke(id: string) {
    try {
      await revokeKey(id);
      if (created?.id === id) setCreated(null);
      await refresh();
    } catch (err) {
      setError(asApiError(err));
    }
  }

  return (
    <section id="keys" aria-labelledby="keys-title" class="card">
      <h2 id="keys-title">API keys</h2>
      <p class="hint">For bots and scripts: send <code>Authorization: Bearer tf_…</code>. A key is shown once; only its first characters are kept to recognise it.</p>
      <ProblemAlert error={error} />
      {created && (
        <div class="secret" role="status" data-testid="new-key">
          <p><strong>Your new key “{created.name}”.</strong> Copy it now: it will not be shown again.</p>
          <p class="mono-row"><code data-testid="new-key-value">{created.key}</code> <CopyButton text={created.key} label="Copy key" /></p>
          <button type="button" class="small secondary" onClick={() => setCreated(null)}>I have stored it</button>
        </div>
      )}
      <KeyForm onCreated={async (k) => { setCreated(k); await refresh(); }} onError={setError} />
      {keys === null ? (
        <Skeleton lines={2} />
      ) : keys.length === 0 ? (
        <p class="empty">No keys yet.</p>
      ) : (
        <KeysTable keys={keys} revoke={revoke} />
      )}
    </section>
  );
}

type KeyFormProps = { onCreated: (k: ApiKey & { key: string }) => Promise<void>; onError: (e: ApiError) => void };

function KeyForm({ onCreated, onError }: KeyFormProps) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["launches:read", "launches:write"]);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<Record<string, string>>({});

  async function create(e: Event) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!name.trim()) errs.name = "Give the key a name, e.g. the bot that uses it.";
    if (scopes.length === 0) errs.scopes = "Choose at least one scope.";
    setFormError(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const k = await createKey(name.trim(), scopes);
      setName("");
      await onCreated(k);
    } catch (err) {
      const ae = asApiError(err);
      onError(ae);
      setFormError(Object.fromEntries(ae.errors.map((x) => [x.path.split(".")[0] || "name", x.message])));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={create} class="inline-form" noValidate aria-label="Create an API key">
      <Field id="key-name" label="Name" error={formError.name}>
        <input value={name} maxLength={64} onInput={(e) => setName(e.currentTarget.value)} placeholder="launch bot" autoComplete="off" />
      </Field>
      <fieldset class="scopes" aria-describedby="key-scopes-error">
        <legend>Scopes</legend>
        {SCOPES.map((s) => (
          <label class="check">
            <input type="checkbox" checked={scopes.includes(s.id)} onChange={(e) => setScopes((cur) => (e.currentTarget.checked ? [...cur, s.id] : cur.filter((x) => x !== s.id)))} />
            <span>{s.text} <code>{s.id}</code></span>
          </label>
        ))}
        <p class="error" id="key-scopes-error">{formError.scopes ?? ""}</p>
      </fieldset>
      <button type="submit" disabled={busy} data-testid="create-key">{busy ? "Creating…" : "Create key"}</button>
    </form>
  );
}

function KeysTable({ keys, revoke }: { keys: ApiKey[]; revoke: (id: string) => Promise<void> }) {
  // The key whose Revoke button was clicked once: the second click revokes.
  const [confirming, setConfirming] = useState<string | null>(null);
  const click = (id: string) => {
    if (confirming !== id) {
      setConfirming(id);
      return;
    }
    setConfirming(null);
    void revoke(id);
  };
  return (
    <div class="table-wrap">
      <table class="table" data-testid="keys-table">
        <caption class="visually-hidden">Your API keys</caption>
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr class={k.revokedAt ? "revoked" : undefined} data-key-id={k.id}>
              <td data-label="Name">{k.name}</td>
              <td data-label="Key"><code>{k.prefix}…</code></td>
              <td data-label="Scopes">{k.scopes.join(", ")}</td>
              <td data-label="Created">{formatDateTime(k.createdAt)}</td>
              <td data-label="Last used">{k.lastUsedAt ? timeAgo(k.lastUsedAt) : "never"}</td>
              <td data-label="">
                {k.revokedAt ? (
                  <span class="badge badge-failed">Revoked</span>
                ) : (
                  <button type="button" class={`small ${confirming === k.id ? "danger" : "secondary"}`} onClick={() => click(k.id)} onBlur={() => confirming === k.id && setTimeout(() => setConfirming(null), 200)} aria-label={confirming === k.id ? `Confirm: revoke ${k.name}` : `Revoke ${k.name}`} data-testid="revoke-key">
                    {confirming === k.id ? "Confirm revoke" : "Revoke"}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
