// Signer Durable Object: one per (chain, deployer account). It is the only place
// that hands out that account's nonces, so nonces never repeat or gap: each is
// assigned synchronously (no await between reading and bumping the counter) and
// stored with its signed transaction before the transaction is sent. After a
// restart it resyncs from the chain and re-broadcasts what the node has not
// mined; its alarm re-sends lost transactions, replaces ones stuck under the
// base fee, and fills a hole with a zero-value self-transfer when the launch
// behind it is already done. Hand-written because it is a state machine that
// must live next to its storage; the decisions are pure functions in nonce.ts.
import { DurableObject } from "cloudflare:workers";
import { keccak256, TransactionReceiptNotFoundError, type Address, type Hex } from "viem";
import type { TransactionSigner } from "@tokenforge/core/crypto/signer";
import { deployerSigner } from "./deployer-key";
import { log, withTrace, type ChainConfig } from "@tokenforge/core";
import { signerName, type SignerInflight } from "@tokenforge/core/signer-rpc";
import type { Env } from "./env";
import { deployerConfig } from "./config";
import { evmClient, getChain } from "./chain-client";
import { classifyError, type Classified } from "./errors";
import { findHoles, initialFees, nextNonceAfterResync, planMaintenance, settleByReceipt, signing, type Fees, type InFlight, type SignerConfig } from "./nonce";

/**
 * `resend`: the cron reconciliation found the launch's transaction unknown to the
 * chain (dropped from the mempool, lost in a crash): an in-flight one is sent
 * again now, same signed bytes, instead of waiting for the alarm's re-broadcast.
 */
export type SendRequest = {
  launchId: string; to: Hex; data: Hex; tokenAddress: string; resend?: boolean;
  /** The request that created the launch: this object's log lines about it carry it (core's trace.ts). */
  requestId?: string | null;
  /** The launch's token vanished in a reorg: its settled record names a transaction the chain no longer has. */
  reorged?: boolean;
};
export type SendResult =
  | { launchId: string; ok: true; hash: Hex; nonce: number }
  | { launchId: string; ok: false; error: Classified };

const ALARM_EVERY_MS = 1_000;
const SETTLED_KEEP_MS = 24 * 3600_000;
const BALANCE_CACHE_MS = 2_000;

