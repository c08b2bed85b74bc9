// tokenforge — the TokenForge API from a terminal or a script, on @tokenforge/sdk.
//
//   tokenforge login [--key tf_…] [--url URL]     store the key (0600) after checking it
//   tokenforge chains | quote … | launch … | status <id> | tokens | credits   [--json]
//   tokenforge launch --chain local-eth --name "Forge Coin" --symbol FORGE --decimals 18 \
//     --initial-supply 1000000 [--max-supply N] --owner 0x… [--feature mintable …] [--metadata-uri U]
//   tokenforge launch --file launches.csv [--results out.csv]    bulk: resumable, nothing launched twice
//
// Exit codes (EXIT below): 0 done (a launch confirmed), 1 a launch failed or expired,
// 2 bad usage, 3 the API refused the request, 4 not signed in or not allowed,
// 5 the server or network is unavailable, 6 timed out waiting.
import { parseArgs } from "node:util";
import { createTokenForge, TokenForgeError, type Launch, type LaunchRequest, type TokenForge } from "@tokenforge/sdk";
import { configPath, loadConfig, saveConfig } from "./config";
import { bulkLaunch } from "./bulk";
import { progress, type Out } from "./progress";

export const EXIT = { ok: 0, launchFailed: 1, usage: 2, refused: 3, auth: 4, unavailable: 5, timeout: 6 } as const;

class UsageError extends Error {}

const HELP = `usage: tokenforge <command> [flags]
  login [--key tf_…] [--url URL]   check and store an API key (${configPath()}, mode 0600);
                                   TOKENFORGE_API_KEY and TOKENFORGE_URL override it
  chains                           the supported chains
  quote  <launch flags>            what a launch would cost
  launch <launch flags>            launch one token and follow it to confirmed
         [--idempotency-key K] [--no-wait] [--timeout SECONDS]
  launch --file launches.csv       launch every row (columns: the API's fields, e.g. chain,name,symbol,decimals,
         [--results FILE]          initialSupply,maxSupply,owner,features,metadataUri; features "mintable;burnable");
                                   writes FILE (default <file>.results.csv); run it again to resume
  status <id> [--wait]             a launch's status
  tokens [--chain C] [--owner O] [--limit N] [--all]
  credits                          the caller's credit balance
launch flags: --chain --name --symbol --decimals --initial-supply --max-supply --owner --feature NAME (repeat)
              --metadata-uri --payment-mode
every command: --json (machine-readable output on stdout)
exit codes: 0 ok, 1 launch failed/expired, 2 usage, 3 refused by the API, 4 auth, 5 unavailable, 6 timeout`;

const FLAGS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  key: { type: "string" },
  url: { type: "string" },
  chain: { type: "string" },
  name: { type: "string" },
  symbol: { type: "string" },
  decimals: { type: "string" },
  "initial-supply": { type: "string" },
  "max-supply": { type: "string" },
  owner: { type: "string" },
  feature: { type: "string", multiple: true },
  "metadata-uri": { type: "string" },
  "payment-mode": { type: "string" },
  "idempotency-key": { type: "string" },
  "no-wait": { type: "boolean" },
  wait: { type: "boolean" },
  timeout: { type: "string" },
  file: { type: "string" },
  results: { type: "string" },
  limit: { type: "string" },
  all: { type: "boolean" },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true }>>["values"];

