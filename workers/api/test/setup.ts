// Applies the D1 migrations and creates two users with API keys of different scopes.
import { applyD1Migrations, env } from "cloudflare:test";
import { giveCredits } from "./helpers";

export const KEYS = {
  writer: "tf_test_writer_key_0000000000000000",
  reader: "tf_test_reader_key_0000000000000000",
};

async function sha256(s: string) {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const e = env as unknown as { DB: D1Database; TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1] };
await applyD1Migrations(e.DB, e.TEST_MIGRATIONS);
await e.DB.batch([
  e.DB.prepare("INSERT OR IGNORE INTO users (id, wallet_address, role, created_at) VALUES ('usr_a', '0xaaaa', 'user', 0)"),
  e.DB.prepare("INSERT OR IGNORE INTO api_keys (id, user_id, name, prefix, hash, scopes, created_at) VALUES ('key_w', 'usr_a', 'w', 'tf_test', ?, '[\"launches:read\",\"launches:write\"]', 0)").bind(await sha256(KEYS.writer)),
  e.DB.prepare("INSERT OR IGNORE INTO api_keys (id, user_id, name, prefix, hash, scopes, created_at) VALUES ('key_r', 'usr_a', 'r', 'tf_test', ?, '[\"launches:read\"]', 0)").bind(await sha256(KEYS.reader)),
]);
// usr_a's keys launch platform-paid: it needs credits (issue 17).
await giveCredits("usr_a");
