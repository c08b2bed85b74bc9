// /api/v1/mcp — the remote MCP endpoint (Streamable HTTP transport, stateless:
// no session id, one JSON answer per POST), for AI agents with an API key.
// The official @modelcontextprotocol/sdk's web-standard transport, not
// Cloudflare's `agents` package: measured in a Worker with the same zod, the SDK
// adds ~121 KiB gzip, `agents` (which wraps the SDK, v1 and v2) ~522 KiB, and a
// stateless server needs no Durable Object. The request went through the
// same middleware as every route (IP and key limits); the tools call the same
// functions as the HTTP routes, so scopes and quotas are the same.
import { Hono } from "hono";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { AppEnv } from "../env";
import { BEARER_CHALLENGE, jsonBodyUpTo, problemResponse, ProblemError } from "../http";
import { mcpServer } from "../mcp/tools";

/** A JSON-RPC message (or a batch) of tool calls: launch bodies are small. */
const MAX_MCP_BYTES = 64 * 1024;

export const mcpRoute = new Hono<AppEnv>();

mcpRoute.use("/", async (c, next) => {
  // API keys only (no OAuth in this version): an invalid key was already refused with 401 by identify.
  const caller = c.get("caller");
  if (!caller || caller.via !== "api-key") {
    throw new ProblemError("unauthorized", "send Authorization: Bearer tf_… (an API key)", {}, { "www-authenticate": `${BEARER_CHALLENGE}, error="invalid_request"` });
  }
  await next();
});

mcpRoute.post("/", jsonBodyUpTo(MAX_MCP_BYTES), async (c) => {
  const server = mcpServer(c);
  // Stateless (no sessionIdGenerator) and JSON answers: every POST stands alone, so any isolate can serve it.
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  const parsedBody: unknown = JSON.parse(await c.req.text());
  const res = await transport.handleRequest(c.req.raw, { parsedBody });
  c.executionCtx.waitUntil(server.close().catch(() => undefined));
  return res;
});

// No server-initiated stream and no session to delete in a stateless server (the spec's 405 for GET).
mcpRoute.on(["GET", "DELETE", "PUT", "PATCH"], "/", (c) =>
  problemResponse("method-not-allowed", `${c.req.path} answers POST (Streamable HTTP, stateless)`, {}, { allow: "OPTIONS, POST" }),
);
