// GET /api/v1/tokens/{chain}/{address} — one token: its launch record plus what
// the chain said when the cron last read it (token_state: supply, owner, pause,
// Solana authorities), its source verification and a safety summary. One D1
// query (joins); never an RPC call on this path (invariant 5): chainStateAt says
// how fresh the chain part is.
import { createRoute } from "@hono/zod-openapi";
import { and, eq, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { canonicalEvmAddress, chainRegistry, explorerLinks, findChain, toWholeAmount, type ChainConfig } from "@tokenforge/core";
import {
  contractVerifications, launches, tokenMarket, tokens, tokenState, tokenStats,
  type ContractVerificationRow, type TokenMarketRow, type TokenRow, type TokenStateRow, type TokenStatsRow,
} from "@tokenforge/core/db/schema";
import { marketJoin, statsJoin } from "../insights";
import { apiConfig } from "../config";
import type { Env } from "../env";
import { safetySummary, type VerificationStatus } from "@tokenforge/core/safety";
import { ProblemError } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { TokenDetail, TokenDetailParams } from "../schemas";
import { tokenView } from "./tokens";

export const tokenDetailRoute = router();

const detail = createRoute({
  method: "get",
  path: "/{chain}/{address}",
  operationId: "getToken",
  tags: ["tokens"],
  summary: "One token: launch record, chain state as last read by the cron, verification and safety summary",
  security: security.none,
  request: { params: TokenDetailParams },
  responses: {
    200: { description: "The token", content: jsonContent(TokenDetail) },
    ...problems("not-found", "validation-error", ...LIMITED),
  },
});

tokenDetailRoute.openapi(detail, async (c) => {
  const { chain, address } = tokenOfPath(c.env, c.req.valid("param"));
  const view = await readTokenDetail(c.env, chain, address);
  if (!view) throw new ProblemError("not-found", `no token ${address} on ${chain.id}`);
  return c.json(view, 200, { "cache-control": "public, max-age=5" });
});

/**
 * The chain and the stored form of the address a `/tokens/{chain}/{address}…` path names:
 * 404 for an unknown chain, 422 for an EVM address that is not lower-, upper- or checksum-case.
 */
export function tokenOfPath(env: Env, params: { chain: string; address: string }): { chain: ChainConfig; address: string } {
  const chain = findChain(chainRegistry(env), params.chain);
  if (!chain) throw new ProblemError("not-found", `no chain ${params.chain}`);
  if (chain.family !== "evm") return { chain, address: params.address };
  const canonical = canonicalEvmAddress(params.address);
  if (!canonical) {
    const message = "must be an EVM address: all lower-case, all upper-case or EIP-55 checksummed";
    throw new ProblemError("validation-error", `address: ${message}`, { errors: [{ path: "address", message }] });
  }
  return { chain, address: canonical };
}

/** A token's detail from D1 alone (no RPC: the cron keeps its chain state), or null; the address in its stored form. Also the MCP tool get_token. */
export async function readTokenDetail(env: Env, chain: ChainConfig, address: string) {
  const db = drizzle(env.DB);
  const [rows, checks] = await Promise.all([
    db.select({ token: tokens, state: tokenState, request: launches.request, market: tokenMarket, stats: tokenStats })
      .from(tokens)
      .leftJoin(tokenState, and(eq(tokenState.chain, tokens.chain), eq(tokenState.address, tokens.address)))
      .leftJoin(tokenMarket, marketJoin)
      .leftJoin(tokenStats, statsJoin)
      .leftJoin(launches, eq(launches.id, tokens.launchId))
      .where(and(eq(tokens.chain, chain.id), eq(tokens.address, address)))
      .limit(1),
    // The token's own rows and the chain's implementation: never one row per token of the chain.
    db.select().from(contractVerifications).where(and(
      eq(contractVerifications.chain, chain.id),
      or(eq(contractVerifications.address, address), eq(contractVerifications.kind, "implementation")),
    )),
  ]);
  const row = rows[0];
  if (!row) return null;
  return tokenDetailView({
    chain, token: row.token, state: row.state, maxSupply: row.request?.maxSupply ?? null, verifications: checks,
    insights: { market: row.market, stats: row.stats }, staleMs: apiConfig(env).marketStaleMs,
  });
}

/** Everything the detail is built from: add a part here (market data, stats) and its field in tokenDetailView. */
export type TokenDetailParts = {
  chain: ChainConfig;
  token: TokenRow;
  state: TokenStateRow | null;
  /** The launch request's cap, whole tokens (shown until the chain's cap() was read). */
  maxSupply: string | null;
  /** The token's verification rows and its chain's implementation's. */
  verifications: ContractVerificationRow[];
  /** Market figures and analytics (issue 20), read in the same query. */
  insights?: { market: TokenMarketRow | null; stats: TokenStatsRow | null };
  staleMs?: number;
};

/** The detail as the API shows it: the one place its shape is built. */
export function tokenDetailView({ chain, token, state, maxSupply, verifications, insights, staleMs }: TokenDetailParts) {
  const base = tokenView(token, chain.family, { insights, staleMs });
  const solana = chain.family === "solana";
  const verification = verificationOf(chain, token.address, verifications);
  const authorities = state ? { mint: state.mintAuthority, freeze: state.freezeAuthority, update: state.updateAuthority } : null;
  const whole = (raw: string | null) => (raw === null ? null : toWholeAmount(raw, token.decimals));
  const owner = solana || !state ? token.owner : state.owner;
  return {
    ...base,
    owner,
    launchOwner: token.owner,
    maxSupply: state && !solana ? whole(state.cap) : maxSupply,
    currentSupply: state ? whole(state.currentSupply) : null,
    paused: state ? state.paused : null,
    ...(solana ? { authorities } : {}),
    chainStateAt: state ? new Date(state.readAt).toISOString() : null,
    verification,
    safety: safetySummary({
      family: chain.family,
      features: token.features,
      decimals: token.decimals,
      state: state ? { owner: state.owner, paused: state.paused, cap: state.cap, authorities: authorities ?? undefined } : null,
      verification,
    }),
    links: {
      explorer: explorerLinks(chain, token.address, token.txHash),
      sourcify: sourcifyLink(chain, verifications),
    },
  };
}

/**
 * Etherscan: the clone's own row (its proxy link), Sourcify: the implementation's
 * (clones are linked, not compiled). No row: "unsupported" (Solana, or a chain
 * nobody queued verification for).
 */
function verificationOf(chain: ChainConfig, address: string, rows: ContractVerificationRow[]): { etherscan: VerificationStatus; sourcify: VerificationStatus } {
  if (chain.family !== "evm") return { etherscan: "unsupported", sourcify: "unsupported" };
  const clone = rows.find((r) => r.service === "etherscan" && r.kind === "clone" && r.address === address);
  const impl = rows.find((r) => r.service === "sourcify" && r.kind === "implementation");
  return { etherscan: clone?.status ?? "unsupported", sourcify: impl?.status ?? "unsupported" };
}

function sourcifyLink(chain: ChainConfig, rows: ContractVerificationRow[]): string | null {
  const impl = rows.find((r) => r.service === "sourcify" && r.kind === "implementation" && r.status === "verified");
  if (!impl || chain.family !== "evm") return null;
  return `https://repo.sourcify.dev/${chain.chainId}/${impl.address}`;
}
