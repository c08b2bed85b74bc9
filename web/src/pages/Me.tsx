// My account: the launches I created, my API keys (create — the key is shown
// once, with a copy button — list, revoke) and my webhooks (create — the signing
// secret is shown once — delete, delivery log). Needs a signed-in session.
import { useEffect, useState } from "preact/hooks";
import {
  asApiError, createKey, createWebhook, deleteWebhook, getChains, getMyLaunches, listDeliveries, listKeys, listWebhooks, revokeKey,
  type ApiError, type ApiKey, type Chain, type LaunchSummary, type Webhook, type WebhookDelivery,
} from "../api";
import { CopyButton, Field, PageTitle, ProblemAlert, Skeleton, StatusBadge, usePageTitle } from "../components";
import { formatDateTime, shortAddress, timeAgo } from "../lib/format";
import { checksumAddress, isHexAddress } from "../lib/keccak";
import { openSignIn, sessionStore, signOut } from "../session";
import { useStore } from "../store";

export default function Me(_: { params: Record<string, string> }) {
  usePageTitle("My account");
  const session = useStore(sessionStore);
  if (session.status === "loading") {
    return (
      <section>
        <PageTitle>My account</PageTitle>
        <Skeleton lines={8} />
      </section>
    );
  }
  if (session.status === "anon") {
    return (
      <section>
        <PageTitle>My account</PageTitle>
        <p>Sign in with your wallet to see your launches, and to manage API keys and webhooks for your bots.</p>
        {session.error && <p class="error">{session.error}</p>}
        <button type="button" onClick={() => openSignIn("Sign in to see your account.")}>Sign in</button>
      </section>
    );
  }
  const addr = session.user.walletAddress;
  return (
    <section class="me">
      <PageTitle>My account</PageTitle>
      <p class="hint">
        Signed in as <code class="wrap" data-testid="me-address">{isHexAddress(addr) ? checksumAddress(addr) : addr}</code>
        {session.user.role === "admin" && <> · administrator (<a href="/ops">operations</a>)</>}
      </p>
      <p><button type="button" class="small secondary" onClick={() => void signOut()}>Sign out</button></p>
      <nav aria-label="On this page" class="subnav">
        <a href="#launches">Launches</a> <a href="#keys">API keys</a> <a href="#webhooks">Webhooks</a>
      </nav>
      <MyLaunches />
      <ApiKeys />
      <Webhooks />
    </section>
  );
}

