// Wallet sign-in: POST /auth/nonce, /auth/siwe, /auth/siws, /auth/logout.
import { createRoute, z } from "@hono/zod-openapi";
import type { Hex } from "viem";
import { audit } from "../audit";
import { jsonBody } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { Me, NonceResponse, SiweRequest, SiwsRequest } from "../schemas";
import { endSession } from "../session";
import { issueNonce, signIn, verifySiwe, verifySiws } from "../wallet-signin";

export const authRoute = router();

const signedIn = {
  description: "Signed in: the session cookie is set",
  headers: z.object({ "set-cookie": z.string().meta({ description: "tf_session=…; HttpOnly; SameSite=Lax; Path=/ (Secure outside local)" }) }),
  content: jsonContent(Me),
};
const signInProblems = problems("malformed-json", "unauthorized", "payload-too-large", "unsupported-media-type", "validation-error", "unavailable", ...LIMITED);

authRoute.openapi(
  createRoute({
    method: "post",
    path: "/nonce",
    operationId: "createNonce",
    tags: ["auth"],
    summary: "A sign-in nonce (single use, expires)",
    description: "Put it in the `Nonce:` line of the SIWE / SIWS message.",
    security: security.none,
    responses: { 201: { description: "A fresh nonce", content: jsonContent(NonceResponse) }, ...problems(...LIMITED) },
  }),
  async (c) => {
    const { nonce, expiresAt } = await issueNonce(c.env);
    return c.json({ nonce, expiresAt: new Date(expiresAt).toISOString() }, 201, { "cache-control": "no-store" });
  },
);

authRoute.openapi(
  createRoute({
    method: "post",
    path: "/siwe",
    operationId: "signInWithEthereum",
    tags: ["auth"],
    summary: "Sign in with Ethereum (EIP-4361)",
    description:
      "The message's domain and URI must be one of the server's public origins (PUBLIC_ORIGINS), its address EIP-55 checksummed, " +
      "its nonce from POST /auth/nonce, its Chain ID a chain we serve.",
    security: security.none,
    middleware: [jsonBody] as const,
    request: { body: { required: true, content: jsonContent(SiweRequest) } },
    responses: { 200: signedIn, ...signInProblems },
  }),
  async (c) => {
    const { message, signature } = c.req.valid("json");
    const address = await verifySiwe(c, message, signature as Hex);
    const { user } = await signIn(c, address, "siwe");
    return c.json({ user: { id: user.id, walletAddress: user.walletAddress, role: user.role } }, 200);
  },
);

authRoute.openapi(
  createRoute({
    method: "post",
    path: "/siws",
    operationId: "signInWithSolana",
    tags: ["auth"],
    summary: "Sign in with Solana (ed25519 over an EIP-4361-style message)",
    description:
      "The message's domain and URI must be one of the server's public origins (PUBLIC_ORIGINS); Chain ID, when present, a cluster " +
      "of the Phantom SIWS spec (mainnet, devnet, …, bare or as solana:mainnet) or a Solana chain we serve.",
    security: security.none,
    middleware: [jsonBody] as const,
    request: { body: { required: true, content: jsonContent(SiwsRequest) } },
    responses: { 200: signedIn, ...signInProblems },
  }),
  async (c) => {
    const { message, signature, publicKey } = c.req.valid("json");
    const address = await verifySiws(c, message, signature, publicKey);
    const { user } = await signIn(c, address, "siws");
    return c.json({ user: { id: user.id, walletAddress: user.walletAddress, role: user.role } }, 200);
  },
);

authRoute.openapi(
  createRoute({
    method: "post",
    path: "/logout",
    operationId: "logout",
    tags: ["auth"],
    summary: "End the session",
    security: security.session,
    responses: { 204: { description: "Signed out (the cookie is cleared)" }, ...problems(...LIMITED) },
  }),
  async (c) => {
    const caller = c.get("caller");
    await endSession(c);
    if (caller?.via === "session") await audit(c, "auth.sign_out", caller.userId);
    return c.body(null, 204);
  },
);
