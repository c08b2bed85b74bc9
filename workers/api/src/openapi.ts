// The OpenAPI side of the routes: every router is an OpenAPIHono whose zod
// failures become our problem+json (never Hono's default 400 JSON), plus the
// pieces each route repeats (problem responses, security requirements) and the
// document's header. GET /api/v1/openapi.json is generated from these.
import { OpenAPIHono, type Hook } from "@hono/zod-openapi";
import { z } from "zod";
import { problemKinds, type ProblemKind } from "@tokenforge/core";
import type { AppEnv } from "./env";
import { zodProblem } from "./http";
import { FEATURES_ON_CHAIN } from "./schemas";

const defaultHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) throw zodProblem(result.error, result.target === "json" ? "body" : result.target);
};

export function router() {
  return new OpenAPIHono<AppEnv>({ defaultHook });
}

export const Problem = z
  .object({
    type: z.string().meta({ example: "https://tokenforge.dev/problems/validation-error" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details; `type` names the kind of error." });

const problemContent = { "application/problem+json": { schema: Problem } };

/** Problem responses for the given kinds (grouped by status), for a route's `responses`. */
export function problems(...kinds: ProblemKind[]) {
  const byStatus = new Map<number, string[]>();
  for (const k of kinds) {
    const { status } = problemKinds[k];
    byStatus.set(status, [...(byStatus.get(status) ?? []), k]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, ks]) => [status, { description: ks.join(" | "), content: problemContent }]),
  ) as Record<number, { description: string; content: typeof problemContent }>;
}

/** Every rate-limited route can answer 429 (see rate-limit.ts). */
export const LIMITED = ["rate-limited"] as const satisfies ProblemKind[];

type SecurityRequirement = Record<string, string[]>[];
export const security: Record<"user" | "session" | "none", SecurityRequirement> = {
  /** A signed-in session or an API key with the scope. */
  user: [{ session: [] }, { apiKey: [] }],
  session: [{ session: [] }],
  none: [],
};

export const jsonContent = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

export function registerSecuritySchemes(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key: `Authorization: Bearer tf_…` (POST /api/v1/keys). Scopes: launches:read, launches:write, webhooks:manage.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "tf_session",
    description: "The session cookie set by wallet sign-in (POST /api/v1/auth/siwe or /auth/siws).",
  });
}

export const documentInfo = {
  openapi: "3.1.0",
  info: {
    title: "TokenForge API",
    version: "1",
    // No open-source licence: the API and its document are the operator's
    // (an SPDX "LicenseRef-" id names a licence outside the SPDX list).
    license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    description:
      "Launch tokens on several chains. Errors are RFC 9457 problem+json. Creates accept an `Idempotency-Key` header. " +
      "Responses carry the IETF `RateLimit-Policy` and `RateLimit` headers; a 429 carries `Retry-After`. Lists use cursor pagination (`nextCursor`).",
  },
  servers: [{ url: "/" }],
  tags: [
    { name: "launches", description: "Create and follow token launches" },
    { name: "tokens", description: `Confirmed tokens (public). ${FEATURES_ON_CHAIN}` },
    { name: "chains", description: "Supported chains (public)" },
    { name: "auth", description: "Wallet sign-in (SIWE / SIWS) and sessions" },
    { name: "keys", description: "API keys of the signed-in user" },
    { name: "webhooks", description: "Signed notifications when a launch is final (Standard Webhooks)" },
    { name: "credits", description: "Credits that pay platform-paid launches: balances per chain and the ledger" },
    { name: "operators", description: "Health and admin" },
    { name: "agents", description: "The Model Context Protocol endpoint for AI agents (the same launches, scopes and quotas as the HTTP routes)" },
  ],
};
