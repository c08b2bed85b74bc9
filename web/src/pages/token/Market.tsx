// The token page's market card: price, FDV or market cap (FDV, labelled, when
// the market cap is unknown), 24 h volume, liquidity, holders and supply from
// the API (the cron's roll-ups), and a price chart whose library (uPlot) is
// loaded only here, only when there are points to draw.
import { useEffect, useRef, useState } from "preact/hooks";
import { getMarketHistory, type MarketPoint, type Token } from "../../api";
import { formatUsd, formatWhole, timeAgo } from "../../lib/format";

export function MarketCard({ record }: { record: Token | null | undefined }) {
  const m = record?.market ?? null;
  const s = record?.stats ?? null;
  const cap = m?.marketCapUsd ?? null;
  return (
    <section aria-labelledby="market-title" class="card market-card" aria-busy={record === undefined} data-testid="market">
      <h2 id="market-title">Market</h2>
      {m?.stale && <p class="hint" data-testid="market-stale">Prices may be out of date (last updated {timeAgo(m.asOf!)}).</p>}
      <dl class="facts">
        <dt>Price</dt>
        <dd data-testid="market-price">{m ? formatUsd(m.priceUsd) : "—"}</dd>
        <dt>{cap === null && m?.fdvUsd != null ? "FDV" : "Market cap"}</dt>
        <dd data-testid="market-cap">{formatUsd(cap ?? m?.fdvUsd)}</dd>
        <dt>24 h volume</dt>
        <dd data-testid="market-volume">{formatUsd(m?.volume24hUsd)}</dd>
        <dt>Liquidity</dt>
        <dd data-testid="market-liquidity">{formatUsd(m?.liquidityUsd)}{m?.dex ? <span class="hint"> · {m.dex}</span> : null}</dd>
        <dt>Holders</dt>
        <dd data-testid="market-holders">{s ? formatWhole(String(s.holders)) : "—"}</dd>
        <dt>Supply</dt>
        <dd data-testid="market-supply">{s ? formatWhole(s.supply) : record ? formatWhole(record.initialSupply) : "—"}</dd>
      </dl>
      {record && !m?.pool && <p class="hint">No trading pool tracked yet.</p>}
      {record && m?.pool && <PriceChart chain={record.chain} address={record.address} />}
    </section>
  );
}

/** The price series as a uPlot line, sized to its box; the library arrives with the first points. */
function PriceChart({ chain, address }: { chain: string; address: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [points, setPoints] = useState<MarketPoint[] | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    getMarketHistory(chain, address, "7d", ctl.signal).then((r) => setPoints(r.points), () => !ctl.signal.aborted && setPoints([]));
    return () => ctl.abort();
  }, [chain, address]);
  useEffect(() => {
    if (!points?.length || !box.current) return;
    let dispose: (() => void) | null = null;
    let cancelled = false;
    import("./chart").then(({ drawPriceChart }) => {
      if (!cancelled && box.current) dispose = drawPriceChart(box.current, points);
    });
    return () => {
      cancelled = true;
      dispose?.();
    };
  }, [points]);
  const last = points?.at(-1);
  return (
    <figure class="price-chart">
      <div ref={box} class="chart-box" role="img" aria-label={last ? `Price over the last 7 days, now ${formatUsd(last.priceUsd)}` : "Price chart"} data-testid="price-chart" />
      <figcaption class="hint">{points === null ? "Loading the price history…" : points.length ? `Price in USD, ${points.length} points over 7 days` : "No price history yet."}</figcaption>
    </figure>
  );
}
