// One canonical form for EVM addresses (issue 12, item 11): EIP-55. Input may be
// all lower-case or all upper-case hex; mixed case must pass the checksum. Stored
// and answered in one form, so the lower-case owner finds the tokens the
// checksummed one finds, a lower-case and a checksummed owner are the same
// idempotent request, and a wallet that signed in before (stored lower-case)
// keeps its account.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { call, expectProblem, goodLaunch, json, OWNER, signInEvm } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;
const WRONG_CHECKSUM = OWNER.replace("C51812dc", "c51812DC");

describe("EVM addresses in one form", () => {
  it("finds an owner's tokens by the lower-case, upper-case and checksummed address; refuses a wrong checksum", async () => {
    const owner = privateKeyToAccount(generatePrivateKey()).address;
    await DB.prepare(
      `INSERT INTO tokens (chain, address, launch_id, name, symbol, decimals, total_supply, owner, features, created_at)
       VALUES ('local-eth', ?, ?, 'Case Coin', 'CASE', 18, '1', ?, '{}', ?)`,
    ).bind(privateKeyToAccount(generatePrivateKey()).address, `lch_case${Date.now()}`, owner, Date.now()).run();
    for (const form of [owner, owner.toLowerCase(), "0x" + owner.slice(2).toUpperCase()]) {
      const res = await call("GET", `/api/v1/tokens?owner=${form}`);
      expect(res.status).toBe(200);
      const { tokens } = await json(res);
      expect(tokens.map((t: any) => [t.symbol, t.owner]), form).toEqual([["CASE", owner]]);
    }
    await expectProblem(await call("GET", `/api/v1/tokens?owner=${WRONG_CHECKSUM}`), 422, "validation-error");
  });

  it("takes a lower-case owner, stores the EIP-55 form, and hashes it as the same idempotent request", async () => {
    const { cookie } = await signInEvm();
    const idem = { "idempotency-key": `case-${Date.now()}` };
    const first = await call("POST", "/api/v1/launches", { cookie }, { ...goodLaunch, owner: OWNER.toLowerCase() }, idem);
    expect(first.status, await first.clone().text()).toBe(202);
    const { id } = await json(first);
    const row = await DB.prepare("SELECT owner, request FROM launches WHERE id = ?").bind(id).first<{ owner: string; request: string }>();
    expect(row!.owner).toBe(OWNER);
    expect(JSON.parse(row!.request).owner).toBe(OWNER);
    const again = await call("POST", "/api/v1/launches", { cookie }, { ...goodLaunch, owner: OWNER }, idem);
    expect(again.status, await again.clone().text()).toBe(202);
    expect((await json(again)).id).toBe(id);
    const view = await json(await call("GET", `/api/v1/launches/${id}`));
    expect(view.request.owner).toBe(OWNER);
    await expectProblem(await call("POST", "/api/v1/launches", { cookie }, { ...goodLaunch, owner: WRONG_CHECKSUM }), 422, "validation-error");
  });

  it("stores a signed-in wallet in EIP-55 form and keeps a lower-case account from before as the same user", async () => {
    const fresh = await signInEvm();
    expect(fresh.user.walletAddress).toBe(fresh.account.address);
    const stored = await DB.prepare("SELECT wallet_address FROM users WHERE id = ?").bind(fresh.user.id).first<{ wallet_address: string }>();
    expect(stored!.wallet_address).toBe(fresh.account.address);

    // A row written before the canonical form: lower-case.
    const key = generatePrivateKey();
    const legacy = privateKeyToAccount(key).address;
    const legacyId = `usr_legacy${Date.now()}`;
    await DB.prepare("INSERT INTO users (id, wallet_address, role, created_at) VALUES (?, ?, 'user', 0)").bind(legacyId, legacy.toLowerCase()).run();
    const back = await signInEvm(key);
    expect(back.user.id).toBe(legacyId);
    expect(back.user.walletAddress).toBe(legacy);
    const rows = await DB.prepare("SELECT id, wallet_address FROM users WHERE lower(wallet_address) = ?").bind(legacy.toLowerCase()).all<{ id: string; wallet_address: string }>();
    expect(rows.results).toEqual([{ id: legacyId, wallet_address: legacy }]);
    // The database itself refuses a second row for the same wallet in another casing.
    await expect(DB.prepare("INSERT INTO users (id, wallet_address, role, created_at) VALUES ('usr_dup', ?, 'user', 0)").bind(legacy.toLowerCase()).run()).rejects.toThrow(/UNIQUE/);
  });
});
