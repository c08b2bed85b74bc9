// A local stand-in for PagerDuty's Events API v2 (POST /v2/enqueue), started by
// tools/platform.ts so alerts page something real without an account. It checks
// the documented shape (developer.pagerduty.com, "Send an Alert Event" /
// "Events API v2 Overview"): a 32-character routing_key, event_action trigger |
// acknowledge | resolve, a dedup_key (required to acknowledge or resolve),
// and for trigger a payload with summary, source and severity (critical | error |
// warning | info). Answers 202 {status:"success", message:"Event processed",
// dedup_key} or 400 {status:"invalid event", message:"Event object is invalid",
// errors:[…]}, and keeps what it accepted (tests read `events`). Each incident is
// keyed by dedup_key: `incidents()` says which are open.
import { createServer, type IncomingMessage } from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";

export type PagerDutyEvent = {
  routing_key: string;
  event_action: "trigger" | "acknowledge" | "resolve";
  dedup_key: string;
  payload?: { summary: string; source: string; severity: string };
  /** When the stand-in accepted it, and the traceparent it came with. */
  receivedAt: number;
  traceparent: string | null;
};

export type PagerDutyStandIn = {
  url: string;
  routingKey: string;
  events: PagerDutyEvent[];
  /** dedup_key → open (last action trigger/acknowledge) or resolved. */
  incidents: () => Map<string, "open" | "resolved">;
  /** Answer every request with this HTTP status instead (e.g. 500: PagerDuty down); null: normal. */
  failWith: (status: number | null) => void;
  close: () => Promise<void>;
};

const SEVERITIES = ["critical", "error", "warning", "info"];

function problems(e: Record<string, unknown>, routingKey: string): string[] {
  const errs: string[] = [];
  if (typeof e.routing_key !== "string" || e.routing_key.length !== 32) errs.push("'routing_key' must be a 32-character integration key");
  else if (e.routing_key !== routingKey) errs.push("'routing_key' is not an integration key of this service");
  if (!["trigger", "acknowledge", "resolve"].includes(String(e.event_action))) errs.push("'event_action' is invalid (must be one of: trigger, acknowledge, resolve)");
  if (e.dedup_key !== undefined && (typeof e.dedup_key !== "string" || e.dedup_key.length > 255)) errs.push("'dedup_key' must be a string of at most 255 characters");
  if (e.event_action !== "trigger" && typeof e.dedup_key !== "string") errs.push("'dedup_key' is required to acknowledge or resolve");
  if (e.event_action === "trigger") {
    const p = e.payload as Record<string, unknown> | undefined;
    if (!p || typeof p !== "object") errs.push("'payload' is missing");
    else {
      if (typeof p.summary !== "string" || !p.summary || p.summary.length > 1024) errs.push("'payload.summary' must be 1-1024 characters");
      if (typeof p.source !== "string" || !p.source) errs.push("'payload.source' is missing");
      if (!SEVERITIES.includes(String(p.severity))) errs.push("'payload.severity' must be one of: critical, error, warning, info");
    }
  }
  return errs;
}

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let s = "";
    req.on("data", (d) => (s += d));
    req.on("end", () => resolve(s));
    req.on("error", reject);
  });

export async function startPagerDuty(opts: { port?: number; routingKey?: string } = {}): Promise<PagerDutyStandIn> {
  const routingKey = opts.routingKey ?? randomUUID().replace(/-/g, "");
  const events: PagerDutyEvent[] = [];
  let failing: number | null = null;
  const server = createServer(async (req, res) => {
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
    };
    if (req.method !== "POST" || req.url !== "/v2/enqueue") return reply(404, { status: "not found" });
    if (failing) return reply(failing, { status: "error", message: "stand-in told to fail" });
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(await body(req)) as Record<string, unknown>;
    } catch {
      return reply(400, { status: "invalid event", message: "Event object is invalid", errors: ["body is not JSON"] });
    }
    const errs = problems(e, routingKey);
    if (errs.length) return reply(400, { status: "invalid event", message: "Event object is invalid", errors: errs });
    const dedup = typeof e.dedup_key === "string" ? e.dedup_key : randomUUID().replace(/-/g, "");
    events.push({ ...(e as unknown as PagerDutyEvent), dedup_key: dedup, receivedAt: Date.now(), traceparent: (req.headers.traceparent as string | undefined) ?? null });
    reply(202, { status: "success", message: "Event processed", dedup_key: dedup });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routingKey,
    events,
    incidents: () => {
      const m = new Map<string, "open" | "resolved">();
      for (const e of events) m.set(e.dedup_key, e.event_action === "resolve" ? "resolved" : "open");
      return m;
    },
    failWith: (s) => void (failing = s),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
