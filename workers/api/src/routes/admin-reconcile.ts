// POST /api/v1/admin/reconcile-credits (issue 22): runs the ledger reconciliation now
// (the cron Worker's job, jobs/reconcile-credits.ts) and answers its report — each
// correction with its user, key, amount and reason; the copies repaired; findings left
// for an operator. Run it after a restore (docs/operations.md); running it twice
// corrects nothing the second time.
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { requireAdmin } from "../auth";

export const adminReconcileRoute = new Hono<AppEnv>();
adminReconcileRoute.use("*", requireAdmin);

adminReconcileRoute.post("/reconcile-credits", async (c) => {
  // Audited as every admin call is (admin.request, by requireAdmin).
  const res = await c.env.CRON.fetch("https://cron.internal/reconcile-credits", { method: "POST" });
  return new Response(res.body, { status: res.status, headers: { "content-type": "application/json" } });
});
