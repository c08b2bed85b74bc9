// Token analytics (issue 20): holders, transfers, supply and the top holders'
// share, rolled up in D1 token_stats (the lists read it in their one query).
// EVM: Transfer logs of all the chain's tokens at once over block ranges
// (eth_getLogs with an address list), from a stored cursor; logs are keyed by
// block hash + log index, and each run first checks the recent blocks it holds
// logs of against the chain: an orphaned block's logs are taken back out of the
// balances and deleted, and the cursor steps back, so a reorg never counts a
// transfer twice. Solana: getProgramAccounts on the token programs with a memcmp
// on the mint (no dataSize filter: Token-2022 accounts vary in size) for holders
// and supply; transfers from the finalized history of those token accounts
// (getSignaturesForAddress from a cursor per account, getTransaction), counted
// once per (mint, signature). Every RPC call goes through the chain's ChainGate.
import { chainRegistry, log, type ChainConfig } from "@tokenforge/core";
import { base58Encode } from "@tokenforge/core/auth/base58";
import { gatedRpc } from "@tokenforge/gate/gated-fetch";
import type { RpcAnswer } from "@tokenforge/gate/json-rpc";
import { cronConfig, type AnalyticsConfig } from "../config";
import type { Env } from "../env";
import { deltasOf, holderKey, mergeDeltas, padAmount, topShare, unpadAmount, type Deltas, type Transfer } from "../analytics/balances";
import { countedKey, countTransfers, planSignatures, TOKEN_2022_PROGRAM, TOKEN_PROGRAM, type AccountSignatures, type JsonTransaction, type SignatureInfo } from "../analytics/solana-transfers";

/** keccak256("Transfer(address,address,uint256)"). */
export const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
/** D1 allows 100 bound parameters a statement. */
const PAIRS_PER_QUERY = 45;
const ADDRESSES_PER_GETLOGS = 500;
const TOP_HOLDERS = 10;

export type AnalyticsRun = Record<string, { from?: number; to?: number; logs?: number; orphaned?: number; mints?: number; accounts?: number; transactions?: number; error?: string }>;

export async function indexAnalytics(env: Env, now = Date.now()): Promise<AnalyticsRun> {
  const cfg = cronConfig(env).analytics;
  const out: AnalyticsRun = {};
  await Promise.all(chainRegistry(env).map(async (chain) => {
    try {
      out[chain.id] = chain.family === "evm" ? await indexEvm(env, chain, cfg, now) : await indexSolana(env, chain, cfg, now);
    } catch (e) {
      log("warn", "analytics.failed", { chain: chain.id, error: e, outcome: "retry-next-run" });
      out[chain.id] = { error: e instanceof Error ? e.message : String(e) };
    }
  }));
  return out;
}

const rpc = async <T>(env: Env, chain: ChainConfig, calls: { method: string; params: unknown[] }[]): Promise<T[]> => {
  const answers = await gatedRpc<T>(env, chain, calls, "analytics");
  return answers.map((a: RpcAnswer<T> | undefined, i) => {
    if (!a || !("result" in a)) throw new Error(`${calls[i]!.method}: ${a ? a.error.message : "no answer"}`);
    return a.result;
  });
};
const hex = (n: number) => "0x" + n.toString(16);

type Log = { address: string; topics: string[]; data: string; blockHash: string; blockNumber: string; logIndex: string; removed?: boolean };
type Stored = Transfer & { blockHash: string; logIndex: number; blockNumber: number };

