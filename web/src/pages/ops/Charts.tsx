// The Ops page's charts over the last hour or day (launches per minute, confirm
// latency percentiles, RPC error rate per endpoint, queued backlog per chain)
// from GET /api/v1/ops/charts, drawn with uPlot. uPlot and its CSS are imported
// when a chart mounts, so only the Ops page ever downloads them.
import { useEffect, useRef, useState } from "preact/hooks";
import type uPlot from "uplot";
import type { components } from "@tokenforge/api-types";
import { asApiError, request, type ApiError } from "../../api";
import { ProblemAlert } from "../../components";

type Window = ChartSeries["window"];
/** GET /api/v1/ops/charts. */
export type ChartSeries = components["schemas"]["ChartSeries"];

const CHART_REFRESH_MS = 30_000;
const COLORS = ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04"];

let uplotModule: Promise<typeof uPlot> | null = null;
function loadUplot(): Promise<typeof uPlot> {
  uplotModule ??= Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]).then(([m]) => m.default);
  return uplotModule;
}

export function OpsCharts({ bearer }: { bearer: string | undefined }) {
  const [window, setWindow] = useState<Window>("hour");
  const [data, setData] = useState<ChartSeries | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const d = await request<ChartSeries>(`/ops/charts?window=${window}`, { bearer });
        if (!stop) [setData(d), setError(null)];
      } catch (e) {
        if (!stop) setError(asApiError(e));
      }
      if (!stop) timer = setTimeout(load, CHART_REFRESH_MS);
    };
    void load();
    return () => [(stop = true), clearTimeout(timer)];
  }, [window, bearer]);

  const lines = (named: Record<string, (number | null)[]>) => Object.entries(named);
  return (
    <section aria-labelledby="ops-charts">
      <h2 id="ops-charts">Last {window}</h2>
      <div class="segmented" role="group" aria-label="Chart window">
        {(["hour", "day"] as const).map((w) => (
          <button type="button" key={w} aria-pressed={window === w} onClick={() => setWindow(w)}>{w === "hour" ? "Hour" : "Day"}</button>
        ))}
      </div>
      <ProblemAlert error={error} />
      {data && (
        <div class="ops-charts">
          <Chart title="Launches per minute" t={data.t} lines={lines(data.launches)} />
          <Chart title="Confirm latency, seconds" t={data.t} lines={lines(data.latency)} />
          <Chart title="RPC error rate per endpoint" t={data.t} lines={lines(data.errorRate)} percent />
          <Chart title="Queued backlog per chain" t={data.t} lines={lines(data.backlog)} />
        </div>
      )}
    </section>
  );
}

function Chart({ title, t, lines, percent }: { title: string; t: number[]; lines: [string, (number | null)[]][]; percent?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = lines.map(([name]) => name).join("|");
  useEffect(() => {
    let cancelled = false;
    void loadUplot().then((UPlot) => {
      if (cancelled || !box.current) return;
      const opts: uPlot.Options = {
        width: Math.max(280, box.current.clientWidth), height: 180,
        series: [{}, ...lines.map(([label], i) => ({ label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false, points: { show: true, size: 4 } }))],
        axes: [{}, { values: percent ? (_u: uPlot, v: number[]) => v.map((x) => `${Math.round(x * 100)}%`) : undefined, size: 50 }],
        scales: { y: { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(1, max)] } },
        legend: { live: false },
      };
      plot.current = new UPlot(opts, [t, ...lines.map(([, v]) => v)] as uPlot.AlignedData, box.current);
    });
    return () => {
      cancelled = true;
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape]);
  useEffect(() => {
    plot.current?.setData([t, ...lines.map(([, v]) => v)] as uPlot.AlignedData);
  }, [t, lines]);
  return (
    <figure class="ops-chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title}: ${lines.map(([n, v]) => `${n} latest ${v.at(-1) ?? "none"}`).join(", ") || "no data yet"}`} />
    </figure>
  );
}
