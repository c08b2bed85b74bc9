// The ledger reconciliation's effects (issue 22; the comparison is core's pure
// credits/reconcile.ts). One run:
//   1. scans each EVM chain's new blocks (from a cursor in index_cursors, key
//      `deposit-scan:<chain>`, up to the head less the chain's confirmations) for
//      top-level transfers to the treasury from a user's wallet — the cursor lives
//      in D1, so a restored D1 rescans everything after its copy;
//   2. per user (those with entries in D1's copy, and those a scanned deposit
//      names): reads the ledger object's entries, D1's copy, and what the chain
//      says of every launch with an open reservation (code at its address, or its
//      mint account), plans, and applies the plan through the ledger's keyed,
//      idempotent commands — a second run finds nothing to do;
//   3. writes the D1 deposit rows the scan found credited but D1 lacks (a restore
//      lost them), so claiming the transaction again answers 409.
// The report lists each correction with its reason; it holds no secret.
import { chainRegistry, log, type ChainConfig } from "@tokenforge/core";
import { canonicalWallet } from "@tokenforge/core/address";
import { depositTxId } from "@tokenforge/core/credits/deposit-store";
import { planReconciliation, launchesToCheck, type ChainDeposit, type Correction, type Finding, type LaunchFact } from "@tokenforge/core/credits/reconcile";
import { entryOfView, ledgerOf, type EntryView, type LedgerEnv } from "@tokenforge/core/credits/store";
import type { RpcAnswer, RpcBatch } from "@tokenforge/core/quote";
import { newId } from "@tokenforge/core/ids";
import { FINAL, statusIn } from "@tokenforge/core/lifecycle";
import { gatedRpc } from "@tokenforge/gate/gated-fetch";
import type { Env } from "../env";
import type { ReconcileCreditsReport } from "@tokenforge/core/ops-answers";

/** `stuckMs`: a launch in flight is asked about on chain only once it has not moved for this long (the sweep's window). */
export type ReconcileSettings = { scanBlocks: number; stuckMs: number };

/** The job's report, answered by POST /reconcile-credits (core ops-answers.ts: the api documents the same schema). */
export type ReconcileReport = ReconcileCreditsReport;

const CURSOR = (chain: string) => `deposit-scan:${chain}`;
const SCAN_CHUNK = 100;

export async function reconcileCredits(env: Env & LedgerEnv, settings: ReconcileSettings, now = Date.now()): Promise<ReconcileReport> {
  const report: ReconcileReport = { users: 0, scans: [], corrections: [], recopied: 0, depositRows: 0, findings: [], errors: [] };
  const registry = chainRegistry(env);
  const treasuries = new Map((await env.DB.prepare("SELECT chain, treasury FROM chain_settings").all<{ chain: string; treasury: string | null }>()).results.map((r) => [r.chain, r.treasury]));

  const found = new Map<string, FoundDeposit[]>(); // user → deposits on chain
  const cursorsAfter: { chain: string; block: number; hash: string }[] = [];
  for (const chain of registry) {
    const treasury = treasuries.get(chain.id);
    if (chain.family !== "evm" || !treasury) continue;
    try {
      const scan = await scanDeposits(env, chain, treasury, settings.scanBlocks);
      if (!scan) continue;
      report.scans.push({ chain: chain.id, from: scan.from, to: scan.to, deposits: scan.deposits.length });
      for (const d of scan.deposits) found.set(d.userId, [...(found.get(d.userId) ?? []), d]);
      cursorsAfter.push({ chain: chain.id, block: scan.to, hash: scan.toHash });
    } catch (e) {
      report.errors.push({ chain: chain.id, error: String(e) });
    }
  }

  const users = new Set((await env.DB.prepare("SELECT DISTINCT user_id FROM credit_entries").all<{ user_id: string }>()).results.map((r) => r.user_id));
  for (const u of found.keys()) users.add(u);
  report.users = users.size;
  const failedUsers = new Set<string>();
  for (const userId of [...users].sort()) {
    try {
      await reconcileUser(env, registry, settings, userId, found.get(userId) ?? [], report, now);
    } catch (e) {
      failedUsers.add(userId);
      report.errors.push({ userId, error: String(e) });
      log("error", "cron.reconcile_user_failed", { userId, error: e });
    }
  }
  // The cursor moves only when every deposit it passed was dealt with: a failed user's are scanned again next run.
  const failedChains = new Set([...found].filter(([u]) => failedUsers.has(u)).flatMap(([, ds]) => ds.map((d) => d.chain)));
  for (const c of cursorsAfter.filter((c) => !failedChains.has(c.chain))) {
    await env.DB.prepare(`INSERT INTO index_cursors (chain, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (chain) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash, updated_at = excluded.updated_at`)
      .bind(CURSOR(c.chain), c.block, c.hash, now).run();
  }
  const n = report.corrections.length;
  log(n || report.findings.length ? "warn" : "info", "cron.credits_reconciled", {
    users: report.users, corrections: n, recopied: report.recopied, depositRows: report.depositRows, findings: report.findings.length, errors: report.errors.length,
  });
  return report;
}

