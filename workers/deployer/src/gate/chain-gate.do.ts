// ChainGate Durable Object: one per chain (idFromName(chainId)), asked before
// every RPC call "may I spend budget, and on which endpoint?" and told after
// each call how it went. It keeps, per chain:
//   - a token bucket per provider, sized from the registry quota (bucket.ts in
//     @tokenforge/gate), so all Workers and isolates together never exceed what
//     the provider allows;
//   - a circuit breaker per endpoint (breaker.ts, Nygard's pattern), so a dead
//     or throttling endpoint is skipped instead of timing out every caller;
// and picks endpoints in registry order (primary → secondary → public) among
// those whose breaker admits a call and whose provider has budget.
//
// Why hand-written: the state must be shared by every isolate of every Worker
// at the edge, which on Workers means a Durable Object (a single-threaded actor
// with its own storage), and the state machines must be pure to be tested with
// a moved clock. Rate-limit and breaker libraries (opossum, cockatiel,
// bottleneck, p-limit) keep state in process memory and read the wall clock, so
// each isolate would have its own budget and its own idea of "open". No library
// fits; the code is small.
//
// State lives in memory for speed and is written through to the object's SQLite
// storage on every change, so an eviction or restart keeps open breakers open
// and spent budget spent. Time-driven transitions (open → half-open) are
// computed lazily from `now` on the next call: no alarm needed. Its callers
// reach it through @tokenforge/gate (ChainGateRpc, the gated transports).
import { DurableObject } from "cloudflare:workers";
import { chainRegistry, findChain, log, redactRpcUrl, type ChainConfig } from "@tokenforge/core";
import {
  breakerHealth, breakerStatus, breakerWaitMs, canAttempt, fill, gateConfig, newBreaker, newBucket, nextBreakerState, refill, resize, take, waitFor,
  type AcquireResult, type BreakerState, type BreakerStatus, type Bucket, type ChainGateRpc, type EndpointOutcome, type GateConfig,
  type GateEndpoint, type GateEnv, type GateSnapshot, type ReserveResult,
} from "@tokenforge/gate";

type EndpointMem = GateEndpoint & { fingerprint: string; breaker: BreakerState };
type ChainMem = { endpoints: EndpointMem[]; buckets: Map<string, Bucket> };

export class ChainGate extends DurableObject<GateEnv> implements ChainGateRpc {
  /** Test seam (set through runInDurableObject, never over RPC: fields are not RPC methods). */
  clock: () => number = () => Date.now();
  /** Test seam: where endpoints come from. Production reads the registry of TF_ENV, secrets filled from env. */
  registry: () => ChainConfig[] = () => chainRegistry(this.env);

  private sql: SqlStorage;
  private config: GateConfig;
  private chains = new Map<string, ChainMem>();

  constructor(ctx: DurableObjectState, env: GateEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.config = gateConfig(env);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS gate_state (
      chain_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, state TEXT NOT NULL,
      PRIMARY KEY (chain_id, kind, key))`);
  }

  /**
   * The first endpoint in registry order whose breaker admits a call and whose
   * provider has `cost` tokens (a batch costs its length), skipping `exclude`
   * (endpoints that already failed this request). Spends the tokens and, in
   * half-open, takes the one probe lease.
   */
  async acquire(chainId: string, cost = 1, exclude: number[] = []): Promise<AcquireResult> {
    const now = this.clock();
    const chain = this.load(chainId, now);
    const want = Math.max(1, Math.floor(cost));
    let soonest = Infinity;
    let reason: "budget" | "open" | "exhausted" = "exhausted";
    for (const ep of chain.endpoints) {
      if (exclude.includes(ep.index)) continue;
      const bucket = chain.buckets.get(ep.provider)!;
      if (!canAttempt(ep.breaker, now, this.config.breaker)) {
        const wait = Math.max(breakerWaitMs(ep.breaker, now, this.config.breaker), waitFor(refill(bucket, now), Math.min(want, bucket.capacity)));
        if (wait < soonest) [soonest, reason] = [wait, "open"];
        continue;
      }
      // A cost above the bucket's capacity could never be paid: grant a capacity-sized share, the caller sends the rest after.
      // A half-open endpoint gets one call, its probe: a group or batch must not all go to an endpoint that may still be dead.
      const grant = breakerStatus(ep.breaker, now, this.config.breaker) === "half-open" ? 1 : Math.min(want, bucket.capacity);
      const t = take(bucket, grant, now);
      chain.buckets.set(ep.provider, t.bucket);
      if (!t.ok) {
        if (t.waitMs < soonest) [soonest, reason] = [t.waitMs, "budget"];
        continue;
      }
      ep.breaker = nextBreakerState(ep.breaker, { type: "attempt" }, now, this.config.breaker);
      this.saveBucket(chainId, ep.provider, t.bucket);
      this.saveBreaker(chainId, ep);
      if (ep.breaker.status === "half-open") {
        log("info", "gate.probe", { chain: chainId, endpoint: ep.index, provider: ep.provider, rpc: redactRpcUrl(ep.url) });
      }
      return { endpoint: { url: ep.url, provider: ep.provider, index: ep.index }, waitMs: 0, granted: grant };
    }
    if (reason === "exhausted") return { endpoint: null, waitMs: 0, reason };
    return { endpoint: null, waitMs: Math.max(1, Math.ceil(soonest)), reason };
  }

  /**
   * Spend budget on one given endpoint whatever its breaker says: for health
   * probes (the cron Worker's eth_blockNumber every minute), which must reach
   * open endpoints too but must not exceed the provider's quota. Report the
   * outcome as usual; a success closes a breaker only once it is half-open.
   */
  async reserve(chainId: string, endpointIndex: number, cost = 1): Promise<ReserveResult> {
    const now = this.clock();
    const chain = this.load(chainId, now);
    const ep = chain.endpoints.find((e) => e.index === endpointIndex);
    if (!ep) throw new RangeError(`chain ${chainId} has no RPC endpoint #${endpointIndex}`);
    const bucket = chain.buckets.get(ep.provider)!;
    const t = take(bucket, Math.min(Math.max(1, Math.floor(cost)), bucket.capacity), now);
    chain.buckets.set(ep.provider, t.bucket);
    if (!t.ok) return { endpoint: null, waitMs: t.waitMs };
    this.saveBucket(chainId, ep.provider, t.bucket);
    return { endpoint: { url: ep.url, provider: ep.provider, index: ep.index }, waitMs: 0 };
  }

