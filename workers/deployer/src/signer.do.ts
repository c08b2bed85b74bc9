// Signer Durable Object: one per (chain, deployer account). It is the only place
// that hands out that account's nonces, so nonces never repeat or gap: each is
// assigned synchronously (no await between read and write) and persisted with
// its signed transaction before the transaction is sent. After a restart it
// resyncs from the chain and re-broadcasts what the node has not mined.
// Written by hand because no library keeps a nonce ledger in a Durable Object.
import { DurableObject } from "cloudflare:workers";
import { keccak256, parseGwei, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { log, type ChainConfig } from "@tokenforge/core";
import type { Env } from "./env";
import { evmClient, getChain } from "./chain-client";
import { classifyError, type Classified } from "./errors";
import { needsRebroadcast, nextNonceAfterResync, settledByChain, type InFlight } from "./nonce";

export type SendRequest = { launchId: string; to: Hex; data: Hex };
export type SendResult =
  | { launchId: string; ok: true; hash: Hex; nonce: number }
  | { launchId: string; ok: false; error: Classified };

const REBROADCAST_AFTER_MS = 5_000;
const ALARM_EVERY_MS = 2_000;
const DEFAULT_TIP = parseGwei("1");

export class Signer extends DurableObject<Env> {
  private sql: SqlStorage;
  private account: PrivateKeyAccount;
  private chain: ChainConfig | null = null;
  private nextNonce: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.account = privateKeyToAccount(env.DEPLOYER_PRIVATE_KEY as Hex);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS inflight (
      nonce INTEGER PRIMARY KEY, launch_id TEXT NOT NULL UNIQUE, hash TEXT NOT NULL,
      raw TEXT NOT NULL, max_fee TEXT NOT NULL, sent_at INTEGER NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
  }

  address() {
    return this.account.address;
  }

  /** Signs and sends one factory call per request; a launch already in flight gets its existing transaction. */
  async send(chainId: string, requests: SendRequest[]): Promise<SendResult[]> {
    await this.ready(chainId);
    const chain = this.chain!;
    const client = evmClient(chain);
    const results = new Map<string, SendResult>();

    const fresh: SendRequest[] = [];
    for (const r of requests) {
      const existing = this.inflightByLaunch(r.launchId);
      if (existing) results.set(r.launchId, { launchId: r.launchId, ok: true, hash: existing.hash as Hex, nonce: existing.nonce });
      else if (!fresh.some((f) => f.launchId === r.launchId)) fresh.push(r);
    }

    if (fresh.length) {
      const t0 = Date.now();
      // Estimate before taking a nonce: a call that would revert fails its launch
      // without leaving a hole in the nonce sequence.
      const [fees, gasList] = await Promise.all([
        this.fees(),
        Promise.all(
          fresh.map((r) =>
            client.estimateGas({ account: this.account.address, to: r.to, data: r.data }).then(
              (gas) => ({ gas }),
              (e: unknown) => ({ error: classifyError(e) }),
            ),
          ),
        ),
      ]);
      const toSign: { req: SendRequest; gas: bigint; nonce: number }[] = [];
      fresh.forEach((req, i) => {
        const g = gasList[i]!;
        if ("error" in g) {
          results.set(req.launchId, { launchId: req.launchId, ok: false, error: g.error });
          return;
        }
        // Synchronous from here to the INSERTs: no other call can interleave.
        const existing = this.inflightByLaunch(req.launchId);
        if (existing) {
          results.set(req.launchId, { launchId: req.launchId, ok: true, hash: existing.hash as Hex, nonce: existing.nonce });
          return;
        }
        toSign.push({ req, gas: (g.gas * 12n) / 10n, nonce: this.takeNonce() });
      });
      const signed = await Promise.all(
        toSign.map(async (t) => {
          const raw = await this.account.signTransaction({
            chainId: chain.chainId!, type: "eip1559", nonce: t.nonce, to: t.req.to, data: t.req.data, gas: t.gas,
            maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
          });
          return { ...t, raw };
        }),
      );
      const now = Date.now();
      for (const s of signed) {
        const hash = keccak256(s.raw);
        this.sql.exec(
          "INSERT INTO inflight (nonce, launch_id, hash, raw, max_fee, sent_at) VALUES (?, ?, ?, ?, ?, ?)",
          s.nonce, s.req.launchId, hash, s.raw, fees.maxFeePerGas.toString(), now,
        );
        results.set(s.req.launchId, { launchId: s.req.launchId, ok: true, hash, nonce: s.nonce });
      }
      const tSigned = Date.now();
      await this.broadcast(signed.map((s) => ({ nonce: s.nonce, launchId: s.req.launchId, raw: s.raw as Hex })));
      log("info", "signer.sent", { chain: chain.id, count: signed.length, estimateAndSignMs: tSigned - t0, broadcastMs: Date.now() - tSigned });
      await this.ctx.storage.setAlarm(Date.now() + ALARM_EVERY_MS);
    }
    return requests.map((r) => results.get(r.launchId)!);
  }

  /** The launch's transaction is final (confirmed or failed): forget it. */
  async settle(launchIds: string[]) {
    for (const id of launchIds) this.sql.exec("DELETE FROM inflight WHERE launch_id = ?", id);
  }

  async inflightCount() {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM inflight").one().n;
  }

  /** Housekeeping while transactions are in flight: drop settled ones, re-broadcast what the node lost. */
  async alarm() {
    if (!this.chain) {
      const chainId = this.meta("chain");
      if (!chainId) return;
      await this.ready(chainId);
    }
    const client = evmClient(this.chain!);
    const latest = await client.getTransactionCount({ address: this.account.address, blockTag: "latest" });
    const all = this.allInflight();
    for (const t of settledByChain(latest, all)) this.sql.exec("DELETE FROM inflight WHERE nonce = ?", t.nonce);
    const lost = needsRebroadcast(latest, this.allInflight(), Date.now(), REBROADCAST_AFTER_MS);
    if (lost.length) await this.broadcast(lost.map((t) => ({ nonce: t.nonce, launchId: t.launchId, raw: t.raw as Hex })));
    if (this.allInflight().length) await this.ctx.storage.setAlarm(Date.now() + ALARM_EVERY_MS);
  }

  private async broadcast(txs: { nonce: number; launchId: string; raw: Hex }[]) {
    const client = evmClient(this.chain!);
    await Promise.all(
      txs.map(async (t) => {
        try {
          await client.request({ method: "eth_sendRawTransaction", params: [t.raw] });
          this.sql.exec("UPDATE inflight SET sent_at = ? WHERE nonce = ?", Date.now(), t.nonce);
        } catch (e) {
          const c = classifyError(e);
          if (c.kind === "already-known") return;
          if (c.kind === "nonce-too-low") {
            // Mined already (ours) or taken by another sender: the alarm's
            // settle pass and the confirmation stage sort out which.
            log("warn", "signer.nonce_too_low", { launchId: t.launchId, chain: this.chain!.id, nonce: t.nonce });
            return;
          }
          // Kept in flight: the alarm re-broadcasts it; nothing is re-signed.
          log("warn", "signer.broadcast_failed", { launchId: t.launchId, chain: this.chain!.id, nonce: t.nonce, kind: c.kind, error: c.message });
        }
      }),
    );
  }

  private async ready(chainId: string) {
    if (this.chain && this.nextNonce !== null) return;
    await this.ctx.blockConcurrencyWhile(async () => {
      if (this.chain && this.nextNonce !== null) return;
      const chain = getChain(this.env, chainId);
      const client = evmClient(chain);
      const [pending, latest] = await Promise.all([
        client.getTransactionCount({ address: this.account.address, blockTag: "pending" }),
        client.getTransactionCount({ address: this.account.address, blockTag: "latest" }),
      ]);
      this.chain = chain;
      this.setMeta("chain", chainId);
      for (const t of settledByChain(latest, this.allInflight())) this.sql.exec("DELETE FROM inflight WHERE nonce = ?", t.nonce);
      this.nextNonce = nextNonceAfterResync(pending, this.allInflight());
      log("info", "signer.resynced", { chain: chainId, account: this.account.address, pending, latest, next: this.nextNonce, inflight: this.allInflight().length });
      if (this.allInflight().length) await this.ctx.storage.setAlarm(Date.now() + 100);
    });
  }

  private takeNonce(): number {
    const n = this.nextNonce!;
    this.nextNonce = n + 1;
    return n;
  }

  private feeCache: { at: number; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | null = null;
  private async fees() {
    if (this.feeCache && Date.now() - this.feeCache.at < 1_000) return this.feeCache;
    const block = await evmClient(this.chain!).getBlock({ blockTag: "latest" });
    const base = block.baseFeePerGas ?? 0n;
    // 2× base fee survives six full blocks of +12.5% (EIP-1559) before it is too low.
    this.feeCache = { at: Date.now(), maxFeePerGas: base * 2n + DEFAULT_TIP, maxPriorityFeePerGas: DEFAULT_TIP };
    return this.feeCache;
  }

  private inflightByLaunch(launchId: string): InFlight | undefined {
    return this.sql
      .exec<Record<string, SqlStorageValue>>("SELECT * FROM inflight WHERE launch_id = ?", launchId)
      .toArray()
      .map(toInFlight)[0];
  }

  private allInflight(): InFlight[] {
    return this.sql.exec<Record<string, SqlStorageValue>>("SELECT * FROM inflight ORDER BY nonce").toArray().map(toInFlight);
  }

  private meta(k: string): string | null {
    const rows = this.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = ?", k).toArray();
    return rows[0]?.v ?? null;
  }

  private setMeta(k: string, v: string) {
    this.sql.exec("INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v", k, v);
  }
}

function toInFlight(r: Record<string, SqlStorageValue>): InFlight {
  return {
    nonce: Number(r.nonce), launchId: String(r.launch_id), hash: String(r.hash), raw: String(r.raw),
    maxFee: String(r.max_fee), sentAt: Number(r.sent_at),
  };
}

/** The Signer instance for a chain's deployer account. */
export function signerFor(env: Env, chainId: string, account: string) {
  return env.SIGNER.get(env.SIGNER.idFromName(`${chainId}:${account.toLowerCase()}`));
}