export async function main(argv: string[], out: Out = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (e) {
    out.stderr.write(`${(e as Error).message}\n\n${HELP}\n`);
    return EXIT.usage;
  }
  const { values: f, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (f.help || !command) {
    out.stdout.write(`${HELP}\n`);
    return command || f.help ? EXIT.ok : EXIT.usage;
  }
  try {
    return await run(command, rest, f, out);
  } catch (e) {
    return report(e, out);
  }
}

async function run(command: string, args: string[], f: Flags, out: Out): Promise<number> {
  const config = loadConfig();
  const tf = createTokenForge({ baseUrl: f.url ?? config.url, apiKey: f.key ?? config.apiKey ?? undefined });
  const print = (value: unknown, human: string) => out.stdout.write(f.json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
  switch (command) {
    case "login":
      return login(f, out);
    case "chains": {
      const chains = await tf.chains();
      print({ chains }, chains.map((c) => `${c.id.padEnd(12)} ${c.family.padEnd(7)} ${c.nativeSymbol.padEnd(5)} ${c.name}${c.paused ? " (paused)" : ""}`).join("\n"));
      return EXIT.ok;
    }
    case "quote": {
      const q = await tf.quote(launchBody(f));
      print(q, `${q.chain}: network fee ${q.networkFee} + platform fee ${q.platformFee} = ${q.total} (smallest unit of ${q.currency}), until ${q.expiresAt}; quote ${q.id}`);
      return EXIT.ok;
    }
    case "launch":
      if (f.file) return bulkLaunch(tf, f.file, { results: f.results, json: !!f.json, timeoutMs: timeoutOf(f) }, out);
      return launchOne(tf, f, out);
    case "status": {
      const id = args[0];
      if (!id) throw new UsageError("status needs a launch id");
      const view = f.wait ? await follow(tf, id, f, out) : await tf.getLaunch(id);
      print(view, summary(view));
      return exitFor(view);
    }
    case "tokens": {
      const query = { chain: f.chain, owner: f.owner, limit: f.limit ? Number(f.limit) : undefined };
      const tokens = [];
      if (f.all) for await (const t of tf.allTokens(query)) tokens.push(t);
      else tokens.push(...(await tf.tokens(query)).tokens);
      print({ tokens }, tokens.map((t) => `${t.chain.padEnd(12)} ${t.address} ${t.symbol.padEnd(11)} ${t.name}`).join("\n") || "no tokens");
      return EXIT.ok;
    }
    case "credits": {
      // The credits route comes with the credits issue (17): the SDK's typed client learns it when the API types are regenerated.
      const credits = await tf.getJson("/api/v1/credits");
      print(credits, JSON.stringify(credits, null, 2));
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function launchOne(tf: TokenForge, f: Flags, out: Out): Promise<number> {
  const accepted = await tf.createLaunch(launchBody(f), { idempotencyKey: f["idempotency-key"] });
  if (f["no-wait"]) {
    out.stdout.write(f.json ? `${JSON.stringify(accepted, null, 2)}\n` : `${accepted.status} ${accepted.id} ${accepted.address}\n`);
    return EXIT.ok;
  }
  const view = await follow(tf, accepted.id, f, out);
  out.stdout.write(f.json ? `${JSON.stringify(view, null, 2)}\n` : `${summary(view)}\n`);
  return exitFor(view);
}

/** Follows a launch to a final status, showing each status as it comes (on stderr: stdout stays the result). */
async function follow(tf: TokenForge, id: string, f: Flags, out: Out): Promise<Launch> {
  const p = progress(out.stderr);
  try {
    return await tf.waitForLaunch(id, { timeoutMs: timeoutOf(f), onUpdate: (v) => p.status(`${id} ${v.status}${v.status === "submitted" && v.txHash ? ` ${v.txHash}` : ""}`) });
  } finally {
    p.done();
  }
}

const timeoutOf = (f: Flags) => (f.timeout ? Number(f.timeout) * 1000 : 10 * 60_000);

const summary = (v: Launch) =>
  `${v.status} ${v.id} ${v.chain} ${v.address}${v.txHash ? ` tx ${v.txHash}` : v.signature ? ` signature ${v.signature}` : ""}${v.error ? ` — ${v.error.type}: ${v.error.detail}` : ""}`;

const exitFor = (v: Launch) => (v.status === "failed" || v.status === "expired" ? EXIT.launchFailed : EXIT.ok);

/** The launch body from the flags: each flag is an API field in kebab-case; the API validates the values. */
function launchBody(f: Flags): LaunchRequest {
  for (const required of ["chain", "name", "symbol", "decimals", "initial-supply", "owner"] as const) {
    if (f[required] === undefined) throw new UsageError(`--${required} is required`);
  }
  const decimals = Number(f.decimals);
  if (!Number.isInteger(decimals)) throw new UsageError("--decimals must be an integer");
  return {
    chain: f.chain!, name: f.name!, symbol: f.symbol!, decimals, initialSupply: f["initial-supply"]!, owner: f.owner!,
    ...(f["max-supply"] !== undefined ? { maxSupply: f["max-supply"] } : {}),
    ...(f.feature?.length ? { features: Object.fromEntries(f.feature.map((n) => [n, true])) } : {}),
    ...(f["metadata-uri"] !== undefined ? { metadataUri: f["metadata-uri"] } : {}),
    ...(f["payment-mode"] !== undefined ? { payment: { mode: f["payment-mode"] as "platform" } } : {}),
  } as LaunchRequest;
}

async function login(f: Flags, out: Out): Promise<number> {
  const config = loadConfig();
  const url = f.url ?? config.url;
  const key = f.key ?? (await readLine("API key (tf_…): "));
  if (!key.startsWith("tf_")) throw new UsageError("an API key starts with tf_");
  // Checked before it is stored: a typo should fail here, not at the first launch.
  await createTokenForge({ baseUrl: url, apiKey: key }).getJson("/api/v1/me");
  const path = saveConfig({ url, apiKey: key });
  out.stdout.write(f.json ? `${JSON.stringify({ url, config: path })}\n` : `signed in to ${url}; key stored in ${path} (mode 0600)\n`);
  return EXIT.ok;
}

async function readLine(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (String(chunk).includes("\n")) break;
  }
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0]!.trim();
}

/** An error as a message on stderr (the problem's detail, never the key) and its exit code. */
function report(e: unknown, out: Out): number {
  if (e instanceof UsageError) {
    out.stderr.write(`${e.message}\n(tokenforge --help)\n`);
    return EXIT.usage;
  }
  if (e instanceof TokenForgeError) {
    const errors = (e.problem?.errors ?? []).map((i) => `  ${i.path}: ${i.message}`).join("\n");
    out.stderr.write(`${e.message}\n${errors ? `${errors}\n` : ""}`);
    if (e.status === 401 || e.status === 403) return EXIT.auth;
    if (e.status >= 500 || e.status === 429) return EXIT.unavailable;
    return EXIT.refused;
  }
  if (e instanceof Error && /not final after/.test(e.message)) {
    out.stderr.write(`${e.message}\n`);
    return EXIT.timeout;
  }
  out.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  return EXIT.unavailable;
}
