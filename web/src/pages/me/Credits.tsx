// My credits (issue 17): balances per chain, how to deposit (each chain's treasury
// as text and a QR code), submitting a deposit's transaction, and the ledger.
import { useEffect, useState } from "preact/hooks";
import { asApiError, getChains, getCredits, listDeposits, submitDeposit, type ApiError, type Chain, type Credits as CreditsView, type Deposit } from "../../api";
import { CopyButton, ProblemAlert, Skeleton } from "../../components";
import { formatDateTime, formatNative } from "../../lib/format";
import { TreasuryQr } from "./TreasuryQr";

const decimalsOf = (chains: Chain[], id: string) => (chains.find((c) => c.id === id)?.family === "solana" ? 9 : 18);
const symbolOf = (chains: Chain[], id: string) => chains.find((c) => c.id === id)?.nativeSymbol ?? "";

export function Credits() {
  const [chains, setChains] = useState<Chain[] | null>(null);
  const [credits, setCredits] = useState<CreditsView | null>(null);
  const [deposits, setDeposits] = useState<Deposit[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const refresh = () => Promise.all([getCredits(), listDeposits()]).then(([c, d]) => { setCredits(c); setDeposits(d.deposits); }, (e) => setError(asApiError(e)));
  useEffect(() => {
    getChains().then(setChains, (e) => setError(asApiError(e)));
    void refresh();
  }, []);
  if (!chains || !credits) return <section id="credits" class="card"><h2>Credits</h2><ProblemAlert error={error} /><Skeleton lines={4} /></section>;
  const amount = (chain: string, raw: string) => formatNative(raw, decimalsOf(chains, chain), symbolOf(chains, chain));
  return (
    <section id="credits" aria-labelledby="credits-title" class="card">
      <h2 id="credits-title">Credits</h2>
      <p class="hint">Launches the platform pays for (API keys, agents) are paid from these.</p>
      <ProblemAlert error={error} />
      {credits.balances.length === 0 ? <p class="empty">No credits yet.</p> : (
        <ul data-testid="balances">
          {credits.balances.map((b) => <li><strong>{b.chain}</strong>: {amount(b.chain, b.available)} available{b.reserved !== "0" && <>, {amount(b.chain, b.reserved)} reserved</>}</li>)}
        </ul>
      )}
      <DepositHow chains={chains} />
      <DepositForm chains={chains} onDone={refresh} />
      {deposits.length > 0 && <p class="hint">Latest deposits: {deposits.slice(0, 5).map((d) => `${d.chain} ${amount(d.chain, d.amount)} (${d.status})`).join(" · ")}</p>}
      <Ledger credits={credits} amount={amount} />
    </section>
  );
}

function DepositHow({ chains }: { chains: Chain[] }) {
  const withTreasury = chains.filter((c) => c.treasury);
  return (
    <details>
      <summary>How to deposit</summary>
      <p class="hint">Send the chain's native currency from one of your wallets to its treasury, in a plain transfer; then submit the transaction below. It is credited once final.</p>
      {withTreasury.map((c) => (
        <div class="deposit-to">
          <p><strong>{c.name}</strong>: <code class="wrap" data-testid={`treasury-${c.id}`}>{c.treasury}</code> <CopyButton text={c.treasury!} label="Copy address" /></p>
          <TreasuryQr address={c.treasury!} label={`QR code of the ${c.name} treasury address`} />
        </div>
      ))}
    </details>
  );
}

function DepositForm({ chains, onDone }: { chains: Chain[]; onDone: () => Promise<unknown> }) {
  const [chain, setChain] = useState(chains[0]?.id ?? "");
  const [tx, setTx] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    const family = chains.find((c) => c.id === chain)?.family;
    try {
      const r = await submitDeposit(chain, family === "solana" ? { signature: tx.trim() } : { txHash: tx.trim() });
      setNote(r.deposit.status === "credited" ? "Credited." : "Seen; it is credited once final.");
      setTx("");
      await onDone();
    } catch (err) {
      setError(asApiError(err));
    }
  }
  return (
    <form onSubmit={submit} class="deposit-form">
      <label>Chain <select value={chain} onChange={(e) => setChain((e.target as HTMLSelectElement).value)}>{chains.map((c) => <option value={c.id}>{c.name}</option>)}</select></label>
      <label>Transaction hash or signature <input value={tx} required onInput={(e) => setTx((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" class="small">Submit deposit</button>
      {note && <p role="status">{note}</p>}
      <ProblemAlert error={error} />
    </form>
  );
}

function Ledger({ credits, amount }: { credits: CreditsView; amount: (chain: string, raw: string) => string }) {
  if (!credits.entries.length) return null;
  return (
    <div class="table-wrap">
      <table class="table" data-testid="ledger">
        <caption>Ledger (newest first)</caption>
        <thead><tr><th scope="col">When</th><th scope="col">Kind</th><th scope="col">Chain</th><th scope="col">Amount</th><th scope="col">Cause</th></tr></thead>
        <tbody>
          {credits.entries.map((e) => (
            <tr>
              <td data-label="When">{formatDateTime(e.at)}</td>
              <td data-label="Kind">{e.kind}</td>
              <td data-label="Chain">{e.chain}</td>
              <td data-label="Amount">{amount(e.chain, e.amount)}</td>
              <td data-label="Cause">{e.cause.type}{e.cause.launchId ? ` ${e.cause.launchId}` : ""}{e.cause.tx ? ` ${e.cause.tx.slice(0, 12)}…` : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