  /** How a call to endpoint `endpointIndex` went, classified by the caller (classify.ts). */
  async report(chainId: string, endpointIndex: number, outcome: EndpointOutcome): Promise<{ state: BreakerStatus }> {
    return this.reportMany(chainId, endpointIndex, [outcome]);
  }

  /**
   * How several calls to one endpoint went (a group of separate requests sent
   * under one acquire): the breaker takes each outcome in order, as if each had
   * been reported alone, and its state is written once.
   */
  async reportMany(chainId: string, endpointIndex: number, outcomes: EndpointOutcome[]): Promise<{ state: BreakerStatus }> {
    const now = this.clock();
    const chain = this.load(chainId, now);
    const ep = chain.endpoints.find((e) => e.index === endpointIndex);
    if (!ep) throw new RangeError(`chain ${chainId} has no RPC endpoint #${endpointIndex}`);
    for (const outcome of outcomes) {
      const before = ep.breaker.status;
      ep.breaker = nextBreakerState(ep.breaker, outcome, now, this.config.breaker);
      const after = ep.breaker.status;
      if (after !== before) {
        const fields = { chain: chainId, endpoint: ep.index, provider: ep.provider, rpc: redactRpcUrl(ep.url), from: before, to: after };
        if (after === "open") log("warn", "gate.breaker_opened", { ...fields, reason: ep.breaker.reason, retryInMs: ep.breaker.openUntil - now });
        else log("info", "gate.breaker_changed", fields);
      }
    }
    this.saveBreaker(chainId, ep);
    return { state: ep.breaker.status };
  }

  /** Per endpoint: breaker state, recent error rate, latency, bucket fill (for GET /api/v1/health). */
  async snapshot(chainId: string): Promise<GateSnapshot> {
    const now = this.clock();
    const chain = this.load(chainId, now);
    const endpoints = chain.endpoints.map((ep) => ({
      index: ep.index,
      provider: ep.provider,
      url: redactRpcUrl(ep.url),
      ...breakerHealth(ep.breaker, now, this.config.breaker),
      bucketFill: Math.round(fill(chain.buckets.get(ep.provider)!, now) * 1000) / 1000,
    }));
    return { chain: chainId, at: now, healthy: endpoints.some((e) => e.state !== "open"), endpoints };
  }

  /** The chain's endpoints and buckets: from memory, else from storage matched against the registry. */
  private load(chainId: string, now: number): ChainMem {
    const cached = this.chains.get(chainId);
    if (cached) return cached;
    const chain = findChain(this.registry(), chainId);
    if (!chain) throw new RangeError(`chain ${chainId} is not in the ${this.env.TF_ENV} registry`);
    const rows = this.sql
      .exec<{ kind: string; key: string; fingerprint: string; state: string }>(
        "SELECT kind, key, fingerprint, state FROM gate_state WHERE chain_id = ?", chainId)
      .toArray();
    const stored = (kind: string, key: string, fingerprint: string) => {
      const row = rows.find((r) => r.kind === kind && r.key === key && r.fingerprint === fingerprint);
      return row ? JSON.parse(row.state) : null;
    };
    const buckets = new Map<string, Bucket>();
    const endpoints = chain.rpc.map((r, index): EndpointMem => {
      // One bucket per provider; the first endpoint of that provider states its quota.
      if (!buckets.has(r.provider)) {
        const saved = stored("bucket", r.provider, "") as Bucket | null;
        buckets.set(r.provider, saved ? resize(saved, r.quota, now) : newBucket(r.quota, now));
      }
      // A breaker's state belongs to a URL: after a registry edit that moves or
      // replaces endpoints, stale state must not follow the index.
      const fingerprint = `${r.provider}|${hash(r.url)}`;
      const breaker = (stored("breaker", String(index), fingerprint) as BreakerState | null) ?? newBreaker(now);
      return { url: r.url, provider: r.provider, index, fingerprint, breaker };
    });
    const mem = { endpoints, buckets };
    this.chains.set(chainId, mem);
    return mem;
  }

  private saveBreaker(chainId: string, ep: EndpointMem) {
    this.upsert(chainId, "breaker", String(ep.index), ep.fingerprint, ep.breaker);
  }

  private saveBucket(chainId: string, provider: string, bucket: Bucket) {
    this.upsert(chainId, "bucket", provider, "", bucket);
  }

  private upsert(chainId: string, kind: string, key: string, fingerprint: string, state: unknown) {
    this.sql.exec(
      `INSERT INTO gate_state (chain_id, kind, key, fingerprint, state) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (chain_id, kind, key) DO UPDATE SET fingerprint = excluded.fingerprint, state = excluded.state`,
      chainId, kind, key, fingerprint, JSON.stringify(state),
    );
  }
}

// FNV-1a: a stable, synchronous fingerprint of a URL, so the full URL (with its
// API key) is never written to storage.
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}
