// One structured logger: one JSON line per event, readable in `wrangler tail
// --format json`. Fields named like secrets are dropped, never printed.
// A line about a launch gets the id of the request that created it from the
// trace scope (trace.ts), so one launch can be followed across Workers.
import { requestIdFor } from "./trace";
type Level = "debug" | "info" | "warn" | "error";
const SECRET_KEY = /key|secret|token|password|authorization|mnemonic|private/i;

export type LogFields = Record<string, unknown> & { launchId?: string; chain?: string; outcome?: string };

export function log(level: Level, event: string, fields: LogFields = {}): void {
  const safe: Record<string, unknown> = {};
  const requestId = fields.requestId ?? requestIdFor(typeof fields.launchId === "string" ? fields.launchId : undefined);
  if (requestId) safe.requestId = requestId;
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_KEY.test(k)) continue;
    safe[k] = typeof v === "bigint" ? v.toString() : v instanceof Error ? v.message : v;
  }
  const line = JSON.stringify({ level, event, at: new Date().toISOString(), ...safe });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
