// Who is signed in (GET /api/v1/me, answered from the HttpOnly session cookie)
// and which wallet this tab connected. Loaded with the first page; the wallet
// code itself (discovery, signing) is a separate chunk fetched on demand.
import { ApiError, getMe, signOut as apiSignOut, type User } from "./api";
import { createStore } from "./store";

export type Session =
  | { status: "loading" }
  | { status: "anon"; error?: string }
  | { status: "user"; user: User };

export const sessionStore = createStore<Session>({ status: "loading" });

/** The wallet connected in this tab (the provider objects stay in the wallet chunk). */
export type ConnectedWallet = { family: "evm" | "solana"; id: string; name: string; icon: string | null; address: string; chainId?: number };
export const walletStore = createStore<ConnectedWallet | null>(null);

// The session cookie is HttpOnly, so the page cannot see it; a flag in storage
// says "this browser signed in", and only then is GET /me asked. Visitors who
// never signed in cost no request and see no 401 in the console.
const SIGNED_IN = "tokenforge.signedIn";
function signedInHint(v?: boolean): boolean {
  try {
    if (v === true) localStorage.setItem(SIGNED_IN, "1");
    else if (v === false) localStorage.removeItem(SIGNED_IN);
    return localStorage.getItem(SIGNED_IN) === "1";
  } catch {
    return true; // no storage: ask the API every time
  }
}

/** Reads the session. `afterSignIn`: the API just set the cookie. */
export async function loadSession(afterSignIn = false) {
  if (afterSignIn) signedInHint(true);
  if (!signedInHint()) {
    sessionStore.set({ status: "anon" });
    return;
  }
  try {
    const { user } = await getMe();
    sessionStore.set({ status: "user", user });
  } catch (e) {
    const err = e instanceof ApiError ? e : null;
    if (err?.status === 401) signedInHint(false);
    // 401: not signed in (any more). Anything else: say so; browsing still works.
    sessionStore.set({ status: "anon", error: err && err.status !== 401 ? err.message : undefined });
  }
}

export async function signOut() {
  try {
    await apiSignOut();
  } finally {
    signedInHint(false);
    walletStore.set(null);
    forgetWallet();
    sessionStore.set({ status: "anon" });
  }
}

/** The sign-in dialog: open/closed, and what the user was doing when it opened. */
export const signInStore = createStore<{ open: boolean; reason?: string }>({ open: false });
export const openSignIn = (reason?: string) => signInStore.set({ open: true, reason });
export const closeSignIn = () => signInStore.set({ open: false });

const LAST_WALLET = "tokenforge.wallet";
export function rememberWallet(w: { family: string; id: string }) {
  try {
    localStorage.setItem(LAST_WALLET, JSON.stringify({ family: w.family, id: w.id }));
  } catch {
    /* storage disabled */
  }
}
export function lastWallet(): { family: "evm" | "solana"; id: string } | null {
  try {
    const v = JSON.parse(localStorage.getItem(LAST_WALLET) ?? "null");
    return v && typeof v.id === "string" && (v.family === "evm" || v.family === "solana") ? v : null;
  } catch {
    return null;
  }
}
function forgetWallet() {
  try {
    localStorage.removeItem(LAST_WALLET);
  } catch {
    /* storage disabled */
  }
}
