// Deposits and linked wallets on the real local platform (issue 17): a user links
// a second wallet by signing in with it (SIWE, a viem local account) while signed
// in; deposits to the treasury from a linked wallet are credited exactly once
// (concurrent submissions, repeats), an unlinked sender is refused, one not final
// yet is accepted (202) and credited by the cron, and one a reorg took (anvil
// snapshot/revert) is never credited. After every scenario the ledger's invariant
// is checked: each balance equals the sum of its entries and none is negative.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWalletClient, getAddress, http, parseEther, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { startPlatform, type Platform } from "../../tools/platform";
import {
  appendTransactionMessageInstruction, createSolanaRpc, createTransactionMessage, generateKeyPairSigner, getBase64EncodedWireTransaction,
  getSignatureFromTransaction, pipe, setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash, signBytes,
  signTransactionMessageWithSigners, type Address as SolAddress,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import { base58Encode } from "../../packages/core/src/auth/base58";
import { createSiwsMessage } from "../../packages/core/src/auth/siws";
import { buildWebIfStale, collectErrors, installEvmWallet, launchBrowser } from "./browser";

const CONFIRMATIONS = 3;
let p: Platform;
let anvil: string;

beforeAll(async () => {
  buildWebIfStale();
  p = await startPlatform({
    port: "auto", quiet: true, cronIntervalMs: 3_600_000,
    vars: { LOCAL_ETH_CONFIRMATIONS: String(CONFIRMATIONS), DEPOSIT_DROP_SECONDS: "2" },
    solana: { slotMs: 100, finalizeDepth: 20 }, // finalized 2 s after it lands
  });
  anvil = p.chains.find((c) => c.id === "local-eth")!.rpcUrl;
  await p.runCron(); // chain_settings: the factory's treasury
});
afterAll(async () => {
  await p?.stop();
});

async function rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(anvil, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

type Res = { status: number; type: string | null; json: any; text: string };
async function call(method: string, path: string, cookie: string, body?: unknown): Promise<Res> {
  const res = await fetch(`${p.url}/api/v1${path}`, {
    method, headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, type: res.headers.get("content-type"), json, text };
}

async function siwe(account: PrivateKeyAccount) {
  const { nonce } = (await (await fetch(`${p.url}/api/v1/auth/nonce`, { method: "POST" })).json()) as { nonce: string };
  const message = createSiweMessage({ domain: new URL(p.url).host, address: account.address, uri: p.url, version: "1", chainId: 31337, nonce, issuedAt: new Date() });
  return { message, signature: await account.signMessage({ message }) };
}

async function signIn(account: PrivateKeyAccount): Promise<string> {
  const res = await fetch(`${p.url}/api/v1/auth/siwe`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(await siwe(account)) });
  expect(res.status, await res.clone().text()).toBe(200);
  return /tf_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
}

/** A fresh account holding 10 ETH, sending through anvil (a wallet's eth_sendRawTransaction). */
async function funded(): Promise<PrivateKeyAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  await rpc("anvil_setBalance", [account.address, `0x${parseEther("10").toString(16)}`]);
  return account;
}

async function send(from: PrivateKeyAccount, to: Address, value: bigint): Promise<Hex> {
  return createWalletClient({ account: from, transport: http(anvil) }).sendTransaction({ chain: null, to, value, gas: 21_000n });
}

async function receipt(hash: Hex) {
  for (let i = 0; i < 100; i++) {
    const r = await rpc<{ blockNumber: Hex } | null>("eth_getTransactionReceipt", [hash]);
    if (r) return r;
    await new Promise((s) => setTimeout(s, 100));
  }
  throw new Error(`no receipt for ${hash}`);
}

const mine = (blocks: number) => rpc("anvil_mine", [`0x${blocks.toString(16)}`]);

/** Balances equal the sum of their entries (deposit/grant/refund in, reserve out of available; capture/refund out of reserved), none negative. */
async function checkInvariant(cookie: string) {
  const { json, status } = await call("GET", "/credits", cookie);
  expect(status).toBe(200);
  const sums = new Map<string, { available: bigint; reserved: bigint }>();
  for (const e of json.entries as { kind: string; chain: string; amount: string }[]) {
    const s = sums.get(e.chain) ?? { available: 0n, reserved: 0n };
    const a = BigInt(e.amount);
    if (e.kind === "deposit" || e.kind === "grant") s.available += a;
    else if (e.kind === "reserve") [s.available, s.reserved] = [s.available - a, s.reserved + a];
    else if (e.kind === "capture") s.reserved -= a;
    else if (e.kind === "refund") [s.available, s.reserved] = [s.available + a, s.reserved - a];
    sums.set(e.chain, s);
  }
  for (const b of json.balances as { chain: string; available: string; reserved: string }[]) {
    expect(BigInt(b.available)).toBeGreaterThanOrEqual(0n);
    expect(BigInt(b.reserved)).toBeGreaterThanOrEqual(0n);
    expect({ chain: b.chain, available: BigInt(b.available), reserved: BigInt(b.reserved) }).toEqual({ chain: b.chain, ...(sums.get(b.chain) ?? { available: 0n, reserved: 0n }) });
  }
  return json as { balances: { chain: string; available: string }[]; entries: { kind: string; chain: string; amount: string; cause: { tx?: string } }[] };
}

const available = (credits: Awaited<ReturnType<typeof checkInvariant>>, chain = "local-eth") => BigInt(credits.balances.find((b) => b.chain === chain)?.available ?? "0");

describe("deposits", () => {
  let primary: PrivateKeyAccount;
  let linked: PrivateKeyAccount;
  let cookie = "";
  let treasury: Address;

  beforeAll(async () => {
    [primary, linked] = await Promise.all([funded(), funded()]);
    cookie = await signIn(primary);
    const chains = (await call("GET", "/chains", "")).json.chains as { id: string; treasury: string | null }[];
    treasury = getAddress(chains.find((c) => c.id === "local-eth")!.treasury!);
    expect(treasury).toBe(p.evmTreasury);
  });

  it("links a second wallet by signing in with it while signed in; GET /me lists both; another account cannot take it (409)", async () => {
    const r = await call("POST", "/me/wallets/siwe", cookie, await siwe(linked));
    expect(r.status, r.text).toBe(201);
    expect(r.json.wallet).toMatchObject({ address: linked.address, family: "evm", primary: false });
    const again = await call("POST", "/me/wallets/siwe", cookie, await siwe(linked));
    expect(again.status).toBe(200);
    const me = await call("GET", "/me", cookie);
    expect(me.json.wallets.map((w: { address: string; primary: boolean }) => [w.address, w.primary])).toEqual([[primary.address, true], [linked.address, false]]);

    // Signing in with the linked wallet opens the same account.
    const viaLinked = await signIn(linked);
    expect((await call("GET", "/me", viaLinked)).json.user.id).toBe(me.json.user.id);

    const other = await signIn(await funded());
    const taken = await call("POST", "/me/wallets/siwe", other, await siwe(linked));
    expect(taken.status).toBe(409);
    expect(taken.type).toContain("application/problem+json");
    expect(taken.json.type).toMatch(/wallet-linked-elsewhere$/);
    const theirs = await call("POST", "/me/wallets/siwe", other, await siwe(primary));
    expect(theirs.status).toBe(409);
    // Two accounts linking one new wallet at the same moment: one gets it.
    const contested = await funded();
    const race = await Promise.all([call("POST", "/me/wallets/siwe", other, await siwe(contested)), call("POST", "/me/wallets/siwe", viaLinked, await siwe(contested))]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    // A replayed signature (its nonce is spent) is refused, and an API-less anonymous caller cannot link.
    expect((await call("POST", "/me/wallets/siwe", "", await siwe(await funded()))).status).toBe(401);
    await checkInvariant(cookie);
  });

  it("credits a deposit submitted twice concurrently exactly once (201 + 409), and again later → 409", async () => {
    const before = available(await checkInvariant(cookie));
    const amount = parseEther("0.25");
    const hash = await send(linked, treasury, amount);
    await receipt(hash);
    await mine(CONFIRMATIONS);
    const results = await Promise.all([0, 1, 2, 3].map(() => call("POST", "/credits/deposits", cookie, { chain: "local-eth", txHash: hash })));
    expect(results.map((r) => r.status).sort(), results.map((r) => r.text).join("\n")).toEqual([201, 409, 409, 409]);
    const created = results.find((r) => r.status === 201)!;
    expect(created.json.deposit).toMatchObject({ chain: "local-eth", tx: hash.toLowerCase(), sender: linked.address, amount: amount.toString(), status: "credited" });
    for (const dup of results.filter((r) => r.status === 409)) expect(dup.json.type).toMatch(/deposit-already-submitted$/);
    // The upper-case form of the same hash is the same transaction.
    expect((await call("POST", "/credits/deposits", cookie, { chain: "local-eth", txHash: `0x${hash.slice(2).toUpperCase()}` })).status).toBe(409);
    const after = await checkInvariant(cookie);
    expect(available(after) - before).toBe(amount);
    expect(after.entries.filter((e) => e.kind === "deposit" && e.cause.tx === hash.toLowerCase())).toHaveLength(1);
  });

  it("refuses a deposit from a wallet that is not linked (422 unlinked-sender) and one that is no deposit (422); bad input is problem+json", async () => {
    const before = available(await checkInvariant(cookie));
    const stranger = await funded();
    const hash = await send(stranger, treasury, parseEther("0.1"));
    await receipt(hash);
    await mine(CONFIRMATIONS);
    const r = await call("POST", "/credits/deposits", cookie, { chain: "local-eth", txHash: hash });
    expect(r.status, r.text).toBe(422);
    expect(r.type).toContain("application/problem+json");
    expect(r.json).toMatchObject({ sender: stranger.address });
    expect(r.json.type).toMatch(/unlinked-sender$/);

    const elsewhere = await send(linked, stranger.address, parseEther("0.1"));
    await receipt(elsewhere);
    const notDeposit = await call("POST", "/credits/deposits", cookie, { chain: "local-eth", txHash: elsewhere });
    expect(notDeposit.status).toBe(422);
    expect(notDeposit.json.type).toMatch(/not-a-deposit$/);

    const bad: [unknown, number, RegExp][] = [
      [{ chain: "local-eth" }, 422, /validation-error$/],
      [{ chain: "local-eth", txHash: "0x1234" }, 422, /validation-error$/],
      [{ chain: "local-eth", signature: "5".repeat(88) }, 422, /validation-error$/],
      [{ chain: "nowhere", txHash: hash }, 422, /unknown-chain$/],
      [{ chain: "local-eth", txHash: `0x${"ab".repeat(32)}` }, 404, /not-found$/],
      [{ chain: "local-eth", txHash: hash, extra: 1 }, 422, /validation-error$/],
    ];
    for (const [body, status, type] of bad) {
      const res = await call("POST", "/credits/deposits", cookie, body);
      expect([res.status, res.text]).toEqual([status, expect.any(String)]);
      expect(res.type).toContain("application/problem+json");
      expect(res.json.type).toMatch(type);
    }
    expect(available(await checkInvariant(cookie))).toBe(before);
  });

  describe("with interval mining paused (blocks mined by hand)", () => {
    beforeAll(() => rpc("evm_setIntervalMining", [0]));
    afterAll(() => rpc("evm_setIntervalMining", [1]));

    it("accepts a deposit short of its confirmations with 202, and the cron credits it once it is deep enough", async () => {
      const before = available(await checkInvariant(cookie));
      const amount = parseEther("0.5");
      const hash = await send(primary, treasury, amount);
      await mine(1);
      const r = await call("POST", "/credits/deposits", cookie, { chain: "local-eth", txHash: hash });
      expect(r.status, r.text).toBe(202);
      expect(r.json.deposit).toMatchObject({ status: "pending", sender: primary.address, amount: amount.toString() });
      await p.runCron();
      expect(available(await checkInvariant(cookie))).toBe(before); // still one block deep
      await mine(CONFIRMATIONS);
      await p.runCron();
      const list = await call("GET", "/credits/deposits", cookie);
      expect(list.json.deposits.find((d: { tx: string }) => d.tx === hash.toLowerCase())).toMatchObject({ status: "credited" });
      await p.runCron(); // a further run credits nothing more
      expect((await call("POST", "/credits/deposits", cookie, { chain: "local-eth", txHash: hash })).status).toBe(409);
      expect(available(await checkInvariant(cookie)) - before).toBe(amount);
    });

    it("never credits a deposit a reorg took before its confirmations (anvil snapshot/revert)", async () => {
      const before = available(await checkInvariant(cookie));
      const snapshot = await rpc<Hex>("evm_snapshot");
      const hash = await send(linked, treasury, parseEther("1"));
      await mine(1);
      const r = await call("POST", "/credits/deposits", cookie, { chain: "local-eth", txHash: hash });
      expect(r.status, r.text).toBe(202);
      expect(await rpc("evm_revert", [snapshot])).toBe(true);
      // The chain moves on past where the deposit would have been final, without it.
      await mine(CONFIRMATIONS + 2);
      expect(await rpc("eth_getTransactionReceipt", [hash])).toBeNull();
      await p.runCron();
      await new Promise((s) => setTimeout(s, 2_500)); // DEPOSIT_DROP_SECONDS
      await p.runCron();
      const list = await call("GET", "/credits/deposits", cookie);
      expect(list.json.deposits.find((d: { tx: string }) => d.tx === hash.toLowerCase())).toMatchObject({ status: "dropped" });
      const after = await checkInvariant(cookie);
      expect(available(after)).toBe(before);
      expect(after.entries.some((e) => e.cause.tx === hash.toLowerCase())).toBe(false);
    });
  });

  it("/me shows the balances, each treasury as text and a QR code, and the ledger, and links another wallet by signing in with it", async () => {
    const browser = await launchBrowser();
    try {
      const ctx = await browser.newContext();
      const [name, value] = cookie.split("=") as [string, string];
      await ctx.addCookies([{ name, value, domain: new URL(p.url).hostname, path: "/" }]);
      await ctx.addInitScript(() => localStorage.setItem("tokenforge.signedIn", "1"));
      const page = await ctx.newPage();
      const errors = collectErrors(page);
      const key = generatePrivateKey();
      await installEvmWallet(page, { privateKey: key, name: "Test Wallet" });
      await page.goto(`${p.url}/me`);
      await page.getByTestId("balances").waitFor({ timeout: 15_000 });
      expect(await page.getByTestId("balances").innerText()).toMatch(/local-eth: 0\.75 ETH available/);
      await page.getByText("How to deposit").click();
      expect(await page.getByTestId("treasury-local-eth").innerText()).toBe(treasury);
      await page.getByTestId("treasury-qr").first().locator("svg").waitFor();
      expect(await page.getByTestId("ledger").locator("tbody tr").count()).toBe(2);
      await page.getByRole("button", { name: "Link an EVM wallet" }).click();
      await expect.poll(() => page.getByTestId("wallets").innerText(), { timeout: 15_000 }).toContain(privateKeyToAccount(key).address);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("links a Solana wallet (SIWS, a real ed25519 signature) and credits its System transfer to the treasury once finalized: 202, then the cron", async () => {
    const solRpc = createSolanaRpc(p.chains.find((c) => c.id === "local-sol")!.rpcUrl);
    const chains = (await call("GET", "/chains", "")).json.chains as { id: string; treasury: string | null }[];
    const solTreasury = chains.find((c) => c.id === "local-sol")!.treasury! as SolAddress;
    const signer = await generateKeyPairSigner();
    p.solana.node.control.setBalance(signer.address, 5n * 10n ** 9n);
    const { nonce } = (await (await fetch(`${p.url}/api/v1/auth/nonce`, { method: "POST" })).json()) as { nonce: string };
    const message = createSiwsMessage({ domain: new URL(p.url).host, address: signer.address, uri: p.url, version: "1", nonce, issuedAt: new Date() });
    const signature = base58Encode(await signBytes(signer.keyPair.privateKey, new TextEncoder().encode(message)));
    const linkedSol = await call("POST", "/me/wallets/siws", cookie, { message, signature, publicKey: signer.address });
    expect(linkedSol.status, linkedSol.text).toBe(201);

    const before = available(await checkInvariant(cookie), "local-sol");
    const lamports = 123_456_789n;
    const { value: blockhash } = await solRpc.getLatestBlockhash({ commitment: "confirmed" }).send();
    const tx = await signTransactionMessageWithSigners(pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(signer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
      (m) => appendTransactionMessageInstruction(getTransferSolInstruction({ source: signer, destination: solTreasury, amount: lamports }), m),
    ));
    const sig = getSignatureFromTransaction(tx);
    await solRpc.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: "base64", preflightCommitment: "confirmed" }).send();
    let r = await call("POST", "/credits/deposits", cookie, { chain: "local-sol", signature: sig });
    for (let i = 0; r.status === 404 && i < 20; i++) {
      await new Promise((s) => setTimeout(s, 100)); // not confirmed yet
      r = await call("POST", "/credits/deposits", cookie, { chain: "local-sol", signature: sig });
    }
    expect(r.status, r.text).toBe(202);
    expect(r.json.deposit).toMatchObject({ status: "pending", sender: signer.address, amount: lamports.toString() });
    await new Promise((s) => setTimeout(s, 2_500));
    await p.runCron();
    expect((await call("GET", "/credits/deposits", cookie)).json.deposits.find((d: { tx: string }) => d.tx === sig)).toMatchObject({ status: "credited" });
    expect((await call("POST", "/credits/deposits", cookie, { chain: "local-sol", signature: sig })).status).toBe(409);
    expect(available(await checkInvariant(cookie), "local-sol") - before).toBe(lamports);
  });
});
