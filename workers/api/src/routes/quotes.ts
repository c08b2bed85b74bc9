// POST /api/v1/quotes — what a launch would cost its payer, binding until it expires.
import { createRoute } from "@hono/zod-openapi";
import { chainRegistry, findChain } from "@tokenforge/core";
import { requireScope } from "../auth";
import { jsonBody } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { createQuote } from "../quotes";
import { LaunchRequestSchema, QuoteView } from "../schemas";
import { checkForChain } from "../launch-create";
import { assertChainOpen } from "../chain-pause";

export const quotesRoute = router();

const create = createRoute({
  method: "post",
  path: "/",
  operationId: "createQuote",
  tags: ["launches"],
  summary: "Price a launch before making it",
  description:
    "Takes a launch body (the body of POST /launches, `payment` included) and answers what the launch costs its payer: " +
    "the network fee (EVM: gas units × price, plus the L1 data fee on OP-stack chains; Solana: signature and priority fees plus the " +
    "rent-exempt deposits of the mint and the owner's token account) and the platform fee (the chain's factory fee for wallet-paid launches; " +
    "0 for platform-paid ones). Binding until `expiresAt`: pass its id as `payment.quoteId` to POST /launches. A launch under a quote is " +
    "refused (409 quote-rejected) when the fee on chain changed since, the quote expired or was used, or it was made for another body, " +
    "chain, payment mode or payer. Needs a session or an API key with `launches:write`.",
  security: security.user,
  middleware: [requireScope("launches:write"), jsonBody] as const,
  request: { body: { required: true, content: jsonContent(LaunchRequestSchema) } },
  responses: {
    201: { description: "The quote", content: jsonContent(QuoteView) },
    ...problems(
      "malformed-json", "unauthorized", "forbidden", "payload-too-large", "unsupported-media-type", "validation-error", "unknown-chain", ...LIMITED,
      "unavailable", // the chain could not be read for a price
      "chain-paused", // the operators paused new launches on this chain (Retry-After)
    ),
  },
});

quotesRoute.openapi(create, async (c) => {
  const request = checkForChain(c.env, c.req.valid("json"));
  // A paused chain takes no launches, so it gives no quotes either.
  await assertChainOpen(c.env, request.chain);
  const chain = findChain(chainRegistry(c.env), request.chain)!;
  const quote = await createQuote(c.env, c.get("caller")!, request, chain);
  return c.json(quote, 201);
});

