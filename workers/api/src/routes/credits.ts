// GET /api/v1/credits (the caller's balances per chain and ledger entries) and
// POST /api/v1/admin/credits (an operator grants credits; audited). Issue 17.
import { createRoute, z } from "@hono/zod-openapi";
import { chainRegistry, findChain, log, newId } from "@tokenforge/core";
import { creditsOf, grantCredits, type EntryView } from "@tokenforge/core/credits/store";
import { requireAdmin, requireScope } from "../auth";
import { audit } from "../audit";
import { jsonBody, ProblemError } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { CreditAmount } from "../schemas";

export const creditsRoute = router();

const Balance = z.object({
  chain: z.string(),
  currency: z.string().meta({ description: "The chain's native currency; amounts are in its smallest unit (wei, lamports)" }),
  available: CreditAmount.meta({ description: "What new platform-paid launches can reserve" }),
  reserved: CreditAmount.meta({ description: "Held for accepted launches until they confirm (captured) or fail (refunded)" }),
});

const Cause = z
  .object({
    type: z.enum(["deposit", "launch", "grant", "refund", "reconcile"]).meta({ description: "reconcile: written by the ledger reconciliation after a restore; `reason` says what it found (with the deposit's `tx` or the `launchId`)" }),
    launchId: z.string().optional(),
    reservation: z.number().int().optional().meta({ description: "Which reservation of the launch (a replay after a refund reserves again)" }),
    tx: z.string().optional().meta({ description: "deposit: the chain transaction" }),
    from: z.string().optional(),
    by: z.string().optional().meta({ description: "grant: the operator" }),
    reason: z.string().optional(),
  })
  .meta({ id: "CreditCause" });

const Entry = z
  .object({
    seq: z.number().int().meta({ description: "Order within the user's ledger" }),
    kind: z.enum(["deposit", "grant", "reserve", "capture", "refund"]),
    chain: z.string(),
    amount: CreditAmount,
    cause: Cause,
    at: z.string().meta({ description: "RFC 3339 date-time" }),
  })
  .meta({ id: "CreditEntry" });

export const CreditsView = z
  .object({
    balances: z.array(Balance),
    entries: z.array(Entry).meta({ description: "Newest first" }),
  })
  .meta({ id: "Credits" });

const GrantRequest = z
  .strictObject({
    userId: z.string().min(1).max(64),
    chain: z.string().min(1).max(64),
    amount: CreditAmount,
    reason: z.string().trim().min(1).max(200),
  })
  .meta({ id: "CreditGrantRequest", example: { userId: "usr_dev", chain: "local-eth", amount: "1000000000000000000", reason: "welcome credits" } });

const Granted = z
  .object({ userId: z.string(), chain: z.string(), granted: CreditAmount, duplicate: z.boolean(), balance: Balance })
  .meta({ id: "CreditGrant" });

/** The public form of a ledger entry: its cause as the contract names it (a refund's release reason included). */
function entryView(e: EntryView): z.infer<typeof Entry> {
  const c = e.cause as Record<string, unknown>;
  const type = c.type === "reconcile" ? "reconcile" : c.type === "release" ? "refund" : e.kind === "refund" ? "refund" : (c.type as "deposit" | "launch" | "grant");
  const { type: _t, chain: _c, ...rest } = c;
  return { seq: e.seq, kind: e.kind, chain: e.chain, amount: e.amount, cause: { type, ...rest } as z.infer<typeof Cause>, at: new Date(e.at).toISOString() };
}

const currencyOf = (env: Parameters<typeof chainRegistry>[0], chain: string) => findChain(chainRegistry(env), chain)?.nativeSymbol ?? "";

creditsRoute.openapi(
  createRoute({
    method: "get",
    path: "/credits",
    operationId: "getCredits",
    tags: ["credits"],
    summary: "Your credits: balances per chain and the ledger",
    description:
      "Platform-paid launches are paid from these credits (per user: shared by the user's API keys and session). " +
      "A launch reserves its quote's total on acceptance; it is captured when the launch confirms and refunded when it fails. " +
      "Balances always equal the sum of the entries. Needs a session or an API key with `launches:read`.",
    security: security.user,
    middleware: [requireScope("launches:read")] as const,
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional().meta({ description: "Entries to list (default 100)" }) }) },
    responses: {
      200: { description: "Balances and the newest entries", content: jsonContent(CreditsView) },
      ...problems("unauthorized", "forbidden", "validation-error", ...LIMITED),
    },
  }),
  async (c) => {
    const caller = c.get("caller")!;
    const snap = await creditsOf(c.env, caller.userId, c.req.valid("query").limit ?? 100);
    const balances = Object.entries(snap.balances).sort(([a], [b]) => a.localeCompare(b))
      .map(([chain, b]) => ({ chain, currency: currencyOf(c.env, chain), available: b.available, reserved: b.reserved }));
    return c.json({ balances, entries: snap.entries.map(entryView) }, 200);
  },
);

creditsRoute.openapi(
  createRoute({
    method: "post",
    path: "/admin/credits",
    operationId: "grantCredits",
    tags: ["operators"],
    summary: "Grant credits to a user (admin; audited)",
    description:
      "Adds `amount` to the user's available credits on `chain` with an entry naming the operator and the reason. " +
      "With an `Idempotency-Key`, a repeated request grants once (`duplicate: true`).",
    security: security.user,
    middleware: [requireAdmin, jsonBody] as const,
    request: {
      headers: z.object({ "idempotency-key": z.string().max(255).optional() }),
      body: { required: true, content: jsonContent(GrantRequest) },
    },
    responses: {
      201: { description: "Granted (or already granted under this Idempotency-Key)", content: jsonContent(Granted) },
      ...problems("malformed-json", "unauthorized", "forbidden", "not-found", "unsupported-media-type", "validation-error", "unknown-chain", ...LIMITED),
    },
  }),
  async (c) => {
    const g = c.req.valid("json");
    if (!findChain(chainRegistry(c.env), g.chain)) {
      throw new ProblemError("unknown-chain", `unknown chain "${g.chain}"`, { errors: [{ path: "chain", message: "is not a supported chain" }] });
    }
    if (BigInt(g.amount) <= 0n) throw new ProblemError("validation-error", "amount: must be positive", { errors: [{ path: "amount", message: "must be positive" }] });
    const user = await c.env.DB.prepare("SELECT id FROM users WHERE id = ?").bind(g.userId).first<{ id: string }>();
    if (!user) throw new ProblemError("not-found", "no user with this id");
    const caller = c.get("caller");
    const by = caller?.userId ?? "admin-token";
    const idem = c.req.header("idempotency-key");
    const key = idem ? `${by}:${idem}` : newId("grt");
    const r = await grantCredits(c.env, { userId: g.userId, chain: g.chain, amount: BigInt(g.amount), by, reason: g.reason, key });
    await audit(c, "credits.granted", g.userId, { chain: g.chain, amount: g.amount, reason: g.reason, duplicate: r.status === "duplicate" });
    log("info", "credits.granted", { userId: g.userId, chain: g.chain, by, outcome: r.status });
    const balance = { chain: g.chain, currency: currencyOf(c.env, g.chain), available: r.balance.available.toString(), reserved: r.balance.reserved.toString() };
    return c.json({ userId: g.userId, chain: g.chain, granted: g.amount, duplicate: r.status === "duplicate", balance }, 201);
  },
);
