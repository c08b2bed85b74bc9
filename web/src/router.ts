// Client-side routing with real URLs: History API, one delegated click handler
// for same-origin <a href> links, and a path store. The api Worker's SPA
// fallback serves index.html for every page URL, so deep links and reloads work.
import { createStore, useStore } from "./store";

export type Loc = { path: string; search: string; state: unknown };
const read = (): Loc => ({ path: location.pathname, search: location.search, state: history.state });
export const locationStore = createStore<Loc>(read());

/**
 * Set by client-side navigation, taken by the next page heading that mounts: focus
 * moves to the new page's <h1> (WCAG 2.4.3), not on the first load.
 */
let focusPending = false;
export function takeFocusRequest(): boolean {
  const v = focusPending;
  focusPending = false;
  return v;
}

export function navigate(to: string, opts: { replace?: boolean; state?: unknown } = {}) {
  const url = new URL(to, location.href);
  const same = url.pathname === location.pathname && url.search === location.search;
  if (url.pathname !== location.pathname) focusPending = true;
  history[opts.replace || same ? "replaceState" : "pushState"](opts.state ?? null, "", url.pathname + url.search + url.hash);
  locationStore.set(read());
  if (!same && !url.hash) scrollTo(0, 0);
}

export const useLocation = () => useStore(locationStore);

/** Same-origin, plain left clicks on app links are handled here; everything else is the browser's. */
export function installLinkHandler(prefetch: (path: string) => void) {
  addEventListener("popstate", () => {
    focusPending = true;
    locationStore.set(read());
  });
  document.addEventListener("click", (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.("a");
    if (!a || !a.href || a.target || a.hasAttribute("download") || a.getAttribute("rel")?.includes("external")) return;
    const url = new URL(a.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
  // Warm the route's code when a link is about to be used.
  const warm = (e: Event) => {
    const a = (e.target as Element | null)?.closest?.("a");
    if (a?.href) {
      const url = new URL(a.href);
      if (url.origin === location.origin) prefetch(url.pathname);
    }
  };
  document.addEventListener("pointerover", warm, { passive: true });
  document.addEventListener("focusin", warm);
  document.addEventListener("touchstart", warm, { passive: true });
}

type Match = { name: string; params: Record<string, string> };

/** Patterns like "/tokens/:chain/:address"; params are URI-decoded. */
export function matchRoute(path: string, patterns: Record<string, string>): Match | null {
  const parts = path.replace(/\/+$/, "").split("/").slice(1);
  for (const [name, pattern] of Object.entries(patterns)) {
    const want = pattern.replace(/\/+$/, "").split("/").slice(1);
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < want.length && ok; i++) {
      const w = want[i]!;
      const p = parts[i]!;
      if (w.startsWith(":")) {
        try {
          params[w.slice(1)] = decodeURIComponent(p);
        } catch {
          ok = false;
        }
        ok &&= p.length > 0;
      } else ok = w === p;
    }
    if (ok) return { name, params };
  }
  return null;
}
