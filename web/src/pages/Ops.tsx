// Operations (admins): each chain's RPC endpoints with their circuit breaker and
// token bucket, the backlog, the emergency pause (paused chains, pause / resume),
// the dead-letter queue with replay (one / all), and the latest failed launches; open alerts and the paging
// history, charts of the last hour / day (ops/Charts.tsx, uPlot loaded on this page only); refreshed every few seconds while the tab is visible.
// The data and replays: ops/use-ops-report.ts; each section: ops/*.tsx.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { getChains } from "../api";
import { PageTitle, ProblemAlert, Skeleton, usePageTitle } from "../components";
import { sessionStore } from "../session";
import { useStore } from "../store";
import { Chains, StatusText } from "./ops/Chains";
import { DeadLetters } from "./ops/DeadLetters";
import { PausedChains } from "./ops/PausedChains";
import { OperatorSignIn, useOperatorToken } from "./ops/OperatorAccess";
import { RecentFailures } from "./ops/RecentFailures";
import { OpsCharts } from "./ops/Charts";
import { OpsAlerts } from "./ops/Alerts";
import { REFRESH_MS, useOpsReport } from "./ops/use-ops-report";

export default function Ops(_: { params: Record<string, string> }) {
  usePageTitle("Operations");
  const session = useStore(sessionStore);
  const operatorToken = useOperatorToken();
  const { token } = operatorToken;
  const isAdmin = session.status === "user" && session.user.role === "admin";
  const bearer = isAdmin ? undefined : token || undefined;
  const allowed = isAdmin || !!token;

  const [symbols, setSymbols] = useState<Record<string, string>>({});
  useEffect(() => {
    getChains().then((cs) => setSymbols(Object.fromEntries(cs.map((c) => [c.id, c.nativeSymbol]))), () => undefined);
  }, []);
  const report = useOpsReport(allowed, bearer, isAdmin);
  const { health, letters, updated } = report;

  if (session.status === "loading") return <section><PageTitle>Operations</PageTitle><Skeleton lines={8} /></section>;
  if (!allowed) return <OperatorSignIn signedIn={session.status === "user"} operatorToken={operatorToken} />;

  const open = letters?.filter((l) => !l.replayedAt) ?? [];
  return (
    <section class="ops">
      <PageTitle>Operations</PageTitle>
      <p class="hint" aria-live="off">
        {health ? <>Overall: <StatusText status={health.status} /> · </> : null}
        {updated ? `updated ${updated.toLocaleTimeString()}, every ${REFRESH_MS / 1000} s` : "loading…"}
        {!isAdmin && <> · <button type="button" class="link" onClick={operatorToken.forget}>forget the operator token</button></>}
      </p>
      <ProblemAlert error={report.healthError} />

      <div class="stat-row">
        <Stat label="Queued" value={health?.backlog?.queued} />
        <Stat label="Submitted" value={health?.backlog?.submitted} />
        <Stat label="Dead letters" value={letters && report.dlqAvailable ? open.length : undefined} />
        <Stat label="D1" value={health?.d1 ? (health.d1.ok ? `${health.d1.latencyMs} ms` : "down") : undefined} />
        <Stat label="KV" value={health?.kv ? (health.kv.ok ? `${health.kv.latencyMs} ms` : "down") : undefined} />
      </div>

      <OpsAlerts bearer={bearer} />
      <OpsCharts bearer={bearer} />
      <PausedChains bearer={bearer} />
      <Chains health={health} symbolOf={(id) => symbols[id] ?? ""} />
      <DeadLetters report={report} />
      {isAdmin && <RecentFailures failures={report.failures} />}
    </section>
  );
}

const Stat = ({ label, value }: { label: string; value: ComponentChildren | undefined }) => (
  <div class="stat">
    <span class="stat-value">{value ?? "—"}</span>
    <span class="stat-label">{label}</span>
  </div>
);
