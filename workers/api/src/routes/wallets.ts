// POST /me/wallets/siwe and /me/wallets/siws: link another wallet to the signed-in
// account by signing in with it (the same message checks as /auth/siwe and
// /auth/siws); the session stays the account's. GET /me lists the wallets.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Hex } from "viem";
import { audit } from "../audit";
import { requireSession } from "../auth";
import type { AppEnv } from "../env";
import { jsonBody } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { SiweRequest, SiwsRequest } from "../schemas";
import { LinkedWallet } from "../deposit-schemas";
import { verifySiwe, verifySiws } from "../wallet-signin";
import { linkWallet } from "../wallets";

export const walletsRoute = router();

const linkResponses = {
  201: { description: "Linked: deposits from this wallet are credited to the account", content: jsonContent(LinkedWallet) },
  200: { description: "The wallet was already this account's", content: jsonContent(LinkedWallet) },
  ...problems("malformed-json", "unauthorized", "forbidden", "wallet-linked-elsewhere", "payload-too-large", "unsupported-media-type", "validation-error", "unavailable", ...LIMITED),
};

async function link(c: Context<AppEnv>, address: string, method: "siwe" | "siws") {
  const caller = c.get("caller")!;
  const { outcome, wallet } = await linkWallet(c.env, caller.userId, address);
  if (outcome === "linked") await audit(c, "wallet.linked", caller.userId, { method, address: wallet.address });
  return c.json({ wallet }, outcome === "linked" ? 201 : 200);
}

walletsRoute.openapi(
  createRoute({
    method: "post",
    path: "/siwe",
    operationId: "linkEthereumWallet",
    tags: ["auth"],
    summary: "Link an EVM wallet to the signed-in account (SIWE)",
    description: "Sign a fresh EIP-4361 message with the wallet to link, exactly as for POST /auth/siwe, while signed in. A wallet belongs to one account: 409 when it is another's.",
    security: security.session,
    middleware: [requireSession, jsonBody] as const,
    request: { body: { required: true, content: jsonContent(SiweRequest) } },
    responses: linkResponses,
  }),
  async (c) => {
    const { message, signature } = c.req.valid("json");
    return link(c, await verifySiwe(c, message, signature as Hex), "siwe") as never;
  },
);

walletsRoute.openapi(
  createRoute({
    method: "post",
    path: "/siws",
    operationId: "linkSolanaWallet",
    tags: ["auth"],
    summary: "Link a Solana wallet to the signed-in account (SIWS)",
    description: "Sign a fresh Sign-In With Solana message with the wallet to link, exactly as for POST /auth/siws, while signed in. 409 when the wallet is another account's.",
    security: security.session,
    middleware: [requireSession, jsonBody] as const,
    request: { body: { required: true, content: jsonContent(SiwsRequest) } },
    responses: linkResponses,
  }),
  async (c) => {
    const { message, signature, publicKey } = c.req.valid("json");
    return link(c, await verifySiws(c, message, signature, publicKey), "siws") as never;
  },
);
