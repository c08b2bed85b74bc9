// `tokenforge launch --file launches.csv`: every row a launch, sent 100 at a time
// to POST /launches/batch, then followed to a final status; the results CSV
// (row, idempotencyKey, id, address, status, error) is rewritten as things move.
//
// Nothing is launched twice: item i of chunk k is sent with the batch key
// `tfcsv-<sha256 of the file>-<k>`, so its key is `…-<k>:<i>` — derived from the
// file and the row, not from the run. A run killed halfway and started again
// sends the same keys: rows the first run got accepted answer their launch (the
// API replays it), rows already confirmed in the results file are not sent at all.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { TokenForgeError, type LaunchRequest, type TokenForge } from "@tokenforge/sdk";
import { csvLine, parseCsv } from "./csv";
import { progress, type Out } from "./progress";

const CHUNK = 100; // the API's batch limit; part of every key, so it must not change
const FINAL = new Set(["confirmed", "failed", "expired", "refused"]);
const RESULT_COLUMNS = ["row", "idempotencyKey", "id", "address", "status", "error"] as const;
type Result = Record<(typeof RESULT_COLUMNS)[number], string>;

export async function bulkLaunch(tf: TokenForge, file: string, opts: { results?: string; json: boolean; timeoutMs: number }, out: Out): Promise<number> {
  const bytes = readFileSync(file);
  const [header, ...rows] = parseCsv(bytes.toString("utf8"));
  if (!header) throw new TokenForgeError(422, { type: "", title: "empty file", status: 422, detail: `${file} has no header row` });
  const bodies = rows.map((r) => rowBody(header, r));
  const fileId = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  const resultsPath = opts.results ?? `${file}.results.csv`;
  const results: Result[] = bodies.map((_, i) => ({ row: String(i + 1), idempotencyKey: itemKey(fileId, i), id: "", address: "", status: "", error: "" }));
  for (const prev of readResults(resultsPath)) {
    const r = results[Number(prev.row) - 1];
    // Only a result of this very file (same key) counts; a confirmed row is done.
    if (r && prev.idempotencyKey === r.idempotencyKey) Object.assign(r, prev);
  }
  const save = () => writeResults(resultsPath, results);
  const bar = progress(out.stderr);
  const show = () => bar.bar(results.filter((r) => r.status === "confirmed").length, results.filter((r) => FINAL.has(r.status) && r.status !== "confirmed").length, results.length);
  show();

  for (let k = 0; k * CHUNK < bodies.length; k++) {
    const indexes = bodies.map((_, i) => i).slice(k * CHUNK, (k + 1) * CHUNK);
    // A chunk whose rows are all final needs nothing; otherwise the whole chunk is sent again
    // (same keys, same bodies): accepted rows answer their launch, the others are tried now.
    if (indexes.every((i) => FINAL.has(results[i]!.status))) continue;
    const answers = await sendChunk(() => tf.createLaunchBatch(indexes.map((i) => bodies[i]!), { idempotencyKey: `tfcsv-${fileId}-${k}` }));
    for (const a of answers) {
      const r = results[indexes[a.index]!]!;
      if (r.status === "confirmed") continue;
      if (a.status === 202) Object.assign(r, { id: a.id ?? "", address: a.address ?? "", status: r.status && !FINAL.has(r.status) ? r.status : "queued", error: "" });
      else Object.assign(r, { status: "refused", error: `${a.status} ${a.problem?.detail ?? a.problem?.title ?? ""}` });
    }
    save();
    show();
  }

  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const pending = results.filter((r) => r.id && !FINAL.has(r.status));
    if (pending.length === 0) break;
    if (Date.now() > deadline) break;
    for (let i = 0; i < pending.length; i += 20) {
      await Promise.all(pending.slice(i, i + 20).map(async (r) => {
        const v = await tf.getLaunch(r.id).catch(() => null);
        if (!v) return;
        r.status = v.status;
        r.error = v.error ? `${v.error.type}: ${v.error.detail}` : "";
      }));
    }
    save();
    show();
    if (results.some((r) => r.id && !FINAL.has(r.status))) await new Promise((res) => setTimeout(res, 1000));
  }
  bar.done();
  if (opts.json) out.stdout.write(`${JSON.stringify({ results: results.map(({ row, ...r }) => ({ row: Number(row), ...r })) }, null, 2)}\n`);
  else out.stdout.write(`${results.filter((r) => r.status === "confirmed").length} of ${results.length} confirmed; results in ${resultsPath}\n`);
  if (results.some((r) => r.id && !FINAL.has(r.status))) return 6;
  return results.every((r) => r.status === "confirmed") ? 0 : 1;
}

export const itemKey = (fileId: string, i: number) => `tfcsv-${fileId}-${Math.floor(i / CHUNK)}:${i % CHUNK}`;

/** A row as a launch body: columns named like the API's fields (camelCase or kebab-case); features "mintable;burnable". */
export function rowBody(header: string[], row: string[]): LaunchRequest {
  const body: Record<string, unknown> = {};
  header.forEach((raw, i) => {
    const name = raw.trim().replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
    const value = (row[i] ?? "").trim();
    if (value === "") return;
    if (name === "decimals") body.decimals = Number(value);
    else if (name === "features") body.features = Object.fromEntries(value.split(/[;| ]+/).filter(Boolean).map((f) => [f, true]));
    else body[name] = value;
  });
  return body as LaunchRequest;
}

function readResults(path: string): Result[] {
  if (!existsSync(path)) return [];
  const [header, ...rows] = parseCsv(readFileSync(path, "utf8"));
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(RESULT_COLUMNS.map((c) => [c, r[header.indexOf(c)] ?? ""])) as Result);
}

/** Written whole to a temporary file and renamed over the old one: a kill never leaves half a file. */
function writeResults(path: string, results: Result[]) {
  const text = [csvLine([...RESULT_COLUMNS]), ...results.map((r) => csvLine(RESULT_COLUMNS.map((c) => r[c])))].join("\n") + "\n";
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/**
 * A chunk whose first send is still being processed (a run killed mid-request and started again at once) answers
 * its items 409 idempotency-key-in-flight: the same chunk is sent again after the wait it names, so those items
 * end with their launch, not "refused". Other answers are final for this run.
 */
async function sendChunk<A extends { status: number; problem?: { type?: string } | null }>(send: () => Promise<A[]>, attempts = 30): Promise<A[]> {
  for (let i = 1; ; i++) {
    const answers = await send();
    const inFlight = answers.some((a) => a.status === 409 && a.problem?.type?.endsWith("idempotency-key-in-flight"));
    if (!inFlight || i >= attempts) return answers;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
