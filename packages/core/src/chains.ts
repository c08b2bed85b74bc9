// The chain registry: data, not code. Each environment has its own list
// (local lists only the chains `npm start` runs); adding an EVM chain is an
// edit to the JSON. RPC URLs may name Worker secrets as ${NAME}, and quotas
// may be "${NAME:-default}" strings (tests run a provider budget of a few
// requests per second without editing the registry).
import { z } from "zod";
import local from "./chains/local.json";
import production from "./chains/production.json";

export const ChainFamily = z.enum(["evm", "solana"]);
export type ChainFamily = z.infer<typeof ChainFamily>;

export const RpcEndpoint = z.object({
  url: z.string().min(1),
  provider: z.string().min(1),
  /** Provider budget: `requests` per `perSeconds` (token bucket size and refill). */
  quota: z.object({ requests: z.number().positive(), perSeconds: z.number().positive() }),
});
export type RpcEndpoint = z.infer<typeof RpcEndpoint>;

/** A quota figure as the JSON may state it: a number, or a "${NAME:-default}" template filled from the env. */
const QuotaFigure = z.union([z.number().positive(), z.string().min(1)]);
const RegistryRpcEndpoint = RpcEndpoint.extend({ quota: z.object({ requests: QuotaFigure, perSeconds: QuotaFigure }) });

export const ChainConfig = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,32}$/),
  name: z.string(),
  family: ChainFamily,
  chainId: z.number().int().positive().optional(),
  nativeSymbol: z.string(),
  confirmations: z.number().int().min(0),
  /** EVM: how many blocks back a confirmed launch is re-checked for a reorg that took its token (default 128). */
  reorgWindowBlocks: z.number().int().positive().optional(),
  /** Solana: the commitment a launch's transaction must reach to be confirmed (default "confirmed"). */
  commitment: z.enum(["processed", "confirmed", "finalized"]).optional(),
  blockTimeMs: z.number().int().positive(),
  publicRpcUrl: z.string().min(1),
  explorer: z.object({ url: z.string().url() }).nullable(),
  rpc: z.array(RpcEndpoint).min(1),
  /**
   * EVM: the owner of ForgeFactoryV2 (in production one Safe at the same address on every
   * chain, so the factory has one address everywhere). With it, new launches use the v2
   * factory (wallet- or platform-paid); without it, v1 (platform-paid only).
   */
  factoryOwner: z.string().regex(/^0x[0-9a-fA-F]{40}$/).optional(),
  /**
   * Solana (no factory holds it there): where the platform fee of a wallet-paid launch goes,
   * and the fee in lamports (decimal string). EVM chains read both from their factory.
   */
  treasury: z.string().optional(),
  /** EVM: an OP-stack chain (Base, Optimism…): a transaction also pays an L1 data fee (GasPriceOracle.getL1Fee), which quotes include. */
  opStack: z.boolean().optional(),
  platformFee: z.string().regex(/^(0|[1-9][0-9]*)$/).optional(),
  /**
   * Market data: the native coin's CoinGecko id (USD price for quotes) and the chain's
   * GeckoTerminal network id (token prices, pools). Without it the chain has no market data.
   */
  market: z.object({ coingeckoId: z.string().min(1), network: z.string().min(1).nullable() }).optional(),
});
export type ChainConfig = z.infer<typeof ChainConfig>;
const RegistryChain = ChainConfig.extend({
  rpc: z.array(RegistryRpcEndpoint).min(1),
  /** Local chains: a "${NAME:-default}" template, so a test can ask for a deeper confirmation rule. */
  confirmations: z.union([z.number().int().min(0), z.string().min(1)]),
});
type RegistryChain = z.infer<typeof RegistryChain>;

export const Environment = z.enum(["local", "production"]);
export type Environment = z.infer<typeof Environment>;

const Registry = z.object({ chains: z.array(RegistryChain) });
const registries: Record<Environment, RegistryChain[]> = {
  local: Registry.parse(local).chains,
  production: Registry.parse(production).chains,
};

export type RegistryEnv = { TF_ENV?: string; [name: string]: unknown };
const resolved = new WeakMap<object, ChainConfig[]>();

