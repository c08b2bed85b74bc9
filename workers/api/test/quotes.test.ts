// Payments (issue 16) in the api Worker: the chains list shows each chain's
// platform fee and treasury as the cron read them (D1 chain_settings).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, json } from "./helpers";

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
