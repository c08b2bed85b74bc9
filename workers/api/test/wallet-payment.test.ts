// POST /api/v1/launches with wallet payment (EVM), in workerd with the real D1:
// a session defaults to wallet payment from its signed-in wallet; the fee comes
// from chain_settings only (503 with Retry-After until the cron has read it).
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeFunctionData, type Address } from "viem";
import { forgeFactoryV2Abi } from "@tokenforge/core/contracts/artifacts";
import { factoryForChain } from "@tokenforge/core/contracts/factory";
import { call, expectProblem, goodLaunch, json, signInEvm } from "./helpers";

const { payment: _platform, ...launch } = goodLaunch;
let cookie: string;
let wallet: Address;

beforeAll(async () => {
  const s = await signInEvm();
  cookie = s.cookie;
  wallet = s.account.address;
});

const setFee = (chain: string, fee: string | null) =>
  env.DB.prepare(
    `INSERT INTO chain_settings (chain, platform_fee, treasury, fee_read_at, updated_at) VALUES (?1, ?2, '0x000000000000000000000000000000000000dEaD', 0, 0)
     ON CONFLICT (chain) DO UPDATE SET platform_fee = excluded.platform_fee`,
  ).bind(chain, fee).run();

describe("wallet payment on an EVM chain", () => {
  it("answers 503 with Retry-After while the chain's fee is not read, and stores nothing", async () => {
    await setFee("local-bsc", null);
    const res = await call("POST", "/api/v1/launches", { cookie }, { ...launch, chain: "local-bsc", symbol: "NOFEE" });
    await expectProblem(res, 503, "unavailable");
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM launches WHERE request LIKE '%NOFEE%'").first("n")).toBe(0);
  });

  it("defaults a session to wallet payment from its wallet: 202 awaiting_payment with the payer's createToken call", async () => {
    await setFee("local-eth", "1234");
    const before = Date.now();
    const res = await call("POST", "/api/v1/launches", { cookie }, launch);
    expect(res.status, await res.clone().text()).toBe(202);
    const body = await json(res);
    expect(body).toMatchObject({ status: "awaiting_payment", payment: { mode: "wallet", payer: wallet }, transaction: { chainId: 31337, value: "1234" } });
    const factory = factoryForChain({ factoryOwner: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" });
    expect(body.transaction.to).toBe(factory.factory);
    const { args } = decodeFunctionData({ abi: forgeFactoryV2Abi, data: body.transaction.data });
    // payer = the signed-in wallet; deadline = the window's end in seconds (PAYMENT_WINDOW_SECONDS, 900 here).
    expect(args![2]).toBe(wallet);
    expect(Number(args![3])).toBe(Math.floor(Date.parse(body.payment.expiresAt) / 1000));
    expect(Date.parse(body.payment.expiresAt) - before).toBeGreaterThanOrEqual(900_000 - 1000);
    const row = await env.DB.prepare("SELECT status, payment_mode, payer, deployer, factory_version FROM launches WHERE id = ?").bind(body.id).first();
    expect(row).toEqual({ status: "awaiting_payment", payment_mode: "wallet", payer: wallet, deployer: wallet, factory_version: "2" });
    const view = await json(await call("GET", `/api/v1/launches/${body.id}`));
    expect(view.payment).toMatchObject({ mode: "wallet", payer: wallet, transaction: body.transaction });
  });

  it("refuses another payer than the session's wallet", async () => {
    await setFee("local-eth", "1234");
    const res = await call("POST", "/api/v1/launches", { cookie }, { ...launch, payment: { mode: "wallet", payer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" } });
    const problem = (await expectProblem(res, 422, "validation-error")) as { errors?: unknown };
    expect(problem.errors).toEqual([{ path: "payment.payer", message: "must be the signed-in wallet" }]);
  });
});
