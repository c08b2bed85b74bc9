// Solana launches from HTTP to chain on the real local platform (workerd + the
// litesvm node): the mint with its metadata, supply and authorities as asked;
// one mint however often the message is delivered; a blockhash that expires
// while the transaction is held back is replaced, and the launch still
// confirms exactly once; a fee payer without funds makes launches wait.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSolanaRpc, generateKeyPairSigner, type Address, type Rpc, type Signature, type SolanaRpcApi } from "@solana/kit";
import { ownerTokenAccount, parseMint, parseTokenAccount, TOKEN_2022_PROGRAM } from "../../packages/core/src/solana/index";
import { startPlatform, type Platform } from "../../tools/platform";
import { admin, getLaunch, postLaunch, waitFinal } from "./client";

// Short slots and a shorter validity window than mainnet's 150 × 400 ms: 8 s here. The expiry case
// also jumps the clock past it (advanceSlots), so the window only has to outlast the moment between
// the replacement being signed and the test releasing it.
const SLOT_MS = 100;
const EXPIRY_SLOTS = 80;

let p: Platform;
let rpc: Rpc<SolanaRpcApi>;
let OWNER: Address;

beforeAll(async () => {
  // A short sweep window: launches waiting for funds come back as soon as the test runs the cron.
  p = await startPlatform({ port: "auto", quiet: true, vars: { SWEEP_STALE_SECONDS: "2" }, solana: { slotMs: SLOT_MS, blockhashExpirySlots: EXPIRY_SLOTS, finalizeDepth: 8 } });
  rpc = createSolanaRpc(p.chains.find((c) => c.id === "local-sol")!.rpcUrl) as Rpc<SolanaRpcApi>;
  OWNER = (await generateKeyPairSigner()).address;
});
afterAll(async () => {
  await p?.stop();
});

const solLaunch = (over: Record<string, unknown> = {}) => ({
  chain: "local-sol", name: "Forge Sol", symbol: "FSOL", decimals: 6, initialSupply: "1000000", owner: OWNER,
  metadataUri: "https://tokenforge.invalid/fsol.json", ...over,
});

async function readMint(mint: Address, owner: Address) {
  const ata = await ownerTokenAccount(owner, mint);
  const { value } = await rpc.getMultipleAccounts([mint, ata], { encoding: "base64", commitment: "confirmed" }).send();
  const bytes = (i: number) => new Uint8Array(Buffer.from(value[i]!.data[0], "base64"));
  return { program: value[0]?.owner, mint: parseMint(bytes(0)), ata: parseTokenAccount(bytes(1)) };
}

/** Signatures that created the mint (the node has no getSignaturesForAddress): every signature the launch ever had, and which landed. */
async function landed(signatures: string[]) {
  const { value } = await rpc.getSignatureStatuses(signatures as Signature[], { searchTransactionHistory: true }).send();
  return signatures.filter((_, i) => value[i] !== null);
}

