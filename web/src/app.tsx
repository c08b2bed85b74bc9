// The app shell: header (brand, navigation, account), the page for the URL, a
// footer. Home is in the first bundle; every other page is its own chunk, loaded
// when its URL is visited (or warmed when a link to it is hovered or focused).
import type { ComponentType } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { matchRoute, useLocation } from "./router";
import { openSignIn, sessionStore, signInStore, signOut, walletStore } from "./session";
import { useStore } from "./store";
import { shortAddress } from "./lib/format";
import { checksumAddress, isHexAddress } from "./lib/keccak";
import Home from "./pages/Home";
import NotFound from "./pages/NotFound";

type PageModule = { default: ComponentType<{ params: Record<string, string> }> };

const ROUTES = {
  home: "/",
  launch: "/launch",
  launchStatus: "/launches/:id",
  tokens: "/tokens",
  token: "/tokens/:chain/:address",
  me: "/me",
  ops: "/ops",
};

const LOADERS: Record<string, () => Promise<PageModule>> = {
  launch: () => import("./pages/Create"),
  launchStatus: () => import("./pages/LaunchStatus"),
  tokens: () => import("./pages/Tokens"),
  token: () => import("./pages/Token"),
  me: () => import("./pages/Me"),
  ops: () => import("./pages/Ops"),
};

const loaded = new Map<string, ComponentType<{ params: Record<string, string> }>>();
const loading = new Map<string, Promise<PageModule>>();

function load(name: string) {
  let p = loading.get(name);
  if (!p) {
    p = LOADERS[name]!();
    loading.set(name, p);
    p.then((m) => loaded.set(name, m.default), () => loading.delete(name));
  }
  return p;
}

export function prefetchPath(path: string) {
  const m = matchRoute(path, ROUTES);
  if (m && LOADERS[m.name]) void load(m.name).catch(() => undefined);
}

function Page() {
  const loc = useLocation();
  const match = matchRoute(loc.path, ROUTES);
  const name = match?.name;
  const [, rerender] = useState(0);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    setFailed(null);
    if (name && LOADERS[name] && !loaded.has(name)) {
      load(name).then(() => rerender((n) => n + 1), () => setFailed(name));
    }
  }, [name]);

  if (!match) return <NotFound params={{}} />;
  if (match.name === "home") return <Home params={{}} />;
  const Comp = loaded.get(match.name);
  if (Comp) return <Comp key={loc.path} params={match.params} />;
  if (failed === match.name) {
    return (
      <div class="alert" role="alert">
        <p><strong>This page could not be loaded.</strong> Check your connection, then <a href={loc.path + loc.search}>reload</a>.</p>
      </div>
    );
  }
  return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
}

function Account() {
  const session = useStore(sessionStore);
  const wallet = useStore(walletStore);
  if (session.status === "loading") return <div class="account" aria-hidden="true"><span class="account-placeholder" /></div>;
  if (session.status === "anon") {
    return (
      <div class="account">
        <button type="button" class="small" onClick={() => openSignIn()} data-testid="sign-in">Sign in</button>
      </div>
    );
  }
  const raw = session.user.walletAddress;
  const addr = isHexAddress(raw) ? checksumAddress(raw) : raw;
  return (
    <div class="account">
      <a href="/me" class="account-chip" title={addr} data-testid="account">
        {wallet?.icon && <img src={wallet.icon} alt="" width={18} height={18} />}
        <span class="visually-hidden">Signed in as </span>
        {shortAddress(addr)}
      </a>
      <button type="button" class="small secondary sign-out" onClick={() => void signOut()} data-testid="sign-out">Sign out</button>
    </div>
  );
}

function Nav() {
  const loc = useLocation();
  const session = useStore(sessionStore);
  const admin = session.status === "user" && session.user.role === "admin";
  const link = (href: string, text: string) => {
    const current = href === "/" ? loc.path === "/" : loc.path === href || loc.path.startsWith(href + "/") || (href === "/launch" && loc.path.startsWith("/launches/"));
    return (
      <a href={href} aria-current={current ? "page" : undefined}>{text}</a>
    );
  };
  return (
    <nav aria-label="Main" class="nav">
      {link("/launch", "Launch")}
      {link("/tokens", "Explore")}
      {link("/me", "My account")}
      {admin && link("/ops", "Ops")}
    </nav>
  );
}

type DialogModule = { default: ComponentType<{ reason?: string }> };
let dialogModule: Promise<DialogModule> | null = null;

function SignInDialog() {
  const state = useStore(signInStore);
  const [Dialog, setDialog] = useState<ComponentType<{ reason?: string }> | null>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    if (!state.open) {
      // Give focus back to what opened the dialog.
      (opener.current as HTMLElement | null)?.focus?.();
      opener.current = null;
      return;
    }
    opener.current = document.activeElement;
    dialogModule ??= import("./wallet/WalletDialog");
    dialogModule.then((m) => setDialog(() => m.default), () => (dialogModule = null));
  }, [state.open]);
  return state.open && Dialog ? <Dialog reason={state.reason} /> : null;
}

export function App() {
  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="site-header">
        <div class="bar">
          <a href="/" class="brand" aria-label="TokenForge home">
            <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
              <path d="M4 4h16v4h-6v12h-4V8H4z" fill="currentColor" />
            </svg>
            <span>TokenForge</span>
          </a>
          <Nav />
          <Account />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page />
      </main>
      <footer class="site-footer">
        <p>
          TokenForge · launch tokens on EVM chains and Solana ·{" "}
          <a href="/api/v1/openapi.json">API (OpenAPI)</a> · <a href="/api/v1/health">Status</a>
        </p>
      </footer>
      <SignInDialog />
    </>
  );
}
