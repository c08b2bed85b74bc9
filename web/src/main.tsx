// TokenForge web app (minimal): create a launch, then watch its status.
// The launch being watched lives in the URL (?launch=<id>) so a reload keeps it.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, getChains, type Accepted, type Chain, type Launch } from "./api";
import { LaunchForm } from "./LaunchForm";
import { LaunchView } from "./LaunchView";
import "./style.css";

const launchParam = () => new URLSearchParams(location.search).get("launch") || null;

function App() {
  const [chains, setChains] = useState<Chain[] | null>(null);
  const [chainsError, setChainsError] = useState<ApiError | null>(null);
  const [chainsTry, setChainsTry] = useState(0);
  const [launchId, setLaunchId] = useState(launchParam);
  const [accepted, setAccepted] = useState<Launch | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setChainsError(null);
    getChains(ctl.signal)
      .then((r) => setChains(r.chains))
      .catch((e) => {
        if (!ctl.signal.aborted) setChainsError(e instanceof ApiError ? e : new ApiError(0, "Something went wrong", String(e), []));
      });
    return () => ctl.abort();
  }, [chainsTry]);

  useEffect(() => {
    const onPop = () => {
      setAccepted(null);
      setLaunchId(launchParam());
    };
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);

  function launched(a: Accepted) {
    setAccepted({ id: a.id, status: a.status, chain: a.chain, address: a.address, error: null, events: [] });
    history.pushState(null, "", `?launch=${encodeURIComponent(a.id)}`);
    setLaunchId(a.id);
  }

  function startOver() {
    history.pushState(null, "", location.pathname);
    setAccepted(null);
    setLaunchId(null);
  }

  return (
    <>
      <header>
        <h1>TokenForge</h1>
        <p class="hint">Launch a token on EVM chains or Solana.</p>
      </header>
      <main>
        {launchId ? (
          <LaunchView key={launchId} id={launchId} initial={accepted?.id === launchId ? accepted : null} chains={chains} onNew={startOver} />
        ) : (
          <LaunchForm chains={chains} chainsError={chainsError} onRetryChains={() => setChainsTry((n) => n + 1)} onLaunched={launched} />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
