// Payments (issue 16) in the api Worker: the chains list shows each chain's
// platform fee and treasury as the cron read them (D1 chain_settings); POST
// /quotes prices a launch (shapes, auth, bad input) and POST /launches uses a
// quote once (409 quote-rejected: used, expired, fee changed, another body,
// payer or caller). The ChainGate here is a stand-in that reaches no chain, so
// EVM quotes use the cron's cached gas price and the measured launch gas, and
// Solana's rent comes from KV; test/e2e/quotes.test.ts prices on real chains.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../src/index";
import { describe, expect, it } from "vitest";
import { EVM_LAUNCH_GAS, feesKey, withFamilyDefaults, type ChainFees, LaunchRequest } from "@tokenforge/core";
import { launchCostLamports } from "@tokenforge/core/solana/launch-tx";
import { call, expectProblem, goodLaunch, json, ORIGIN, OWNER, signInEvm } from "./helpers";
import { KEYS } from "./setup";

type ChainRow = { id: string; treasury: string | null; platformFee: string | null };

async function chains(): Promise<ChainRow[]> {
  const res = await call("GET", "/api/v1/chains");
  expect(res.status).toBe(200);
  return (await json<{ chains: ChainRow[] }>(res)).chains;
}

describe("GET /chains: platform fee and treasury", () => {
  it("are null until the cron has read them, then the values chain_settings holds", async () => {
    await env.DB.prepare("DELETE FROM chain_settings").run();
    for (const ch of await chains()) expect(ch).toMatchObject({ treasury: null, platformFee: null });

    const treasury = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
    await env.DB.prepare("INSERT INTO chain_settings (chain, platform_fee, treasury, fee_read_at, updated_at) VALUES ('local-eth', '1000000000000000', ?, 1, 1)").bind(treasury).run();
    const list = await chains();
    expect(list.find((c) => c.id === "local-eth")).toMatchObject({ treasury, platformFee: "1000000000000000" });
    expect(list.find((c) => c.id === "local-bsc")).toMatchObject({ treasury: null, platformFee: null });
  });
});

// ── POST /quotes and their use by POST /launches ─────────────────────────────

const FEE = "1000000000000000";
const PAYER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const writer = { key: KEYS.writer };
const ethLaunch = { ...goodLaunch, name: "Quoted Coin", symbol: "QUOTE" };
type Quote = {
  id: string; chain: string; currency: string; networkFee: string; platformFee: string; total: string; expiresAt: string;
  payment: { mode: string; payer: string | null }; gas?: { units: string; price: string }; l1Fee?: string;
  rentExemptDeposits?: { mint: string; tokenAccount: string }; signatureFees?: string; priorityFee?: string;
};

/** The cron's view of the chain: a fresh gas price in KV and the factory fee in chain_settings. */
async function seedChain(gasPrice = "2000000000", fee = FEE) {
  const fees: ChainFees = { chain: "local-eth", gasPrice, launchUnits: EVM_LAUNCH_GAS, estimatedCost: "0", updatedAt: new Date().toISOString() };
  await env.CACHE.put(feesKey("local-eth"), JSON.stringify(fees));
  await env.DB.prepare(
    `INSERT INTO chain_settings (chain, platform_fee, treasury, fee_read_at, updated_at) VALUES ('local-eth', ?1, ?2, 1, 1)
     ON CONFLICT (chain) DO UPDATE SET platform_fee = excluded.platform_fee`,
  ).bind(fee, PAYER).run();
}

async function quote(body: unknown, auth: { key?: string; cookie?: string } = writer): Promise<Quote> {
  const res = await call("POST", "/api/v1/quotes", auth, body);
  expect(res.status, await res.clone().text()).toBe(201);
  return json<Quote>(res);
}

const launchWith = (body: Record<string, unknown>, quoteId: string, auth: { key?: string; cookie?: string } = writer, headers: Record<string, string> = {}) =>
  call("POST", "/api/v1/launches", auth, { ...body, payment: { ...(body.payment as object), quoteId } }, headers);

const quoteRow = (id: string) => env.DB.prepare("SELECT launch_id, platform_fee, expires_at FROM quotes WHERE id = ?").bind(id).first<{ launch_id: string | null; platform_fee: string; expires_at: number }>();