type FoundDeposit = ChainDeposit & { userId: string };

/** Transfers to the treasury in the blocks after the cursor, final by the chain's confirmations, sent from a user's wallet. */
async function scanDeposits(env: Env, chain: ChainConfig, treasury: string, maxBlocks: number) {
  const rpc: RpcBatch = (calls) => gatedRpc(env, chain, calls, "reconcile");
  const [headAnswer] = await rpc([{ method: "eth_blockNumber", params: [] }]);
  const head = Number(BigInt(resultOf<string>(headAnswer)));
  const safe = head - Math.max(chain.confirmations, 1) + 1;
  const cursor = await env.DB.prepare("SELECT block_number AS n FROM index_cursors WHERE chain = ?").bind(CURSOR(chain.id)).first<{ n: number }>();
  const from = cursor ? cursor.n + 1 : Math.max(0, safe - maxBlocks + 1);
  const to = Math.min(safe, from + maxBlocks - 1);
  if (to < from) return null;
  type Tx = { hash: string; from: string; to: string | null; value: string };
  const hits: (Tx & { block: number })[] = [];
  let toHash = "";
  for (let b = from; b <= to; b += SCAN_CHUNK) {
    const numbers = Array.from({ length: Math.min(SCAN_CHUNK, to - b + 1) }, (_, i) => b + i);
    const blocks = await rpc(numbers.map((n) => ({ method: "eth_getBlockByNumber", params: [`0x${n.toString(16)}`, true] })));
    blocks.forEach((a, i) => {
      const block = resultOf<{ hash: string; transactions: Tx[] } | null>(a);
      if (!block) throw new Error(`block ${numbers[i]} not found`);
      if (numbers[i] === to) toHash = block.hash;
      for (const tx of block.transactions) {
        if (tx.to?.toLowerCase() === treasury.toLowerCase() && BigInt(tx.value) > 0n) hits.push({ ...tx, block: numbers[i]! });
      }
    });
  }
  const deposits: FoundDeposit[] = [];
  if (hits.length) {
    const receipts = await rpc(hits.map((h) => ({ method: "eth_getTransactionReceipt", params: [h.hash] })));
    for (const [i, h] of hits.entries()) {
      const receipt = resultOf<{ status: string } | null>(receipts[i]);
      if (!receipt || BigInt(receipt.status) !== 1n) continue;
      const sender = canonicalWallet(h.from);
      const userId = await walletOwner(env.DB, sender);
      // A transfer from nobody's wallet is no one's deposit (the deposit route refuses it too).
      if (userId) deposits.push({ userId, chain: chain.id, tx: depositTxId(h.hash), from: sender, amount: BigInt(h.value), block: h.block });
    }
  }
  return { from, to, toHash, deposits };
}

async function walletOwner(db: D1Database, address: string): Promise<string | null> {
  const evm = address.startsWith("0x");
  const where = (col: string) => (evm ? `lower(${col}) = ? AND ${col} LIKE '0x%'` : `${col} = ?`);
  const key = evm ? address.toLowerCase() : address;
  const row = await db.prepare(`SELECT id FROM users WHERE ${where("wallet_address")} UNION ALL SELECT user_id FROM wallets WHERE ${where("address")} LIMIT 1`)
    .bind(key, key).first<{ id: string }>();
  return row?.id ?? null;
}