export class Signer extends DurableObject<Env> {
  private sql: SqlStorage;
  private txSigner: TransactionSigner | null = null;
  /** The deployer account; set by ready() once the key is opened. */
  private address: Hex = "0x";
  private cfg: SignerConfig;
  private chain: ChainConfig | null = null;
  private nextNonce: number | null = null;
  private feeCache: { at: number; baseFee: bigint } | null = null;
  private balanceCache: { at: number; wei: bigint } | null = null;
  /** The broadcasts of signed batches, chained so that they reach the node in nonce order. */
  private broadcasting: Promise<void> = Promise.resolve();
  /** Launches whose nonce is reserved and whose transaction is being signed (a row with no bytes yet). */
  private signingNow = new Map<string, Promise<unknown>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.cfg = deployerConfig(env).signer;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS inflight (
      nonce INTEGER PRIMARY KEY, launch_id TEXT NOT NULL UNIQUE, token_address TEXT NOT NULL,
      to_address TEXT NOT NULL, data TEXT NOT NULL, gas TEXT NOT NULL, hash TEXT NOT NULL, raw TEXT NOT NULL,
      max_fee TEXT NOT NULL, tip TEXT NOT NULL, first_sent_at INTEGER NOT NULL, sent_at INTEGER NOT NULL,
      replacements INTEGER NOT NULL DEFAULT 0)`);
    // Launches whose transaction the chain mined: a late redelivery gets the same hash, never a new nonce.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS settled (launch_id TEXT PRIMARY KEY, hash TEXT NOT NULL, nonce INTEGER NOT NULL, at INTEGER NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
  }

  /** Signs and sends one transaction per request; a launch already in flight or settled gets its existing one. */
  async send(chainId: string, requests: SendRequest[]): Promise<SendResult[]> {
    // A Durable Object call is a hop of its own: the launches' request ids come along in the requests.
    for (const r of requests) if (r.requestId) this.requestIds.set(r.launchId, r.requestId);
    return withTrace({ launches: this.requestIds }, () => this.sendNow(chainId, requests));
  }

  /**
   * Launch id → the request that created it, for the launches in flight here, so
   * the alarm's lines (re-broadcast, settle) carry it too. Memory only: after an
   * eviction, lines about older in-flight launches have the launch id alone.
   */
  private requestIds = new Map<string, string>();

  private async sendNow(chainId: string, requests: SendRequest[]): Promise<SendResult[]> {
    await this.ready(chainId);
    const chain = this.chain!;
    for (const r of requests) {
      // A settled record whose transaction the chain no longer knows (a reorg took it; reconcile found it
      // unknown) must not answer for the launch: it is sent again under a fresh nonce.
      if ((r.reorged || r.resend) && !this.inflightWhere("launch_id = ?", r.launchId).length) this.sql.exec("DELETE FROM settled WHERE launch_id = ?", r.launchId);
    }
    // Another call is signing one of these launches: its answer is the one this call gives too.
    const busy = requests.map((r) => this.signingNow.get(r.launchId)).filter((p) => p !== undefined);
    if (busy.length) await Promise.allSettled(busy);
    const results = new Map<string, SendResult>();
    const known = (launchId: string) => this.answerKnown(results, launchId);
    const fresh: SendRequest[] = [];
    for (const r of requests) if (!known(r.launchId) && !fresh.some((f) => f.launchId === r.launchId)) fresh.push(r);
    const handedBack = requests.filter((r) => r.resend).flatMap((r) => this.inflightWhere("launch_id = ?", r.launchId));
    if (handedBack.length) {
      log("warn", "signer.resend", { chain: chain.id, count: handedBack.length, launchIds: handedBack.map((t) => t.launchId).slice(0, 20), nonces: handedBack.map((t) => t.nonce).slice(0, 20), outcome: "rebroadcast" });
      for (const id of await this.broadcast(handedBack)) results.set(id, nonceTaken(id));
      await this.ensureAlarm();
    }
    if (!fresh.length) return requests.map((r) => results.get(r.launchId)!);

    const client = evmClient(chain, { launchIds: fresh.map((r) => r.launchId), hop: "sign" });
    const t0 = Date.now();
    const [baseFee, cachedBalance] = await Promise.all([this.baseFee(), this.balance()]);
    const fees = initialFees(baseFee, this.cfg);
    const floorGas = this.gasByShape.size ? withGasMargin([...this.gasByShape.values()].reduce((a, b) => (a < b ? a : b))) : 21_000n;
    // Short by the cached figure: read it again (the account may have just been funded) before making launches wait.
    const balance = cachedBalance < BigInt(fresh.length) * floorGas * fees.maxFeePerGas ? await this.balance(true) : cachedBalance;
    // Funds first: while the account is short, launches wait without a simulation
    // each (the sweep brings every waiting launch back each run).
    const short = (needed: bigint) => {
      if (balance >= needed) return false;
      log("error", "signer.low_balance", { chain: chain.id, account: this.address, balanceWei: balance, neededWei: needed, outcome: "waiting" });
      const error: Classified = { kind: "insufficient-funds", permanent: false, message: `deployer balance ${balance} wei is below the ${needed} wei this batch needs` };
      for (const r of fresh) results.set(r.launchId, { launchId: r.launchId, ok: false, error });
      return true;
    };
    if (short(BigInt(fresh.length) * floorGas * fees.maxFeePerGas)) return requests.map((r) => results.get(r.launchId)!);
    // Simulate before taking a nonce: a call that would revert fails its launch
    // (with the revert reason) without leaving a hole in the nonce sequence.
    // The chain's count of this account's transactions, in the same round trip as the simulations: above
    // our next nonce, the key was used elsewhere and this batch's nonces may be taken (see below).
    const [estimates, chainPending] = await Promise.all([
      Promise.all(fresh.map((r) => this.gasFor(client, r).then((gas) => ({ gas }), (e: unknown) => ({ error: classifyError(e) })))),
      client.getTransactionCount({ address: this.address, blockTag: "pending" }).catch(() => Number.MAX_SAFE_INTEGER),
    ]);
    const nonceClear = chainPending <= this.nextNonce!;
    const tSimulated = Date.now();
    const needed = estimates.reduce((s, e) => s + ("gas" in e ? e.gas * fees.maxFeePerGas : 0n), 0n);
    if (short(needed)) return requests.map((r) => results.get(r.launchId)!);

    const toSign = this.reserve(fresh, estimates, fees, results);
    const signed = await this.signReserved(toSign, fees, results);
    const tSigned = Date.now();
    await this.ensureAlarm();
    const signedSet = new Set(signed);
    const txs = this.allInflight().filter((t) => signedSet.has(t.nonce));
    await this.sendSigned(txs, nonceClear, { simulateMs: tSimulated - t0, signMs: tSigned - tSimulated }, tSigned, results);
    await this.awaitOtherSigners(requests, results);
    return requests.map((r) => results.get(r.launchId)!);
  }

  /**
   * Sends a batch's signed transactions. While the chain's count of ours is not ahead of our next nonce
   * (`nonceClear`) the caller is answered without waiting for the node; otherwise it waits for it.
   */
  private async sendSigned(txs: InFlight[], nonceClear: boolean, timing: { simulateMs: number; signMs: number }, tSigned: number, results: Map<string, SendResult>) {
    if (!nonceClear) {
      // The chain is ahead of our nonces: send now and answer what the node says, so a launch whose
      // nonce is taken is retried and never shows a transaction that does not exist.
      for (const id of await this.broadcast(txs)) results.set(id, nonceTaken(id));
      log("info", "signer.sent", { chain: this.chain!.id, count: txs.length, ...timing, broadcastWaitMs: 0, broadcastMs: Date.now() - tSigned });
    } else {
      // The caller is answered without waiting for the node: the nonces and signed bytes are stored, so
      // a crash before the broadcast is healed by the alarm's re-broadcast, and the queue batch goes on
      // to the next one while this one is sent (the node took about a third of a batch's time).
      // Broadcasts stay in nonce order, one batch after the other. A nonce found taken all the same (the
      // key used elsewhere during this very batch) sends its launch back to the queue, under a fresh
      // nonce on its next delivery, as the alarm's paths do.
      this.broadcasting = this.broadcasting.then(async () => {
        const tQueued = Date.now();
        try {
          await this.requeue(await this.broadcast(txs));
        } catch (e) {
          // Still in flight with their bytes: the alarm sends them again.
          log("warn", "signer.broadcast_failed", { chain: this.chain!.id, count: txs.length, error: classifyError(e).message });
        }
        log("info", "signer.sent", { chain: this.chain!.id, count: txs.length, ...timing, broadcastWaitMs: tQueued - tSigned, broadcastMs: Date.now() - tQueued });
        // Read ahead what the next batch asks first (the caches last a second or two): one round trip less on its path.
        await Promise.all([this.baseFee(true), this.balance(true)]).catch(() => undefined);
      });
      this.ctx.waitUntil(this.broadcasting);
    }
  }

  /** Answers a launch this account already holds a transaction for (in flight or settled). */
  private answerKnown(results: Map<string, SendResult>, launchId: string): boolean {
    const t = this.known(launchId);
    if (t) results.set(launchId, { launchId, ok: true, hash: t.hash as Hex, nonce: t.nonce });
    return !!t;
  }

  /**
   * Takes a nonce and records its row for each launch whose simulation passed.
   * Synchronous from the check to the nonce bump and its row (the reservation
   * and the record are one step): a call that interleaves while this one signs
   * (a KMS or remote signer does I/O) finds the launch and waits for it.
   */
  private reserve(fresh: SendRequest[], estimates: ({ gas: bigint } | { error: Classified })[], fees: Fees, results: Map<string, SendResult>) {
    const toSign: { req: SendRequest; gas: bigint; nonce: number }[] = [];
    const now = Date.now();
    fresh.forEach((req, i) => {
      const e = estimates[i]!;
      if ("error" in e) return void results.set(req.launchId, { launchId: req.launchId, ok: false, error: e.error });
      if (this.answerKnown(results, req.launchId)) return;
      const nonce = this.takeNonce();
      this.sql.exec(
        `INSERT INTO inflight (nonce, launch_id, token_address, to_address, data, gas, hash, raw, max_fee, tip, first_sent_at, sent_at)
         VALUES (?, ?, ?, ?, ?, ?, '', '', ?, ?, ?, ?)`,
        nonce, req.launchId, req.tokenAddress, req.to, req.data, e.gas.toString(), fees.maxFeePerGas.toString(), fees.maxPriorityFeePerGas.toString(), now, now,
      );
      toSign.push({ req, gas: e.gas, nonce });
    });
    return toSign;
  }

  /** Signs the reserved transactions (other calls for these launches wait on it); returns the nonces signed. */
  private async signReserved(toSign: { req: SendRequest; gas: bigint; nonce: number }[], fees: Fees, results: Map<string, SendResult>): Promise<number[]> {
    const chain = this.chain!;
    const pending = Promise.all(
      toSign.map(async (t) => {
        try {
          const raw = await this.sign(t.nonce, t.req.to, t.req.data, t.gas, fees);
          const hash = keccak256(raw);
          this.sql.exec("UPDATE inflight SET hash = ?, raw = ? WHERE nonce = ?", hash, raw, t.nonce);
          results.set(t.req.launchId, { launchId: t.req.launchId, ok: true, hash, nonce: t.nonce });
          return t.nonce;
        } catch (e) {
          // The nonce stays unused: the top one is handed out again, one below others is a hole the alarm fills.
          this.sql.exec("DELETE FROM inflight WHERE nonce = ?", t.nonce);
          if (this.nextNonce === t.nonce + 1) this.nextNonce = t.nonce;
          results.set(t.req.launchId, { launchId: t.req.launchId, ok: false, error: classifyError(e) });
          log("error", "signer.sign_failed", { launchId: t.req.launchId, chain: chain.id, nonce: t.nonce, error: classifyError(e).message });
          return null;
        }
      }),
    ).finally(() => {
      for (const t of toSign) this.signingNow.delete(t.req.launchId);
    });
    for (const t of toSign) this.signingNow.set(t.req.launchId, pending);
    return (await pending).filter((n) => n !== null);
  }

  /** A launch another call was signing meanwhile: its row has bytes now (or is gone: that signing failed). */
  private async awaitOtherSigners(requests: SendRequest[], results: Map<string, SendResult>) {
    const waiting = (r: SendRequest) => { const got = results.get(r.launchId); return !got || (got.ok && (got.hash as string) === ""); };
    await Promise.allSettled(requests.filter(waiting).map((r) => this.signingNow.get(r.launchId)).filter((p) => p !== undefined));
    for (const r of requests) {
      if (!waiting(r)) continue;
      const t = this.known(r.launchId);
      if (t && t.hash) results.set(r.launchId, { launchId: r.launchId, ok: true, hash: t.hash as Hex, nonce: t.nonce });
      else results.set(r.launchId, { launchId: r.launchId, ok: false, error: { kind: "unknown", permanent: false, message: "another delivery was signing this launch; it did not finish" } });
    }
  }

  /** Launches this account holds a signed transaction for (in flight or mined), with its hash. Reads no chain. */
  async holds(launchIds: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const id of launchIds) {
      const t = this.known(id);
      if (t) out[id] = t.hash || "(being signed)";
    }
    return out;
  }

  /** The launches' transactions are final (confirmed or failed): move them to the settled set. */
  async settle(launchIds: string[]) {
    for (const id of launchIds) {
      const t = this.inflightWhere("launch_id = ?", id)[0];
      if (t) this.markSettled(t);
      this.requestIds.delete(id);
    }
  }

  /** For health and tests: the account, the next nonce and what is in flight. */
  async status(chainId: string) {
    await this.ready(chainId);
    const inflight = this.allInflight();
    return {
      address: this.address,
      nextNonce: this.nextNonce,
      inflight: inflight.length,
      oldestInflightMs: inflight.length ? Date.now() - Math.min(...inflight.map((t) => t.firstSentAt)) : 0,
      replacements: inflight.reduce((s, t) => s + t.replacements, 0),
    };
  }

  /** The in-flight set's size and age from storage only (the cron's tf_signer_inflight; core signer-rpc.ts). */
  async inflight(): Promise<SignerInflight> {
    const inflight = this.allInflight();
    return { inflight: inflight.length, oldestInflightMs: inflight.length ? Date.now() - Math.min(...inflight.map((t) => t.firstSentAt)) : 0 };
  }

  /** Housekeeping while transactions are in flight (see planMaintenance). */
  async alarm() {
    return withTrace({ launches: this.requestIds }, () => this.alarmNow());
  }

  private async alarmNow() {
    const chainId = this.chain?.id ?? this.meta("chain");
    if (!chainId) return;
    await this.ready(chainId);
    const chain = this.chain!;
    const client = evmClient(chain, { hop: "signer-alarm" });
    try {
      const [latestCount, pendingCount, baseFee] = await Promise.all([
        client.getTransactionCount({ address: this.address, blockTag: "latest" }),
        client.getTransactionCount({ address: this.address, blockTag: "pending" }),
        this.baseFee(true),
      ]);
      const plan = planMaintenance(this.allInflight(), { latestCount, pendingCount, baseFee }, Date.now(), this.cfg);
      await this.settleUsed(plan.used, latestCount, true);
      const holes = findHoles(this.allInflight(), Math.max(pendingCount, latestCount), Date.now(), this.cfg);
      if (holes.length) await this.fillHoles(holes, baseFee);
      for (const { tx, fees } of plan.replace) await this.replace(tx, tx.to as Hex, tx.data as Hex, BigInt(tx.gas), fees, "underpriced");
      for (const t of plan.capped) {
        log("error", "signer.fee_cap_reached", { launchId: t.launchId, chain: chain.id, nonce: t.nonce, maxFeeWei: t.maxFee, baseFeeWei: baseFee });
      }
      const stillThere = new Set(this.allInflight().map((t) => t.nonce));
      const rebroadcast = plan.rebroadcast.filter((t) => stillThere.has(t.nonce));
      if (rebroadcast.length) await this.rebroadcastOrFill(rebroadcast, baseFee);
    } catch (e) {
      log("warn", "signer.alarm_failed", { chain: chain.id, error: classifyError(e).message });
    }
    if (this.allInflight().length) await this.ctx.storage.setAlarm(Date.now() + ALARM_EVERY_MS);
    this.sql.exec("DELETE FROM settled WHERE at < ?", Date.now() - SETTLED_KEEP_MS);
  }

  // A transaction the node no longer has is sent again as is; if its launch's
  // token already exists (done by an earlier transaction), the nonce is used up
  // by a zero-value self-transfer instead, so later nonces are not blocked.
  private async rebroadcastOrFill(txs: InFlight[], baseFee: bigint) {
    const client = evmClient(this.chain!, { launchIds: txs.map((t) => t.launchId), hop: "rebroadcast" });
    const [known, codes] = await Promise.all([
      Promise.all(txs.map((t) => client.getTransaction({ hash: t.hash as Hex }).then(() => true, () => false))),
      Promise.all(txs.map((t) => client.getCode({ address: t.tokenAddress as Address }).catch(() => undefined))),
    ]);
    const resend: InFlight[] = [];
    for (const [i, t] of txs.entries()) {
      if (known[i]) {
        this.sql.exec("UPDATE inflight SET sent_at = ? WHERE nonce = ?", Date.now(), t.nonce);
        continue;
      }
      const done = codes[i] && codes[i] !== "0x" && t.to.toLowerCase() !== this.address.toLowerCase();
      if (done) {
        const fees = initialFees(baseFee, this.cfg);
        const bumped = { maxFeePerGas: maxBig(fees.maxFeePerGas, (BigInt(t.maxFee) * 1125n) / 1000n + 1n), maxPriorityFeePerGas: maxBig(fees.maxPriorityFeePerGas, (BigInt(t.tip) * 1125n) / 1000n + 1n) };
        await this.replace(t, this.address, "0x", 21_000n, bumped, "gap-fill");
      } else {
        resend.push(t);
      }
    }
    if (resend.length) {
      log("warn", "signer.rebroadcast", { chain: this.chain!.id, count: resend.length, nonces: resend.map((t) => t.nonce).slice(0, 20) });
      await this.requeue(await this.broadcast(resend));
    }
  }

  /**
   * Decides the in-flight transactions whose nonce the chain has used: settled
   * with a receipt for our hash (settleByReceipt), otherwise taken: forgotten,
   * and (with `requeue`) their launches put back on the queue to be sent under
   * a fresh nonce. Returns the taken launches.
   */
  private async settleUsed(used: InFlight[], latestCount: number, requeue: boolean): Promise<string[]> {
    if (!used.length) return [];
    const client = evmClient(this.chain!, { launchIds: used.map((t) => t.launchId), hop: "settle" });
    const answers = new Map(
      await Promise.all(
        used.map(async (t) => {
          try {
            const receipt = await client.getTransactionReceipt({ hash: t.hash as Hex }).catch((e: unknown) => {
              if (e instanceof TransactionReceiptNotFoundError) return null;
              throw e;
            });
            // The token is looked at only without a receipt (the usual case has one).
            const code = receipt ? undefined : await client.getCode({ address: t.tokenAddress as Address });
            return [t.nonce, { receipt: !!receipt, tokenExists: !!code && code !== "0x" }] as const;
          } catch {
            return [t.nonce, null] as const; // no answer: decided on a later alarm
          }
        }),
      ),
    );
    const { settle, taken } = settleByReceipt(latestCount, used, (t) => answers.get(t.nonce) ?? null, this.address);
    for (const t of settle) this.markSettled(t);
    for (const t of taken) {
      this.sql.exec("DELETE FROM inflight WHERE nonce = ?", t.nonce);
      log("error", "signer.nonce_taken", { launchId: t.launchId, chain: this.chain!.id, nonce: t.nonce, txHash: t.hash, next: this.nextNonce, outcome: requeue ? "requeued" : "resend" });
    }
    const ids = taken.filter((t) => !isHoleFill(t)).map((t) => t.launchId);
    if (requeue) await this.requeue(ids);
    return ids;
  }

  /** Launches whose nonce was taken go back on the queue: the next delivery sends them under a fresh nonce. */
  private async requeue(launchIds: string[]) {
    if (!launchIds.length) return;
    await this.env.LAUNCHES.sendBatch(launchIds.map((launchId) => ({ body: { launchId, reason: "retry" as const } })));
  }

  // Nonces nobody will use (a reorg dropped the transaction of a launch already
  // settled; a signing failed): a zero-value self-transfer takes each, so the
  // transactions queued behind them can land. A launch behind a dropped
  // transaction is re-sent by its own path (reconcile, reorg check).
  private async fillHoles(holes: number[], baseFee: bigint) {
    const fees = initialFees(baseFee, this.cfg);
    const now = Date.now();
    const rows: number[] = [];
    for (const n of holes) {
      if (this.inflightWhere("nonce = ?", n).length) continue;
      this.sql.exec("DELETE FROM settled WHERE launch_id = ?", `${HOLE_PREFIX}${n}`);
      const raw = await this.sign(n, this.address, "0x", 21_000n, fees);
      this.sql.exec(
        `INSERT INTO inflight (nonce, launch_id, token_address, to_address, data, gas, hash, raw, max_fee, tip, first_sent_at, sent_at)
         VALUES (?, ?, ?, ?, '0x', '21000', ?, ?, ?, ?, ?, ?)`,
        n, `${HOLE_PREFIX}${n}`, this.address, this.address, keccak256(raw), raw, fees.maxFeePerGas.toString(), fees.maxPriorityFeePerGas.toString(), now, now,
      );
      rows.push(n);
    }
    if (!rows.length) return;
    log("warn", "signer.hole_filled", { chain: this.chain!.id, nonces: rows.slice(0, 20), count: rows.length });
    await this.broadcast(this.allInflight().filter((t) => rows.includes(t.nonce)));
  }

  private async replace(t: InFlight, to: Hex, data: Hex, gas: bigint, fees: Fees, why: string) {
    const raw = await this.sign(t.nonce, to, data, gas, fees);
    const hash = keccak256(raw);
    this.sql.exec(
      `UPDATE inflight SET to_address = ?, data = ?, gas = ?, hash = ?, raw = ?, max_fee = ?, tip = ?, sent_at = ?, replacements = replacements + 1 WHERE nonce = ?`,
      to, data, gas.toString(), hash, raw, fees.maxFeePerGas.toString(), fees.maxPriorityFeePerGas.toString(), Date.now(), t.nonce,
    );
    log("warn", "signer.replaced", { launchId: t.launchId, chain: this.chain!.id, nonce: t.nonce, why, oldHash: t.hash, txHash: hash, maxFeeWei: fees.maxFeePerGas });
    await this.requeue(await this.broadcast(this.inflightWhere("nonce = ?", t.nonce)));
  }

  /** Sends the signed bytes; returns the launches whose nonce turned out taken by another transaction (forgotten here). */
  private async broadcast(txs: InFlight[]): Promise<string[]> {
    const taken: string[] = [];
    if (!txs.length) return taken;
    const client = evmClient(this.chain!, { launchIds: txs.map((t) => t.launchId), hop: "broadcast" });
    await Promise.all(
      txs.map(async (t) => {
        try {
          await client.request({ method: "eth_sendRawTransaction", params: [t.raw as Hex] });
          this.sql.exec("UPDATE inflight SET sent_at = ? WHERE nonce = ?", Date.now(), t.nonce);
        } catch (e) {
          const c = classifyError(e);
          if (c.kind === "already-known" || c.kind === "underpriced") return; // the alarm handles underpriced
          if (c.kind === "nonce-too-low") return void taken.push(...(await this.onNonceTooLow(t)));
          // Kept in flight: the alarm sends it again; nothing is re-signed blindly.
          log("warn", "signer.broadcast_failed", { launchId: t.launchId, chain: this.chain!.id, nonce: t.nonce, kind: c.kind, error: c.message });
        }
      }),
    );
    return taken;
  }

  // "Nonce too low": either our transaction is already mined (fine) or another
  // sender used this account's nonce. Then ours can never land: forget it (the
  // launch is sent again under a fresh nonce by the next delivery) and resync.
  private async onNonceTooLow(t: InFlight): Promise<string[]> {
    const client = evmClient(this.chain!, { launchIds: [t.launchId], hop: "nonce-resync" });
    const taken = await this.settleUsed([t], t.nonce + 1, false);
    if (!taken.length) return [];
    const pending = await client.getTransactionCount({ address: this.address, blockTag: "pending" }).catch(() => 0);
    this.nextNonce = nextNonceAfterResync(Math.max(pending, this.nextNonce ?? 0), this.allInflight());
    return taken;
  }

  private async ready(chainId: string) {
    if (this.chain && this.nextNonce !== null) return;
    await this.ctx.blockConcurrencyWhile(async () => {
      if (this.chain && this.nextNonce !== null) return;
      this.txSigner ??= await deployerSigner(this.env);
      this.address = (await this.txSigner.address()) as Hex;
      const chain = getChain(this.env, chainId);
      const client = evmClient(chain, { hop: "resync" });
      const [pending, latest] = await Promise.all([
        client.getTransactionCount({ address: this.address, blockTag: "pending" }),
        client.getTransactionCount({ address: this.address, blockTag: "latest" }),
      ]);
      this.chain = chain;
      this.setMeta("chain", chainId);
      // A reservation whose signing never finished (the object was evicted): its nonce is free again, or a hole the alarm fills.
      this.sql.exec("DELETE FROM inflight WHERE raw = ''");
      await this.settleUsed(this.allInflight().filter((t) => t.nonce < latest), latest, true);
      this.nextNonce = nextNonceAfterResync(pending, this.allInflight());
      log("info", "signer.resynced", { chain: chainId, account: this.address, pending, latest, next: this.nextNonce, inflight: this.allInflight().length });
      if (this.allInflight().length) await this.ctx.storage.setAlarm(Date.now() + 100);
    });
  }

  private sign(nonce: number, to: Hex, data: Hex, gas: bigint, fees: Fees) {
    return this.txSigner!.signTransaction({ chainId: this.chain!.chainId!, type: "eip1559", nonce, to, data, gas, ...fees });
  }

  // eth_estimateGas binary-searches (a dozen executions per call on the node)
  // and was most of a batch's time. A factory call's gas depends on the shape of
  // its calldata (string lengths set the storage slots written), so it is
  // estimated once per calldata length; every call is still simulated once
  // (eth_call) so a revert is caught with its reason before a nonce is spent.
  private gasByShape = new Map<number, bigint>();
  private async gasFor(client: ReturnType<typeof evmClient>, r: SendRequest): Promise<bigint> {
    const shape = r.data.length;
    const known = this.gasByShape.get(shape);
    if (known === undefined) {
      const gas = await client.estimateGas({ account: this.address, to: r.to, data: r.data });
      this.gasByShape.set(shape, gas);
      return withGasMargin(gas);
    }
    await client.call({ account: this.address, to: r.to, data: r.data });
    return withGasMargin(known);
  }

  private takeNonce(): number {
    const n = this.nextNonce!;
    this.nextNonce = n + 1;
    return n;
  }

  private async ensureAlarm() {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + ALARM_EVERY_MS);
  }

  private async baseFee(fresh = false) {
    if (!fresh && this.feeCache && Date.now() - this.feeCache.at < 1_000) return this.feeCache.baseFee;
    const block = await evmClient(this.chain!, { hop: "fees" }).getBlock({ blockTag: "latest" });
    this.feeCache = { at: Date.now(), baseFee: block.baseFeePerGas ?? 0n };
    return this.feeCache.baseFee;
  }

  private async balance(fresh = false) {
    if (!fresh && this.balanceCache && Date.now() - this.balanceCache.at < BALANCE_CACHE_MS) return this.balanceCache.wei;
    const wei = await evmClient(this.chain!, { hop: "balance" }).getBalance({ address: this.address, blockTag: "pending" });
    this.balanceCache = { at: Date.now(), wei };
    return wei;
  }

  private known(launchId: string): { hash: string; nonce: number } | undefined {
    return this.inflightWhere("launch_id = ?", launchId)[0]
      ?? this.sql.exec<{ hash: string; nonce: number }>("SELECT hash, nonce FROM settled WHERE launch_id = ?", launchId).toArray()[0];
  }

  private markSettled(t: InFlight) {
    this.sql.exec("INSERT OR REPLACE INTO settled (launch_id, hash, nonce, at) VALUES (?, ?, ?, ?)", t.launchId, t.hash, t.nonce, Date.now());
    this.sql.exec("DELETE FROM inflight WHERE nonce = ?", t.nonce);
  }

  private inflightWhere(where: string, ...binds: SqlStorageValue[]): InFlight[] {
    return this.sql.exec<Record<string, SqlStorageValue>>(`SELECT * FROM inflight WHERE ${where} ORDER BY nonce`, ...binds).toArray().map(toInFlight);
  }

  private allInflight(): InFlight[] {
    return this.inflightWhere("1 = 1");
  }

  private meta(k: string): string | null {
    return this.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = ?", k).toArray()[0]?.v ?? null;
  }

  private setMeta(k: string, v: string) {
    this.sql.exec("INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v", k, v);
  }
}

function toInFlight(r: Record<string, SqlStorageValue>): InFlight {
  return {
    nonce: Number(r.nonce), launchId: String(r.launch_id), tokenAddress: String(r.token_address), to: String(r.to_address),
    data: String(r.data), gas: String(r.gas), hash: String(r.hash), raw: String(r.raw), maxFee: String(r.max_fee),
    tip: String(r.tip), firstSentAt: Number(r.first_sent_at), sentAt: Number(r.sent_at), replacements: Number(r.replacements),
  };
}

const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
/** In-flight rows that fill a hole carry this launch id prefix (they belong to no launch). */
const HOLE_PREFIX = "hole:";
const isHoleFill = (t: InFlight) => t.launchId.startsWith(HOLE_PREFIX);
const nonceTaken = (launchId: string): SendResult => ({
  launchId, ok: false, error: { kind: "nonce-too-low", permanent: false, message: "another transaction took this launch's nonce; it is sent again under a fresh one" },
});
/** 20% over the estimate plus one cold storage write (22.1k), for calldata of the same length whose values cost more. */
const withGasMargin = (gas: bigint) => (gas * 12n) / 10n + 22_100n;

/** The Signer instance for a chain's deployer account. */
export function signerFor(env: Env, chainId: string, account: string) {
  return env.SIGNER.get(env.SIGNER.idFromName(signerName(chainId, account)));
}
