// The credits ledger store in workerd (issue 17): the Ledger Durable Object with
// real SQLite and its D1 copy, PlatformSpend, and the routes that use them.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  captureLaunch, creditDeposit, creditsOf, grantCredits, refundLaunch, reserveLaunch, takePlatformSpend,
  type LedgerEnv, type LedgerSnapshot, type PlatformSpendEnv,
} from "@tokenforge/core/credits/store";
import { balancesFromEntries } from "@tokenforge/core/credits/ledger";
import { EVM_LAUNCH_GAS, feesKey, type ChainFees } from "@tokenforge/core";
import { call, createKey, expectProblem, goodLaunch, json, signInEvm } from "./helpers";
import { KEYS } from "./setup";

const e = env as unknown as LedgerEnv & PlatformSpendEnv & { DB: D1Database };
const NO_CAPS = { perKeyPerDay: null, perUserPerDay: null };
let n = 0;
const freshUser = () => `usr_ledger_${Date.now()}_${n++}`;
const ADMIN = { headers: { authorization: "Bearer test-admin-token" } };

/** Balances equal the entries' sum and none is negative, in the Durable Object and in D1's copy. */
async function expectInvariant(userId: string) {
  const snap: LedgerSnapshot = await creditsOf(e, userId, 1000);
  const fromEntries = balancesFromEntries(snap.entries.map((x) => ({ ...x, amount: BigInt(x.amount) })) as never);
  for (const [chain, b] of Object.entries(snap.balances)) {
    expect(BigInt(b.available) >= 0n && BigInt(b.reserved) >= 0n).toBe(true);
    expect({ available: BigInt(b.available), reserved: BigInt(b.reserved) }).toEqual(fromEntries[chain]);
  }
  const { results } = await e.DB.prepare("SELECT key, amount FROM credit_entries WHERE user_id = ? ORDER BY seq").bind(userId).all<{ key: string; amount: string }>();
  expect(results.map((r) => r.key).sort()).toEqual(snap.entries.map((x) => x.key).sort());
  return snap;
}