const waitUntil = async (what: string, cond: () => Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe("a launch on the local Solana chain", () => {
  it("creates the Token-2022 mint the 202 announced, with metadata, supply and revoked authorities", async () => {
    const res = await postLaunch(p, solLaunch());
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: "queued", chain: "local-sol" });
    expect(res.json.address).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);

    const [view] = await waitFinal(p, [res.json.id], 60_000);
    expect(view.status).toBe("confirmed");
    expect(view.address).toBe(res.json.address);
    expect(view.signature).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);
    expect(view.slot).toBeGreaterThan(0);
    expect(view.events.map((e: any) => e.status)).toEqual(["queued", "submitted", "confirmed"]);

    const onChain = await readMint(res.json.address, OWNER);
    expect(onChain.program).toBe(TOKEN_2022_PROGRAM);
    expect(onChain.mint).toMatchObject({
      decimals: 6, supply: 10n ** 12n, mintAuthority: null, freezeAuthority: null,
      metadataPointer: { metadataAddress: res.json.address },
      metadata: { name: "Forge Sol", symbol: "FSOL", uri: "https://tokenforge.invalid/fsol.json", mint: res.json.address, updateAuthority: OWNER },
    });
    expect(onChain.ata).toEqual({ mint: res.json.address, owner: OWNER, amount: 10n ** 12n });
    // The same, as a wallet would read it (jsonParsed).
    const supply = await rpc.getTokenSupply(res.json.address, { commitment: "confirmed" }).send();
    expect(supply.value).toMatchObject({ amount: "1000000000000", decimals: 6 });

    const tokens = (await (await fetch(`${p.url}/api/v1/tokens?chain=local-sol`)).json()) as any;
    expect(tokens.tokens.find((t: any) => t.address === res.json.address)).toMatchObject({ name: "Forge Sol", symbol: "FSOL", decimals: 6 });
  });

  it("hands the mint and freeze authorities to the owner when mintable and freezable", async () => {
    const res = await postLaunch(p, solLaunch({ symbol: "KEEP", decimals: 0, initialSupply: "42", features: { mintable: true, freezable: true } }));
    expect(res.status).toBe(202);
    const [view] = await waitFinal(p, [res.json.id], 60_000);
    expect(view.status).toBe("confirmed");
    const onChain = await readMint(res.json.address, OWNER);
    expect(onChain.mint).toMatchObject({ decimals: 0, supply: 42n, mintAuthority: OWNER, freezeAuthority: OWNER });
  });

  it("makes one mint when the same message is delivered several times", async () => {
    const res = await postLaunch(p, solLaunch({ symbol: "DUP" }));
    expect(res.status).toBe(202);
    // Three more copies race the original through the deployer.
    expect((await admin(p, "POST", `/launches/${res.json.id}/enqueue?copies=3`)).status).toBe(202);
    const [view] = await waitFinal(p, [res.json.id], 60_000);
    expect(view.status).toBe("confirmed");
    // …and late copies after confirmation change nothing.
    await admin(p, "POST", `/launches/${res.json.id}/enqueue?copies=2`);
    await new Promise((r) => setTimeout(r, 3_000));
    const after = await getLaunch(p, res.json.id);
    expect(after.events.map((e: any) => e.status)).toEqual(["queued", "submitted", "confirmed"]);
    expect(after.signature).toBe(view.signature);
    const onChain = await readMint(res.json.address, OWNER);
    expect(onChain.mint?.supply).toBe(10n ** 12n);
    expect(onChain.ata?.amount).toBe(10n ** 12n);
  });

  it("replaces a transaction whose blockhash expired before it landed, and confirms exactly once", async () => {
    const node = p.solana.node;
    node.control.holdTransactions(true);
    try {
      const res = await postLaunch(p, solLaunch({ symbol: "HELD" }));
      expect(res.status).toBe(202);
      const id = res.json.id;
      // The first transaction is accepted by the node but parked.
      await waitUntil("the first transaction to be held", async () => (await getLaunch(p, id)).status === "submitted" && node.control.heldCount >= 1);
      const first = (await getLaunch(p, id)).signature as string;
      // Let its validity window pass; the deployer must notice and sign a new one (never before).
      node.control.advanceSlots(EXPIRY_SLOTS + 2);
      await waitUntil("a replacement transaction", async () => (await getLaunch(p, id)).signature !== first, 30_000);
      const second = (await getLaunch(p, id)).signature as string;
      expect(node.control.heldCount).toBeGreaterThanOrEqual(2);

      // Release: the expired one is dropped, the replacement lands.
      node.control.holdTransactions(false);
      const [view] = await waitFinal(p, [id], 60_000);
      expect(view.status).toBe("confirmed");
      expect(view.signature).toBe(second);
      expect(await landed([first, second])).toEqual([second]);
      expect(view.events.map((e: any) => e.status)).toEqual(["queued", "submitted", "submitted", "confirmed"]);
      expect(view.events[2].detail).toMatch(/blockhash expired/);
      const onChain = await readMint(res.json.address, OWNER);
      expect(onChain.mint?.supply).toBe(10n ** 12n);
      expect(onChain.ata?.amount).toBe(10n ** 12n);
    } finally {
      node.control.holdTransactions(false);
    }
  });

  it("keeps launches queued while the fee payer cannot pay, and sends them once funded", async () => {
    const node = p.solana.node;
    const { value: funds } = await rpc.getBalance(p.solana.feePayer as Address, { commitment: "confirmed" }).send();
    node.control.setBalance(p.solana.feePayer, 1_000_000n); // far below one launch (~0.0057 SOL)
    try {
      const res = await postLaunch(p, solLaunch({ symbol: "POOR" }));
      expect(res.status).toBe(202);
      await waitUntil("the launch to wait for funds", async () => (await getLaunch(p, res.json.id)).attempts >= 1, 30_000);
      const waiting = await getLaunch(p, res.json.id);
      expect(waiting.status).toBe("queued");
      expect(waiting.signature).toBeNull();
      // The Worker's log line reaches us through wrangler's stdout, which may trail the D1 write we polled.
      await expect.poll(() => p.logs.some((l) => l.includes('"level":"error"') && l.includes("solana.low_balance") && l.includes(p.solana.feePayer)), { timeout: 10_000 }).toBe(true);
      const health = (await (await fetch(`${p.url}/api/v1/health/deep`, { headers: { authorization: `Bearer ${p.adminToken}` } })).json()) as any;
      const sol = health.chains.find((c: any) => c.id === "local-sol");
      expect(sol.status).toBe("degraded");
      expect(sol.deployer).toMatchObject({ address: p.solana.feePayer, sufficient: false });

      node.control.setBalance(p.solana.feePayer, funds);
      // The cron sweep brings waiting launches back (it runs every minute; here on demand).
      const [view] = await waitFinal(p, [res.json.id], 90_000, () => p.runCron());
      expect(view.status).toBe("confirmed");
    } finally {
      node.control.setBalance(p.solana.feePayer, funds);
    }
  });

  it("lists the Solana chain and reports its slot in health", async () => {
    const { chains } = (await (await fetch(`${p.url}/api/v1/chains`)).json()) as any;
    expect(chains).toEqual(expect.arrayContaining([expect.objectContaining({ id: "local-sol", family: "solana", nativeSymbol: "SOL", rpcUrl: p.chains.find((c) => c.id === "local-sol")!.rpcUrl })]));
    const h = (await (await fetch(`${p.url}/api/v1/health/deep`, { headers: { authorization: `Bearer ${p.adminToken}` } })).json()) as any;
    const sol = h.chains.find((c: any) => c.id === "local-sol");
    expect(sol.status).toBe("ok");
    expect(sol.deployer).toMatchObject({ address: p.solana.feePayer, sufficient: true });
    expect(sol.endpoints[0].reachable).toBe(true);
    expect(sol.endpoints[0].latest.slot).toBeGreaterThan(0);
  });
});
