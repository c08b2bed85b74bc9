// My account → webhooks: add one (the signing secret is shown once), delete,
// and each one's delivery log.
import { useEffect, useState } from "preact/hooks";
import { asApiError, createWebhook, deleteWebhook, listWebhooks, type ApiError, type Webhook } from "../../api";
import { CopyButton, Field, ProblemAlert, Skeleton } from "../../components";
import { timeAgo } from "../../lib/format";
import { Deliveries } from "./Deliveries";

const EVENTS = ["launch.confirmed", "launch.failed"];

export function Webhooks() {
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<(Webhook & { secret: string }) | null>(null);

  const refresh = () => listWebhooks().then((r) => { setHooks(r.webhooks); setError(null); }, (e) => { setError(asApiError(e)); setHooks((h) => h ?? []); });
  useEffect(() => void refresh(), []);

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
      <WebhookForm onCreated={async (h) => { setCreated(h); await refresh(); }} onError={setError} />
      {hooks === null ? (
        <Skeleton lines={2} />
      ) : hooks.length === 0 ? (
        <p class="empty">No webhooks yet.</p>
      ) : (
        <HookList hooks={hooks} remove={remove} />
      )}
    </section>
  );
}

type WebhookFormProps = { onCreated: (h: Webhook & { secret: string }) => Promise<void>; onError: (e: ApiError) => void };

function WebhookForm({ onCreated, onError }: WebhookFormProps) {
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<string[]>([...EVENTS]);
  const [formError, setFormError] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

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
      setUrl("");
      await onCreated(h);
    } catch (err) {
      const ae = asApiError(err);
      onError(ae);
      setFormError(Object.fromEntries(ae.errors.map((x) => [x.path.split(".")[0] || "url", x.message])));
    } finally {
      setBusy(false);
    }
  }

  return (
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
  );
}

function HookList({ hooks, remove }: { hooks: Webhook[]; remove: (id: string) => Promise<void> }) {
  // The webhook whose delivery log is open (one at a time).
  const [open, setOpen] = useState<string | null>(null);
  return (
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
  );
}