describe("Ledger Durable Object", () => {
  it("credits a deposit once when it is sent ten times at once", async () => {
    const u = freshUser();
    const all = await Promise.all(Array.from({ length: 10 }, () => creditDeposit(e, { userId: u, chain: "local-eth", txId: "0xabc", amount: 5n, from: "0xfrom" })));
    expect(all.filter((r) => r.status === "credited")).toHaveLength(1);
    expect(all.filter((r) => r.status === "duplicate")).toHaveLength(9);
    const snap = await expectInvariant(u);
    expect(snap.balances["local-eth"]).toEqual({ available: "5", reserved: "0" });
    expect(snap.entries[0]).toMatchObject({ kind: "deposit", cause: { type: "deposit", tx: "0xabc", from: "0xfrom" } });
  });

  it("sums wei past SQLite's 64-bit integers exactly", async () => {
    const u = freshUser();
    const big = 123_456_789n * 10n ** 18n; // 1.2e26 wei: far past 2^63
    await grantCredits(e, { userId: u, chain: "local-eth", amount: big, by: "t", reason: "r", key: "a" });
    const r = await grantCredits(e, { userId: u, chain: "local-eth", amount: big + 1n, by: "t", reason: "r", key: "b" });
    expect(r.balance.available).toBe(2n * big + 1n);
    expect(await reserveLaunch(e, { userId: u, chain: "local-eth", launchId: "lch_big", amount: big, keyId: null, caps: NO_CAPS })).toMatchObject({ ok: true });
    const snap = await expectInvariant(u);
    expect(snap.balances["local-eth"]).toEqual({ available: (big + 1n).toString(), reserved: big.toString() });
  });

  it("reserves for exactly 3 of 12 concurrent launches when the credits cover 3", async () => {
    const u = freshUser();
    await grantCredits(e, { userId: u, chain: "local-eth", amount: 350n, by: "t", reason: "r", key: "g" });
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => reserveLaunch(e, { userId: u, chain: "local-eth", launchId: `lch_${i}`, amount: 100n, keyId: null, caps: NO_CAPS })));
    expect(all.filter((r) => r.ok)).toHaveLength(3);
    const refused = all.filter((r) => !r.ok);
    expect(refused).toHaveLength(9);
    for (const r of refused) expect(r).toEqual({ ok: false, refusal: { refused: "insufficient-credits", balance: "50", required: "100" } });
    await expectInvariant(u);
  });

  it("captures xor refunds, once each; a replay reserves again; a stale settler cannot close the newer reservation", async () => {
    const u = freshUser();
    await grantCredits(e, { userId: u, chain: "local-eth", amount: 1000n, by: "t", reason: "r", key: "g" });
    const reserve = () => reserveLaunch(e, { userId: u, chain: "local-eth", launchId: "lch_x", amount: 400n, keyId: "key_1", caps: NO_CAPS });
    expect(await reserve()).toEqual({ ok: true, duplicate: false, reservation: 1 });
    expect(await reserve()).toEqual({ ok: true, duplicate: true, reservation: 1 }); // a retried request finds it
    expect(await Promise.all([refundLaunch(e, { userId: u, launchId: "lch_x" }), refundLaunch(e, { userId: u, launchId: "lch_x" })])).toEqual(
      expect.arrayContaining(["refunded", "duplicate"]));
    expect(await captureLaunch(e, { userId: u, launchId: "lch_x" })).toBe("none"); // a refund excludes a capture
    expect(await reserve()).toEqual({ ok: true, duplicate: false, reservation: 2 }); // the replay
    expect(await refundLaunch(e, { userId: u, launchId: "lch_x", reservation: 1 })).toBe("duplicate"); // names the old one: the new one stays
    expect(await captureLaunch(e, { userId: u, launchId: "lch_x", reservation: 2 })).toBe("captured");
    expect(await refundLaunch(e, { userId: u, launchId: "lch_x" })).toBe("none");
    const snap = await expectInvariant(u);
    expect(snap.balances["local-eth"]).toEqual({ available: "600", reserved: "0" });
    expect(snap.entries.map((x) => x.key).reverse()).toEqual(["grant:g", "reserve:lch_x:1", "refund:lch_x:1", "reserve:lch_x:2", "capture:lch_x:2"]);
  });

  it("holds per-key and per-user daily caps; refunds give the room back", async () => {
    const u = freshUser();
    await grantCredits(e, { userId: u, chain: "local-eth", amount: 10_000n, by: "t", reason: "r", key: "g" });
    const r = (id: string, keyId: string) => reserveLaunch(e, { userId: u, chain: "local-eth", launchId: id, amount: 100n, keyId, caps: { perKeyPerDay: 250n, perUserPerDay: 300n } });
    const byKey = await Promise.all(["a1", "a2", "a3", "a4"].map((id) => r(id, "key_a")));
    expect(byKey.filter((x) => x.ok)).toHaveLength(2);
    expect(byKey.find((x) => !x.ok)).toMatchObject({ refusal: { refused: "spend-cap", scope: "key", cap: "250" } });
    expect(await r("b1", "key_b")).toMatchObject({ ok: true });
    expect(await r("b2", "key_b")).toMatchObject({ ok: false, refusal: { refused: "spend-cap", scope: "user", cap: "300", spent: "300" } });
    await refundLaunch(e, { userId: u, launchId: "b1" });
    expect(await r("b2", "key_b")).toMatchObject({ ok: true });
  });

  it("rebuilds its state from SQLite after eviction, and copies every entry to D1 once", async () => {
    const u = freshUser();
    await grantCredits(e, { userId: u, chain: "local-sol", amount: 77n, by: "t", reason: "r", key: "g" });
    await reserveLaunch(e, { userId: u, chain: "local-sol", launchId: "lch_s", amount: 7n, keyId: null, caps: NO_CAPS });
    const ns = (env as unknown as { LEDGER: DurableObjectNamespace }).LEDGER;
    const stub = ns.get(ns.idFromName(u));
    await runInDurableObject(stub, async (instance: unknown, state: DurableObjectState) => {
      const ledger = instance as { state: unknown; alarm(): Promise<void> };
      ledger.state = null; // as after eviction: the next command reads SQLite
      state.storage.sql.exec("UPDATE entries SET copied = 0"); // as if the copy had not been confirmed
      await ledger.alarm();
    });
    expect(await reserveLaunch(e, { userId: u, chain: "local-sol", launchId: "lch_s", amount: 7n, keyId: null, caps: NO_CAPS })).toMatchObject({ ok: true, duplicate: true });
    const snap = await expectInvariant(u); // D1 holds each entry exactly once (keyed) after the re-copy
    expect(snap.balances["local-sol"]).toEqual({ available: "70", reserved: "7" });
  });
});

