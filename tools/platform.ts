// The whole local platform as one object: two anvil chains and a local Solana
// node (tools/solana-node, in this process), D1 migrations, a
// dev user with an API key, the three Workers in one `wrangler dev` (workerd,
// local D1/KV/Queues/Durable Objects) serving the web app and /api/v1, and a
// timer that fires the cron Worker. Used by `npm start`, the e2e tests and the
// benches, so nobody hand-rolls process management.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { runAnvil, rpc, type AnvilNode } from "./chains/anvil";
import { freePort } from "./free-port";
import { localDatabaseId, prepareLocalD1 } from "./local-d1";
import { configureFactoryV2, deployFactory, deployFactoryV2 } from "./chains/deploy-factory";
import { chainRegistry } from "../packages/core/src/chains";
import { importKey, seal } from "../packages/core/src/crypto/envelope";
import { DEPLOYER_KEY_AAD, encodeEnvelopeSecret } from "../workers/deployer/src/deployer-key";
import { startSolanaNode, type SolanaNode, type SolanaNodeOptions } from "./solana-node/index";
import { startPinningStandIn, type PinningStandIn } from "./pinning/index";
import { contractUriParts } from "../packages/core/src/assets/metadata";
import { generateKeypairSecret } from "../packages/core/src/solana/keypair";
import { startSocialStandIns, type SocialStandIns } from "./social-stand-ins";
import { encodeSecretEnvelope, TELEGRAM_BOT_AAD, X_TOKEN_AAD } from "../packages/core/src/announce/secrets";
import { startPagerDuty, type PagerDutyStandIn } from "./pagerduty/index";
import { startExplorer, type Explorer } from "./explorer/index";
import { startMarketStandin, type MarketStandin } from "./market-standin/index";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");
const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true", NO_COLOR: "1" };

/** The local chains of packages/core/src/chains/local.json, with the ports it names. */
export const LOCAL_EVM_CHAINS = [
  { id: "local-eth", port: 8545, chainId: 31337 },
  { id: "local-bsc", port: 8546, chainId: 31338 },
] as const;

export type PlatformOptions = {
  /** Port of the Workers (web app + API). "auto" picks free ports for everything (tests). */
  port?: number | "auto";
  stateDir?: string;
  /** Wipe D1/KV/DO state and start fresh chains (the default: chains do not persist, so neither does D1). */
  reset?: boolean;
  cronIntervalMs?: number;
  /** Extra vars for every Worker (wrangler --var), e.g. short windows in tests. */
  vars?: Record<string, string>;
  /** The launches queue's max_retries (deliveries after the first) before its dead-letter queue; wrangler.toml says 8. */
  queueMaxRetries?: number;
  blockTime?: number;
  /** The local EVM chains' block gas limit (anvil --gas-limit; default anvil's 30M). bench:deploy's big-block run: 150M, like Base. */
  gasLimit?: number;
  /** ForgeFactoryV2's platform fee on the local EVM chains, wei (default 0.001 ETH). */
  platformFeeWei?: bigint;
  /** The local Solana node's clock (tests shorten the blockhash expiry window). */
  solana?: Pick<SolanaNodeOptions, "slotMs" | "blockhashExpirySlots" | "finalizeDepth">;
  onLog?: (line: string) => void;
  quiet?: boolean;
  /** Credits the dev user (usr_dev, the dev API key's owner) gets on each local chain, smallest unit; false: none. Default: DEV_CREDITS. */
  devCredits?: Record<string, bigint> | false;
  /** The market stand-in invents a pool for every token (npm start: data moves on the pages). */
  syntheticMarket?: boolean;
};

/** What `npm start` and the tests give the dev user, so platform-paid launches keep working (1000 ETH/BNB/SOL). */
export const DEV_CREDITS: Record<string, bigint> = { "local-eth": 10n ** 21n, "local-bsc": 10n ** 21n, "local-sol": 10n ** 12n };

