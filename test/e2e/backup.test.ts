// Backups that restore (issue 22): 300 launches, a copy of D1 into R2 taken while some
// are still in flight, the Workers stopped, D1 wiped and rebuilt from the copy by
// `npm run restore` (tools/restore.ts) — every table identical by digest — then the
// platform heals itself: the sweep re-drives the launches the copy holds as non-final
// and each confirms exactly once (CREATE2: one token per launch id on chain), and the
// ledger reconciliation finds the credits (every launch platform-paid) in step.
// Then an older copy: a user's ledger object lost and D1 restored to a copy taken
// before their last launches confirmed and before a deposit — the reconciliation
// takes the copy's entries back and brings the ledger forward from the chain.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createPublicClient, createWalletClient, http, parseEther, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { forgeFactoryV2Abi } from "../../packages/core/src/contracts/artifacts";
import { factoryForChain } from "../../packages/core/src/contracts/factory";
import { launchIdToBytes32 } from "../../packages/core/src/evm/token-address";
import { startPlatform, type Platform } from "../../tools/platform";
import { listCopies, restoreLocal, withLocalD1 } from "../../tools/restore";
import { admin, baseLaunch, postLaunch, waitFinal, waitStatus } from "./client";

let p: Platform;
beforeAll(async () => {
  // The scheduled copy is left to the test (a long interval): it asks for one at the moment it wants.
  p = await startPlatform({ port: "auto", quiet: true, vars: { SWEEP_STALE_SECONDS: "2", BACKUP_INTERVAL_MINUTES: "10000", CREDITS_RECONCILE_MINUTES: "10000", RECONCILE_SCAN_BLOCKS: "1000" }, cronIntervalMs: 2_000 });
});
afterAll(async () => {
  await p?.stop();
});

/**
 * As a bot does: a 5xx (an RPC endpoint slow to price the launch on a loaded machine, a Worker restarting) is
 * sent again with the same Idempotency-Key, which makes at most one launch of it.
 */
async function postRetrying(body: unknown, key: string) {
  for (let attempt = 0; ; attempt++) {
    const r = await postLaunch(p, body, { "idempotency-key": key });
    if (r.status < 500 || attempt === 4) return r;
    await new Promise((s) => setTimeout(s, 1_000 * (attempt + 1)));
  }
}

it("restores a copy taken mid-flight, identical by digest, and every launch confirms exactly once", async () => {
  const accepted: Awaited<ReturnType<typeof postLaunch>>[] = [];
  for (let i = 0; i < 300; i += 50) {
    accepted.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => postRetrying(baseLaunch({ symbol: `BK${i + j}`, name: `Backup ${i + j}` }), `backup-${i + j}`)))));
  }
  expect(accepted.map((r) => r.status), accepted.find((r) => r.status !== 202)?.text).toEqual(accepted.map(() => 202));
  const ids = accepted.map((r) => r.json.id as string);

  // The copy, while the deployer is still working through the backlog.
  const copy = await admin(p, "POST", "/backups");
  expect(copy.status).toBe(200);
  const launchesCopied = copy.json.tables.find((t: { name: string }) => t.name === "launches");
  expect(launchesCopied.rows).toBe(300);

  await p.killWorkers("SIGKILL");
  const copies = await listCopies(p.stateDir);
  expect(copies.map((c) => c.id)).toContain(copy.json.id);
  const d1Dir = join(p.stateDir, "v3", "d1");
  expect(existsSync(d1Dir)).toBe(true);

  const restored = await restoreLocal(copy.json.id, p.stateDir);
  expect(restored.tables.length).toBe(copy.json.tables.length);
  for (const t of restored.tables) {
    const original = copy.json.tables.find((c: { name: string }) => c.name === t.name);
    expect({ name: t.name, rows: t.rows, sha256: t.sha256, matches: t.matches }).toEqual({ name: t.name, rows: original.rows, sha256: original.sha256, matches: true });
  }

  // The copy caught the backlog mid-way: some launches are not final in it, so the heal below is exercised.
  const statuses = await withLocalD1(p.stateDir, async (db) =>
    (await db.prepare("SELECT status, count(*) AS n FROM launches GROUP BY status").all<{ status: string; n: number }>()).results);
  expect(statuses.filter((s) => s.status !== "confirmed").reduce((n, s) => n + s.n, 0)).toBeGreaterThan(0);

  await p.startWorkers();
  const views = await waitFinal(p, ids, 180_000, () => p.runCron());
  const notConfirmed = views.filter((v) => v.status !== "confirmed").map((v) => ({ id: v.id, status: v.status, error: v.error, events: v.events }));
  expect(notConfirmed, JSON.stringify(notConfirmed.slice(0, 2))).toEqual([]);
  views.forEach((v, i) => expect(v.address).toBe(accepted[i]!.json.address));

  const client = createPublicClient({ transport: http(p.chains.find((c) => c.id === "local-eth")!.rpcUrl) });
  const { factory } = factoryForChain({ factoryOwner: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" });
  const events = await client.getContractEvents({ address: factory, abi: forgeFactoryV2Abi, eventName: "TokenCreated", fromBlock: 0n, toBlock: "latest" });
  const mine = new Set(ids.map((id) => launchIdToBytes32(id)));
  expect(events.filter((e) => mine.has(e.args.launchId!))).toHaveLength(ids.length);

  // Every launch was platform-paid from the dev user's credits: reserved once, captured once, nothing left held.
  const credits = await creditsOf(p.apiKey);
  const ofLaunch = (kind: string) => credits.entries.filter((e) => e.kind === kind && ids.includes(e.cause.launchId ?? "")).map((e) => e.cause.launchId);
  expect([ofLaunch("reserve").length, new Set(ofLaunch("reserve")).size, ofLaunch("capture").length, new Set(ofLaunch("capture")).size]).toEqual([300, 300, 300, 300]);
  expect(credits.balances.every((b) => b.reserved === "0")).toBe(true);
  // The ledger objects were not in the copy and are ahead of the restored D1: the reconciliation copies
  // their newer entries again and corrects nothing; a second run finds nothing at all.
  const first = await admin(p, "POST", "/reconcile-credits");
  expect(first.status).toBe(200);
  expect({ corrections: first.json.corrections, findings: first.json.findings, errors: first.json.errors }).toEqual({ corrections: [], findings: [], errors: [] });
  console.log(`reconcile after the restore: ${first.json.users} users, ${first.json.corrections.length} corrections, ${first.json.recopied} entries copied to D1 again`);
  const second = await admin(p, "POST", "/reconcile-credits");
  expect({ corrections: second.json.corrections.length, recopied: second.json.recopied }).toEqual({ corrections: 0, recopied: 0 });
});

