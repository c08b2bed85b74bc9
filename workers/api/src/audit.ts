// The audit log (every privileged action is on record): one row per privileged action — sign-in,
// API key creation and revocation, webhook changes, admin calls. Written before
// the response goes out, so an action that answered 2xx has its row.
import type { Context } from "hono";
import { drizzle } from "drizzle-orm/d1";
import { newId } from "@tokenforge/core";
import { auditLog } from "@tokenforge/core/db/schema";
import type { AppEnv } from "./env";

export type AuditAction =
  | "auth.sign_in"
  | "auth.sign_out"
  | "wallet.linked"
  | "user.created"
  | "key.created"
  | "key.revoked"
  | "webhook.created"
  | "webhook.deleted"
  | "announce.created"
  | "announce.deleted"
  | "admin.request"
  | "chain.paused"
  | "chain.resumed"
  | "credits.granted"
  | "asset.taken_down"
  | "token.metadata_updated";

export async function audit(
  c: Context<AppEnv>,
  action: AuditAction,
  target: string | null,
  detail: Record<string, unknown> | null = null,
  actorUserId?: string,
) {
  const caller = c.get("caller");
  const kind = caller ? caller.via : c.get("adminToken") ? "admin-token" : actorUserId ? "session" : "anonymous";
  await drizzle(c.env.DB)
    .insert(auditLog)
    .values({
      id: newId("aud"),
      at: Date.now(),
      actorUserId: actorUserId ?? caller?.userId ?? null,
      actorKeyId: caller?.keyId ?? null,
      actorKind: kind,
      action,
      target,
      ip: clientIp(c),
      detail,
    });
}

/** The client's IP as Cloudflare reports it (absent in some local setups). */
export function clientIp(c: Context): string | null {
  return c.req.header("cf-connecting-ip") ?? null;
}