/**
 * Chains of the Worker's environment (`TF_ENV`). `${NAME}` in a URL is filled from
 * the env (secrets such as provider API keys), `${NAME:-default}` falls back to the
 * default (local ports, so tests can run a second platform beside `npm start`), and
 * defaults may nest (`${PRIMARY_URL:-http://127.0.0.1:${PORT:-8545}}`).
 */
export function chainRegistry(env: RegistryEnv): ChainConfig[] {
  const cached = resolved.get(env);
  if (cached) return cached;
  const fill = (s: string) => fillVars(s, env);
  const chains = registries[Environment.parse(env.TF_ENV ?? "local")].map((c): ChainConfig => ({
    ...c,
    publicRpcUrl: fill(c.publicRpcUrl),
    confirmations: confirmationsFigure(c.confirmations, env, c.id),
    rpc: c.rpc.map((r) => ({
      ...r,
      url: fill(r.url),
      quota: { requests: quotaFigure(r.quota.requests, env, c.id), perSeconds: quotaFigure(r.quota.perSeconds, env, c.id) },
    })),
  }));
  resolved.set(env, chains);
  return chains;
}

function quotaFigure(figure: number | string, env: RegistryEnv, chainId: string): number {
  if (typeof figure === "number") return figure;
  const n = Number(fillVars(figure, env));
  // A quota that is not a positive number is a configuration error: say which, rather than run unbudgeted.
  if (!Number.isFinite(n) || n <= 0) throw new Error(`chain ${chainId}: RPC quota ${JSON.stringify(figure)} is not a positive number`);
  return n;
}

function confirmationsFigure(figure: number | string, env: RegistryEnv, chainId: string): number {
  if (typeof figure === "number") return figure;
  const n = Number(fillVars(figure, env));
  if (!Number.isInteger(n) || n < 0) throw new Error(`chain ${chainId}: confirmations ${JSON.stringify(figure)} is not a whole number`);
  return n;
}

export function findChain(chains: ChainConfig[], id: string): ChainConfig | undefined {
  return chains.find((c) => c.id === id);
}

/**
 * Fills `${NAME}` and `${NAME:-default}` from `env`; a default may itself hold
 * placeholders. Values from the env are inserted as they are, never parsed again,
 * so a secret containing "${" cannot pull in another variable.
 */
export function fillVars(template: string, env: RegistryEnv): string {
  return fillFrom(template, 0, env, false).text;
}

const PLACEHOLDER_HEAD = /\$\{([A-Z0-9_]+)(:-)?/y;

/** Fills from `start` to the end of the string, or (inside a default) up to its closing brace. */
function fillFrom(s: string, start: number, env: RegistryEnv, inDefault: boolean): { text: string; end: number } {
  let text = "";
  let i = start;
  while (i < s.length) {
    if (inDefault && s[i] === "}") return { text, end: i };
    PLACEHOLDER_HEAD.lastIndex = i;
    const head = PLACEHOLDER_HEAD.exec(s);
    if (!head) {
      text += s[i++];
      continue;
    }
    let fallback = "";
    let j = i + head[0].length;
    if (head[2]) ({ text: fallback, end: j } = fillFrom(s, j, env, true));
    if (s[j] !== "}") {
      // Not a placeholder after all (no closing brace): keep the text as written.
      text += s.slice(i, j);
      i = j;
      continue;
    }
    const v = env[head[1]!];
    text += v === undefined || v === "" ? fallback : String(v);
    i = j + 1;
  }
  return { text, end: i };
}

/** An RPC URL safe to log or show: origin only, never the path or query that may carry an API key. */
export function redactRpcUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "<invalid url>";
  }
}

/** Text (an error message) safe to log or show: every URL in it cut to its origin, like redactRpcUrl. */
export function redactUrls(text: string): string {
  return text.replace(/https?:\/\/[^\s"')]+/g, (u) => {
    const origin = redactRpcUrl(u);
    return origin === "<invalid url>" ? "<url>" : origin;
  });
}

/** Explorer links derived from the registry's base URL (Etherscan-style paths). */
export function explorerLinks(chain: ChainConfig, address: string | null, tx: string | null) {
  if (!chain.explorer) return null;
  const base = chain.explorer.url.replace(/\/$/, "");
  const isSol = chain.family === "solana";
  return {
    token: address ? `${base}/${isSol ? "address" : "token"}/${address}` : null,
    tx: tx ? `${base}/tx/${tx}` : null,
  };
}
