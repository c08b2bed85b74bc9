// HTTP front: POST JSON-RPC (single or batch), GET /health, CORS for browser dev apps.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { stringify } from "./json";
import { handleBody, methodNotFound, type Handler } from "./rpc";
import type { Method } from "./methods";

const MAX_BODY = 50 * 1024 * 1024;

export function createHttpServer(methods: Record<string, Method>): Server {
  const handler: Handler = (method, params) => {
    const m = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (!m) throw methodNotFound();
    return m(params);
  };
  const server = createServer((req, res) => void serve(req, res, handler));
  // Clients (undici, kit) reuse sockets for longer than Node's 5 s default; avoid resets.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  return server;
}

async function serve(req: IncomingMessage, res: ServerResponse, handler: Handler) {
  res.setHeader("access-control-allow-origin", "*");
  if (req.method === "OPTIONS") {
    res.writeHead(204, {
      "access-control-allow-methods": "POST, GET, OPTIONS",
      "access-control-allow-headers": "content-type, solana-client",
      "access-control-max-age": "86400",
    });
    return res.end();
  }
  if (req.method === "GET" && (req.url === "/health" || req.url?.startsWith("/health?"))) {
    res.writeHead(200, { "content-type": "text/plain" });
    return res.end("ok");
  }
  if (req.method !== "POST") {
    res.writeHead(405, { "content-type": "text/plain" });
    return res.end("Used HTTP Method is not allowed. POST or OPTIONS is required");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      res.writeHead(413);
      return res.end();
    }
    chunks.push(chunk as Buffer);
  }
  const out = handleBody(Buffer.concat(chunks).toString("utf8"), handler);
  if (out === undefined) {
    res.writeHead(204);
    return res.end();
  }
  res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  res.end(stringify(out));
}
