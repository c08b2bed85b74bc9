// Caps hold under concurrency (issue 12, item 5): at most 50 active API keys and
// 20 webhooks per user, however many creations race (the count and the insert are
// one SQL statement).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, signInEvm } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;

describe("caps under parallel creation", () => {
  it("leaves exactly 50 active keys after 70 parallel creations", async () => {
    const { cookie, user } = await signInEvm();
    const statuses = (await Promise.all(
      Array.from({ length: 70 }, (_, i) => call("POST", "/api/v1/keys", { cookie }, { name: `race ${i}`, scopes: ["launches:read"] })),
    )).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 422)).toHaveLength(20);
    const n = await DB.prepare("SELECT COUNT(*) AS n FROM api_keys WHERE user_id = ? AND revoked_at IS NULL").bind(user.id).first<{ n: number }>();
    expect(n!.n).toBe(50);
  });

  it("leaves exactly 20 webhooks after 60 parallel creations", async () => {
    const { cookie, user } = await signInEvm();
    const statuses = (await Promise.all(
      Array.from({ length: 60 }, (_, i) => call("POST", "/api/v1/webhooks", { cookie }, { url: `https://hooks.example.com/race/${i}`, events: ["launch.confirmed"] })),
    )).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 422)).toHaveLength(40);
    const n = await DB.prepare("SELECT COUNT(*) AS n FROM webhooks WHERE user_id = ? AND deleted_at IS NULL").bind(user.id).first<{ n: number }>();
    expect(n!.n).toBe(20);
  });
});