describe("POST /quotes", () => {
  it("needs a caller with launches:write: 401 without one, 403 for a read-only key", async () => {
    await expectProblem(await call("POST", "/api/v1/quotes", {}, ethLaunch), 401, "unauthorized");
    await expectProblem(await call("POST", "/api/v1/quotes", { key: KEYS.reader }, ethLaunch), 403, "forbidden");
  });

  it("refuses a body POST /launches would refuse (422), an unknown chain, and a wallet payment without a payer from an API key", async () => {
    await expectProblem(await call("POST", "/api/v1/quotes", writer, { ...ethLaunch, decimals: 99 }), 422, "validation-error");
    await expectProblem(await call("POST", "/api/v1/quotes", writer, { ...ethLaunch, chain: "nope" }), 422, "unknown-chain");
    const noPayer = await expectProblem(await call("POST", "/api/v1/quotes", writer, { ...ethLaunch, payment: { mode: "wallet" } }), 422, "validation-error");
    expect(JSON.stringify(noPayer)).toContain("payment.payer");
    await expectProblem(await call("POST", "/api/v1/quotes", writer, { ...ethLaunch, payment: { mode: "wallet", payer: "0x1234" } }), 422, "validation-error");
  });

  it("EVM, platform-paid (an API key's default): gas units × price, platform fee 0, expiring after QUOTE_TTL_SECONDS", async () => {
    await seedChain("3000000000");
    const before = Date.now();
    const q = await quote(ethLaunch);
    expect(q.id).toMatch(/^quo_[0-9a-z]{26}$/);
    // The stand-in gate reaches no chain: the measured launch gas, at the cron's cached price.
    expect(q).toMatchObject({ chain: "local-eth", currency: "ETH", platformFee: "0", payment: { mode: "platform", payer: null }, gas: { units: String(EVM_LAUNCH_GAS), price: "3000000000" } });
    expect(q.networkFee).toBe((BigInt(EVM_LAUNCH_GAS) * 3_000_000_000n).toString());
    expect(q.total).toBe(q.networkFee);
    expect(q.l1Fee).toBeUndefined();
    const ttl = Date.parse(q.expiresAt) - before;
    expect(ttl).toBeGreaterThanOrEqual(119_000);
    expect(ttl).toBeLessThanOrEqual(121_000);
  });

  it("EVM, wallet-paid: the factory's fee as chain_settings holds it, added to the total; the payer in checksum form", async () => {
    await seedChain();
    const q = await quote({ ...ethLaunch, payment: { mode: "wallet", payer: PAYER.toLowerCase() } });
    expect(q).toMatchObject({ platformFee: FEE, payment: { mode: "wallet", payer: PAYER } });
    expect(BigInt(q.total)).toBe(BigInt(q.networkFee) + BigInt(FEE));
  });

  it("Solana: signature fees + rent-exempt deposits of the mint (with its metadata) and the owner's token account, from the cluster's rent", async () => {
    const rent0 = 890_880n;
    await env.CACHE.put("rent0:v1:local-sol", rent0.toString());
    const sol = { chain: "local-sol", name: "Sol Quote", symbol: "SQ", decimals: 9, initialSupply: "1000", owner: "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin" };
    const q = await quote(sol);
    const req = withFamilyDefaults(LaunchRequest.parse(sol), "solana");
    expect(q).toMatchObject({ chain: "local-sol", currency: "SOL", platformFee: "0", signatureFees: "10000", priorityFee: "0" });
    expect(q.gas).toBeUndefined();
    expect(q.networkFee).toBe(launchCostLamports(req, rent0, null).toString());
    expect(BigInt(q.rentExemptDeposits!.mint) + BigInt(q.rentExemptDeposits!.tokenAccount) + 10_000n).toBe(BigInt(q.networkFee));
    // The mint's deposit grows with its metadata.
    const longer = await quote({ ...sol, name: "Sol Quote With A Much Longer Name" });
    expect(BigInt(longer.rentExemptDeposits!.mint)).toBeGreaterThan(BigInt(q.rentExemptDeposits!.mint));
  });
});

