// My wallets: the one I signed up with and those I linked, and linking another by
// signing in with it (wallet/link.ts, loaded on demand). Deposits are credited
// only from these wallets.
import { useEffect, useState } from "preact/hooks";
import { asApiError, getMyWallets, type ApiError, type Wallet } from "../../api";
import { ProblemAlert, Skeleton } from "../../components";

export function Wallets({ onChange }: { onChange?: (w: Wallet[]) => void }) {
  const [wallets, setWallets] = useState<Wallet[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const refresh = () => getMyWallets().then((w) => { setWallets(w); onChange?.(w); }, (e) => setError(asApiError(e)));
  useEffect(() => void refresh(), []);

  async function link(family: "evm" | "solana") {
    setBusy(true);
    setError(null);
    try {
      const { linkEvm, linkSolana } = await import("../../wallet/link");
      await (family === "evm" ? linkEvm() : linkSolana());
      await refresh();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section id="wallets" aria-labelledby="wallets-title" class="card">
      <h2 id="wallets-title">Wallets</h2>
      <p class="hint">Deposits are credited only from these. To link another, select it in your wallet, then sign in with it here.</p>
      <ProblemAlert error={error} />
      {wallets === null ? <Skeleton lines={2} /> : (
        <ul class="wallets" data-testid="wallets">
          {wallets.map((w) => (
            <li><code class="wrap">{w.address}</code> <span class="hint">{w.family === "evm" ? "EVM" : "Solana"}{w.primary ? " · signed up with" : " · linked"}</span></li>
          ))}
        </ul>
      )}
      <p>
        <button type="button" class="small" disabled={busy} onClick={() => void link("evm")}>Link an EVM wallet</button>{" "}
        <button type="button" class="small secondary" disabled={busy} onClick={() => void link("solana")}>Link a Solana wallet</button>
      </p>
    </section>
  );
}
