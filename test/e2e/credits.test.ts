// Credits pay platform-paid launches (issue 17, acceptance 2–4), on the real
// platform: exactly as many launches are accepted as the credits cover, under
// concurrency; a failed launch is refunded and its replay needs credits again; a
// kill -9 of the Workers between reserve and capture leaves every launch
// captured or refunded, never both, never twice; a key's daily cap and the
// platform's daily cap hold under concurrency. After every scenario each user's
// balances equal the sum of their ledger entries, and none is negative.
import { afterAll, beforeAll, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { LaunchRequest } from "../../packages/core/src/launch";
import { quoteSolana } from "../../packages/core/src/quote";
import { startPlatform, type Platform } from "../../tools/platform";
import { startRpcProxy, type RpcProxy } from "../../tools/rpc-proxy/index";
import { baseLaunch, waitFinal } from "./client";

/** Rent-exempt minimum of a 0-byte account on the local node (Solana's rent: (128 + size) × 3480 × 2). */
const RENT_FOR_ZERO_BYTES = 890_880n;
const SOL_OWNER = "9WzDXwBQYZgvvX3Ebfm1Sbm5m2jyB4HvN4RpGvL7wzLb";
const solBody = (i: number) => ({ chain: "local-sol", name: `Capped ${String(i).padStart(2, "0")}`, symbol: `CP${String(i).padStart(2, "0")}`, decimals: 6, initialSupply: "1000", owner: SOL_OWNER });
/** What one solBody launch costs (every i gives the same sizes); the platform's cap on local-sol is 4½ of them. */
const SOL_COST = quoteSolana(LaunchRequest.parse(solBody(1)), RENT_FOR_ZERO_BYTES, null).networkFee;
const NOWHERE = "http://127.0.0.1:9";

let p: Platform;
let primary: RpcProxy;
let secondary: RpcProxy;

beforeAll(async () => {
  // local-eth behind two fault proxies (pass-through until a scenario breaks them), so a launch can be dead-lettered.
  [primary, secondary] = await Promise.all([startRpcProxy({ upstream: NOWHERE }), startRpcProxy({ upstream: NOWHERE })]);
  p = await startPlatform({
    port: "auto", quiet: true, queueMaxRetries: 2,
    vars: {
      LOCAL_ETH_PRIMARY_URL: primary.url, LOCAL_ETH_SECONDARY_URL: secondary.url,
      RETRY_BASE_SECONDS: "1", RETRY_CAP_SECONDS: "2",
      BREAKER_WINDOW_MS: "10000", BREAKER_MIN_CALLS: "3", BREAKER_COOLDOWN_MS: "3000", RPC_TIMEOUT_MS: "1000", RPC_MAX_WAIT_MS: "1500",
      SWEEP_STALE_SECONDS: "2",
      CREDITS_PLATFORM_CAP_PER_DAY: `local-sol=${SOL_COST * 4n + SOL_COST / 2n}`,
    },
  });
  const anvil = p.chains.find((c) => c.id === "local-eth")!.rpcUrl;
  for (const proxy of [primary, secondary]) proxy.setUpstream(anvil);
  // The fees job caches each chain's gas price: quotes made close together then agree.
  await p.runCron();
});
afterAll(async () => {
  await p?.stop();
  await Promise.all([primary?.close(), secondary?.close()]);
});

type User = { id: string; key: string; cookie: string };

/** A new user: signs in with a fresh wallet (SIWE), creates an API key (optionally with daily spend caps). */
async function newUser(spendCapPerDay?: Record<string, string>): Promise<User> {
  const account = privateKeyToAccount(generatePrivateKey());
  const { nonce } = (await (await fetch(`${p.url}/api/v1/auth/nonce`, { method: "POST" })).json()) as { nonce: string };
  const message = createSiweMessage({ domain: new URL(p.url).host, address: account.address, uri: p.url, version: "1", chainId: 31337, nonce, issuedAt: new Date(), statement: "Sign in to TokenForge" });
  const res = await fetch(`${p.url}/api/v1/auth/siwe`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature: await account.signMessage({ message }) }) });
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = /tf_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
  const me = (await (await fetch(`${p.url}/api/v1/me`, { headers: { cookie } })).json()) as { user: { id: string } };
  const k = await fetch(`${p.url}/api/v1/keys`, {
    method: "POST", headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: "credits bot", scopes: ["launches:read", "launches:write"], ...(spendCapPerDay ? { spendCapPerDay } : {}) }),
  });
  expect(k.status, await k.clone().text()).toBe(201);
  return { id: me.user.id, key: ((await k.json()) as { key: string }).key, cookie };
}