describe("Ledger copy to D1", () => {
  it("copies the entries of concurrent commands to D1 together, each entry once (group commit)", async () => {
    const u = freshUser();
    await grantCredits(e, { userId: u, chain: "local-eth", amount: 10_000n, by: "t", reason: "r", key: "g" });
    const ns = (env as unknown as { LEDGER: DurableObjectNamespace }).LEDGER;
    const copied = await runInDurableObject(ns.get(ns.idFromName(u)), async (instance: unknown) => {
      const ledger = instance as { env: { DB: D1Database }; command(userId: string, cmd: unknown, now: number): Promise<{ ok: boolean }> };
      const db = ledger.env.DB;
      const seen = { batches: 0, statements: 0 };
      // What reaches D1: every batch and its statements, passed on to the real database.
      ledger.env = { ...ledger.env, DB: new Proxy(db, {
        get: (target, k) => k === "batch"
          ? (stmts: D1PreparedStatement[]) => { seen.batches++; seen.statements += stmts.length; return target.batch(stmts); }
          : (Reflect.get(target, k) as unknown),
      }) };
      try {
        const all = await Promise.all(Array.from({ length: 20 }, (_, i) =>
          ledger.command(u, { kind: "reserve", chain: "local-eth", launchId: `lch_group${i}`, amount: "10", keyId: null, caps: { perKeyPerDay: null, perUserPerDay: null } }, Date.now())));
        expect(all.every((r) => r.ok)).toBe(true);
      } finally {
        ledger.env = { ...ledger.env, DB: db };
      }
      return seen;
    });
    expect(copied.statements).toBe(20); // each reservation's entry once
    expect(copied.batches).toBeLessThanOrEqual(2);
    await expectInvariant(u); // and D1 holds them all by the time the commands returned
  });
});

describe("PlatformSpend", () => {
  it("admits launches up to the chain's daily cap under concurrency, idempotent per launch", async () => {
    const chain = `chain-${Date.now()}`;
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => takePlatformSpend(e, { chain, launchId: `l${i}`, amount: 10n, cap: 45n })));
    expect(all.filter((t) => t.ok)).toHaveLength(4);
    const refused = all.find((t) => !t.ok)!;
    expect(refused.ok === false && refused.retryAfterSeconds).toBeGreaterThan(0);
    const again = await takePlatformSpend(e, { chain, launchId: all.findIndex((t) => t.ok) === -1 ? "x" : `l${all.findIndex((t) => t.ok)}`, amount: 10n, cap: 45n });
    expect(again).toMatchObject({ ok: true, duplicate: true, spent: "40" });
  });
});

