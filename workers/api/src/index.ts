// api Worker: the HTTP API under /api/v1. Everything else is the web app (static assets).
import { Hono } from "hono";
import { log } from "@tokenforge/core";
import type { AppEnv } from "./env";
import { identify } from "./auth";
import { ProblemError, problemResponse } from "./http";
import { launchesRoute } from "./routes/launches";
import { launchStreamRoute } from "./routes/launch-stream";
import { tokensRoute } from "./routes/tokens";
import { chainsRoute } from "./routes/chains";
import { healthRoute } from "./routes/health";
import { adminRoute } from "./routes/admin";

const api = new Hono<AppEnv>();
api.use("*", identify);
api.route("/launches", launchStreamRoute);
api.route("/launches", launchesRoute);
api.route("/tokens", tokensRoute);
api.route("/chains", chainsRoute);
api.route("/health", healthRoute);
api.route("/admin", adminRoute);

const app = new Hono<AppEnv>();
app.use("*", async (c, next) => {
  await next();
  c.header("x-content-type-options", "nosniff");
  c.header("referrer-policy", "strict-origin-when-cross-origin");
});
app.route("/api/v1", api);
app.notFound((c) =>
  c.req.path.startsWith("/api/") ? problemResponse("not-found", `no route ${c.req.method} ${c.req.path}`) : c.env.ASSETS ? c.env.ASSETS.fetch(c.req.raw) : problemResponse("not-found"),
);
app.onError((err, c) => {
  if (err instanceof ProblemError) return err.toResponse();
  log("error", "api.unhandled", { path: c.req.path, method: c.req.method, error: err });
  return problemResponse("internal-error", "an unexpected error occurred; it was logged");
});

export default app;