function MyLaunches() {
  const [items, setItems] = useState<LaunchSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [chains, setChains] = useState<Chain[]>([]);
  const [busy, setBusy] = useState(false);
  const load = async (more = false) => {
    setBusy(true);
    try {
      const r = await getMyLaunches(more ? cursor : null);
      setItems((prev) => (more ? [...(prev ?? []), ...r.launches] : r.launches));
      setCursor(r.nextCursor);
      setError(null);
    } catch (e) {
      setError(asApiError(e));
      if (!more) setItems([]);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load();
    getChains().then(setChains, () => undefined);
  }, []);
  const chainName = (id: string) => chains.find((c) => c.id === id)?.name ?? id;
  return (
    <section id="launches" aria-labelledby="launches-title" class="card">
      <h2 id="launches-title">My launches</h2>
      <ProblemAlert error={error} onRetry={() => void load()} />
      {items === null ? (
        <Skeleton lines={3} />
      ) : items.length === 0 ? (
        <p class="empty">No launches yet. <a href="/launch">Launch a token</a>.</p>
      ) : (
        <ul class="launch-list" data-testid="my-launches">
          {items.map((l) => (
            <li>
              <a href={`/launches/${encodeURIComponent(l.id)}`} class="launch-row">
                <span class="token-main">
                  <span class="token-name">{l.name}</span>
                  <span class="token-sub">{l.symbol} · {chainName(l.chain)} · {timeAgo(l.createdAt)}</span>
                </span>
                <StatusBadge status={l.status} />
              </a>
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" class="secondary" disabled={busy} onClick={() => void load(true)}>{busy ? "Loading…" : "Load more"}</button>
      )}
    </section>
  );
}

const SCOPES: { id: string; text: string }[] = [
  { id: "launches:read", text: "Read launches" },
  { id: "launches:write", text: "Create launches" },
  { id: "webhooks:manage", text: "Manage webhooks" },
];

function ApiKeys() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["launches:read", "launches:write"]);
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [formError, setFormError] = useState<Record<string, string>>({});

  const refresh = () => listKeys().then((r) => { setKeys(r.keys); setError(null); }, (e) => { setError(asApiError(e)); setKeys((k) => k ?? []); });
  useEffect(() => void refresh(), []);

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
      setCreated(k);
      setName("");
      await refresh();
    } catch (err) {
      const ae = asApiError(err);
      setError(ae);
      const byField = Object.fromEntries(ae.errors.map((x) => [x.path.split(".")[0] || "name", x.message]));
      setFormError(byField);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(id: string) {
    if (confirming !== id) {
      setConfirming(id);
      return;
    }
    setConfirming(null);
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

      {keys === null ? (
        <Skeleton lines={2} />
      ) : keys.length === 0 ? (
        <p class="empty">No keys yet.</p>
      ) : (
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
                      <button type="button" class={`small ${confirming === k.id ? "danger" : "secondary"}`} onClick={() => void revoke(k.id)} onBlur={() => confirming === k.id && setTimeout(() => setConfirming(null), 200)} aria-label={confirming === k.id ? `Confirm: revoke ${k.name}` : `Revoke ${k.name}`} data-testid="revoke-key">
                        {confirming === k.id ? "Confirm revoke" : "Revoke"}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const EVENTS = ["launch.confirmed", "launch.failed"];

function Webhooks() {
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<string[]>([...EVENTS]);
  const [created, setCreated] = useState<(Webhook & { secret: string }) | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [formError, setFormError] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const refresh = () => listWebhooks().then((r) => { setHooks(r.webhooks); setError(null); }, (e) => { setError(asApiError(e)); setHooks((h) => h ?? []); });
  useEffect(() => void refresh(), []);

  async function create(e: Event) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!/^https?:\/\/\S+$/.test(url.trim())) errs.url = "Enter the https:// URL that should receive the events.";
    if (events.length === 0) errs.events = "Choose at least one event.";
    setFormError(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const h = await createWebhook(url.trim(), events);
      setCreated(h);
      setUrl("");
      await refresh();
    } catch (err) {
      const ae = asApiError(err);
      setError(ae);
      setFormError(Object.fromEntries(ae.errors.map((x) => [x.path.split(".")[0] || "url", x.message])));
    } finally {
      setBusy(false);
    }
  }

  async function remove(id: string) {
    try {
      await deleteWebhook(id);
      await refresh();
    } catch (err) {
      setError(asApiError(err));
    }
  }

  return (
    <section id="webhooks" aria-labelledby="webhooks-title" class="card">
      <h2 id="webhooks-title">Webhooks</h2>
      <p class="hint">TokenForge POSTs to your URL when a launch is confirmed or fails, signed per Standard Webhooks (HMAC-SHA256).</p>
      <ProblemAlert error={error} />
      {created && (
        <div class="secret" role="status">
          <p><strong>Signing secret for {created.url}.</strong> Copy it now: it will not be shown again.</p>
          <p class="mono-row"><code>{created.secret}</code> <CopyButton text={created.secret} label="Copy secret" /></p>
          <button type="button" class="small secondary" onClick={() => setCreated(null)}>I have stored it</button>
        </div>
      )}
      <form onSubmit={create} class="inline-form" noValidate aria-label="Add a webhook">
        <Field id="webhook-url" label="URL" error={formError.url}>
          <input type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://example.com/hooks/tokenforge" autoComplete="off" spellcheck={false} />
        </Field>
        <fieldset class="scopes" aria-describedby="webhook-events-error">
          <legend>Events</legend>
          {EVENTS.map((ev) => (
            <label class="check">
              <input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents((cur) => (e.currentTarget.checked ? [...cur, ev] : cur.filter((x) => x !== ev)))} />
              <span><code>{ev}</code></span>
            </label>
          ))}
          <p class="error" id="webhook-events-error">{formError.events ?? ""}</p>
        </fieldset>
        <button type="submit" disabled={busy}>{busy ? "Adding…" : "Add webhook"}</button>
      </form>
      {hooks === null ? (
        <Skeleton lines={2} />
      ) : hooks.length === 0 ? (
        <p class="empty">No webhooks yet.</p>
      ) : (
        <ul class="hook-list">
          {hooks.map((h) => (
            <li>
              <div class="hook-head">
                <code class="wrap">{h.url}</code>
                <span class="hint">{h.events.join(", ")} · added {timeAgo(h.createdAt)}</span>
                <span class="hook-actions">
                  <button type="button" class="small secondary" aria-expanded={open === h.id} onClick={() => setOpen(open === h.id ? null : h.id)}>
                    {open === h.id ? "Hide deliveries" : "Deliveries"}
                  </button>
                  <button type="button" class="small secondary" onClick={() => void remove(h.id)} aria-label={`Delete webhook ${h.url}`}>Delete</button>
                </span>
              </div>
              {open === h.id && <Deliveries id={h.id} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Deliveries({ id }: { id: string }) {
  const [rows, setRows] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    listDeliveries(id).then((r) => setRows(r.deliveries), (e) => setError(asApiError(e)));
  }, [id]);
  if (error) return <ProblemAlert error={error} />;
  if (!rows) return <Skeleton lines={2} />;
  if (!rows.length) return <p class="hint">No deliveries yet.</p>;
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="visually-hidden">Deliveries</caption>
        <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Launch</th><th scope="col">Attempt</th><th scope="col">Result</th></tr></thead>
        <tbody>
          {rows.map((d) => (
            <tr>
              <td data-label="When">{formatDateTime(d.createdAt)}</td>
              <td data-label="Event"><code>{d.eventType}</code></td>
              <td data-label="Launch"><a href={`/launches/${encodeURIComponent(d.launchId)}`}>{shortAddress(d.launchId)}</a></td>
              <td data-label="Attempt">{d.attempt}</td>
              <td data-label="Result"><span>
                {d.statusCode !== null && d.statusCode >= 200 && d.statusCode < 300 ? <span class="ok-text">{d.statusCode} OK</span> : <span class="error-text">{d.statusCode ?? "no answer"}{d.error ? ` — ${d.error}` : ""}</span>}
                <span class="hint"> · {d.durationMs} ms</span>
              </span></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