it("refuses a damaged copy before touching the database", async () => {
  await expect(restoreLocal("20000101T000000Z-missing", p.stateDir)).rejects.toThrow(/no manifest/);
});

type Entry = { kind: string; chain: string; amount: string; cause: { type: string; launchId?: string; reservation?: number; tx?: string; reason?: string } };
type Credits = { balances: { chain: string; available: string; reserved: string }[]; entries: Entry[] };

async function creditsOf(key: string): Promise<Credits> {
  const res = await fetch(`${p.url}/api/v1/credits?limit=1000`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Credits;
}

async function anvil<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(p.chains.find((c) => c.id === "local-eth")!.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** A new user signed in with a funded wallet (SIWE), with an API key that launches platform-paid. */
async function newUser() {
  const account = privateKeyToAccount(generatePrivateKey());
  await anvil("anvil_setBalance", [account.address, `0x${parseEther("10").toString(16)}`]);
  const { nonce } = (await (await fetch(`${p.url}/api/v1/auth/nonce`, { method: "POST" })).json()) as { nonce: string };
  const message = createSiweMessage({ domain: new URL(p.url).host, address: account.address, uri: p.url, version: "1", chainId: 31337, nonce, issuedAt: new Date() });
  const res = await fetch(`${p.url}/api/v1/auth/siwe`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature: await account.signMessage({ message }) }) });
  expect(res.status).toBe(200);
  const cookie = /tf_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
  const me = (await (await fetch(`${p.url}/api/v1/me`, { headers: { cookie } })).json()) as { user: { id: string } };
  const k = await fetch(`${p.url}/api/v1/keys`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ name: "restore", scopes: ["launches:read", "launches:write"] }) });
  expect(k.status).toBe(201);
  return { id: me.user.id, account, key: ((await k.json()) as { key: string }).key };
}

type User = Awaited<ReturnType<typeof newUser>>;

/** Sends `value` from the user's wallet to the treasury and claims it; returns once the ledger holds it. */
async function deposit(u: User, value: bigint): Promise<Hex> {
  const hash = await createWalletClient({ account: u.account, transport: http(p.chains.find((c) => c.id === "local-eth")!.rpcUrl) })
    .sendTransaction({ chain: null, to: p.evmTreasury, value, gas: 21_000n });
  for (let i = 0; ; i++) {
    const r = await fetch(`${p.url}/api/v1/credits/deposits`, { method: "POST", headers: { authorization: `Bearer ${u.key}`, "content-type": "application/json" }, body: JSON.stringify({ chain: "local-eth", txHash: hash }) });
    if (r.status === 201 || r.status === 202 || r.status === 409) break;
    if (i > 50) throw new Error(`deposit claim answered ${r.status}: ${await r.text()}`);
    await new Promise((s) => setTimeout(s, 200)); // not mined yet (404)
  }
  for (let i = 0; !(await creditsOf(u.key)).entries.some((e) => e.cause.tx === hash.toLowerCase()); i++) {
    if (i > 60) throw new Error(`deposit ${hash} never credited`);
    await p.runCron().catch(() => undefined);
    await new Promise((s) => setTimeout(s, 300));
  }
  return hash;
}

