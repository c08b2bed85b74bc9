// The cron's credits job (issue 17) against real D1: reservations left open in
// the ledgers' D1 copy are captured (launch confirmed), refunded (failed, or no
// launch row after CREDITS_ORPHAN_MINUTES) or left alone (still in flight), each
// naming its reservation. The Ledger is the api's; a stand-in records the calls.
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { newId } from "@tokenforge/core";
import { settleCredits } from "../src/jobs/credits";
import type { Env } from "../src/env";

const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const USER = "usr_credits_cron";
const MINUTE = 60_000;

async function launchRow(status: string) {
  const id = newId("lch");
  await env.DB.prepare(
    `INSERT INTO launches (id, creator_id, chain, owner, request, deployer, status, address, attempts, request_hash, created_at, updated_at, payment_mode)
     VALUES (?, ?, 'local-eth', ?, '{}', ?, ?, ?, 1, ?, 0, 0, 'platform')`,
  ).bind(id, USER, OWNER, OWNER, status, OWNER, `h-${id}`).run();
  return id;
}

let seq = 0;
async function entry(kind: string, launchId: string, reservation: number, at: number) {
  await env.DB.prepare(
    `INSERT INTO credit_entries (key, user_id, seq, kind, chain, amount, cause, launch_id, reservation, key_id, at) VALUES (?, ?, ?, ?, 'local-eth', '100', '{}', ?, ?, NULL, ?)`,
  ).bind(`${kind}:${launchId}:${reservation}`, USER, ++seq, kind, launchId, reservation, at).run();
}

it("captures confirmed launches, refunds failed ones and orphans past the window, leaves in-flight ones, each by its reservation", async () => {
  const now = Date.now();
  const confirmed = await launchRow("confirmed");
  const failed = await launchRow("failed");
  const queued = await launchRow("queued");
  const replayed = await launchRow("confirmed"); // reservation 1 refunded (its failure), 2 open
  const settled = await launchRow("confirmed");
  const oldOrphan = newId("lch");
  const newOrphan = newId("lch");
  for (const id of [confirmed, failed, queued, settled]) await entry("reserve", id, 1, now - MINUTE);
  await entry("capture", settled, 1, now - MINUTE);
  await entry("reserve", replayed, 1, now - 5 * MINUTE);
  await entry("refund", replayed, 1, now - 4 * MINUTE);
  await entry("reserve", replayed, 2, now - MINUTE);
  await entry("reserve", oldOrphan, 1, now - 11 * MINUTE); // CREDITS_ORPHAN_MINUTES is 10
  await entry("reserve", newOrphan, 1, now - MINUTE);

  const result = await settleCredits(env as unknown as Env, now);
  expect(result).toEqual({ open: 6, captured: 2, refunded: 2 });
  const stub = (env as unknown as { LEDGER: DurableObjectNamespace }).LEDGER;
  const ledger = stub.get(stub.idFromName(USER)) as unknown as { commands(): Promise<{ kind: string; launchId: string; reservation?: number; reason?: string }[]> };
  const calls = (await ledger.commands()).map((c) => `${c.kind} ${c.launchId} ${c.reservation} ${c.reason ?? ""}`.trim()).sort();
  expect(calls).toEqual([
    `capture ${confirmed} 1`,
    `capture ${replayed} 2`,
    `refund ${failed} 1 launch failed`,
    `refund ${oldOrphan} 1 launch never written`,
  ].sort());
});