async function call(u: User, method: string, path: string, body?: unknown) {
  const res = await fetch(`${p.url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${u.key}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

async function quote(u: User, body: object): Promise<{ id: string; total: bigint }> {
  const q = await call(u, "POST", "/quotes", body);
  expect(q.status, JSON.stringify(q.json)).toBe(201);
  return { id: q.json.id, total: BigInt(q.json.total) };
}

async function grant(userId: string, chain: string, amount: bigint) {
  await p.grantCredits(userId, { [chain]: amount }, "e2e credits");
}

type Credits = { balances: { chain: string; available: string; reserved: string }[]; entries: { kind: string; chain: string; amount: string; cause: { type: string; launchId?: string; reservation?: number } }[] };
const credits = async (u: User) => (await call(u, "GET", "/credits?limit=1000")).json as Credits;
const balance = (c: Credits, chain: string) => {
  const b = c.balances.find((x) => x.chain === chain);
  return { available: BigInt(b?.available ?? "0"), reserved: BigInt(b?.reserved ?? "0") };
};

/** The invariant: per chain, balances = the sum of the entries, and neither is negative. */
async function expectLedgerHolds(u: User) {
  const c = await credits(u);
  expect(c.entries.length).toBeLessThan(1000);
  const sums = new Map<string, { available: bigint; reserved: bigint }>();
  for (const e of c.entries) {
    const s = sums.get(e.chain) ?? { available: 0n, reserved: 0n };
    const a = BigInt(e.amount);
    if (e.kind === "deposit" || e.kind === "grant") s.available += a;
    else if (e.kind === "reserve") (s.available -= a), (s.reserved += a);
    else if (e.kind === "capture") s.reserved -= a;
    else if (e.kind === "refund") (s.available += a), (s.reserved -= a);
    sums.set(e.chain, s);
  }
  for (const b of c.balances) {
    expect(BigInt(b.available) >= 0n && BigInt(b.reserved) >= 0n, `${b.chain} negative`).toBe(true);
    expect({ chain: b.chain, ...sums.get(b.chain) }).toEqual({ chain: b.chain, available: BigInt(b.available), reserved: BigInt(b.reserved) });
  }
  expect(new Set(c.balances.map((b) => b.chain))).toEqual(new Set(sums.keys()));
  return c;
}

/** Runs the cron until nothing the user reserved is still held (the deployer or the cron settled it). */
async function settled(u: User, chain: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = await credits(u);
    if (balance(c, chain).reserved === 0n) return c;
    if (Date.now() > deadline) throw new Error(`still reserved on ${chain}: ${JSON.stringify(c.balances)}`);
    await p.runCron().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const ethBody = (tag: string) => baseLaunch({ name: `Credit ${tag}`, symbol: tag });

it("accepts exactly the 3 launches 12 concurrent requests can pay for, 402 for the 9 others", async () => {
  const u = await newUser();
  const bodies = Array.from({ length: 12 }, (_, i) => ethBody(`CR${String(i).padStart(2, "0")}`));
  const quotes = await Promise.all(bodies.map((b) => quote(u, b)));
  const t = quotes[0]!.total;
  expect(t).toBeGreaterThan(0n);
  // The cron may move the gas price between quotes: each stays within 20% of the probe's, so 2 fit under 2½ t and a third never does.
  for (const q of quotes) expect(q.total * 5n > t * 4n && q.total * 4n < t * 5n, `${q.total} vs ${t}`).toBe(true);
  await grant(u.id, "local-eth", 3n * t + t / 2n);

  const answers = await Promise.all(bodies.map((b, i) => call(u, "POST", "/launches", { ...b, payment: { quoteId: quotes[i]!.id } })));
  const accepted = answers.filter((a) => a.status === 202);
  const refused = answers.filter((a) => a.status === 402);
  expect([accepted.length, refused.length]).toEqual([3, 9]);
  for (const r of refused) {
    expect(r.headers.get("content-type")).toContain("application/problem+json");
    expect(r.json).toMatchObject({ type: expect.stringMatching(/insufficient-credits$/), balance: (t / 2n).toString(), required: t.toString() });
  }
  let c = await expectLedgerHolds(u);
  expect(balance(c, "local-eth")).toEqual({ available: t / 2n, reserved: 3n * t });

  const views = await waitFinal(p, accepted.map((a) => a.json.id), 90_000);
  expect(views.map((v) => v.status)).toEqual(["confirmed", "confirmed", "confirmed"]);
  c = await settled(u, "local-eth");
  expect(balance(c, "local-eth")).toEqual({ available: t / 2n, reserved: 0n });
  expect(c.entries.filter((e) => e.kind === "capture").map((e) => e.cause.launchId).sort()).toEqual(accepted.map((a) => a.json.id).sort());
  expect(c.entries.filter((e) => e.kind === "capture").every((e) => e.cause.type === "launch")).toBe(true);
  await expectLedgerHolds(u);
});

it("refunds a failed launch; replaying it needs credits again (402 without, 202 with)", async () => {
  const u = await newUser();
  const body = ethBody("DOOM1");
  const q = await quote(u, body);
  await grant(u.id, "local-eth", q.total);

  // Every local-eth endpoint fails: retries run out, the launch is dead-lettered and failed.
  primary.setMode("fail500");
  secondary.setMode("close");
  const launched = await call(u, "POST", "/launches", { ...body, payment: { quoteId: q.id } });
  expect(launched.status, JSON.stringify(launched.json)).toBe(202);
  const id = launched.json.id as string;
  const [failed] = await waitFinal(p, [id], 60_000);
  primary.setMode("pass");
  secondary.setMode("pass");
  expect(failed.status).toBe("failed");
  let c = await settled(u, "local-eth");
  expect(balance(c, "local-eth")).toEqual({ available: q.total, reserved: 0n });
  expect(c.entries.find((e) => e.kind === "refund" && e.cause.launchId === id)).toMatchObject({ amount: q.total.toString(), cause: { type: "refund", reservation: 1 } });

  // The refunded credits go to another launch; what is left cannot pay for the replay.
  const other = ethBody("OTHR1");
  const q2 = await quote(u, other);
  if (q2.total > q.total) await grant(u.id, "local-eth", q2.total - q.total);
  const spent = await call(u, "POST", "/launches", { ...other, payment: { quoteId: q2.id } });
  expect(spent.status, JSON.stringify(spent.json)).toBe(202);
  const left = balance(await credits(u), "local-eth").available;
  expect(left).toBeLessThan(q.total);

  const letters = (await (await fetch(`${p.url}/api/v1/admin/dead-letters`, { headers: { authorization: `Bearer ${p.adminToken}` } })).json()) as { deadLetters: { id: string; launchId: string }[] };
  const letter = letters.deadLetters.find((d) => d.launchId === id)!;
  expect(letter).toBeTruthy();
  const replay = () => fetch(`${p.url}/api/v1/admin/dead-letters/${letter.id}/replay`, { method: "POST", headers: { authorization: `Bearer ${p.adminToken}` } });
  const refused = await replay();
  expect(refused.status).toBe(402);
  expect(await refused.json()).toMatchObject({ type: expect.stringMatching(/insufficient-credits$/), balance: left.toString(), required: q.total.toString() });
  expect((await call(u, "GET", `/launches/${id}`)).json.status).toBe("failed");

  await grant(u.id, "local-eth", q.total - left);
  const ok = await replay();
  expect(ok.status, await ok.clone().text()).toBe(202);
  const views = await waitFinal(p, [id, spent.json.id], 90_000);
  expect(views.map((v) => v.status)).toEqual(["confirmed", "confirmed"]);
  c = await settled(u, "local-eth");
  const mine = c.entries.filter((e) => e.cause.launchId === id).map((e) => `${e.kind}:${e.cause.reservation}`).sort();
  expect(mine).toEqual(["capture:2", "refund:1", "reserve:1", "reserve:2"]);
  expect(balance(c, "local-eth")).toEqual({ available: 0n, reserved: 0n });
  await expectLedgerHolds(u);
});

it("settles every launch exactly once, captured or refunded, across a kill -9 between reserve and capture", async () => {
  const u = await newUser();
  await grant(u.id, "local-eth", 10n ** 20n);
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => call(u, "POST", "/launches", ethBody(`KL${String(i).padStart(2, "0")}`))));
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
  const ids = answers.map((a) => a.json.id as string);
  const from = p.logs.length;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !p.logs.slice(from).some((l) => l.includes("deployer.submitted"))) await new Promise((r) => setTimeout(r, 20));
  await p.killWorkers("SIGKILL");
  const before = balance(await (async () => {
    await p.startWorkers();
    return credits(u);
  })(), "local-eth");
  expect(before.reserved).toBeGreaterThan(0n); // some launches were still reserved, not captured, when the process died

  const views = await waitFinal(p, ids, 120_000, () => p.runCron());
  const c = await settled(u, "local-eth", 90_000);
  for (const v of views) {
    const kinds = c.entries.filter((e) => e.cause.launchId === v.id).map((e) => e.kind).sort();
    expect(kinds, v.id).toEqual(v.status === "confirmed" ? ["capture", "reserve"] : ["refund", "reserve"]);
  }
  expect(new Set(c.entries.map((e) => e.cause.launchId ?? "")).size).toBe(ids.length + 1); // the grant names no launch
  await expectLedgerHolds(u);
});

it("holds a key's daily cap and the platform's daily cap under concurrency", async () => {
  // A key allowed 2½ launches a day on local-eth: of 8 concurrent launches 2 are accepted, 6 refused 402.
  const probe = await newUser();
  const bodies = Array.from({ length: 8 }, (_, i) => ethBody(`KC${String(i).padStart(2, "0")}`));
  const t = (await quote(probe, bodies[0]!)).total;
  const u = await newUser({ "local-eth": (2n * t + t / 2n).toString() });
  await grant(u.id, "local-eth", 10n ** 20n);
  const quotes = await Promise.all(bodies.map((b) => quote(u, b)));
  // The cron may move the gas price between quotes: each stays within 20% of the probe's, so 2 fit under 2½ t and a third never does.
  for (const q of quotes) expect(q.total * 5n > t * 4n && q.total * 4n < t * 5n, `${q.total} vs ${t}`).toBe(true);
  const answers = await Promise.all(bodies.map((b, i) => call(u, "POST", "/launches", { ...b, payment: { quoteId: quotes[i]!.id } })));
  expect(answers.filter((a) => a.status === 202)).toHaveLength(2);
  const capped = answers.filter((a) => a.status === 402);
  expect(capped).toHaveLength(6);
  for (const r of capped) expect(r.json).toMatchObject({ type: expect.stringMatching(/spend-cap-exceeded$/), scope: "key", cap: (2n * t + t / 2n).toString() });

  // The platform may spend 4½ launches' worth a day on local-sol, whoever pays: of 10 concurrent launches 4 are accepted.
  const w = await newUser();
  await grant(w.id, "local-sol", 10n ** 12n);
  const sol = Array.from({ length: 10 }, (_, i) => solBody(i));
  const solQuotes = await Promise.all(sol.map((b) => quote(w, b)));
  expect(solQuotes.map((q) => q.total)).toEqual(solQuotes.map(() => SOL_COST));
  const solAnswers = await Promise.all(sol.map((b, i) => call(w, "POST", "/launches", { ...b, payment: { quoteId: solQuotes[i]!.id } })));
  expect(solAnswers.filter((a) => a.status === 202)).toHaveLength(4);
  const full = solAnswers.filter((a) => a.status === 503);
  expect(full).toHaveLength(6);
  for (const r of full) {
    expect(r.json.type).toMatch(/platform-spend-cap$/);
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
  }
  // Refused launches leave nothing in the payer's ledger.
  expect(balance(await credits(w), "local-sol")).toEqual({ available: 10n ** 12n - 4n * SOL_COST, reserved: 4n * SOL_COST });
  await waitFinal(p, [...answers, ...solAnswers].filter((a) => a.status === 202).map((a) => a.json.id), 90_000);
  await settled(u, "local-eth");
  await settled(w, "local-sol");
  await expectLedgerHolds(u);
  await expectLedgerHolds(w);
});
