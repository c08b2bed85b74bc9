// The provider token bucket: waits instead of failing, refills with time, and
// never lets more than the quota through (time moved by the test).
import { describe, expect, it } from "vitest";
import { fill, newBucket, refill, resize, take, waitFor, type Bucket } from "@tokenforge/gate/bucket";

describe("token bucket", () => {
  it("starts full at the quota's request count", () => {
    const b = newBucket({ requests: 10, perSeconds: 5 }, 0);
    expect(b.capacity).toBe(10);
    expect(b.tokens).toBe(10);
    expect(b.refillPerMs).toBeCloseTo(10 / 5000);
  });

  it("answers 'wait N ms' when empty, and the wait is exactly enough", () => {
    let b: Bucket = newBucket({ requests: 2, perSeconds: 1 }, 0);
    for (let i = 0; i < 2; i++) {
      const r = take(b, 1, 0);
      expect(r.ok).toBe(true);
      b = r.bucket;
    }
    const denied = take(b, 1, 0);
    expect(denied).toMatchObject({ ok: false, waitMs: 500 });
    expect(take(denied.bucket, 1, 499).ok).toBe(false);
    expect(take(denied.bucket, 1, 500).ok).toBe(true);
  });

  it("refills with time but never above capacity", () => {
    const b = { ...newBucket({ requests: 4, perSeconds: 2 }, 0), tokens: 0 };
    expect(refill(b, 1000).tokens).toBeCloseTo(2);
    expect(refill(b, 60_000).tokens).toBe(4);
    expect(fill(b, 1000)).toBeCloseTo(0.5);
  });

  it("a clock going backwards adds nothing", () => {
    const b = { ...newBucket({ requests: 4, perSeconds: 2 }, 1000), tokens: 1 };
    expect(refill(b, 0).tokens).toBe(1);
  });

  it("charges a batch its length, and a cost above capacity at most the capacity", () => {
    const b = newBucket({ requests: 5, perSeconds: 1 }, 0);
    const r = take(b, 3, 0);
    expect(r.ok && r.bucket.tokens).toBe(2);
    expect(take(r.bucket, 3, 0)).toMatchObject({ ok: false, waitMs: 200 });
    expect(waitFor(r.bucket, 50)).toBe(600); // clamped to capacity 5: needs 3 more tokens
    expect(take(b, 50, 0)).toMatchObject({ ok: true, bucket: { tokens: 0 } });
  });

  it("a denied take spends nothing", () => {
    const b = { ...newBucket({ requests: 5, perSeconds: 1 }, 0), tokens: 1 };
    const r = take(b, 3, 0);
    expect(r.ok).toBe(false);
    expect(r.bucket.tokens).toBe(1);
  });

  it("never lets more than the budget through over a simulated minute of greedy callers", () => {
    // A provider allowing 5 requests per second; callers try every 7 ms and obey waitMs.
    const quota = { requests: 5, perSeconds: 1 };
    let b = newBucket(quota, 0);
    const sent: number[] = [];
    const callers = Array.from({ length: 8 }, (_, i) => ({ next: i }));
    for (let now = 0; now < 60_000; now++) {
      for (const c of callers) {
        if (now < c.next) continue;
        const r = take(b, 1, now);
        b = r.bucket;
        if (r.ok) {
          sent.push(now);
          c.next = now + 7;
        } else {
          expect(r.waitMs).toBeGreaterThan(0);
          c.next = now + r.waitMs;
        }
      }
    }
    // The token-bucket guarantee: in any interval [a, b], at most capacity + rate × (b − a) calls.
    const rate = quota.requests / (quota.perSeconds * 1000);
    let worstExcess = -Infinity;
    for (let i = 0; i < sent.length; i++) {
      for (let j = i; j < sent.length; j++) worstExcess = Math.max(worstExcess, j - i + 1 - (quota.requests + rate * (sent[j]! - sent[i]!)));
    }
    expect(worstExcess).toBeLessThanOrEqual(1e-6);
    // Over the minute: the initial burst plus the refill, and the waiting callers got (nearly) all of it.
    expect(sent.length).toBeLessThanOrEqual(5 + 5 * 60);
    expect(sent.length).toBeGreaterThanOrEqual(5 * 60 - 1);
  });

  it("keeps the same fraction of tokens when the quota changes", () => {
    const b = { ...newBucket({ requests: 10, perSeconds: 1 }, 0), tokens: 5 };
    const r = resize(b, { requests: 100, perSeconds: 1 }, 0);
    expect(r.capacity).toBe(100);
    expect(r.tokens).toBe(50);
    expect(resize(b, { requests: 10, perSeconds: 1 }, 0)).toEqual(b);
  });

  it("rejects a quota that is not positive", () => {
    expect(() => newBucket({ requests: 0, perSeconds: 1 }, 0)).toThrow(RangeError);
  });
});
