// ExplorerGate Durable Object: the explorer's plan held like an RPC provider's
// quota (one object per explorer, idFromName("etherscan")). One API key serves
// every chain, so its limits are global: a bucket per second and a bucket per
// day (bucket.ts in @tokenforge/gate, pure), shared by every isolate. An empty
// bucket answers "wait N ms" — back-pressure, never an error. State is written
// through to the object's storage so a restart keeps spent budget spent.
import { DurableObject } from "cloudflare:workers";
import { newBucket, resize, take, type Bucket } from "@tokenforge/gate";
import { verifyConfig } from "./config";

export type ExplorerAcquire = { ok: true } | { ok: false; waitMs: number };

export class ExplorerGate extends DurableObject {
  /** Test seam (runInDurableObject). */
  clock: () => number = () => Date.now();

  async acquire(): Promise<ExplorerAcquire> {
    const plan = verifyConfig(this.env as object).etherscan;
    if (!plan) return { ok: true };
    const now = this.clock();
    // Per second: no burst, one call every 1/perSecond s (+5% for clock and network jitter). A bucket
    // holding a second's worth would allow 2× perSecond in a sliding second, and explorers count that way.
    const quotas = { second: { requests: 1, perSeconds: 1.05 / plan.perSecond }, day: { requests: plan.perDay, perSeconds: 86_400 } };
    const stored = (await this.ctx.storage.get<Record<"second" | "day", Bucket>>("buckets")) ?? null;
    const buckets = {
      second: stored ? resize(stored.second, quotas.second, now) : newBucket(quotas.second, now),
      day: stored ? resize(stored.day, quotas.day, now) : newBucket(quotas.day, now),
    };
    // Both or neither: a call refused by the day's budget spends nothing of the second's.
    const s = take(buckets.second, 1, now);
    const d = take(buckets.day, 1, now);
    if (!s.ok || !d.ok) {
      await this.ctx.storage.put("buckets", { second: s.ok ? buckets.second : s.bucket, day: d.ok ? buckets.day : d.bucket });
      return { ok: false, waitMs: Math.max(s.ok ? 0 : s.waitMs, d.ok ? 0 : d.waitMs) };
    }
    await this.ctx.storage.put("buckets", { second: s.bucket, day: d.bucket });
    return { ok: true };
  }
}
