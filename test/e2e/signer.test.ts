// The Signer under node faults on a real anvil: a dropped transaction leaves a
// nonce gap that it fills, a transaction priced under the base fee is replaced
// with higher fees, and a deployer without funds makes launches wait, not fail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, http, type Hex } from "viem";
import { rpc } from "../../tools/chains/anvil";
import { startPlatform, type Platform } from "../../tools/platform";
import { baseLaunch, getLaunch, postLaunch, waitFinal, waitStatus } from "./client";

let p: Platform;
let url: string;
beforeAll(async () => {
  p = await startPlatform({
    port: "auto", quiet: true, cronIntervalMs: 2_000,
    vars: { SIGNER_REBROADCAST_AFTER_MS: "2000", SIGNER_STUCK_AFTER_MS: "1500", SWEEP_STALE_SECONDS: "2" },
  });
  url = p.chains.find((c) => c.id === "local-eth")!.rpcUrl;
});
afterAll(async () => {
  await p?.stop();
});

const pauseMining = () => rpc(url, "evm_setIntervalMining", [0]);
const resumeMining = () => rpc(url, "evm_setIntervalMining", [1]);


async function nonces() {
  const client = createPublicClient({ transport: http(url) });
  const [pending, latest] = await Promise.all([
    client.getTransactionCount({ address: p.deployer, blockTag: "pending" }),
    client.getTransactionCount({ address: p.deployer, blockTag: "latest" }),
  ]);
  return { pending, latest };
}

describe("Signer", () => {
  it("fills the gap a dropped transaction leaves, and later launches confirm", async () => {
    await pauseMining();
    const ids: string[] = [];
    try {
      const first = await postLaunch(p, baseLaunch({ symbol: "DROP" }));
      ids.push(first.json.id);
      const dropped = await waitStatus(p, first.json.id, "submitted");
      expect(await rpc(url, "anvil_dropTransaction", [dropped.txHash])).toBeDefined();
      const later = await Promise.all([1, 2, 3].map((i) => postLaunch(p, baseLaunch({ symbol: `AFTER${i}` }))));
      for (const l of later) {
        ids.push(l.json.id);
        await waitStatus(p, l.json.id, "submitted");
      }
    } finally {
      await resumeMining();
    }
    const all = await waitFinal(p, ids, 60_000);
    expect(all.map((v) => v.status)).toEqual(["confirmed", "confirmed", "confirmed", "confirmed"]);
    const n = await nonces();
    expect(n.pending).toBe(n.latest);
    expect(p.logs.some((l) => l.includes("signer.rebroadcast"))).toBe(true);
  });

  it("replaces a transaction whose fee fell below the base fee, and it confirms", async () => {
    await pauseMining();
    let original: Hex;
    let id: string;
    let tx0MaxFee: Hex;
    try {
      const res = await postLaunch(p, baseLaunch({ symbol: "BUMP" }));
      id = res.json.id;
      original = (await waitStatus(p, id, "submitted")).txHash;
      const tx = (await rpc<{ maxFeePerGas: Hex }>(url, "eth_getTransactionByHash", [original]));
      tx0MaxFee = tx.maxFeePerGas;
      await rpc(url, "anvil_setNextBlockBaseFeePerGas", ["0x" + (BigInt(tx.maxFeePerGas) * 3n).toString(16)]);
    } finally {
      await resumeMining();
    }
    const [view] = await waitFinal(p, [id!], 60_000);
    expect(view.status).toBe("confirmed");
    expect(view.txHash).not.toBe(original!);
    const mined = await rpc<{ maxFeePerGas: Hex }>(url, "eth_getTransactionByHash", [view.txHash]);
    const stuck = await rpc<{ maxFeePerGas: Hex }>(url, "eth_getTransactionByHash", [original!]);
    expect(stuck).toBeNull();
    expect(BigInt(mined.maxFeePerGas)).toBeGreaterThan(BigInt(tx0MaxFee!));
    expect(p.logs.some((l) => l.includes("signer.replaced"))).toBe(true);
    const n = await nonces();
    expect(n.pending).toBe(n.latest);
  });

  it("makes launches wait while the deployer cannot pay, says so in health, and resumes when funded", async () => {
    const client = createPublicClient({ transport: http(url) });
    const funds = await client.getBalance({ address: p.deployer });
    await rpc(url, "anvil_setBalance", [p.deployer, "0x1"]);
    const res = await postLaunch(p, baseLaunch({ symbol: "BROKE" }));
    await new Promise((r) => setTimeout(r, 4_000));
    const waiting = await getLaunch(p, res.json.id);
    expect(waiting.status).toBe("queued");
    const health = (await (await fetch(`${p.url}/api/v1/health/deep`, { headers: { authorization: `Bearer ${p.adminToken}` } })).json()) as any;
    const eth = health.chains.find((c: any) => c.id === "local-eth");
    expect(eth.status).toBe("degraded");
    expect(eth.deployer.sufficient).toBe(false);
    expect(p.logs.some((l) => l.includes('"level":"error"') && l.includes("signer.low_balance"))).toBe(true);

    await rpc(url, "anvil_setBalance", [p.deployer, "0x" + funds.toString(16)]);
    const [view] = await waitFinal(p, [res.json.id], 60_000, () => p.runCron());
    expect(view.status).toBe("confirmed");
  });
});


describe("the deployer key", () => {
  it("is in no file of the run (D1, KV, Durable Objects, generated configs) and in no log line", async () => {
    const { readdirSync, readFileSync, statSync } = await import("node:fs");
    const { join } = await import("node:path");
    const key = p.deployerKeyForLeakTests.slice(2).toLowerCase();
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const full = join(d, f);
        if (statSync(full).isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(p.runDir);
    walk(p.stateDir);
    expect(files.some((f) => f.endsWith(".sqlite"))).toBe(true); // D1 and the Durable Objects were searched
    const hex = (b: Buffer) => b.toString("hex");
    for (const f of files) {
      const data = readFileSync(f);
      expect(data.toString("latin1").toLowerCase().includes(key), f).toBe(false);
      expect(hex(data).includes(key), `${f} (raw bytes)`).toBe(false);
    }
    expect(p.logs.join("\n").toLowerCase().includes(key)).toBe(false);
  });
});
