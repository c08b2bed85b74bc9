// Every rule of POST /api/v1/launches has a case answered with the documented
// 4xx problem+json — never a 5xx — and nothing is stored for a refused request.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { KEYS } from "./setup";

const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const good = { chain: "local-eth", name: "Forge Coin", symbol: "FORGE", decimals: 18, initialSupply: "1000000", owner: OWNER };
const P = "https://tokenforge.dev/problems/";

function post(body: unknown, headers: Record<string, string> = {}) {
  return SELF.fetch("https://tf.test/api/v1/launches", {
    method: "POST",
    headers: { authorization: `Bearer ${KEYS.writer}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function expectProblem(res: Response, status: number, type: string, path?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as { type: string; title: string; status: number; errors?: { path: string }[] };
  expect(body.type).toBe(P + type);
  expect(body.status).toBe(status);
  expect(body.title).toBeTruthy();
  if (path) expect(body.errors?.map((e) => e.path)).toContain(path);
  return body;
}

const count = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM launches").first<{ n: number }>())!.n;

describe("POST /api/v1/launches rejects bad input with problem+json", () => {
  const cases: [string, unknown, number, string, string?][] = [
    ["unknown chain", { ...good, chain: "dogechain" }, 422, "unknown-chain", "chain"],
    ["empty name", { ...good, name: "" }, 422, "validation-error", "name"],
    ["name over 64 characters", { ...good, name: "x".repeat(65) }, 422, "validation-error", "name"],
    ["name with control characters", { ...good, name: "Forge\u0000Coin" }, 422, "validation-error", "name"],
    ["lowercase symbol", { ...good, symbol: "forge" }, 422, "validation-error", "symbol"],
    ["symbol over 11 characters", { ...good, symbol: "ABCDEFGHIJKL" }, 422, "validation-error", "symbol"],
    ["symbol with punctuation", { ...good, symbol: "FO-GE" }, 422, "validation-error", "symbol"],
    ["decimals above 18", { ...good, decimals: 19 }, 422, "validation-error", "decimals"],
    ["negative decimals", { ...good, decimals: -1 }, 422, "validation-error", "decimals"],
    ["fractional decimals", { ...good, decimals: 1.5 }, 422, "validation-error", "decimals"],
    ["decimals as string", { ...good, decimals: "18" }, 422, "validation-error", "decimals"],
    ["zero supply", { ...good, initialSupply: "0" }, 422, "validation-error", "initialSupply"],
    ["negative supply", { ...good, initialSupply: "-5" }, 422, "validation-error", "initialSupply"],
    ["supply as a number", { ...good, initialSupply: 1000 }, 422, "validation-error", "initialSupply"],
    ["supply with exponent", { ...good, initialSupply: "1e6" }, 422, "validation-error", "initialSupply"],
    ["supply over uint256 after decimals", { ...good, initialSupply: "1" + "0".repeat(60) }, 422, "validation-error", "initialSupply"],
    ["supply above the cap", { ...good, initialSupply: "100", maxSupply: "99" }, 422, "validation-error", "maxSupply"],
    ["owner with a wrong checksum", { ...good, owner: OWNER.replace("C51812dc", "c51812DC") }, 422, "validation-error", "owner"],
    ["owner too short", { ...good, owner: "0x1234" }, 422, "validation-error", "owner"],
    ["owner a Solana key on an EVM chain", { ...good, owner: "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin" }, 422, "validation-error", "owner"],
    ["zero address owner", { ...good, owner: "0x0000000000000000000000000000000000000000" }, 422, "validation-error", "owner"],
    ["http metadata URI", { ...good, metadataUri: "http://example.com/x.json" }, 422, "validation-error", "metadataUri"],
    ["javascript metadata URI", { ...good, metadataUri: "javascript:alert(1)" }, 422, "validation-error", "metadataUri"],
    ["metadata URI over 512 characters", { ...good, metadataUri: "https://example.com/" + "a".repeat(500) }, 422, "validation-error", "metadataUri"],
    ["unknown field", { ...good, admin: true }, 422, "validation-error"],
    ["unknown feature", { ...good, features: { mintable: true, rugpull: true } }, 422, "validation-error"],
    ["Solana-only feature on EVM", { ...good, features: { freezable: true } }, 422, "validation-error", "features.freezable"],
    ["missing fields", { chain: "local-eth" }, 422, "validation-error", "name"],
    ["a JSON array body", [good], 422, "validation-error"],
    ["a JSON null body", "null", 422, "validation-error"],
  ];
  for (const [title, body, status, type, path] of cases) {
    it(`refuses ${title}`, async () => {
      const before = await count();
      await expectProblem(await post(body), status, type, path);
      expect(await count()).toBe(before);
    });
  }

  it("refuses malformed JSON with 400", async () => {
    await expectProblem(await post('{"chain": "local-eth",'), 400, "malformed-json");
  });
  it("refuses a wrong content type with 415", async () => {
    await expectProblem(await post(JSON.stringify(good), { "content-type": "text/plain" }), 415, "unsupported-media-type");
  });
  it("refuses a body over 16 KB with 413", async () => {
    await expectProblem(await post({ ...good, name: "x".repeat(17 * 1024) }), 413, "payload-too-large");
  });
  it("refuses an oversized chunked body (no Content-Length) with 413", async () => {
    const big = new TextEncoder().encode(JSON.stringify({ ...good, pad: "y".repeat(20_000) }));
    const stream = new ReadableStream({ start(c) { c.enqueue(big.slice(0, 10_000)); c.enqueue(big.slice(10_000)); c.close(); } });
    const res = await SELF.fetch("https://tf.test/api/v1/launches", {
      method: "POST", headers: { authorization: `Bearer ${KEYS.writer}`, "content-type": "application/json" }, body: stream,
      duplex: "half",
    } as RequestInit);
    await expectProblem(res, 413, "payload-too-large");
  });
  it("refuses an invalid Idempotency-Key with 400", async () => {
    await expectProblem(await post(good, { "idempotency-key": "has space" }), 400, "invalid-idempotency-key");
  });
  it("needs an API key (401) with the launches:write scope (403)", async () => {
    const anon = await SELF.fetch("https://tf.test/api/v1/launches", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(good) });
    await expectProblem(anon, 401, "unauthorized");
    await expectProblem(await post(good, { authorization: "Bearer tf_not_a_key" }), 401, "unauthorized");
    await expectProblem(await post(good, { authorization: `Bearer ${KEYS.reader}` }), 403, "forbidden");
  });
});

describe("POST /api/v1/launches accepts a valid launch", () => {
  it("stores the row and its first event before answering 202 with the predicted address", async () => {
    const res = await post({ ...good, maxSupply: "2000000", features: { mintable: true } });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; status: string; address: string; links: { self: string } };
    expect(body.status).toBe("queued");
    expect(body.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const row = await env.DB.prepare("SELECT status, address, factory_version FROM launches WHERE id = ?").bind(body.id).first();
    // local-eth names a factoryOwner: new launches go to ForgeFactoryV2.
    expect(row).toEqual({ status: "queued", address: body.address, factory_version: "2" });
    const events = await env.DB.prepare("SELECT status FROM launch_events WHERE launch_id = ?").bind(body.id).all();
    expect(events.results).toEqual([{ status: "queued" }]);
    const view = (await (await SELF.fetch(`https://tf.test${body.links.self}`)).json()) as { events: unknown[]; request: { features: Record<string, boolean> } };
    expect(view.events).toHaveLength(1);
    expect(view.request.features).toEqual({ mintable: true, burnable: false, pausable: false, permit: false, freezable: false });
  });

  it("answers 404 problem+json for an unknown launch and a bad tokens cursor with 400", async () => {
    await expectProblem(await SELF.fetch("https://tf.test/api/v1/launches/lch_00000000000000000000000000"), 404, "not-found");
    await expectProblem(await SELF.fetch("https://tf.test/api/v1/tokens?cursor=%%%"), 400, "invalid-cursor");
    await expectProblem(await SELF.fetch("https://tf.test/api/v1/tokens?limit=1000"), 422, "validation-error");
  });
});

describe("POST /launches parses its body once", () => {
  it("the route's validator parses it; the create step does not parse it again (it did, with the same schema)", async () => {
    const { vi } = await import("vitest");
    const { LaunchRequest } = await import("@tokenforge/core");
    const { call } = await import("./helpers");
    const again = vi.spyOn(LaunchRequest, "safeParse");
    try {
      const res = await call("POST", "/api/v1/launches", { key: KEYS.writer }, { ...good, name: "Parsed Once", payment: { mode: "platform" } });
      expect(res.status, await res.clone().text()).toBe(202);
      expect(again).not.toHaveBeenCalled();
      // The rules still apply: a bad body is the route validator's 422.
      const bad = await call("POST", "/api/v1/launches", { key: KEYS.writer }, { ...good, decimals: 99 });
      expect(bad.status).toBe(422);
    } finally {
      again.mockRestore();
    }
  });
});