describe("routes", () => {
  it("GET /credits lists balances and entries with their causes; POST /admin/credits grants, once per Idempotency-Key", async () => {
    const { cookie, user } = await signInEvm();
    const granted = await call("POST", "/api/v1/admin/credits", { headers: { ...ADMIN.headers, "idempotency-key": "g-1" } }, { userId: user.id, chain: "local-bsc", amount: "12345678901234567890123", reason: "promo" });
    expect(granted.status, await granted.clone().text()).toBe(201);
    expect(await json(granted)).toMatchObject({ duplicate: false, balance: { chain: "local-bsc", currency: "BNB", reserved: "0" } });
    const again = await call("POST", "/api/v1/admin/credits", { headers: { ...ADMIN.headers, "idempotency-key": "g-1" } }, { userId: user.id, chain: "local-bsc", amount: "12345678901234567890123", reason: "promo" });
    expect(await json(again)).toMatchObject({ duplicate: true });
    const audit = await e.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'credits.granted' AND target = ?").bind(user.id).first<{ n: number }>();
    expect(audit!.n).toBe(2);

    const res = await call("GET", "/api/v1/credits", { cookie });
    expect(res.status).toBe(200);
    const body = await json(res);
    const bsc = body.balances.find((b: any) => b.chain === "local-bsc");
    expect(bsc).toEqual({ chain: "local-bsc", currency: "BNB", available: (10n ** 21n + 12345678901234567890123n).toString(), reserved: "0" });
    expect(body.entries[0]).toMatchObject({ kind: "grant", chain: "local-bsc", amount: "12345678901234567890123", cause: { type: "grant", by: "admin-token", reason: "promo" } });

    await expectProblem(await call("POST", "/api/v1/admin/credits", ADMIN, { userId: user.id, chain: "local-bsc", amount: "-1", reason: "x" }), 422, "validation-error");
    await expectProblem(await call("POST", "/api/v1/admin/credits", ADMIN, { userId: "usr_nobody", chain: "local-bsc", amount: "1", reason: "x" }), 404, "not-found");
    await expectProblem(await call("POST", "/api/v1/admin/credits", { key: KEYS.writer }, { userId: user.id, chain: "local-bsc", amount: "1", reason: "x" }), 403, "forbidden");
  });

  it("a platform launch without a quoteId reserves what a fresh quote states, and stores no quote of its own", async () => {
    const { cookie, user } = await signInEvm();
    const key = await createKey(cookie, ["launches:write", "launches:read"]);
    // The cron's fresh gas price in KV (the stand-in gate reaches no chain), as quotes.test.ts seeds it.
    const fees: ChainFees = { chain: "local-eth", gasPrice: "2000000000", launchUnits: EVM_LAUNCH_GAS, estimatedCost: "0", updatedAt: new Date().toISOString() };
    await (env as unknown as { CACHE: KVNamespace }).CACHE.put(feesKey("local-eth"), JSON.stringify(fees));
    const quotesOf = async () => (await e.DB.prepare("SELECT count(*) AS n FROM quotes WHERE user_id = ?").bind(user.id).first<{ n: number }>())!.n;
    const quote = await call("POST", "/api/v1/quotes", { key: key.key }, goodLaunch);
    expect(quote.status, await quote.clone().text()).toBe(201);
    const { total } = await json<{ total: string }>(quote);
    expect(await quotesOf()).toBe(1);
    const launch = await call("POST", "/api/v1/launches", { key: key.key }, goodLaunch);
    expect(launch.status, await launch.clone().text()).toBe(202);
    const { id } = await json<{ id: string }>(launch);
    // Pricing a launch used to write (and never use) a quote row, a USD read and a log line on every launch.
    expect(await quotesOf()).toBe(1);
    const reserve = (await creditsOf(e, user.id)).entries.find((x) => x.kind === "reserve" && (x.cause as { launchId?: string }).launchId === id);
    expect(reserve?.amount).toBe(total);
    await expectInvariant(user.id);
  });

  it("refuses a platform launch without enough credits (402 with balance and required), and one over its key's daily cap", async () => {
    const { cookie, user } = await signInEvm();
    // signInEvm gave credits; spend them down to 1 wei by reserving the rest for a launch that does not exist.
    const have = BigInt((await creditsOf(e, user.id)).balances["local-eth"]!.available);
    await reserveLaunch(e, { userId: user.id, chain: "local-eth", launchId: "lch_drain", amount: have - 1n, keyId: null, caps: NO_CAPS });
    const key = await createKey(cookie, ["launches:write", "launches:read"]);
    const body = await expectProblem(await call("POST", "/api/v1/launches", { key: key.key }, goodLaunch), 402, "insufficient-credits");
    expect(body).toMatchObject({ balance: "1", required: expect.stringMatching(/^[1-9][0-9]*$/) });
    expect((await creditsOf(e, user.id)).entries.filter((x) => x.kind === "reserve")).toHaveLength(1);

    await refundLaunch(e, { userId: user.id, launchId: "lch_drain" });
    const capped = await call("POST", "/api/v1/keys", { cookie }, { name: "capped", scopes: ["launches:write"], spendCapPerDay: { "local-eth": "1" } });
    expect(capped.status).toBe(201);
    const k = await json(capped);
    expect(k.spendCapPerDay).toEqual({ "local-eth": "1" });
    await expectProblem(await call("POST", "/api/v1/launches", { key: k.key }, goodLaunch), 402, "spend-cap-exceeded");
    expect((await call("POST", "/api/v1/launches", { key: key.key }, goodLaunch)).status).toBe(202); // the other key has no cap
    await expectProblem(await call("POST", "/api/v1/keys", { cookie }, { name: "bad", scopes: ["launches:write"], spendCapPerDay: { "no-chain": "1" } }), 422, "validation-error");
    await expectInvariant(user.id);
  });
});
