// Logos, metadata, pinning and token lists on the real local platform (issue 18):
// a PNG uploaded, launched with on EVM and on Solana; the metadata JSON and image
// served; the pinning stand-in received both and its CIDs equal ours; the Solana
// mint's on-chain uri and the EVM token's contractURI() are the metadata URL;
// hostile uploads refused and nothing stored; the token lists valid against the
// schema published in @uniswap/token-lists; an operator's takedown.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, http, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { createSolanaRpc, generateKeyPairSigner } from "@solana/kit";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import schema from "@uniswap/token-lists/src/tokenlist.schema.json";
import { forgeTokenV2Abi } from "../../packages/core/src/contracts/artifacts";
import { parseMint } from "../../packages/core/src/solana/index";
import { startPlatform, type Platform } from "../../tools/platform";
import { standInCid } from "../../tools/pinning/index";
import { HTML, SVG, GPS_MARKER, jpeg, png, pngChunk, pngClaiming } from "../fixtures/images";
import { baseLaunch, postLaunch, waitFinal } from "./client";

let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ port: "auto", quiet: true, vars: { ASSET_UPLOADS_PER_DAY: "50" } });
});
afterAll(async () => {
  await p?.stop();
});

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
async function upload(body: Uint8Array, type = "image/png", key = p.apiKey) {
  const res = await fetch(`${p.url}/api/v1/assets`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": type }, body: body as Uint8Array<ArrayBuffer> });
  return { status: res.status, type: res.headers.get("content-type"), json: (await res.json()) as any };
}
const cron = async () => (await p.runCron()) as any;
const text = async (path: string) => {
  const res = await fetch(`${p.url}${path}`);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
};

const LOGO = png(64, 64, [pngChunk("tEXt", Buffer.from("Comment\0made at " + GPS_MARKER))]);
const presence = (logo: string) => ({
  logo, description: "The forge's own coin.", website: "https://forge.example",
  links: { x: "https://x.com/forge", telegram: "https://t.me/forge", discord: "https://discord.gg/forge" },
});

describe("a token people can see", () => {
  let logo: any;
  let evm: { id: string; address: Address; metadataUrl: string };
  let sol: { id: string; address: string; metadataUrl: string };

  it("stores an uploaded PNG without its text chunk and serves it immutable, sandboxed and nosniff", async () => {
    const res = await upload(LOGO, "application/octet-stream");
    expect(res.status).toBe(201);
    logo = res.json;
    expect(logo).toMatchObject({ type: "image/png", width: 64, height: 64, stripped: ["tEXt"] });
    expect(logo.cid).toMatch(/^bafkrei[a-z2-7]{52}$/);
    const served = await text(`/api/v1/assets/${logo.id}`);
    expect(served.status).toBe(200);
    expect(sha(served.body)).toBe(logo.id);
    expect(served.body.toString("latin1")).not.toContain("GPS");
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("cache-control")).toContain("immutable");
    expect(served.headers.get("content-security-policy")).toContain("sandbox");
    expect(served.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("refuses metadataUri together with the presence fields (422)", async () => {
    const res = await postLaunch(p, baseLaunch({ metadataUri: "https://example.com/m.json", ...presence(logo.id) } as never));
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: any) => e.path)).toContain("metadataUri");
    expect((await postLaunch(p, baseLaunch({ logo: "0".repeat(64) } as never))).status).toBe(422);
  });

  it("launches with the logo on EVM and on Solana; the URLs are the metadata document's", async () => {
    const e = await postLaunch(p, baseLaunch({ name: "Seen Coin", symbol: "SEEN", ...presence(logo.id) } as never));
    expect(e.status).toBe(202);
    const solOwner = (await generateKeyPairSigner()).address;
    const s = await postLaunch(p, { chain: "local-sol", name: "Seen Sol", symbol: "SSOL", decimals: 6, initialSupply: "1000", owner: solOwner, ...presence(logo.id) });
    expect(s.status).toBe(202);
    evm = { id: e.json.id, address: e.json.address, metadataUrl: `${p.url}/api/v1/tokens/local-eth/${e.json.address}/metadata.json` };
    sol = { id: s.json.id, address: s.json.address, metadataUrl: `${p.url}/api/v1/tokens/local-sol/${s.json.address}/metadata.json` };
    const views = await waitFinal(p, [evm.id, sol.id], 90_000);
    expect(views.map((v: any) => v.status)).toEqual(["confirmed", "confirmed"]);
    expect(views[0].request.metadataUri).toBe(evm.metadataUrl);
    expect(views[1].request.metadataUri).toBe(sol.metadataUrl);

    // EVM: ERC-7572 contractURI() through the factory's prefix and suffix, with the checksum address.
    const client = createPublicClient({ transport: http(p.chains.find((c) => c.id === "local-eth")!.rpcUrl) });
    expect(await client.readContract({ address: evm.address, abi: forgeTokenV2Abi, functionName: "contractURI" })).toBe(evm.metadataUrl);

    // Solana: the Token-2022 metadata's on-chain uri.
    const rpc = createSolanaRpc(p.chains.find((c) => c.id === "local-sol")!.rpcUrl);
    const { value } = await rpc.getAccountInfo(sol.address as never, { encoding: "base64", commitment: "confirmed" }).send();
    const mint = parseMint(new Uint8Array(Buffer.from(value!.data[0], "base64")));
    expect(mint?.metadata).toMatchObject({ name: "Seen Sol", symbol: "SSOL", uri: sol.metadataUrl });
  });

  it("serves each family's metadata fields, any address casing finding the EVM one", async () => {
    const image = `${p.url}/api/v1/assets/${logo.id}`;
    const e = await text(new URL(evm.metadataUrl).pathname.replace(evm.address, evm.address.toLowerCase()));
    expect(e.status).toBe(200);
    expect(JSON.parse(e.body.toString())).toEqual({ name: "Seen Coin", symbol: "SEEN", description: "The forge's own coin.", image, external_link: "https://forge.example" });
    const s = await text(new URL(sol.metadataUrl).pathname);
    expect(JSON.parse(s.body.toString())).toEqual({
      name: "Seen Sol", symbol: "SSOL", description: "The forge's own coin.", image, external_url: "https://forge.example",
      links: { x: "https://x.com/forge", telegram: "https://t.me/forge", discord: "https://discord.gg/forge" },
    });
    expect((await text(`/api/v1/assets/${logo.id}`)).status).toBe(200);
    // The token list view carries the logo.
    const list = (await (await fetch(`${p.url}/api/v1/tokens?chain=local-eth`)).json()) as any;
    expect(list.tokens.find((t: any) => t.address === evm.address)?.logo).toBe(image);
  });

  it("pins image and documents through the stand-in, waiting out a 429, with its CIDs equal to ours", async () => {
    p.pinning.setMode("429");
    const throttled = await cron();
    expect(throttled.pins).toMatchObject({ pinned: 0, throttled: true });
    expect(p.pinning.files).toHaveLength(0);
    p.pinning.setMode("ok");
    // The 429 emptied the bucket (60 per 60 s): a few seconds refill what three files need.
    await new Promise((r) => setTimeout(r, 3_500));
    const run = await cron();
    expect(run.pins).toMatchObject({ pinned: 3, mismatched: 0, failed: 0 });
    const byCid = new Map(p.pinning.files.map((f) => [f.cid, f]));
    expect(byCid.get(logo.cid)?.bytes.equals((await text(`/api/v1/assets/${logo.id}`)).body)).toBe(true);
    for (const url of [evm.metadataUrl, sol.metadataUrl]) {
      const doc = (await text(new URL(url).pathname)).body;
      const pinned = byCid.get(standInCid(doc));
      expect(pinned?.bytes.equals(doc), url).toBe(true);
      expect(pinned?.network).toBe("public");
    }
    expect((await cron()).pins).toMatchObject({ pinned: 0 }); // nothing twice
  });

  it("publishes EVM token lists valid against the published schema, versioned as the spec says", async () => {
    const ajv = new Ajv({ allErrors: true, verbose: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const first = (await (await fetch(`${p.url}/api/v1/tokenlists/local-eth.json`)).json()) as any;
    expect(validate(first), JSON.stringify(validate.errors)).toBe(true);
    expect(first.version).toEqual({ major: 1, minor: 0, patch: 0 });
    expect(first.tokens).toEqual([{ chainId: 31337, address: evm.address, name: "Seen Coin", symbol: "SEEN", decimals: 18, logoURI: `${p.url}/api/v1/assets/${logo.id}` }]);
    expect((await fetch(`${p.url}/api/v1/tokenlists/local-bsc.json`)).status).toBe(404); // no token with a logo there
    expect((await fetch(`${p.url}/api/v1/tokenlists/local-sol.json`)).status).toBe(404); // the schema is EVM-only

    // A token added → minor; a name the schema refuses (61+ characters) is left out.
    const more = await postLaunch(p, baseLaunch({ name: "Second Seen", symbol: "SEEN2", logo: logo.id } as never));
    const long = await postLaunch(p, baseLaunch({ name: "L".repeat(62), symbol: "LONG", logo: logo.id } as never));
    await waitFinal(p, [more.json.id, long.json.id], 60_000);
    await cron();
    const second = (await (await fetch(`${p.url}/api/v1/tokenlists/local-eth.json`)).json()) as any;
    expect(validate(second), JSON.stringify(validate.errors)).toBe(true);
    expect(second.version).toEqual({ major: 1, minor: 1, patch: 0 });
    expect(second.tokens.map((t: any) => t.symbol)).toEqual(["SEEN2", "SEEN"]);
  });

  it("refuses hostile uploads with problem+json and stores nothing", async () => {
    const hostile: [string, Buffer, number, string][] = [
      ["svg", SVG, 415, "image/svg+xml"],
      ["html as png", HTML, 415, "image/png"],
      ["html behind a png signature", Buffer.concat([png(1, 1).subarray(0, 8), HTML]), 422, "image/png"],
      ["20 MB", Buffer.alloc(20 * 1024 * 1024, 0x89), 413, "image/png"],
      ["1×100000 png", pngClaiming(1, 100_000), 422, "image/png"],
      ["truncated png", png(32, 32).subarray(0, 60), 422, "image/png"],
      ["decompression bomb", pngClaiming(4000, 4000), 422, "image/png"],
    ];
    for (const [what, body, status, type] of hostile) {
      const res = await upload(body, type);
      expect(res.status, what).toBe(status);
      expect(res.type, what).toContain("application/problem+json");
      expect(res.json.type, what).toMatch(/^https:\/\/tokenforge\.dev\/problems\//);
      expect((await text(`/api/v1/assets/${sha(body)}`)).status, what).toBe(404);
    }
  });

  it("stores a JPEG with GPS EXIF without it", async () => {
    const res = await upload(jpeg(120, 80, { gps: true }), "image/jpeg");
    expect(res.status).toBe(201);
    expect(res.json.stripped).toEqual(["APP1", "APP1", "COM"]);
    const served = await text(`/api/v1/assets/${res.json.id}`);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.body.toString("latin1")).not.toContain("GPS");
    expect(served.body.toString("latin1")).not.toContain("Exif");
  });

  it("lets the token's owner on chain change its description, and no one else", async () => {
    const signIn = async (key: Hex) => {
      const account = privateKeyToAccount(key);
      const { nonce } = (await (await fetch(`${p.url}/api/v1/auth/nonce`, { method: "POST" })).json()) as { nonce: string };
      const message = createSiweMessage({ domain: new URL(p.url).host, address: account.address, uri: p.url, version: "1", chainId: 31337, nonce, issuedAt: new Date() });
      const res = await fetch(`${p.url}/api/v1/auth/siwe`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature: await account.signMessage({ message }) }) });
      return /tf_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
    };
    const patch = (cookie: string, body: unknown) =>
      fetch(`${p.url}/api/v1/tokens/local-eth/${evm.address}/metadata`, { method: "PATCH", headers: { cookie, "content-type": "application/json", origin: p.url }, body: JSON.stringify(body) });
    // anvil's dev accounts 2 and 1 (well known): the launch's owner is account 1.
    const stranger = await signIn("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    expect((await patch(stranger, { description: "mine now" })).status).toBe(403);
    const owner = await signIn("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    const res = await patch(owner, { description: "Changed by its owner." });
    expect(res.status, await res.clone().text()).toBe(200);
    const { cid } = (await res.json()) as { cid: string };
    const served = (await text(new URL(evm.metadataUrl).pathname)).body;
    expect(JSON.parse(served.toString())).toMatchObject({ name: "Seen Coin", description: "Changed by its owner.", external_link: "https://forge.example" });
    expect(standInCid(served)).toBe(cid);
    expect((await cron()).pins).toMatchObject({ pinned: 1, mismatched: 0 });
    expect(p.pinning.files.some((f) => f.cid === cid)).toBe(true);
    expect((await fetch(`${p.url}/api/v1/tokens/local-sol/${sol.address}/metadata`, { method: "PATCH", headers: { cookie: owner, "content-type": "application/json", origin: p.url }, body: "{\"description\":\"x\"}" })).status).toBe(409);
  });

  it("lets an operator take an image down: deleted, blocked, unpinned", async () => {
    const res = await fetch(`${p.url}/api/v1/assets/${logo.id}`, { method: "DELETE", headers: { authorization: `Bearer ${p.adminToken}`, "content-type": "application/json" }, body: JSON.stringify({ reason: "test takedown" }) });
    expect(res.status).toBe(200);
    expect((await fetch(`${p.url}/api/v1/assets/${logo.id}`, { method: "DELETE" })).status).toBe(401); // operators only
    expect((await text(`/api/v1/assets/${logo.id}`)).status).toBe(404);
    const again = await upload(LOGO);
    expect(again.status).toBe(451);
    const run = await cron();
    expect(run.pins.unpinned).toBe(1);
    expect(p.pinning.files.find((f) => f.cid === logo.cid)?.deletedAt).not.toBeNull();
    expect((await postLaunch(p, baseLaunch({ logo: logo.id } as never))).status).toBe(422);
  });
});
