// The operators' monitoring answers (routes/ops.ts) as zod schemas: the routes'
// types are inferred from them, the OpenAPI document shows them, and the Ops page
// takes its types from the generated @tokenforge/api-types like every other page.
import { z } from "zod";
import { ALERT_KINDS, ALERT_STATUSES } from "@tokenforge/core";

const Points = z.array(z.number());
const Gappy = z.array(z.number().nullable()).meta({ description: "One value per step; null where nothing was recorded" });

export const ChartSeries = z
  .object({
    window: z.enum(["hour", "day"]),
    stepSeconds: z.number().int().positive().meta({ description: "Seconds per point (60 for an hour, 600 for a day)" }),
    t: z.array(z.number().int()).meta({ description: "Each point's time, unix seconds, oldest first (every series has one value per entry)" }),
    launches: z
      .object({ accepted: Points, confirmed: Points, failed: Points, expired: Points })
      .meta({ description: "Launches per minute by outcome (a day's 10-minute points are averaged per minute)" }),
    latency: z.object({ p50: Gappy, p95: Gappy, p99: Gappy }).meta({ description: "Seconds from acceptance to confirmation, percentiles from the histogram's buckets" }),
    errorRate: z.record(z.string(), Gappy).meta({ description: 'Per RPC endpoint ("local-eth #0"): errors / calls in each step, 0..1' }),
    backlog: z.record(z.string(), Points).meta({ description: "Per chain: the largest queued backlog seen in each step" }),
  })
  .meta({ id: "ChartSeries" });
export type ChartSeries = z.infer<typeof ChartSeries>;

export const OpsAlerts = z
  .object({
    open: z.array(
      z.object({
        key: z.string().meta({ description: "The alert's identity (kind and subject), e.g. breaker:local-eth#0" }),
        kind: z.enum(ALERT_KINDS),
        status: z.enum(ALERT_STATUSES).exclude(["ok"]),
        since: z.number().int().meta({ description: "When it entered this status, epoch ms" }),
        summary: z.string(),
      }),
    ).meta({ description: "Alerts not ok, newest first" }),
    history: z.array(
      z.object({
        id: z.number().int(),
        key: z.string(),
        kind: z.enum(ALERT_KINDS),
        action: z.enum(["trigger", "resolve"]),
        summary: z.string(),
        at: z.number().int().meta({ description: "epoch ms" }),
        delivered: z.record(z.string(), z.number().int()).meta({
          description: "Per sink (pagerduty, …): when it accepted the page (epoch ms), or -1 when it refused it for good; a sink not listed has not taken it yet (the next run tries again)",
        }),
        lastError: z.string().nullable(),
      }),
    ).meta({ description: "The last 100 pages sent or to send, newest first" }),
  })
  .meta({ id: "OpsAlerts" });
export type OpsAlerts = z.infer<typeof OpsAlerts>;

export const ResealResult = z
  .object({
    version: z.number().int().meta({ description: "The master key version envelopes are now sealed under" }),
    resealed: z.number().int().nonnegative(),
    remaining: z.number().int().nonnegative().meta({ description: "Envelopes still under an older version: call again until 0" }),
  })
  .meta({ id: "ResealResult" });
export type ResealResult = z.infer<typeof ResealResult>;
