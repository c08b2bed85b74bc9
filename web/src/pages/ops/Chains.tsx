// Operations → each chain's health: the deployer's balance, and per RPC endpoint
// its circuit breaker, token bucket, latency and head.
import type { Health, HealthEndpoint } from "../../api";
import { Skeleton } from "../../components";
import { formatNative } from "../../lib/format";

/** A health state as a coloured pill (ok / closed green, degraded / half-open amber, anything else red). */
export const StatusText = ({ status }: { status: string }) => (
  <span class={`pill pill-${status === "ok" || status === "closed" ? "ok" : status === "degraded" || status === "half-open" ? "warn" : "bad"}`}>{status}</span>
);

/** `symbolOf`: a chain's native currency symbol, for the deployer's balance. */
export function Chains({ health, symbolOf }: { health: Health | null; symbolOf: (chain: string) => string }) {
  return (
    <section aria-labelledby="chains-title">
      <h2 id="chains-title">Chains</h2>
      {!health ? <Skeleton lines={4} /> : (
        <div class="chain-cards">
          {health.chains.map((c) => <ChainCard chain={c} symbol={symbolOf(c.id)} />)}
        </div>
      )}
    </section>
  );
}

function ChainCard({ chain: c, symbol }: { chain: Health["chains"][number]; symbol: string }) {
  return (
    <section class="card" aria-label={c.id}>
      <h3>{c.id} <StatusText status={c.status} /></h3>
      <Extra value={c.bucket} label="Bucket" />
      {c.deployer && (
        <p class="hint">
          Deployer <code class="wrap">{c.deployer.address}</code>:{" "}
          {c.deployer.balanceWei !== undefined
            ? formatNative(c.deployer.balanceWei, 18, symbol)
            : formatNative(c.deployer.balanceLamports ?? "0", 9, "SOL")}{" "}
          <span class={`pill ${c.deployer.sufficient ? "pill-ok" : "pill-bad"}`}>{c.deployer.sufficient ? "funded" : "low: launches wait"}</span>
        </p>
      )}
      <div class="table-wrap">
        <table class="table">
          <caption class="visually-hidden">Endpoints of {c.id}</caption>
          <thead><tr><th scope="col">Endpoint</th><th scope="col">Breaker</th><th scope="col">Bucket</th><th scope="col">Latency</th><th scope="col">Head</th></tr></thead>
          <tbody>
            {c.endpoints.map((e) => (
              <tr>
                <td data-label="Endpoint"><span><strong>{e.provider}</strong> <code class="wrap">{e.endpoint}</code>{!e.reachable && <span class="error-text block">{e.error ?? "unreachable"}</span>}</span></td>
                <td data-label="Breaker"><span><Breaker e={e} /></span></td>
                <td data-label="Bucket"><Bucket value={e.bucket} /></td>
                <td data-label="Latency">{e.latencyMs != null ? `${e.latencyMs} ms` : "—"}</td>
                <td data-label="Head">{e.latest?.block ?? e.latest?.slot ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The breaker's state and recent error rate (absent when the health report has no view of the gate). */
function Breaker({ e }: { e: HealthEndpoint }) {
  const b = e.breaker;
  if (!b) return <span class="hint">—</span>;
  return (
    <>
      <StatusText status={b.state} />
      <span class="hint block">{Math.round(b.errorRate * 100)}% errors</span>
    </>
  );
}

/** Bucket fill as a bar: { tokens, capacity } or a fraction 0..1. */
function Bucket({ value }: { value: unknown }) {
  if (value === undefined || value === null) return <span class="hint">—</span>;
  let fill: number | null = null;
  let text = "";
  if (typeof value === "number") fill = value;
  else if (typeof value === "object") {
    const v = value as { tokens?: number; capacity?: number; fill?: number };
    if (typeof v.fill === "number") fill = v.fill;
    else if (typeof v.tokens === "number" && typeof v.capacity === "number" && v.capacity > 0) {
      fill = v.tokens / v.capacity;
      text = `${Math.floor(v.tokens)}/${v.capacity}`;
    }
  }
  if (fill === null) return <code>{JSON.stringify(value)}</code>;
  const pct = Math.max(0, Math.min(100, Math.round(fill * 100)));
  return (
    <span class="bucket">
      <meter min={0} max={100} value={pct} aria-label="Bucket fill">{pct}%</meter>
      <span class="hint">{text || `${pct}%`}</span>
    </span>
  );
}

function Extra({ value, label }: { value: unknown; label: string }) {
  if (value === undefined || value === null) return null;
  return <p class="hint">{label}: <Bucket value={value} /></p>;
}
