// The chain registry: data, not code. Each environment has its own list
// (local lists only the chains `npm start` runs); adding an EVM chain is an
// edit to the JSON. RPC URLs may name Worker secrets as ${NAME}.
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

export const ChainConfig = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,32}$/),
  name: z.string(),
  family: ChainFamily,
  chainId: z.number().int().positive().optional(),
  nativeSymbol: z.string(),
  confirmations: z.number().int().min(0),
  /** Solana: the commitment a launch's transaction must reach to be confirmed (default "confirmed"). */
  commitment: z.enum(["processed", "confirmed", "finalized"]).optional(),
  blockTimeMs: z.number().int().positive(),
  publicRpcUrl: z.string().min(1),
  explorer: z.object({ url: z.string().url() }).nullable(),
  rpc: z.array(RpcEndpoint).min(1),
});
export type ChainConfig = z.infer<typeof ChainConfig>;

export const Environment = z.enum(["local", "production"]);
export type Environment = z.infer<typeof Environment>;

const Registry = z.object({ chains: z.array(ChainConfig) });
const registries: Record<Environment, ChainConfig[]> = {
  local: Registry.parse(local).chains,
  production: Registry.parse(production).chains,
};

export type RegistryEnv = { TF_ENV?: string; [name: string]: unknown };
const resolved = new WeakMap<object, ChainConfig[]>();

/**
 * Chains of the Worker's environment (`TF_ENV`). `${NAME}` in a URL is filled from
 * the env (secrets such as provider API keys), `${NAME:-default}` falls back to the
 * default (local ports, so tests can run a second platform beside `npm start`).
 */
export function chainRegistry(env: RegistryEnv): ChainConfig[] {
  const cached = resolved.get(env);
  if (cached) return cached;
  const fill = (s: string) => fillVars(s, env);
  const chains = registries[Environment.parse(env.TF_ENV ?? "local")].map((c) => ({
    ...c,
    publicRpcUrl: fill(c.publicRpcUrl),
    rpc: c.rpc.map((r) => ({ ...r, url: fill(r.url) })),
  }));
  resolved.set(env, chains);
  return chains;
}

export function findChain(chains: ChainConfig[], id: string): ChainConfig | undefined {
  return chains.find((c) => c.id === id);
}

function fillVars(url: string, env: RegistryEnv): string {
  return url.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => {
    const v = env[name];
    return v === undefined || v === "" ? (fallback ?? "") : String(v);
  });
}

/** An RPC URL safe to log or show: origin only, never the path or query that may carry an API key. */
export function redactRpcUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "<invalid url>";
  }
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