describe("POST /launches with payment.quoteId", () => {
  const wallet = { ...ethLaunch, payment: { mode: "wallet", payer: PAYER } };

  it("uses the quote once: the launch is accepted and the quote marked with it; a second launch under it is 409 used", async () => {
    await seedChain();
    const q = await quote(wallet);
    const res = await launchWith(wallet, q.id);
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = await json<{ id: string }>(res);
    expect((await quoteRow(q.id))!.launch_id).toBe(id);
    expect(await env.DB.prepare("SELECT quote_id FROM launches WHERE id = ?").bind(id).first("quote_id")).toBe(q.id);
    const again = await expectProblem(await launchWith(wallet, q.id), 409, "quote-rejected");
    expect(again).toMatchObject({ reason: "used" });
  });

  it("an Idempotency-Key replay of the launch that used the quote answers that launch, not 409", async () => {
    await seedChain();
    const q = await quote(wallet);
    const key = `quote-replay-${q.id}`;
    const first = await launchWith(wallet, q.id, writer, { "idempotency-key": key });
    expect(first.status).toBe(202);
    const replay = await launchWith(wallet, q.id, writer, { "idempotency-key": key });
    expect(replay.status, await replay.clone().text()).toBe(202);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect((await json<{ id: string }>(replay)).id).toBe((await json<{ id: string }>(first)).id);
  });

  it("409 when the fee changed on chain since the quote, and nothing is launched", async () => {
    await seedChain();
    const q = await quote(wallet);
    await seedChain(undefined, "2000000000000000"); // the cron read a new fee
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM launches").first<number>("n");
    expect(await expectProblem(await launchWith(wallet, q.id), 409, "quote-rejected")).toMatchObject({ reason: "fee-changed" });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM launches").first<number>("n")).toBe(before);
    expect((await quoteRow(q.id))!.launch_id).toBeNull();
    // A new quote carries the new fee and works.
    const fresh = await quote(wallet);
    expect(fresh.platformFee).toBe("2000000000000000");
    expect((await launchWith(wallet, fresh.id)).status).toBe(202);
  });

  it("409 for an expired quote, another body, another payer or mode, and another caller's quote", async () => {
    await seedChain();
    const expired = await quote(wallet);
    await env.DB.prepare("UPDATE quotes SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, expired.id).run();
    expect(await expectProblem(await launchWith(wallet, expired.id), 409, "quote-rejected")).toMatchObject({ reason: "expired" });

    const q = await quote(wallet);
    expect(await expectProblem(await launchWith({ ...wallet, name: "Other Coin" }, q.id), 409, "quote-rejected")).toMatchObject({ reason: "other-request" });
    expect(await expectProblem(await launchWith({ ...wallet, payment: { mode: "wallet", payer: OWNER } }, q.id), 409, "quote-rejected")).toMatchObject({ reason: "other-request" });
    expect(await expectProblem(await launchWith({ ...ethLaunch }, q.id), 409, "quote-rejected")).toMatchObject({ reason: "other-request" });

    const someoneElse = await signInEvm();
    // Paid by their own wallet (a session may only name itself as payer): still not their quote.
    expect(await expectProblem(await launchWith({ ...ethLaunch, payment: { mode: "wallet" } }, q.id, { cookie: someoneElse.cookie }), 409, "quote-rejected")).toMatchObject({ reason: "not-yours" });
    // None of those used it: its owner still can.
    expect((await launchWith(wallet, q.id)).status).toBe(202);
  });
});

describe("a quote whose launch is refused after it was taken", () => {
  it("is given back: over the day's launch quota (429), the quote is unused and works once there is room", async () => {
    await seedChain();
    const { cookie } = await signInEvm(); // a session: wallet-paid by its own wallet by default
    const withLimit = async (limit: string, body: unknown) => {
      const ctx = createExecutionContext();
      const req = new Request(`${ORIGIN}/api/v1/launches`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify(body) });
      const res = await worker.fetch(req, { ...env, RATE_LIMIT_LAUNCHES_PER_DAY: limit } as never, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    expect((await withLimit("1", { ...ethLaunch, symbol: "FIRST" })).status).toBe(202);
    const q = await quote({ ...ethLaunch, payment: undefined }, { cookie });
    expect(q.payment.mode).toBe("wallet");
    const refused = await withLimit("1", { ...ethLaunch, payment: { quoteId: q.id } });
    expect(refused.status, await refused.clone().text()).toBe(429);
    expect((await quoteRow(q.id))!.launch_id).toBeNull();
    expect((await withLimit("2", { ...ethLaunch, payment: { quoteId: q.id } })).status).toBe(202);
  });
});
