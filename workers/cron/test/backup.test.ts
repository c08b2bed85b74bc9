// The backup job in workerd with real D1 and R2: one copy per interval, pages and a
// manifest whose digests match the pages, parents before children.
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { manifestKey, sha256Hex, type BackupManifest } from "@tokenforge/core/backup";
import { backupIfDue } from "../src/jobs/backup";
import type { Env } from "../src/env";

const e = env as unknown as Env;

it("copies D1 once per interval, pages matching the manifest's digests", async () => {
  await e.DB.prepare("INSERT INTO users (id, wallet_address, role, created_at) VALUES (?, ?, 'user', ?)").bind("usr_backup_probe", "0x000000000000000000000000000000000000b4c0", 1).run();
  const t0 = Date.now();
  const first = await backupIfDue(e, { intervalMs: 60_000, pageRows: 2 }, t0);
  expect(first.ran).toBe(true);
  expect(await backupIfDue(e, { intervalMs: 60_000, pageRows: 2 }, Date.now() + 1_000)).toMatchObject({ ran: false });
  if (!first.ran) return;
  const manifest = (await (await e.BACKUPS.get(manifestKey(first.id)))!.json()) as BackupManifest;
  const names = manifest.tables.map((t) => t.name);
  expect(names).not.toContain("d1_migrations");
  expect(names.indexOf("users")).toBeLessThan(names.indexOf("api_keys"));
  const users = manifest.tables.find((t) => t.name === "users")!;
  expect(users.rows).toBeGreaterThanOrEqual(1);
  expect(users.pages.every((p) => p.rows <= 2)).toBe(true);
  for (const p of users.pages) expect(await sha256Hex(await (await e.BACKUPS.get(p.key))!.text())).toBe(p.sha256);
  expect(manifest.migrations.length).toBeGreaterThan(5);
  // After the interval, a new copy.
  expect(await backupIfDue(e, { intervalMs: 60_000, pageRows: 2 }, Date.now() + 61_000)).toMatchObject({ ran: true });
});