async function reconcileUser(env: Env & LedgerEnv, registry: ChainConfig[], settings: ReconcileSettings, userId: string, deposits: FoundDeposit[], report: ReconcileReport, now: number) {
  const ledger = ledgerOf(env, userId);
  const own: EntryView[] = [];
  for (let after = 0; ;) {
    const page = await ledger.entries(userId, after, 1000);
    own.push(...page);
    if (page.length < 1000) break;
    after = page[page.length - 1]!.seq;
  }
  const copyRows = (await env.DB.prepare("SELECT seq, key, kind, chain, amount, cause, key_id, at FROM credit_entries WHERE user_id = ? ORDER BY seq, at")
    .bind(userId).all<{ seq: number; key: string; kind: EntryView["kind"]; chain: string; amount: string; cause: string; key_id: string | null; at: number }>()).results;
  const copy: EntryView[] = copyRows.map((r) => ({ seq: r.seq, key: r.key, kind: r.kind, chain: r.chain, amount: r.amount, cause: JSON.parse(r.cause), keyId: r.key_id, at: r.at }));
  const ledgerEntries = own.map(entryOfView);
  const copyEntries = copy.map(entryOfView);
  const launches = await launchFacts(env, registry, launchesToCheck(ledgerEntries, copyEntries), now - settings.stuckMs);
  const plan = planReconciliation({ ledger: ledgerEntries, copy: copyEntries, deposits, launches }, now);

  const imports = plan.corrections.filter((c): c is Extract<Correction, { kind: "import" }> => c.kind === "import");
  if (imports.length) {
    const byKey = new Map(copy.map((v) => [v.key, v]));
    const r = await ledger.restore(userId, imports.map((c) => byKey.get(c.entry.key)!));
    if (r.refused.length) throw new Error(`the ledger refused entries from D1's copy: ${r.refused.slice(0, 5).join(", ")}`);
  }
  if (plan.recopy.length) report.recopied += (await ledger.recopy(userId, plan.recopy)).marked;
  for (const c of plan.corrections) {
    if (c.kind === "deposit") {
      const r = await ledger.command(userId, { kind: "deposit", chain: c.chain, tx: c.tx, from: c.from, amount: c.amount.toString(), reconcile: c.reason }, now);
      if (!r.ok || r.duplicate) continue; // credited meanwhile by the deposit route or the cron: once either way
    } else if (c.kind === "capture" || c.kind === "refund") {
      const r = await ledger.command(userId, { kind: c.kind, launchId: c.launchId, reservation: c.reservation, reconcile: c.reason }, now);
      if (!r.ok || r.duplicate) continue;
    }
    report.corrections.push(reportOf(userId, c));
  }
  report.findings.push(...plan.findings.map((f) => ({ ...f, userId })));
  report.depositRows += await writeDepositRows(env.DB, userId, deposits, now);
}

function reportOf(userId: string, c: Correction): ReconcileReport["corrections"][number] {
  switch (c.kind) {
    case "import":
      return { userId, kind: c.kind, key: c.entry.key, chain: c.entry.chain, amount: c.entry.amount.toString(), reason: c.reason };
    case "deposit":
      return { userId, kind: c.kind, key: `deposit:${c.chain}:${c.tx}`, chain: c.chain, amount: c.amount.toString(), tx: c.tx, reason: c.reason };
    default:
      return { userId, kind: c.kind, key: `${c.kind}:${c.launchId}:${c.reservation}`, chain: c.chain, amount: c.amount.toString(), launchId: c.launchId, reservation: c.reservation, reason: c.reason };
  }
}