export type Platform = {
  url: string;
  apiKey: string;
  adminToken: string;
  deployer: `0x${string}`;
  /** Where the local EVM factories (v2) send the platform fee: a fresh address per start, holding nothing else. */
  evmTreasury: `0x${string}`;
  /** The plain deployer key, kept in this process only, so tests can prove it leaks into no file or log. */
  deployerKeyForLeakTests: `0x${string}`;
  /** Where this platform keeps D1/KV/DO state and its generated configs. */
  stateDir: string;
  runDir: string;
  chains: { id: string; family: "evm" | "solana"; rpcUrl: string; chainId?: number }[];
  /** The local Solana node (in this process: tests hold transactions, set balances) and the deployer's fee payer. */
  solana: { node: SolanaNode; feePayer: string };
  /** Discord, Telegram and X stand-ins (tools/social-stand-ins.ts), and the secret_token the bot's webhook route expects. */
  social: SocialStandIns & { telegramWebhookSecret: string };
  /** The PagerDuty Events API v2 stand-in the cron's alerts page (tools/pagerduty). */
  pagerduty: PagerDutyStandIn;
  /** The pinning service's stand-in (tools/pinning): what the cron pinned, and its 429 mode. */
  pinning: PinningStandIn;
  /** The stand-in block explorer the deployer verifies source with (tools/explorer). */
  explorer: Explorer;
  /** The CoinGecko / GeckoTerminal stand-ins the cron's market job reads (tools/market-standin). */
  market: MarketStandin;
  logs: string[];
  /** The dev user's credits as granted at start (chain → smallest unit). */
  devCredits: Record<string, bigint>;
  /** Grants credits to a user through POST /api/v1/admin/credits (chain → amount; default DEV_CREDITS). */
  grantCredits: (userId: string, amounts?: Record<string, bigint>, reason?: string) => Promise<void>;
  runCron: () => Promise<unknown>;
  /** kill -9 the Workers process (crash test), then `startWorkers()` brings it back on the same state. */
  killWorkers: (signal?: NodeJS.Signals) => Promise<void>;
  /** The Workers process (wrangler, with workerd below it): bench:cost reads its CPU time. */
  workersPid: () => number | undefined;
  /** The Workers' devtools port (wrangler --inspector-port): bench:api profiles the api isolate's CPU through it. */
  inspectorPort: () => number;
  startWorkers: () => Promise<void>;
  stop: () => Promise<void>;
};

