// The api's Hono app: every route under /api/v1, the OpenAPI document built from
// them, and the web app's static assets for everything else. Kept apart from the
// Worker entry (index.ts, which also exports the RateLimiter Durable Object from
// cloudflare:workers) so node can import it: tools/gen-api-types.ts builds the
// OpenAPI document from this very app.
import { HTTPException } from "hono/http-exception";
import { log } from "@tokenforge/core";
import { identify } from "./auth";
import { ProblemError, problemResponse } from "./http";
import { allowedMethods } from "./allowed-methods";
import { documentInfo, registerSecuritySchemes, router } from "./openapi";
import { limitByCaller, limitByIp } from "./rate-limit";
import { cors, securityHeaders } from "./security";
import { launchesRoute } from "./routes/launches";
import { launchBatchRoute } from "./routes/launch-batch";
import { solanaPaymentRoute } from "./payments-solana";
import { launchStreamRoute } from "./routes/launch-stream";
import { marketHistoryRoute } from "./routes/market-history";
import { tokensRoute } from "./routes/tokens";
import { tokenDetailRoute } from "./routes/token-detail";
import { tokenRefreshRoute } from "./routes/token-refresh";
import { chainsRoute } from "./routes/chains";
import { quotesRoute } from "./routes/quotes";
import { healthRoute } from "./routes/health";
import { adminRoute } from "./routes/admin";
import { adminReconcileRoute } from "./routes/admin-reconcile";
import { creditsRoute } from "./routes/credits";
import { opsRoute } from "./routes/ops";
import { authRoute } from "./routes/auth";
import { meRoute } from "./routes/me";
import { walletsRoute } from "./routes/wallets";
import { depositsRoute } from "./routes/deposits";
import { keysRoute } from "./routes/keys";
import { webhooksRoute } from "./routes/webhooks";
import { announcementsRoute } from "./routes/announcements";
import { docsRoute } from "./routes/docs";
import { mcpRoute } from "./routes/mcp";
import { documentPlainRoutes } from "./routes/operators-doc";
import { apiConfig } from "./config";
import { requestId } from "./request-id";
import { assetsRoute } from "./routes/assets";
import { tokenMetadataRoute } from "./routes/token-metadata";
import { tokenListsRoute } from "./routes/tokenlists";

const api = router();
registerSecuritySchemes(api);
api.use("*", limitByIp);
api.use("*", identify);
api.use("*", limitByCaller);
api.route("/launches", launchStreamRoute);
api.route("/launches", launchBatchRoute);
api.route("/launches", launchesRoute);
api.route("/launches", solanaPaymentRoute);
api.route("/tokens", tokensRoute);
api.route("/tokens", tokenMetadataRoute);
api.route("/assets", assetsRoute);
api.route("/tokenlists", tokenListsRoute);
api.route("/tokens", tokenDetailRoute);
api.route("/tokens", tokenRefreshRoute);
api.route("/tokens", marketHistoryRoute);
api.route("/chains", chainsRoute);
api.route("/quotes", quotesRoute);
api.route("/auth", authRoute);
api.route("/me", meRoute);
api.route("/me/wallets", walletsRoute);
api.route("/credits/deposits", depositsRoute);
api.route("/keys", keysRoute);
api.route("/webhooks", webhooksRoute);
api.route("/announcements", announcementsRoute);
api.route("/health", healthRoute);
// Before /admin: POST /admin/credits is in the credits module (with its own requireAdmin).
api.route("/", creditsRoute);
api.route("/admin", adminReconcileRoute);
api.route("/admin", adminRoute);
api.route("/", opsRoute);
api.route("/mcp", mcpRoute);

// The outer app is an OpenAPIHono too, so mounting `api` carries its routes
// into the document with their full /api/v1 paths.
export const app = router();
app.use("*", requestId);
// The vars, parsed once per env at the entry: a bad one answers 500 (logged by
// onError with the var's name) instead of turning into NaN further down.
app.use("*", async (c, next) => {
  apiConfig(c.env);
  await next();
});
app.use("*", securityHeaders);
app.use("/api/*", cors);
app.route("/api/v1", api);
documentPlainRoutes(app);
/** The OpenAPI 3.1 document of the app (served at /api/v1/openapi.json). */
export const openApiDocument = () => app.getOpenAPI31Document(documentInfo);
app.route("/api/v1", docsRoute(openApiDocument));

const methodsOf = allowedMethods(app.routes);
app.notFound((c) => {
  if (!c.req.path.startsWith("/api/")) return c.env.ASSETS ? c.env.ASSETS.fetch(c.req.raw) : problemResponse("not-found");
  const allow = methodsOf(c.req.path);
  if (allow.length) return problemResponse("method-not-allowed", `${c.req.path} answers ${allow.join(", ")}`, {}, { allow: allow.join(", ") });
  return problemResponse("not-found", `no route ${c.req.method} ${c.req.path}`);
});
app.onError((err, c) => {
  if (err instanceof ProblemError) return err.toResponse();
  // Thrown by Hono's body validator and @hono/zod-openapi's media-type gate.
  if (err instanceof HTTPException) {
    const kind = err.status === 415 ? "unsupported-media-type" : err.status === 413 ? "payload-too-large" : err.status === 401 ? "unauthorized" : err.status === 400 ? "malformed-json" : null;
    if (kind) return problemResponse(kind, err.message);
  }
  log("error", "api.unhandled", { path: c.req.path, method: c.req.method, error: err });
  return problemResponse("internal-error", "an unexpected error occurred; it was logged");
});
