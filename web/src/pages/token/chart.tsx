// uPlot (a small, well-kept time-series chart) for the token page's price line.
// Imported dynamically by Market.tsx, so it never weighs on other pages.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { MarketPoint } from "../../api";

/** Draws the series into `el`, following its width; returns a disposer. */
export function drawPriceChart(el: HTMLElement, points: MarketPoint[]): () => void {
  const xs = points.map((p) => Date.parse(p.t) / 1000);
  const ys = points.map((p) => p.priceUsd);
  const size = () => ({ width: Math.max(200, el.clientWidth), height: el.clientWidth < 500 ? 180 : 240 });
  const plot = new uPlot({
    ...size(),
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true } },
    axes: [{ stroke: "#6b7280" }, { stroke: "#6b7280", size: 64, values: (_u, vals) => vals.map((v) => (v >= 1 ? `$${v.toFixed(2)}` : `$${v.toPrecision(2)}`)) }],
    series: [{}, { label: "Price (USD)", stroke: "#4f46e5", width: 2, fill: "rgba(79, 70, 229, 0.08)", points: { show: points.length < 3 } }],
  }, [xs, ys as number[]], el);
  const ro = new ResizeObserver(() => plot.setSize(size()));
  ro.observe(el);
  return () => {
    ro.disconnect();
    plot.destroy();
  };
}