export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const auto = opts.port === "auto";
  const port = auto ? await freePort() : (opts.port as number | undefined) ?? 8787;
  // Auto: each anvil takes a free port itself (retrying if another process grabs it first).
  const chainPorts: (number | undefined)[] = LOCAL_EVM_CHAINS.map((c) => (auto ? undefined : c.port));
  // Each platform gets its own folder: generated wrangler configs with their
  // .dev.vars secrets beside them, and its state, so two can run side by side.
  const runDir = resolve(ROOT, auto ? `.tmp/platform-${port}` : ".wrangler/platform");
  const stateDir = resolve(ROOT, opts.stateDir ?? (auto ? join(runDir, "state") : ".wrangler/state"));
  const say = (s: string) => (opts.quiet ? undefined : console.log(s));
  const logs: string[] = [];
  // By chain index (they start side by side); a failed start leaves a hole.
  const anvils: (AnvilNode | undefined)[] = [];
  let solanaNode: SolanaNode | null = null;
  let social: SocialStandIns | null = null;
  let pagerduty: PagerDutyStandIn | null = null;
  let pinning: PinningStandIn | null = null;
  let explorer: Explorer | null = null;
  let market: MarketStandin | null = null;
  let workers: ChildProcess | null = null;
  let inspectorPort = 0;
  let cronTimer: NodeJS.Timeout | null = null;
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (cronTimer) clearInterval(cronTimer);
    await killProcessGroup(workers, "SIGTERM");
    await Promise.all(anvils.map((a) => a?.stop()));
    await solanaNode?.close();
    await social?.close();
    await pagerduty?.close();
    await pinning?.close();
    await explorer?.close();
    await market?.close();
  };

  try {
    if (opts.reset !== false) rmSync(stateDir, { recursive: true, force: true });
    mkdirSync(stateDir, { recursive: true });
    if (!existsSync(join(ROOT, "web/dist/index.html"))) {
      say("building the web app (web/dist)…");
      run("npx", ["vite", "build", "--config", "web/vite.config.ts", "--logLevel", "warn"]);
    }

    const deployerKey = generatePrivateKey();
    const deployer = privateKeyToAccount(deployerKey).address;
    // ForgeFactoryV2 too, owned by the registry's factoryOwner (anvil's first dev account), with a fee,
    // a fresh treasury and the deployer fee-exempt (platform-paid launches pay no on-chain fee).
    const evmTreasury = privateKeyToAccount(generatePrivateKey()).address;
    const registry = chainRegistry({ TF_ENV: "local" });
    const adminToken = "tfa_" + randomBytes(24).toString("base64url");
    const apiKey = "tf_" + randomBytes(24).toString("base64url");
    // The chains, the Solana node and D1 do not depend on each other: they start side by
    // side (every e2e file starts a platform, so each second here is paid many times).
    const ready = await Promise.allSettled([
      // Chains: fresh anvils with 1 s blocks, the factory at its deterministic address, a funded deployer.
      ...LOCAL_EVM_CHAINS.map(async (c, i) => {
        // Started in automine (each set-up transaction mined at once, not after the next 1 s
        // block: three waits fewer per chain), then switched to interval blocks before use.
        const node = await runAnvil({ port: chainPorts[i], chainId: c.chainId, args: opts.gasLimit ? ["--gas-limit", String(opts.gasLimit)] : [] });
        chainPorts[i] = node.port;
        anvils[i] = node;
        // One after the other: both are sent from the node's first account (one nonce sequence).
        await deployFactory(node.rpcUrl);
        const owner = registry.find((r) => r.id === c.id)?.factoryOwner as `0x${string}` | undefined;
        if (owner) {
          await deployFactoryV2(node.rpcUrl, owner);
          // ERC-7572: contractURI() = <api origin>/api/v1/tokens/<chain>/<checksum address>/metadata.json.
          await configureFactoryV2(node.rpcUrl, owner, { treasury: evmTreasury, feeWei: opts.platformFeeWei ?? 10n ** 15n, exempt: [deployer], contractURI: contractUriParts(`http://127.0.0.1:${port}`, c.id) });
        }
        await rpc(node.rpcUrl, "anvil_setBalance", [deployer, "0x" + (10n ** 24n).toString(16)]);
        await rpc(node.rpcUrl, "evm_setIntervalMining", [opts.blockTime ?? 1]);
      }),
      // Solana: the litesvm node in this process (port 8899 like solana-test-validator, or any free port).
      startSolanaNode({ port: auto ? 0 : 8899, ...opts.solana }).then((node) => void (solanaNode = node)),
      startPagerDuty().then((pd) => void (pagerduty = pd)),
      // The pinning service's stand-in (Pinata's v3 shapes), on a free port.
      startPinningStandIn().then((p) => void (pinning = p)),
      // D1: migrations, then the local dev user and its API key (stored hashed like any other key).
      prepareLocalD1({ stateDir, databaseId: localDatabaseId(readFileSync(join(ROOT, WORKER_CONFIGS.api), "utf8")), migrationsDir: join(ROOT, "migrations"), seed: devSeed(deployer, apiKey) }),
    ]);
    const failed = ready.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    const pins = pinning as PinningStandIn | null;
    if (!pins) throw new Error("the pinning stand-in did not start");
    const origin = `http://127.0.0.1:${port}`;
    const solana = solanaNode as SolanaNode | null;
    if (!solana) throw new Error("the Solana node did not start");
    // A fresh fee payer with 1000 SOL, and the secret the launches' mint keys derive from.
    const solanaFeePayer = await generateKeypairSecret();
    solana.control.setBalance(solanaFeePayer.address, 1_000n * 10n ** 9n);
    const mintSeedSecret = randomBytes(32).toString("base64url");
    // The stand-in explorer (Etherscan API v2 + Sourcify shapes) that really compiles and compares against the anvils.
    const explorerKey = randomBytes(16).toString("hex");
    explorer = await startExplorer({ apiKey: explorerKey, chains: Object.fromEntries(anvils.map((a) => [a!.chainId, a!.rpcUrl])), perSecond: 3 });

    // Secrets for local dev only, beside the generated configs (gitignored, mode 600).
    // The deployer key is written only as an AES-256-GCM envelope under a fresh
    // master key, as in production: the plain key exists in no file.
    const masterKey = randomBytes(32).toString("base64");
    const masterKeys = { current: 1, keys: new Map([[1, await importKey(masterKey, 1)]]) };
    const keyEnvelope = encodeEnvelopeSecret(await seal(masterKeys, deployerKey, DEPLOYER_KEY_AAD));
    // Announcements (issue 20): the stand-ins' bot and X tokens, given to the Workers only sealed.
    social = await startSocialStandIns({ telegramBotToken: `${1000 + (port % 9000)}:${randomBytes(18).toString("base64url")}`, xAccessToken: randomBytes(24).toString("base64url") });
    const telegramWebhookSecret = randomBytes(24).toString("base64url");
    market = await startMarketStandin({ port: auto ? 0 : 8790, synthetic: opts.syntheticMarket });
    const marketVars = { COINGECKO_URL: market.coingeckoUrl, GECKOTERMINAL_URL: market.geckoterminalUrl };
    const shared = { LOCAL_ETH_PORT: String(chainPorts[0]), LOCAL_BSC_PORT: String(chainPorts[1]), LOCAL_SOL_PORT: String(solana.port), ...opts.vars };
    const configs = writeWorkerConfigs(runDir, opts, {
      // Sign-in messages must name the origin the web app is served from (PUBLIC_ORIGINS).
      api: {
        PUBLIC_ORIGINS: `http://127.0.0.1:${port},http://localhost:${port}`, ...shared, MASTER_KEY_1: masterKey, EVM_DEPLOYER_ADDRESS: deployer, ADMIN_TOKEN: adminToken, SOLANA_FEE_PAYER: solanaFeePayer.address,
        DISCORD_API_BASE: social.url, TELEGRAM_API_BASE: social.url, TELEGRAM_BOT_USERNAME: "TokenForgeLocalBot", TELEGRAM_WEBHOOK_SECRET: telegramWebhookSecret,
        TELEGRAM_BOT_TOKEN_ENVELOPE: encodeSecretEnvelope(await seal(masterKeys, social.telegramBotToken, TELEGRAM_BOT_AAD)),
        PUBLIC_API_ORIGIN: origin,
        ...opts.vars,
      },
      deployer: { ETHERSCAN_API_URL: `${explorer.url}/v2/api`, SOURCIFY_API_URL: explorer.url, ...shared, ETHERSCAN_API_KEY: explorerKey, MASTER_KEY_1: masterKey, DEPLOYER_KEY_ENVELOPE: keyEnvelope, SOLANA_FEE_PAYER_KEY: solanaFeePayer.secret, MINT_SEED_SECRET: mintSeedSecret },
      // The cron pages the PagerDuty stand-in and reads the deployer's and fee payer's balances (funds alert).
      cron: {
        ...marketVars,
        PAGERDUTY_URL: pagerduty!.url, PAGERDUTY_ROUTING_KEY: pagerduty!.routingKey, EVM_DEPLOYER_ADDRESS: deployer, SOLANA_FEE_PAYER: solanaFeePayer.address,
        ...shared, MASTER_KEY_1: masterKey, X_API_BASE: social.url, X_ACCESS_TOKEN_ENVELOPE: encodeSecretEnvelope(await seal(masterKeys, social.xAccessToken, X_TOKEN_AAD)),
        PINATA_UPLOADS_URL: pins.url, PINATA_API_URL: pins.url, PINATA_JWT: pins.jwt, PUBLIC_API_ORIGIN: origin,
        // Alerts also go to the operators' Discord channel and Telegram chat (the social stand-ins locally).
        ALERT_DISCORD_API_BASE: social.url, ALERT_TELEGRAM_API_BASE: social.url, ALERT_TELEGRAM_CHAT_ID: "-1001234567890",
        ALERT_DISCORD_WEBHOOK_URL: `https://discord.com/api/webhooks/1000000000000000001/${randomBytes(24).toString("base64url")}`,
        TELEGRAM_BOT_TOKEN_ENVELOPE: encodeSecretEnvelope(await seal(masterKeys, social.telegramBotToken, TELEGRAM_BOT_AAD)),
        ...opts.vars,
      },
    });

    const startWorkers = async () => {
      inspectorPort = await freePort();
      const inspectorArgs = ["--inspector-port", String(inspectorPort)];
      workers = spawn(
        WRANGLER,
        ["dev", "-c", configs.api, "-c", configs.deployer, "-c", configs.cron,
          "--persist-to", stateDir, "--port", String(port), "--ip", "127.0.0.1", "--show-interactive-dev-session=false",
          // Each start its own devtools port: platforms run side by side, and a
          // restarted one must not wait for the port of the process it replaces.
          ...inspectorArgs],
        { cwd: ROOT, env: WRANGLER_ENV, detached: true, stdio: ["ignore", "pipe", "pipe"] },
      );
      const onData = (d: Buffer) => {
        for (const line of d.toString().split("\n")) {
          if (!line.trim()) continue;
          logs.push(line);
          if (logs.length > 200_000) logs.splice(0, 100_000);
          opts.onLog?.(line);
        }
      };
      workers.stdout!.on("data", onData);
      workers.stderr!.on("data", onData);
      await waitForHttp(`http://127.0.0.1:${port}/api/v1/chains`, 90_000, () => workers?.exitCode !== null && workers?.exitCode !== undefined, () => logs.slice(-15).join("\n"));
    };
    await startWorkers();

    const url = `http://127.0.0.1:${port}`;
    const runCron = async () => {
      const res = await fetch(`${url}/api/v1/admin/cron`, { method: "POST", headers: { authorization: `Bearer ${adminToken}` } });
      const body = await res.text();
      // While the Workers restart, wrangler answers with its own plain-text page: say so plainly.
      if (!res.ok || !res.headers.get("content-type")?.includes("json")) throw new Error(`cron run answered ${res.status}: ${body.slice(0, 200)}`);
      return JSON.parse(body) as unknown;
    };
    const grantCredits = async (userId: string, amounts: Record<string, bigint> = DEV_CREDITS, reason = "local credits") => {
      for (const [chain, amount] of Object.entries(amounts)) {
        const res = await fetch(`${url}/api/v1/admin/credits`, {
          method: "POST",
          headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
          body: JSON.stringify({ userId, chain, amount: amount.toString(), reason }),
        });
        if (res.status !== 201) throw new Error(`granting credits on ${chain} answered ${res.status}: ${await res.text()}`);
      }
    };
    // The dev API key launches platform-paid: its user needs credits on every local chain.
    const devCredits = opts.devCredits === false ? {} : (opts.devCredits ?? DEV_CREDITS);
    await grantCredits("usr_dev", devCredits, "local dev credits (npm start)");
    // wrangler dev fires no cron triggers: do it on the schedule (every minute).
    cronTimer = setInterval(() => void runCron().catch(() => undefined), opts.cronIntervalMs ?? 60_000);
    cronTimer.unref();

    return {
      url, apiKey, adminToken, deployer, evmTreasury, logs, devCredits, grantCredits, runCron, stop, startWorkers, deployerKeyForLeakTests: deployerKey, stateDir, runDir,
      chains: [
        ...anvils.map((a, i) => ({ id: LOCAL_EVM_CHAINS[i]!.id, family: "evm" as const, rpcUrl: a!.rpcUrl, chainId: a!.chainId })),
        { id: "local-sol", family: "solana" as const, rpcUrl: solana.url },
      ],
      solana: { node: solana, feePayer: solanaFeePayer.address },
      workersPid: () => workers?.pid,
      inspectorPort: () => inspectorPort,
      social: Object.assign(social, { telegramWebhookSecret }),
      pagerduty: pagerduty!,
      pinning: pins,
      explorer,
      market: market!,
      killWorkers: async (signal = "SIGKILL") => {
        await killProcessGroup(workers, signal);
        workers = null;
      },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The local dev user (an admin, with the deployer's address as its wallet) and its API key, stored hashed like any other key. */
function devSeed(deployer: string, apiKey: string): string {
  const hash = createHash("sha256").update(apiKey).digest("hex");
  const now = Date.now();
  return [
    `INSERT INTO users (id, wallet_address, role, created_at) VALUES ('usr_dev', '${deployer}', 'admin', ${now}) ON CONFLICT DO NOTHING;`,
    `INSERT INTO api_keys (id, user_id, name, prefix, hash, scopes, created_at) VALUES ('key_${randomBytes(8).toString("hex")}', 'usr_dev', 'dev key (npm start)', '${apiKey.slice(0, 7)}', '${hash}', '["launches:read","launches:write","webhooks:manage"]', ${now});`,
  ].join("\n");
}


function runAsync(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<void>((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolvePromise() : reject(new Error(`${cmd} ${args.join(" ")} failed (${code}):\n${out}`))));
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export const WORKER_CONFIGS = { api: "workers/api/wrangler.toml", deployer: "workers/deployer/wrangler.toml", cron: "workers/cron/wrangler.toml" };

/**
 * Copies each Worker's wrangler.toml into `dir/<worker>/` with its relative paths
 * made absolute, and writes that Worker's local secrets to a .dev.vars beside it
 * (wrangler reads .dev.vars next to each config; secrets never go on a command line).
 */
export function writeWorkerConfigs(dir: string, opts: PlatformOptions, vars: Record<keyof typeof WORKER_CONFIGS, Record<string, string>>) {
  const out = {} as Record<keyof typeof WORKER_CONFIGS, string>;
  for (const [name, rel] of Object.entries(WORKER_CONFIGS) as [keyof typeof WORKER_CONFIGS, string][]) {
    const src = join(ROOT, rel);
    let toml = absolutePaths(readFileSync(src, "utf8"), src);
    if (name === "deployer" && opts.queueMaxRetries !== undefined) toml = withLaunchesMaxRetries(toml, opts.queueMaxRetries);
    const target = join(dir, name);
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, "wrangler.toml"), toml);
    writeFileSync(join(target, ".dev.vars"), Object.entries(vars[name]).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join("\n") + "\n", { mode: 0o600 });
    out[name] = join(target, "wrangler.toml");
  }
  return out;
}

/** A wrangler config's relative paths made absolute (its copy lives in another folder). */
function absolutePaths(toml: string, src: string): string {
  return toml.replace(/^(\s*(?:main|directory|migrations_dir)\s*=\s*)"([^"]+)"/gm, (_, key: string, p: string) => `${key}${JSON.stringify(resolve(dirname(src), p))}`);
}

/** The deployer config with the tf-launches consumer's max_retries replaced (tests reach the dead letters in seconds). */
function withLaunchesMaxRetries(toml: string, n: number): string {
  const re = /(\[\[queues\.consumers\]\]\s*\nqueue = "tf-launches"\n(?:(?!\[)[^\n]*\n)*?max_retries = )\d+/;
  if (!Number.isInteger(n) || n < 0 || !re.test(toml)) throw new Error(`cannot set max_retries = ${n} on tf-launches in the deployer's wrangler.toml`);
  return toml.replace(re, `$1${n}`);
}

async function waitForHttp(url: string, timeoutMs: number, died: () => boolean, tail: () => string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (died()) throw new Error(`the Workers process exited before ${url} answered; its last lines:\n${tail()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms; the Workers' last lines:\n${tail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Kills a detached child's whole process group (wrangler and its workerd). */
async function killProcessGroup(child: ChildProcess | null, signal: NodeJS.Signals) {
  if (!child || child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    process.kill(-child.pid, signal);
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}
