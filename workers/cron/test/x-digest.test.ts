// The X digest job in workerd against the X stand-in (tools/social-stand-ins.ts):
// once per day however often the cron runs, the day's launches named and inert,
// and a 429 waited out until X's x-rate-limit-reset before the next try.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { masterKeysFromEnv, seal } from "@tokenforge/core/crypto/envelope";
import { encodeSecretEnvelope, X_TOKEN_AAD } from "@tokenforge/core/announce/secrets";
import { newId } from "@tokenforge/core";
import worker from "../src/index";
import type { Env } from "../src/env";

const HOUR = 3600_000;
const social = env.TEST_SOCIAL_URL;

/** The cron's env with a sealed X token and the digest at `hour` (UTC). */
async function digestEnv(hour: number): Promise<Env> {
  const token = encodeSecretEnvelope(await seal(await masterKeysFromEnv(env as unknown as Record<string, unknown>), "x-test-access-token", X_TOKEN_AAD));
  return { ...(env as unknown as Env), X_ACCESS_TOKEN_ENVELOPE: token, X_DIGEST_HOUR_UTC: String(hour) };
}

async function confirmedLaunch(name: string, symbol: string, updatedAt: number) {
  const id = newId("lch");
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO users (id, wallet_address, role, created_at) VALUES ('usr_x', '0xx', 'user', 0)"),
    env.DB.prepare(
      `INSERT INTO launches (id, creator_id, chain, owner, request, deployer, status, address, attempts, request_hash, created_at, updated_at)
       VALUES (?, 'usr_x', 'local-eth', '0x0', ?, '0x0', 'confirmed', ?, 1, ?, ?, ?)`,
    ).bind(id, JSON.stringify({ name, symbol }), `0x${id}`, `h-${id}`, updatedAt, updatedAt),
  ]);
}

async function digestAt(e: Env, now: number) {
  const res = await worker.fetch(new Request(`http://cron/x-digest?now=${now}`, { method: "POST" }) as Request<unknown, IncomingRequestCfProperties>, e);
  expect(res.status).toBe(200);
  return (await res.json()) as { day: string; outcome: string };
}
const tweets = async () => ((await (await fetch(`${social}/__received`)).json()) as { platform: string; status: number; body: { text: string } }[]).filter((r) => r.platform === "x");

describe("the X digest", () => {
  it("posts once a day, after waiting out a 429 until x-rate-limit-reset", async () => {
    const now = Date.now();
    const hourStart = Math.floor(now / HOUR) * HOUR;
    const e = await digestEnv(new Date(hourStart).getUTCHours());
    await confirmedLaunch("@everyone [x](http://evil) <b>", "EVIL", hourStart - 60_000);
    await confirmedLaunch("Quiet Coin", "QUIET", hourStart - 2 * HOUR);
    await confirmedLaunch("Too Early", "OLD", hourStart - 25 * HOUR); // the day before: not in this digest

    await fetch(`${social}/__control`, { method: "POST", body: JSON.stringify({ platform: "x", fault: { status: 429, retryAfterSeconds: 120 } }) });
    expect((await digestAt(e, now)).outcome).toBe("retry: x 429");
    const { not_before: notBefore } = (await env.DB.prepare("SELECT not_before FROM x_digests").first<{ not_before: number }>())!;
    expect(notBefore).toBeGreaterThanOrEqual(now + 119_000);
    // Before the reset: not even a call.
    expect((await digestAt(e, notBefore - 1_000)).outcome).toBe("done or in progress");
    expect((await tweets()).map((t) => t.status)).toEqual([429]);

    expect((await digestAt(e, notBefore)).outcome).toBe("posted");
    expect((await digestAt(e, notBefore + 60_000)).outcome).toBe("done or in progress");
    const sent = await tweets();
    expect(sent.map((t) => t.status)).toEqual([429, 201]);
    const text = sent[1]!.body.text;
    expect(text).toContain("1. @\u200beveryone [x](http:\u200b//evil) <b> (EVIL)");
    expect(text).toContain("2. Quiet Coin (QUIET)");
    expect(text).not.toContain("OLD");
    expect(text).not.toContain("@everyone");
  });
});
