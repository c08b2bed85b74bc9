// OpenAPI entries for the operators' plain routes that are not in operators-doc.ts:
// monitoring (routes/ops.ts), the "now" calls forwarded to the cron Worker
// (backups, credit reconciliation, the X digest), reseal, the announcements'
// redelivery, and the MCP endpoint. Registered for the document only.
import { z } from "zod";
import { BackupNow, DigestRun, ReconcileCreditsReport } from "@tokenforge/core/ops-answers";
import { jsonContent, LIMITED, problems, security } from "../openapi";
import { Enqueued } from "../schemas";
import { ChartSeries, OpsAlerts, ResealResult } from "../ops-schemas";
import type { Registry } from "./operators-doc";

const ADMIN = { tags: ["operators"], security: security.user };
const ADMIN_TEXT = "Admin role (a session or an admin's API key). Every call writes an audit row.";
const adminProblems = problems("unauthorized", "forbidden", ...LIMITED);

export function documentOps(r: Registry) {
  documentMonitoring(r);
  documentRunsNow(r);
  documentMcp(r);
}

function documentMonitoring(r: Registry) {
  r.registerPath({
    ...ADMIN,
    method: "get",
    path: "/api/v1/metrics",
    operationId: "metrics",
    summary: "Prometheus text exposition of the platform's metrics",
    description:
      `${ADMIN_TEXT} Text format 0.0.4 for a Prometheus or Grafana Agent scrape (bearer: an admin's API key). Counters are summed over ` +
      "every stored minute (the cron Worker samples once a minute into D1), so they only grow, also across Worker restarts; gauges are " +
      "their newest minute. Series: tf_launches_total{chain,outcome}, tf_confirm_seconds (histogram), tf_rpc_calls_total / " +
      "tf_rpc_errors_total{chain,endpoint}, tf_queue_backlog{chain}, and the rest listed with # HELP in the answer.",
    responses: {
      200: { description: "The exposition", content: { "text/plain; version=0.0.4": { schema: z.string().meta({ example: "# TYPE tf_launches_total counter\ntf_launches_total{chain=\"base\",outcome=\"confirmed\"} 42\n" }) } } },
      ...adminProblems,
    },
  });
  r.registerPath({
    ...ADMIN,
    method: "get",
    path: "/api/v1/ops/charts",
    operationId: "opsCharts",
    summary: "The Ops page's chart series over the last hour or day",
    description: `${ADMIN_TEXT} Launches per minute by outcome, confirmation latency percentiles, RPC error rate per endpoint and queued backlog per chain, aligned on one time axis.`,
    request: { query: z.object({ window: z.enum(["hour", "day"]).optional().meta({ description: "hour (1-minute points, default) or day (10-minute points)" }) }) },
    responses: { 200: { description: "The series", content: jsonContent(ChartSeries) }, ...problems("validation-error", "unauthorized", "forbidden", ...LIMITED) },
  });
  r.registerPath({
    ...ADMIN,
    method: "get",
    path: "/api/v1/ops/alerts",
    operationId: "opsAlerts",
    summary: "Open alerts and the paging history",
    description: `${ADMIN_TEXT} Alerts are judged once a minute by the cron Worker (breakers open, backlog, failures, low deployer funds, spend); each trigger and resolve is paged to the configured sinks.`,
    responses: { 200: { description: "Open alerts and the last 100 pages", content: jsonContent(OpsAlerts) }, ...adminProblems },
  });
}

function documentRunsNow(r: Registry) {
  r.registerPath({
    ...ADMIN,
    method: "post",
    path: "/api/v1/admin/backups",
    operationId: "backupNow",
    summary: "Copy D1 to R2 now, whatever the backup interval",
    description: `${ADMIN_TEXT} Before a risky change. The copy's id is what \`npm run restore\` takes (docs/operations.md).`,
    responses: { 200: { description: "The copy's manifest, per table", content: jsonContent(BackupNow) }, ...adminProblems },
  });
  r.registerPath({
    ...ADMIN,
    method: "post",
    path: "/api/v1/admin/reconcile-credits",
    operationId: "reconcileCredits",
    summary: "Run the ledger reconciliation now and answer its full report",
    description: `${ADMIN_TEXT} The cron Worker runs it on a schedule; run it after a restore. Every correction names its cause; a second run corrects nothing.`,
    responses: { 200: { description: "The report", content: jsonContent(ReconcileCreditsReport) }, ...adminProblems },
  });
  r.registerPath({
    ...ADMIN,
    method: "post",
    path: "/api/v1/admin/reseal",
    operationId: "resealSecrets",
    summary: "Re-seal stored secrets under the current master key version (after a rotation)",
    description: `${ADMIN_TEXT} Call again while \`remaining\` is above 0.`,
    request: { query: z.object({ limit: z.string().regex(/^[0-9]{1,4}$/).optional().meta({ description: "Envelopes per column per call, 1 to 1000 (default 500)" }) }) },
    responses: { 200: { description: "Re-sealed", content: jsonContent(ResealResult) }, ...adminProblems },
  });
  r.registerPath({
    ...ADMIN,
    method: "post",
    path: "/api/v1/announcements/launches/{id}/enqueue",
    operationId: "enqueueAnnouncement",
    summary: "Put a launch's announcement message on the queue again (posting is once per launch and destination)",
    description: `${ADMIN_TEXT} Redelivery never posts twice: each (launch, destination) is claimed once.`,
    request: {
      params: z.object({ id: z.string().max(64) }),
      query: z.object({ copies: z.string().regex(/^[0-9]{1,2}$/).optional().meta({ description: "How many copies to send, 1 to 10 (default 1)" }) }),
    },
    responses: { 202: { description: "Enqueued", content: jsonContent(Enqueued) }, ...problems("unauthorized", "forbidden", "not-found", ...LIMITED) },
  });
  r.registerPath({
    ...ADMIN,
    method: "post",
    path: "/api/v1/announcements/digest",
    operationId: "runDigest",
    summary: "Post the X daily digest now if it is due (once a day)",
    description: `${ADMIN_TEXT} Outside production \`now\` moves the clock (tests).`,
    request: { query: z.object({ now: z.string().optional().meta({ description: "Epoch ms or an ISO date; ignored in production" }) }) },
    responses: { 200: { description: "What the run did", content: jsonContent(DigestRun) }, ...problems("validation-error", "unauthorized", "forbidden", ...LIMITED) },
  });
}

function documentMcp(r: Registry) {
  r.registerPath({
    method: "post",
    path: "/api/v1/mcp",
    operationId: "mcp",
    tags: ["agents"],
    security: [{ apiKey: [] }],
    summary: "Model Context Protocol endpoint (Streamable HTTP, stateless) for AI agents",
    description:
      "JSON-RPC 2.0 messages of the Model Context Protocol: initialize, tools/list, tools/call (list_chains, quote_launch, create_launch, " +
      "get_launch, …). Stateless: no session id, one JSON answer per POST (send `Accept: application/json, text/event-stream`). " +
      "An API key is required; its scopes and quotas are the HTTP routes'. GET, DELETE, PUT and PATCH answer 405 (no server stream, no session).",
    request: { body: { required: true, content: { "application/json": { schema: z.looseObject({ jsonrpc: z.literal("2.0"), method: z.string() }) } } } },
    responses: {
      200: { description: "The JSON-RPC answer", content: { "application/json": { schema: z.looseObject({ jsonrpc: z.literal("2.0") }) } } },
      ...problems("unauthorized", "malformed-json", "payload-too-large", "unsupported-media-type", ...LIMITED),
    },
  });
}
