// GET /me and GET /me/launches: the caller (with their linked wallets) and the launches they created.
import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { canonicalWallet } from "@tokenforge/core";
import { launches, users } from "@tokenforge/core/db/schema";
import { requireScope } from "../auth";
import { ProblemError } from "../http";
import { launchView } from "../launch-store";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { LaunchList, MyLaunchesQuery } from "../schemas";
import { MeWithWallets } from "../deposit-schemas";
import { walletsOf } from "../wallets";

export const meRoute = router();

meRoute.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "getMe",
    tags: ["auth"],
    summary: "The signed-in user (or the API key's owner)",
    security: security.user,
    responses: { 200: { description: "Who you are, and your wallets", content: jsonContent(MeWithWallets) }, ...problems("unauthorized", ...LIMITED) },
  }),
  async (c) => {
    const caller = c.get("caller");
    if (!caller) throw new ProblemError("unauthorized", "sign in, or send an API key");
    const user = await drizzle(c.env.DB).select().from(users).where(eq(users.id, caller.userId)).get();
    if (!user) throw new ProblemError("unauthorized", "the user no longer exists");
    // Rows from before the EIP-55 form are answered in it too.
    return c.json({ user: { id: user.id, walletAddress: canonicalWallet(user.walletAddress), role: user.role }, wallets: await walletsOf(c.env, user.id) }, 200);
  },
);

meRoute.openapi(
  createRoute({
    method: "get",
    path: "/launches",
    operationId: "listMyLaunches",
    tags: ["launches"],
    summary: "Launches you created, newest first",
    description: "Cursor-paginated. Needs a session or an API key with `launches:read`. Admins may pass `all=1` to list everyone's.",
    security: security.user,
    middleware: [requireScope("launches:read")] as const,
    request: { query: MyLaunchesQuery },
    responses: {
      200: { description: "A page of launches", content: jsonContent(LaunchList) },
      ...problems("invalid-cursor", "unauthorized", "forbidden", "validation-error", ...LIMITED),
    },
  }),
  async (c) => {
    const caller = c.get("caller")!;
    const { cursor, limit, all } = c.req.valid("query");
    if (all === "1" && caller.role !== "admin") throw new ProblemError("forbidden", "all=1 is for admins");
    if (cursor !== undefined && !/^lch_[0-9a-z]{26}$/.test(cursor)) throw new ProblemError("invalid-cursor", "use the nextCursor of a previous page");
    const where: SQL[] = [];
    if (all !== "1") where.push(eq(launches.creatorId, caller.userId));
    // Ids are time-ordered (ids.ts), so the last id of a page is the cursor.
    if (cursor) where.push(lt(launches.id, cursor));
    const rows = await drizzle(c.env.DB)
      .select()
      .from(launches)
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(launches.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const items = page.map((row) => {
      const { events: _e, request: _r, ...view } = launchView(c.env, row, []);
      const req = row.request;
      return { ...view, name: req.name, symbol: req.symbol };
    });
    return c.json(
      { launches: items, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null },
      200,
    );
  },
);
