// My account: who is signed in, my credits and wallets (me/Credits.tsx,
// me/Wallets.tsx), then the launches I created (me/MyLaunches.tsx),
// my API keys (me/ApiKeys.tsx) and my webhooks (me/Webhooks.tsx). Needs a
// signed-in session.
import { PageTitle, Skeleton, usePageTitle } from "../components";
import { checksumAddress, isHexAddress } from "../lib/keccak";
import { openSignIn, sessionStore, signOut } from "../session";
import { useStore } from "../store";
import { ApiKeys } from "./me/ApiKeys";
import { Credits } from "./me/Credits";
import { Wallets } from "./me/Wallets";
import { MyLaunches } from "./me/MyLaunches";
import { Webhooks } from "./me/Webhooks";

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
        <a href="#credits">Credits</a> <a href="#wallets">Wallets</a> <a href="#launches">Launches</a> <a href="#keys">API keys</a> <a href="#webhooks">Webhooks</a>
      </nav>
      <Credits />
      <Wallets />
      <MyLaunches />
      <ApiKeys />
      <Webhooks />
    </section>
  );
}