/** Credited deposit rows for the deposits found on chain: new rows, or pending ones moved on (the ledger holds each now). */
async function writeDepositRows(db: D1Database, userId: string, deposits: FoundDeposit[], now: number): Promise<number> {
  if (!deposits.length) return 0;
  const results = await db.batch(deposits.map((d) => db.prepare(
    `INSERT INTO deposits (id, chain, tx, user_id, sender, amount, status, block, detail, created_at, updated_at, credited_at)
     VALUES (?, ?, ?, ?, ?, ?, 'credited', ?, 'found on chain by the ledger reconciliation', ?, ?, ?)
     ON CONFLICT (chain, tx) DO UPDATE SET status = 'credited', block = excluded.block, updated_at = excluded.updated_at, credited_at = excluded.credited_at
     WHERE deposits.status = 'pending' AND deposits.user_id = excluded.user_id`,
  ).bind(newId("dep", now), d.chain, d.tx, userId, d.from, d.amount.toString(), d.block, now, now, now)));
  return results.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}

/** Each launch's D1 status and whether its token exists on chain (EVM: code at its address; Solana: its mint account). */
async function launchFacts(env: Env, registry: ChainConfig[], ids: string[], stuckBefore: number): Promise<LaunchFact[]> {
  if (!ids.length) return [];
  const rows: { id: string; chain: string; status: string; address: string }[] = [];
  // A launch still moving is the deployer's to settle: only final ones and those stuck past the sweep's window are looked up.
  for (let i = 0; i < ids.length; i += 500) {
    rows.push(...(await env.DB.prepare(`SELECT id, chain, status, address FROM launches WHERE id IN (SELECT value FROM json_each(?))
      AND (${statusIn(FINAL)} OR updated_at < ?)`)
      .bind(JSON.stringify(ids.slice(i, i + 500)), stuckBefore).all<{ id: string; chain: string; status: string; address: string }>()).results);
  }
  const facts = new Map<string, LaunchFact>(ids.map((id) => [id, { launchId: id, status: null, onChain: "unknown" }]));
  const byChain = new Map<string, typeof rows>();
  for (const r of rows) byChain.set(r.chain, [...(byChain.get(r.chain) ?? []), r]);
  for (const [chainId, list] of byChain) {
    const chain = registry.find((c) => c.id === chainId);
    for (const r of list) facts.set(r.id, { launchId: r.id, status: r.status, onChain: "unknown" });
    if (!chain) continue;
    const calls = list.map((r) => chain.family === "evm"
      ? { method: "eth_getCode", params: [r.address, "latest"] }
      : { method: "getAccountInfo", params: [r.address, { encoding: "base64", commitment: "confirmed" }] });
    const answers = await gatedRpc(env, chain, calls, "reconcile");
    list.forEach((r, i) => {
      const a = answers[i];
      if (!a || "error" in a) return; // unknown: decided on a later run
      const present = chain.family === "evm" ? typeof a.result === "string" && a.result !== "0x" : (a.result as { value: unknown } | null)?.value != null;
      facts.set(r.id, { launchId: r.id, status: r.status, onChain: present ? "deployed" : "absent" });
    });
  }
  return [...facts.values()];
}

function resultOf<T>(a: RpcAnswer | undefined): T {
  if (!a) throw new Error("no answer");
  if ("error" in a) throw new Error(a.error.message);
  return a.result as T;
}

const LAST_RUN_KEY = "credits:reconcile:last";

/** Runs the reconciliation when the last run (KV) is older than the interval; the cron fires every minute. */
export async function reconcileCreditsIfDue(env: Env & LedgerEnv, settings: ReconcileSettings & { intervalMs: number }, now = Date.now()) {
  const stored = await env.CACHE.get(LAST_RUN_KEY);
  // The first run only starts the interval: a Worker just deployed (or a platform just started) is busy
  // enough, and the reconciliation's chain reads share the RPC budget with quotes and launches.
  if (stored === null || now - Number(stored) < settings.intervalMs) {
    if (stored === null) await env.CACHE.put(LAST_RUN_KEY, String(now));
    return { ran: false as const };
  }
  await env.CACHE.put(LAST_RUN_KEY, String(now));
  const r = await reconcileCredits(env, settings, now);
  return { ran: true as const, users: r.users, corrections: r.corrections.length, recopied: r.recopied, findings: r.findings.length, errors: r.errors.length };
}