async function indexEvm(env: Env, chain: ChainConfig, cfg: AnalyticsConfig, now: number) {
  const db = env.DB;
  const { results: tokenRows } = await db.prepare("SELECT address FROM tokens WHERE chain = ?").bind(chain.id).all<{ address: string }>();
  if (!tokenRows.length) return {};
  const canonical = new Map(tokenRows.map((t) => [t.address.toLowerCase(), t.address]));
  const cursor = await db.prepare("SELECT block_number AS n, block_hash AS h FROM index_cursors WHERE chain = ?").bind(chain.id).first<{ n: number; h: string }>();
  const [headHex] = await rpc<string>(env, chain, [{ method: "eth_blockNumber", params: [] }]);
  const head = Number(headHex);

  // 1. Reorg: blocks we hold logs of near the tip, and the cursor's block, checked against the chain.
  const { last, orphanedHashes, orphaned } = cursor ? await findOrphans(env, chain, cfg, cursor) : { last: await firstBlock(db, chain.id) - 1, orphanedHashes: [], orphaned: [] };

  // 2. The next range, for all the chain's tokens at once (address lists of up to 500 per call).
  const from = last + 1;
  const to = Math.min(head, from + cfg.maxBlocks - 1);
  if (from > to && !orphaned.length) return { from, to: last, logs: 0, orphaned: 0 };
  const addresses = [...canonical.keys()];
  const calls: { method: string; params: unknown[] }[] = [];
  if (from <= to) {
    for (let i = 0; i < addresses.length; i += ADDRESSES_PER_GETLOGS) {
      calls.push({ method: "eth_getLogs", params: [{ fromBlock: hex(from), toBlock: hex(to), address: addresses.slice(i, i + ADDRESSES_PER_GETLOGS), topics: [TRANSFER_TOPIC] }] });
    }
    calls.push({ method: "eth_getBlockByNumber", params: [hex(to), false] });
  }
  const answers = calls.length ? await rpc<unknown>(env, chain, calls) : [];
  const toBlock = (answers.pop() as { hash: string } | null | undefined) ?? null;
  const raw = (answers as Log[][]).flat().filter((l) => !l.removed && l.topics.length === 3 && l.topics[0] === TRANSFER_TOPIC);
  const known = new Set<string>();
  if (from <= to) {
    const { results } = await db.prepare("SELECT block_hash AS h, log_index AS i FROM transfer_logs WHERE chain = ? AND block_number BETWEEN ? AND ?")
      .bind(chain.id, from, to).all<{ h: string; i: number }>();
    for (const r of results) if (!orphanedHashes.includes(r.h)) known.add(`${r.h}|${r.i}`);
  }
  const fresh: Stored[] = [];
  for (const l of raw) {
    const token = canonical.get(l.address.toLowerCase());
    if (!token || known.has(`${l.blockHash}|${Number(l.logIndex)}`)) continue;
    known.add(`${l.blockHash}|${Number(l.logIndex)}`);
    fresh.push({ token, from: topicAddress(l.topics[1]!), to: topicAddress(l.topics[2]!), value: BigInt(l.data === "0x" ? 0 : l.data),
      blockHash: l.blockHash, logIndex: Number(l.logIndex), blockNumber: Number(l.blockNumber) });
  }

  // 3. One atomic batch: orphaned logs out, new logs in, balances and supply moved, the cursor advanced.
  const deltas = mergeDeltas(deltasOf(orphaned, -1n), deltasOf(fresh));
  const stmts = await balanceWrites(db, chain.id, deltas, now);
  if (orphanedHashes.length) {
    stmts.push(db.prepare(`DELETE FROM transfer_logs WHERE chain = ? AND block_hash IN (${orphanedHashes.map(() => "?").join(",")})`).bind(chain.id, ...orphanedHashes));
  }
  for (const l of fresh) {
    stmts.push(db.prepare("INSERT OR IGNORE INTO transfer_logs (chain, block_hash, log_index, block_number, token, from_address, to_address, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(chain.id, l.blockHash, l.logIndex, l.blockNumber, l.token, l.from, l.to, l.value.toString()));
  }
  const cursorTo = from <= to && toBlock ? { n: to, h: toBlock.hash } : null;
  if (cursorTo) {
    stmts.push(db.prepare("INSERT INTO index_cursors (chain, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (chain) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash, updated_at = excluded.updated_at")
      .bind(chain.id, cursorTo.n, cursorTo.h, now));
  }
  if (stmts.length) await db.batch(stmts);

  // 4. Roll-up of the tokens that moved.
  const touched = new Set([...deltas.supply.keys(), ...[...deltas.balances.keys()].map((k) => k.split("|")[0]!)]);
  await rollUpEvm(db, chain.id, [...touched], now);
  return { from, to: cursorTo?.n ?? last, logs: fresh.length, orphaned: orphaned.length };
}

/** Blocks near the tip whose hash changed (their logs, to take back), and where to index from again. */
async function findOrphans(env: Env, chain: ChainConfig, cfg: AnalyticsConfig, cursor: { n: number; h: string }) {
  const db = env.DB;
  let last = cursor.n;
  const orphanedHashes: string[] = [];
  const { results: held } = await db.prepare("SELECT DISTINCT block_number AS n, block_hash AS h FROM transfer_logs WHERE chain = ? AND block_number > ?")
    .bind(chain.id, cursor.n - cfg.reorgDepth).all<{ n: number; h: string }>();
  const numbers = [...new Set([...held.map((b) => b.n), cursor.n])];
  const blocks = await rpc<{ hash: string } | null>(env, chain, numbers.map((n) => ({ method: "eth_getBlockByNumber", params: [hex(n), false] })));
  const hashAt = new Map(numbers.map((n, i) => [n, blocks[i]?.hash ?? null]));
  let rewind = Infinity;
  for (const b of held) if (hashAt.get(b.n) !== b.h) orphanedHashes.push(b.h), (rewind = Math.min(rewind, b.n - 1));
  // The cursor's own block changed: the fork may be below any block we hold logs of.
  if (hashAt.get(cursor.n) !== cursor.h) rewind = Math.min(rewind, cursor.n - cfg.reorgDepth);
  if (rewind !== Infinity) last = Math.max(-1, rewind);
  let orphaned: Stored[] = [];
  if (orphanedHashes.length) {
    const { results } = await db.prepare(`SELECT token, from_address AS "from", to_address AS "to", value, block_hash AS blockHash, log_index AS logIndex, block_number AS blockNumber
      FROM transfer_logs WHERE chain = ? AND block_hash IN (${orphanedHashes.map(() => "?").join(",")})`).bind(chain.id, ...orphanedHashes).all<Omit<Stored, "value"> & { value: string }>();
    orphaned = results.map((r) => ({ ...r, value: BigInt(r.value) }));
  }
  return { last, orphanedHashes, orphaned };
}

const topicAddress = (topic: string) => "0x" + topic.slice(-40).toLowerCase();

/** Where a chain's index starts: the first block a token of ours was created in (0 when unknown). */
async function firstBlock(db: D1Database, chain: string): Promise<number> {
  const r = await db.prepare("SELECT MIN(block_number) AS n FROM launches WHERE chain = ? AND block_number IS NOT NULL").bind(chain).first<{ n: number | null }>();
  return r?.n ?? 0;
}

/** The writes that move balances and supply by `d`: read the current values (chunked), add, upsert or delete at zero. */
async function balanceWrites(db: D1Database, chain: string, d: Deltas, now: number): Promise<D1PreparedStatement[]> {
  const stmts: D1PreparedStatement[] = [];
  const keys = [...d.balances.keys()].filter((k) => d.balances.get(k) !== 0n);
  const current = new Map<string, bigint>();
  for (let i = 0; i < keys.length; i += PAIRS_PER_QUERY) {
    const chunk = keys.slice(i, i + PAIRS_PER_QUERY).map((k) => k.split("|") as [string, string]);
    const { results } = await db.prepare(`SELECT token, holder, balance FROM token_balances WHERE chain = ? AND (token, holder) IN (VALUES ${chunk.map(() => "(?, ?)").join(", ")})`)
      .bind(chain, ...chunk.flat()).all<{ token: string; holder: string; balance: string }>();
    for (const r of results) current.set(holderKey(r.token, r.holder), unpadAmount(r.balance));
  }
  for (const k of keys) {
    const [token, holder] = k.split("|") as [string, string];
    const next = (current.get(k) ?? 0n) + d.balances.get(k)!;
    stmts.push(next > 0n
      ? db.prepare("INSERT INTO token_balances (chain, token, holder, balance) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET balance = excluded.balance").bind(chain, token, holder, padAmount(next))
      : db.prepare("DELETE FROM token_balances WHERE chain = ? AND token = ? AND holder = ?").bind(chain, token, holder));
  }
  const supplyTokens = [...d.supply.keys()];
  const supplies = new Map<string, bigint>();
  for (let i = 0; i < supplyTokens.length; i += 90) {
    const chunk = supplyTokens.slice(i, i + 90);
    const { results } = await db.prepare(`SELECT address, supply FROM token_stats WHERE chain = ? AND address IN (${chunk.map(() => "?").join(",")})`).bind(chain, ...chunk).all<{ address: string; supply: string }>();
    for (const r of results) supplies.set(r.address, BigInt(r.supply));
  }
  for (const t of supplyTokens) {
    const next = (supplies.get(t) ?? 0n) + d.supply.get(t)!;
    stmts.push(db.prepare(`INSERT INTO token_stats (chain, address, holders, transfers, top_holders_share, supply, updated_at) VALUES (?, ?, 0, 0, NULL, ?, ?)
      ON CONFLICT DO UPDATE SET supply = excluded.supply, updated_at = excluded.updated_at`).bind(chain, t, next.toString(), now));
  }
  return stmts;
}

/** holders (balance > 0), Transfer count and top-10 share of the given tokens, in three grouped queries per chunk. */
async function rollUpEvm(db: D1Database, chain: string, tokens: string[], now: number) {
  for (let i = 0; i < tokens.length; i += 90) {
    const chunk = tokens.slice(i, i + 90);
    const inList = chunk.map(() => "?").join(",");
    const [holders, transfers, top, stats] = await db.batch([
      db.prepare(`SELECT token, COUNT(*) AS n FROM token_balances WHERE chain = ? AND token IN (${inList}) GROUP BY token`).bind(chain, ...chunk),
      db.prepare(`SELECT token, COUNT(*) AS n FROM transfer_logs WHERE chain = ? AND token IN (${inList}) GROUP BY token`).bind(chain, ...chunk),
      db.prepare(`SELECT token, balance FROM (SELECT token, balance, ROW_NUMBER() OVER (PARTITION BY token ORDER BY balance DESC) AS rn
        FROM token_balances WHERE chain = ? AND token IN (${inList})) WHERE rn <= ${TOP_HOLDERS}`).bind(chain, ...chunk),
      db.prepare(`SELECT address, supply FROM token_stats WHERE chain = ? AND address IN (${inList})`).bind(chain, ...chunk),
    ]);
    const count = (r: D1Result) => new Map((r.results as { token: string; n: number }[]).map((x) => [x.token, x.n]));
    const h = count(holders!), t = count(transfers!);
    const tops = new Map<string, bigint[]>();
    for (const r of top!.results as { token: string; balance: string }[]) tops.set(r.token, [...(tops.get(r.token) ?? []), unpadAmount(r.balance)]);
    const supply = new Map((stats!.results as { address: string; supply: string }[]).map((r) => [r.address, BigInt(r.supply)]));
    await db.batch(chunk.map((token) => db.prepare(`INSERT INTO token_stats (chain, address, holders, transfers, top_holders_share, supply, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET holders = excluded.holders, transfers = excluded.transfers, top_holders_share = excluded.top_holders_share, updated_at = excluded.updated_at`)
      .bind(chain, token, h.get(token) ?? 0, t.get(token) ?? 0, topShare(tops.get(token) ?? [], supply.get(token) ?? 0n), (supply.get(token) ?? 0n).toString(), now)));
  }
}

type ProgramAccount = { pubkey: string; account: { data: [string, string] } };
type TokenAccount = { account: string; mint: string; owner: string; amount: bigint };

/**
 * Solana: each run, the mints least recently counted. Holders, supply and top
 * share from one getProgramAccounts per token program per mint; transfers from
 * the history of the token accounts that scan found (solanaTransfers below).
 */
async function indexSolana(env: Env, chain: ChainConfig, cfg: AnalyticsConfig, now: number) {
  const db = env.DB;
  const { results: mints } = await db.prepare(`SELECT t.address AS mint FROM tokens t LEFT JOIN token_stats s ON s.chain = t.chain AND s.address = t.address
    WHERE t.chain = ? ORDER BY COALESCE(s.updated_at, 0) LIMIT ?`).bind(chain.id, cfg.solanaMintsPerRun).all<{ mint: string }>();
  if (!mints.length) return { mints: 0 };
  // Token accounts: mint at offset 0, owner at 32, amount (u64 LE) at 64; only owner + amount are fetched.
  const params = (program: string, mint: string) => [program, { encoding: "base64", commitment: "confirmed", dataSlice: { offset: 32, length: 40 }, filters: [{ memcmp: { offset: 0, bytes: mint } }] }];
  const calls = mints.flatMap((m) => [TOKEN_2022_PROGRAM, TOKEN_PROGRAM].map((p) => ({ method: "getProgramAccounts", params: params(p, m.mint) })));
  const answers = await rpc<ProgramAccount[]>(env, chain, calls);
  const accounts: TokenAccount[] = mints.flatMap((m, i) => [...answers[2 * i]!, ...answers[2 * i + 1]!].flatMap((a) => {
    const data = Uint8Array.from(atob(a.account.data[0]), (c) => c.charCodeAt(0));
    if (data.length < 40) return [];
    return [{ account: a.pubkey, mint: m.mint, owner: base58Encode(data.subarray(0, 32)), amount: new DataView(data.buffer, data.byteOffset + 32, 8).getBigUint64(0, true) }];
  }));
  const transfers = await solanaTransfers(env, chain, cfg, mints.map((m) => m.mint), accounts, now);
  const stmts = mints.map((m) => {
    const byOwner = new Map<string, bigint>();
    for (const a of accounts) if (a.mint === m.mint) byOwner.set(a.owner, (byOwner.get(a.owner) ?? 0n) + a.amount);
    const balances = [...byOwner.values()].filter((v) => v > 0n).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    const supply = balances.reduce((a, b) => a + b, 0n);
    // Transfers: all the mint's counted transactions, written in the same batch just before.
    return db.prepare(`INSERT INTO token_stats (chain, address, holders, transfers, top_holders_share, supply, updated_at)
      VALUES (?1, ?2, ?3, (SELECT COALESCE(SUM(transfers), 0) FROM solana_transfers WHERE chain = ?1 AND mint = ?2), ?4, ?5, ?6)
      ON CONFLICT DO UPDATE SET holders = excluded.holders, transfers = excluded.transfers, top_holders_share = excluded.top_holders_share, supply = excluded.supply, updated_at = excluded.updated_at`)
      .bind(chain.id, m.mint, balances.length, topShare(balances.slice(0, TOP_HOLDERS), supply), supply.toString(), now);
  });
  // One atomic batch: counted transactions in, cursors moved, the roll-up — a failed run moves nothing.
  await db.batch([...transfers.stmts, ...stmts]);
  return { mints: mints.length, accounts: transfers.accounts, transactions: transfers.transactions };
}

/** Pages of one account's new signatures listed in one run; past that, the oldest are skipped (logged). */
const MAX_SIGNATURE_PAGES = 5;

/**
 * Solana transfers, counted once: the token accounts least recently read list
 * their finalized signatures since their cursor (getSignaturesForAddress
 * `until`); transactions not yet counted for the mint are read (getTransaction)
 * and their Transfer / TransferChecked instructions of each mint of this run
 * counted into solana_transfers, keyed by (mint, signature). Finalized only: a
 * counted transaction can never leave the chain, so nothing needs taking back.
 * Returns the writes for the caller's batch.
 */
async function solanaTransfers(env: Env, chain: ChainConfig, cfg: AnalyticsConfig, mints: string[], accounts: TokenAccount[], now: number) {
  const db = env.DB;
  const cursors = new Map<string, { until: string | null; scannedAt: number }>();
  for (let i = 0; i < mints.length; i += 90) {
    const chunk = mints.slice(i, i + 90);
    const { results } = await db.prepare(`SELECT account, until_signature AS "until", scanned_at AS scannedAt FROM solana_account_cursors WHERE chain = ? AND mint IN (${chunk.map(() => "?").join(",")})`)
      .bind(chain.id, ...chunk).all<{ account: string; until: string | null; scannedAt: number }>();
    for (const r of results) cursors.set(r.account, r);
  }
  const picked = [...accounts].sort((a, b) => (cursors.get(a.account)?.scannedAt ?? 0) - (cursors.get(b.account)?.scannedAt ?? 0)).slice(0, cfg.solanaAccountsPerRun);
  const listed = await listSignatures(env, chain, picked.map((a) => ({ ...a, until: cursors.get(a.account)?.until ?? null })), cfg.solanaSignaturePage);
  const counted = await countedAlready(db, chain.id, [...new Set(listed.flatMap((l) => l.newestFirst.map((s) => s.signature)))]);
  const plan = planSignatures(listed, counted, cfg.solanaTxPerRun);
  const sigs = [...plan.reads.keys()];
  const txs = sigs.length ? await rpc<JsonTransaction | null>(env, chain, sigs.map((s) => ({ method: "getTransaction", params: [s, { encoding: "json", commitment: "finalized", maxSupportedTransactionVersion: 0 }] }))) : [];
  const stmts: D1PreparedStatement[] = [];
  txs.forEach((tx, i) => {
    // Listed as finalized, so it is there: a null is the node's fault; fail the run rather than skip it for good.
    if (!tx) throw new Error(`getTransaction ${sigs[i]}: null for a finalized signature`);
    for (const mint of mints) {
      const n = countTransfers(tx, mint);
      if (n > 0) stmts.push(db.prepare("INSERT OR IGNORE INTO solana_transfers (chain, mint, signature, slot, transfers) VALUES (?, ?, ?, ?, ?)").bind(chain.id, mint, sigs[i]!, tx.slot, n));
    }
  });
  for (const a of picked) {
    stmts.push(db.prepare(`INSERT INTO solana_account_cursors (chain, account, mint, until_signature, scanned_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (chain, account) DO UPDATE SET until_signature = excluded.until_signature, scanned_at = excluded.scanned_at`)
      .bind(chain.id, a.account, a.mint, plan.cursors.get(a.account) ?? cursors.get(a.account)?.until ?? null, now));
  }
  return { stmts, accounts: picked.length, transactions: sigs.length };
}

/** Each account's finalized signatures newer than its cursor, newest first, page by page (`before`) down to the cursor. */
async function listSignatures(env: Env, chain: ChainConfig, accounts: (TokenAccount & { until: string | null })[], pageSize: number): Promise<AccountSignatures[]> {
  const out = accounts.map((a) => ({ account: a.account, mint: a.mint, until: a.until, newestFirst: [] as SignatureInfo[], more: true }));
  for (let page = 0; page < MAX_SIGNATURE_PAGES; page++) {
    const open = out.filter((a) => a.more);
    if (!open.length) break;
    const pages = await rpc<SignatureInfo[]>(env, chain, open.map((a) => ({ method: "getSignaturesForAddress",
      params: [a.account, { commitment: "finalized", limit: pageSize, ...(a.until ? { until: a.until } : {}), ...(a.newestFirst.length ? { before: a.newestFirst.at(-1)!.signature } : {}) }] })));
    open.forEach((a, i) => (a.newestFirst.push(...pages[i]!), (a.more = pages[i]!.length === pageSize)));
  }
  for (const a of out) if (a.more) log("warn", "analytics.solana_backlog", { chain: chain.id, account: a.account, listed: a.newestFirst.length, outcome: "older-signatures-skipped" });
  return out;
}

/** Which of these signatures are already counted, as countedKey(mint, signature). */
async function countedAlready(db: D1Database, chain: string, signatures: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (!signatures.length) return out;
  // Chunks of 90 (D1's 100 bound parameters a statement), in one round trip.
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < signatures.length; i += 90) {
    const chunk = signatures.slice(i, i + 90);
    stmts.push(db.prepare(`SELECT mint, signature FROM solana_transfers WHERE chain = ? AND signature IN (${chunk.map(() => "?").join(",")})`).bind(chain, ...chunk));
  }
  for (const r of await db.batch<{ mint: string; signature: string }>(stmts)) for (const row of r.results) out.add(countedKey(row.mint, row.signature));
  return out;
}