/** Deletes the files of the Durable Object whose storage names `userId` (the ledger object keeps its user in `meta`). */
function loseLedgerOf(userId: string): number {
  const root = join(p.stateDir, "v3", "do");
  let removed = 0;
  for (const dir of readdirSync(root).filter((d) => d.includes("Ledger"))) {
    const files = readdirSync(join(root, dir));
    for (const base of new Set(files.map((f) => f.replace(/-(wal|shm)$/, "")))) {
      const group = files.filter((f) => f === base || f === `${base}-wal` || f === `${base}-shm`);
      if (!group.some((f) => readFileSync(join(root, dir, f)).includes(userId))) continue;
      for (const f of group) rmSync(join(root, dir, f));
      removed++;
    }
  }
  return removed;
}

it("restores an older copy with the user's ledger lost: the copy's entries come back, the later deposit is credited once and the launches that confirmed are captured once, each explained", async () => {
  const u = await newUser();
  const firstDeposit = await deposit(u, parseEther("1"));
  // Mining paused: the launches are accepted (credits reserved) and sent, not mined, when the copy is taken.
  await anvil("evm_setIntervalMining", [0]);
  let ids: string[] = [];
  let olderId = "";
  try {
    const answers = await Promise.all([0, 1, 2].map((i) => postLaunch(p, baseLaunch({ symbol: `OLD${i}`, name: `Older ${i}` }), { authorization: `Bearer ${u.key}` })));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    ids = answers.map((a) => a.json.id as string);
    await Promise.all(ids.map((id) => waitStatus(p, id, "submitted")));
    const older = await admin(p, "POST", "/backups");
    expect(older.status).toBe(200);
    olderId = older.json.id as string;
  } finally {
    await anvil("evm_setIntervalMining", [1]);
  }
  expect((await waitFinal(p, ids, 90_000, () => p.runCron())).map((v) => v.status)).toEqual(["confirmed", "confirmed", "confirmed"]);
  const laterDeposit = (await deposit(u, parseEther("0.5"))).toLowerCase();
  const before = await creditsOf(u.key);
  expect(before.balances.find((b) => b.chain === "local-eth")!.reserved).toBe("0");

  // The disaster: D1 back to the older copy, and the user's ledger object gone with it.
  await p.killWorkers("SIGKILL");
  expect((await restoreLocal(olderId, p.stateDir)).tables.every((t) => t.matches)).toBe(true);
  expect(loseLedgerOf(u.id)).toBe(1);
  await p.startWorkers();

  const report = await admin(p, "POST", "/reconcile-credits");
  expect(report.status).toBe(200);
  expect(report.json.errors).toEqual([]);
  const mineOnly = (report.json.corrections as { userId: string; kind: string; key: string; tx?: string; launchId?: string; reason: string }[]).filter((c) => c.userId === u.id);
  console.log(`reconcile of the older copy: ${mineOnly.map((c) => c.kind).join(", ")}`);
  // The copy held the first deposit and the three reservations: taken back as they were.
  expect(mineOnly.filter((c) => c.kind === "import").map((c) => c.key).sort())
    .toEqual([`deposit:local-eth:${firstDeposit.toLowerCase()}`, ...ids.map((id) => `reserve:${id}:1`)].sort());
  // The chain held the rest: the later deposit (never in the copy) and the three tokens.
  expect(mineOnly.filter((c) => c.kind === "deposit")).toEqual([expect.objectContaining({ tx: laterDeposit, reason: expect.stringMatching(/found on chain/) })]);
  for (const c of mineOnly) expect(c.reason.length).toBeGreaterThan(20);

  const again = await admin(p, "POST", "/reconcile-credits");
  expect({ corrections: again.json.corrections, findings: again.json.findings, errors: again.json.errors }).toEqual({ corrections: [], findings: [], errors: [] });

  // The copy held the launches as submitted: the sweep re-drives them and they confirm; nobody pays twice.
  expect((await waitFinal(p, ids, 90_000, () => p.runCron())).map((v) => v.status)).toEqual(["confirmed", "confirmed", "confirmed"]);
  await p.runCron();
  const after = await creditsOf(u.key);
  const keyOf = (e: Entry) => (e.kind === "deposit" ? `deposit:${e.cause.tx}` : `${e.kind}:${e.cause.launchId}:${e.cause.reservation}`);
  expect(after.entries.map(keyOf).sort()).toEqual(before.entries.map(keyOf).sort());
  expect(after.balances).toEqual(before.balances);
  for (const id of ids) expect(after.entries.filter((e) => e.kind === "capture" && e.cause.launchId === id)).toHaveLength(1);
  const credited = after.entries.filter((e) => e.kind === "deposit" && e.cause.tx === laterDeposit);
  expect(credited).toEqual([expect.objectContaining({ cause: expect.objectContaining({ type: "reconcile", reason: expect.stringMatching(/found on chain/) }) })]);
  // Its D1 row is back too: claiming the transaction again is a repeat.
  const claim = await fetch(`${p.url}/api/v1/credits/deposits`, { method: "POST", headers: { authorization: `Bearer ${u.key}`, "content-type": "application/json" }, body: JSON.stringify({ chain: "local-eth", txHash: laterDeposit }) });
  expect(claim.status).toBe(409);
});
