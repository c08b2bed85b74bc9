// Small pieces every page uses: fields with inline errors, copy buttons, status
// badges, problem alerts, page titles. All user and chain text is rendered as
// text nodes (JSX escapes it); nothing here sets innerHTML.
import { cloneElement, type ComponentChildren, type JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiError, LaunchStatus } from "./api";
import { takeFocusRequest } from "./router";

export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · TokenForge` : "TokenForge — launch tokens on EVM chains and Solana";
  }, [title]);
}

/** The page heading; after client-side navigation, focus moves here (screen readers announce the new page). */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeFocusRequest()) ref.current?.focus({ preventScroll: true });
  }, []);
  return <h1 tabIndex={-1} class="page-title" ref={ref}>{children}</h1>;
}

type FieldProps = { id: string; label: ComponentChildren; error?: string; hint?: ComponentChildren; children: JSX.Element; class?: string };

/** A label, the control, a hint and an error, wired with aria-describedby / aria-invalid. */
export function Field({ id, label, error, hint, children, class: cls }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const control = cloneElement(children, { id, "aria-invalid": error ? "true" : undefined, "aria-describedby": describedBy });
  return (
    <div class={`field${cls ? " " + cls : ""}`}>
      <label for={id}>{label}</label>
      {control}
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      <p class="error" id={`${id}-error`} aria-live="polite">{error ?? ""}</p>
    </div>
  );
}

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [done, setDone] = useState<"" | "ok" | "fail">("");
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setDone("ok");
    } catch {
      setDone("fail");
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setDone(""), 2000) as unknown as number;
  }
  return (
    <button type="button" class="small secondary copy" onClick={copy} aria-label={done ? undefined : `${label}: ${text.length > 20 ? "value" : text}`}>
      <span aria-live="polite">{done === "ok" ? "Copied" : done === "fail" ? "Copy failed" : label}</span>
    </button>
  );
}

const STATUS_TEXT: Record<LaunchStatus, string> = {
  awaiting_payment: "Awaiting payment", queued: "Queued", submitted: "Submitted", confirmed: "Confirmed", failed: "Failed", expired: "Expired",
};
export const StatusBadge = ({ status }: { status: LaunchStatus }) => (
  <span class={`badge badge-${status}`} data-testid="status">{STATUS_TEXT[status] ?? status}</span>
);

export function ProblemAlert({ error, onRetry }: { error: ApiError | null; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div class="alert" role="alert">
      <p>
        <strong>{error.title}</strong>
        {error.detail && <> — {error.detail}</>}
      </p>
      {error.errors.length > 0 && (
        <ul>
          {error.errors.map((e) => (
            <li>{e.path ? `${e.path}: ${e.message}` : e.message}</li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" class="small secondary" onClick={onRetry}>Try again</button>
      )}
    </div>
  );
}

export const ExternalLink = ({ href, children }: { href: string | undefined; children: ComponentChildren }) =>
  href ? (
    <a href={href} target="_blank" rel="noopener noreferrer external">
      {children}
      <span class="visually-hidden"> (opens in a new tab)</span>
    </a>
  ) : null;

/** A mono value that wraps anywhere (addresses, hashes), with a copy button. */
export const Mono = ({ value, copy = true, testid }: { value: string; copy?: boolean; testid?: string }) => (
  <span class="mono-row">
    <code data-testid={testid}>{value}</code>
    {copy && <CopyButton text={value} />}
  </span>
);

/** Grey blocks that hold the space of content still loading (no layout shift when it arrives). */
export const Skeleton = ({ lines = 3, height }: { lines?: number; height?: string }) => (
  <div class="skeleton" aria-hidden="true" style={height ? { height } : undefined}>
    {Array.from({ length: lines }, () => <span />)}
  </div>
);
