// The MCP tools (issue 23): what an AI agent can do with an API key, as thin
// wrappers over the same functions the HTTP routes call (launch-create.ts,
// listChains, tokenPage, createQuote), with the HTTP API's zod schemas as their
// input schemas. A problem (bad input, a business rule) is a tool result with
// isError: true whose text names the field; the SDK answers a schema failure the
// same way ("… at decimals").
import { publicOrigin } from "../routes/assets";
import { readTokenDetail } from "../routes/token-detail";
import type { Context } from "hono";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { canonicalEvmAddress, chainRegistry, findChain, LaunchRequest, problem } from "@tokenforge/core";
import type { AppEnv } from "../env";
import { ProblemError } from "../http";
import { createLaunches, checkForChain, IDEMPOTENCY_KEY_RE } from "../launch-create";
import { getLaunchWithEvents, launchView } from "../launch-store";
import { listChains } from "../routes/chains";
import { tokenPage } from "../routes/tokens";
import { assertChainOpen } from "../chain-pause";
import { createQuote } from "../quotes";
import { TokensQuery } from "../schemas";
import type { Scope } from "../scopes";

export const MCP_SERVER_INFO = { name: "tokenforge", version: "1" };

const LAUNCH_ID = z.string().regex(/^lch_[0-9a-z]{26}$/, "must be a launch id (lch_…)");
const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

/** A server whose tools act for the request's caller (one per request: the transport is stateless). */
export function mcpServer(c: Context<AppEnv>): McpServer {
  const server = new McpServer(MCP_SERVER_INFO, { capabilities: { tools: {} } });

  server.registerTool("list_chains", {
    title: "List chains",
    description: "The chains tokens can be launched on (id, family evm|solana, native symbol, fees when known, paused).",
    annotations: READ,
  }, () => run(async () => ({ chains: await listChains(c.env) })));

  server.registerTool("quote_launch", {
    title: "Quote a launch",
    description: "What a launch would cost (network fee + platform fee, in the chain's smallest unit), binding until expiresAt. Takes the create_launch body.",
    inputSchema: LaunchRequest.shape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  }, (args) => run(async () => {
    needScope(c, "launches:write");
    const request = checkForChain(c.env, args as LaunchRequest);
    await assertChainOpen(c.env, request.chain);
    return createQuote(c.env, c.get("caller")!, request, findChain(chainRegistry(c.env), request.chain)!);
  }));

  server.registerTool("create_launch", {
    title: "Launch a token",
    description:
      "Launches a token paid with the caller's credits (payment mode platform): answers its id, status queued and the token's address. " +
      "Pass an idempotencyKey (any 1–255 printable ASCII characters) so that retrying the same call returns the same launch instead of a second one. " +
      "Follow it with get_launch until status is confirmed or failed.",
    inputSchema: LaunchRequest.extend({
      idempotencyKey: z.string().regex(IDEMPOTENCY_KEY_RE, "must be 1 to 255 printable ASCII characters").optional()
        .describe("The same key with the same body returns the same launch (a retry launches nothing twice)"),
    }).shape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  }, ({ idempotencyKey, ...body }) => run(async () => {
    needScope(c, "launches:write");
    const [outcome] = await createLaunches(c, [{ body, idempotencyKey: idempotencyKey ?? null }], { platformOnly: true });
    if (!outcome!.ok) throw outcome!.problem;
    return { ...outcome!.body, replayed: outcome!.replayed };
  }));

  server.registerTool("get_launch", {
    title: "Get a launch",
    description: "A launch's status (queued → submitted → confirmed | failed), address, transaction and status history.",
    inputSchema: { id: LAUNCH_ID },
    annotations: READ,
  }, ({ id }) => run(async () => {
    const found = await getLaunchWithEvents(c.env, id);
    if (!found) throw new ProblemError("not-found", "id: no launch with this id", { errors: [{ path: "id", message: "no launch with this id" }] });
    return launchView(c.env, found.row, found.events);
  }));

  server.registerTool("list_tokens", {
    title: "List tokens",
    description: "Confirmed tokens, newest first, optionally of one chain or owner; pass nextCursor as cursor for the next page.",
    inputSchema: TokensQuery.shape,
    annotations: READ,
  }, (args) => run(() => tokenPage(c.env, (p) => c.executionCtx.waitUntil(p), args, publicOrigin(c)).then((r) => r.page)));

  server.registerTool("get_token", {
    title: "Get a token",
    description: "One confirmed token by chain and address: its launch record, what the chain says now (supply, owner, pause, authorities), verification, market figures and its safety summary.",
    inputSchema: { chain: z.string().min(1).max(64), address: z.string().min(1).max(64) },
    annotations: READ,
  }, ({ chain, address }) => run(async () => {
    const family = findChain(chainRegistry(c.env), chain)?.family;
    if (!family) throw new ProblemError("unknown-chain", `chain: unknown chain "${chain}"`, { errors: [{ path: "chain", message: "is not a supported chain" }] });
    const stored = family === "evm" ? canonicalEvmAddress(address) : address;
    const detail = stored ? await readTokenDetail(c.env, findChain(chainRegistry(c.env), chain)!, stored) : null;
    if (!detail) throw new ProblemError("not-found", "address: no confirmed token at this address on this chain", { errors: [{ path: "address", message: "no confirmed token here" }] });
    return detail;
  }));

  return server;
}

function needScope(c: Context<AppEnv>, scope: Scope) {
  const caller = c.get("caller")!;
  if (caller.via === "api-key" && !caller.scopes.includes(scope)) throw new ProblemError("forbidden", `the API key lacks the ${scope} scope`);
}

/** A tool's answer as JSON (text for every client, structuredContent for those that read it); a problem as isError. */
async function run(f: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    const value = (await f()) as Record<string, unknown>;
    return { content: [{ type: "text", text: JSON.stringify(value) }], structuredContent: value };
  } catch (e) {
    if (!(e instanceof ProblemError)) throw e;
    const p = problem(e.kind, e.message || undefined, e.extra);
    return { isError: true, content: [{ type: "text", text: `${p.title}: ${p.detail ?? e.kind}\n${JSON.stringify(p)}` }], structuredContent: p };
  }
}
