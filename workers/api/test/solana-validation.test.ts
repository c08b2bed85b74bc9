// POST /api/v1/launches on a Solana chain: the family's rules (base58 owner,
// decimals 0–9, u64 supply, Solana-only features, metadata that fits one
// transaction) answer 4xx problem+json and store nothing; a valid launch's 202
// carries the mint address the deployer derives (its MintAddress entrypoint,
// played here by a stand-in from vitest.config.ts).
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { KEYS } from "./setup";

const OWNER = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
const STAND_IN_MINT = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T";
const good = { chain: "local-sol", name: "Forge Coin", symbol: "FORGE", decimals: 9, initialSupply: "1000000", owner: OWNER };
const P = "https://tokenforge.dev/problems/";

function post(body: unknown) {
  return SELF.fetch("https://tf.test/api/v1/launches", {
    method: "POST",
    headers: { authorization: `Bearer ${KEYS.writer}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

const count = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM launches").first<{ n: number }>())!.n;

describe("POST /api/v1/launches refuses bad Solana input with problem+json", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["an EVM address as owner", { owner: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" }, "owner"],
    ["a non-base58 owner", { owner: "0OIl" + OWNER.slice(4) }, "owner"],
    ["a 31-byte owner key", { owner: "1111111111111111111111111111111" }, "owner"],
    ["decimals 12", { decimals: 12 }, "decimals"],
    ["supply overflowing u64 after decimals", { decimals: 9, initialSupply: "18446744074" }, "initialSupply"],
    ["supply overflowing u64 with no decimals", { decimals: 0, initialSupply: "18446744073709551616" }, "initialSupply"],
    ["a cap overflowing u64", { maxSupply: "99999999999999999999" }, "maxSupply"],
    ["an EVM-only feature", { features: { permit: true } }, "features.permit"],
    ["metadata too long for one transaction", { metadataUri: "https://example.com/" + "a".repeat(480) }, "metadataUri"],
  ];
  for (const [title, over, path] of cases) {
    it(`refuses ${title}`, async () => {
      const before = await count();
      const res = await post({ ...good, ...over });
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const body = (await res.json()) as { type: string; status: number; errors: { path: string }[] };
      expect(body.type).toBe(P + "validation-error");
      expect(body.status).toBe(422);
      expect(body.errors.map((e) => e.path)).toContain(path);
      expect(await count()).toBe(before);
    });
  }
});

describe("POST /api/v1/launches accepts a valid Solana launch", () => {
  it("answers 202 with the deployer's mint address and stores it", async () => {
    const res = await post({ ...good, features: { mintable: false, freezable: true } });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; status: string; chain: string; address: string };
    expect(body).toMatchObject({ status: "queued", chain: "local-sol", address: STAND_IN_MINT });
    const row = await env.DB.prepare("SELECT status, address, factory_version FROM launches WHERE id = ?").bind(body.id).first();
    expect(row).toEqual({ status: "queued", address: STAND_IN_MINT, factory_version: null });
    const view = (await (await SELF.fetch(`https://tf.test/api/v1/launches/${body.id}`)).json()) as Record<string, unknown>;
    expect(view).toMatchObject({ address: STAND_IN_MINT, signature: null, slot: null });
  });
});

// Issue 13, item 5: promises the chain does not keep are refused, not echoed.
describe("Solana: maxSupply and burnable as the chain keeps them", () => {
  const problemOf = async (res: Response) => {
    expect(res.status, await res.clone().text()).toBe(422);
    return (await res.json()) as { detail: string; errors: { path: string; message: string }[] };
  };

  it("refuses burnable: false, saying why", async () => {
    const before = await count();
    const body = await problemOf(await post({ ...good, features: { burnable: false } }));
    const issue = body.errors.find((e) => e.path === "features.burnable");
    expect(issue?.message).toMatch(/every holder burn/);
    expect(await count()).toBe(before);
  });

  it("refuses a maxSupply while the mint authority lives (mintable: true), saying why", async () => {
    const body = await problemOf(await post({ ...good, maxSupply: "2000000", features: { mintable: true } }));
    expect(body.errors.find((e) => e.path === "maxSupply")?.message).toMatch(/mint authority can mint past any cap/);
    // Even a cap equal to the supply: the authority could still mint past it.
    await problemOf(await post({ ...good, maxSupply: good.initialSupply, features: { mintable: true } }));
  });

  it("with mintable: false accepts only a maxSupply equal to initialSupply", async () => {
    for (const maxSupply of ["2000000", "999999"]) {
      const body = await problemOf(await post({ ...good, maxSupply }));
      expect(body.errors.find((e) => e.path === "maxSupply")?.message).toMatch(/must equal initialSupply/);
    }
    expect((await post({ ...good, maxSupply: good.initialSupply, features: { mintable: false } })).status).toBe(202);
  });

  it("takes an omitted burnable as true and echoes it", async () => {
    for (const features of [undefined, { freezable: true }, { burnable: true }]) {
      const res = await post({ ...good, ...(features ? { features } : {}) });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      const view = (await (await SELF.fetch(`https://tf.test/api/v1/launches/${id}`)).json()) as { request: { features: Record<string, boolean> } };
      expect(view.request.features.burnable).toBe(true);
    }
  });

  it("still takes an EVM maxSupply with mintable, and an omitted burnable there as false", async () => {
    const res = await SELF.fetch("https://tf.test/api/v1/launches", {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.writer}`, "content-type": "application/json" },
      body: JSON.stringify({ chain: "local-eth", name: "Forge Coin", symbol: "FORGE", decimals: 18, initialSupply: "1000000", maxSupply: "2000000", owner: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", features: { mintable: true } }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const view = (await (await SELF.fetch(`https://tf.test/api/v1/launches/${id}`)).json()) as { request: { features: Record<string, boolean> } };
    expect(view.request.features.burnable).toBe(false);
  });

  it("reports SPL tokens as burnable in token views, whatever an older launch record says", async () => {
    const mint = "So1anaBurnTest1111111111111111111111111111";
    await env.DB.prepare(
      "INSERT INTO tokens (chain, address, launch_id, name, symbol, decimals, total_supply, owner, features, metadata_uri, tx_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)",
    ).bind("local-sol", mint, "lch_burntest0000000000000000", "Old Record", "OLD", 9, "1000000000000000", OWNER, JSON.stringify({ mintable: false, burnable: false, freezable: false }), Date.now()).run();
    const list = (await (await SELF.fetch(`https://tf.test/api/v1/tokens?chain=local-sol&owner=${OWNER}`)).json()) as { tokens: { address: string; features: Record<string, boolean> }[] };
    const token = list.tokens.find((t) => t.address === mint);
    expect(token?.features.burnable).toBe(true);
  });
});
