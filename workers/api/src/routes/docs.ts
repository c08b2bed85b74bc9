// GET /api/v1/openapi.json (generated from the routes' zod schemas, once per
// isolate) and the interactive docs page at GET /api/v1/docs.
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { DOCS_CSS, DOCS_HTML, DOCS_JS } from "./docs-page";

export function docsRoute(document: () => unknown) {
  let cached: string | null = null;
  const route = new Hono<AppEnv>();
  route.get("/openapi.json", (c) => {
    cached ??= JSON.stringify(document());
    return c.body(cached, 200, { "content-type": "application/json", "cache-control": "public, max-age=300" });
  });
  route.get("/docs", (c) => c.html(DOCS_HTML, 200, { "cache-control": "public, max-age=300" }));
  route.get("/docs/docs.js", (c) => c.body(DOCS_JS, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=300" }));
  route.get("/docs/docs.css", (c) => c.body(DOCS_CSS, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=300" }));
  return route;
}
