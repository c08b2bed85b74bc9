// The Signer's decisions as pure functions: resync, settling, re-broadcast and
// fee replacement, with time and chain readings supplied by the test.
import { describe, expect, it } from "vitest";
import { parseGwei } from "viem";
import { bumpFees, findHoles, initialFees, nextNonceAfterResync, nonceUsed, planMaintenance, settleByReceipt, type InFlight, type SignerConfig, type UsedNonceAnswer } from "../../workers/deployer/src/nonce";

const cfg: SignerConfig = { rebroadcastAfterMs: 5_000, stuckAfterMs: 3_000, maxFeeCap: parseGwei("100"), tip: parseGwei("1") };
const tx = (nonce: number, over: Partial<InFlight> = {}): InFlight => ({
  nonce, launchId: `l${nonce}`, tokenAddress: "0x01", to: "0x02", data: "0x", gas: "300000", hash: `0x${nonce}`, raw: "0x",
  maxFee: parseGwei("3").toString(), tip: parseGwei("1").toString(), firstSentAt: 0, sentAt: 0, replacements: 0, ...over,
});

describe("nonce resync", () => {
  it("continues after the chain's pending count when nothing of ours is in flight", () => {
    expect(nextNonceAfterResync(7, [])).toBe(7);
  });
  it("continues after our own in-flight transactions the node has not seen yet (they are re-sent, not re-signed)", () => {
    expect(nextNonceAfterResync(5, [tx(5), tx(6), tx(7)])).toBe(8);
  });
  it("jumps past nonces someone else used on the account", () => {
    expect(nextNonceAfterResync(12, [tx(5)])).toBe(12);
  });
  it("asks about the nonces the chain has used, not the ones still being signed", () => {
    expect(nonceUsed(6, [tx(4), tx(5, { raw: "" }), tx(6)]).map((t) => t.nonce)).toEqual([4]);
  });
});

describe("fees", () => {
  it("starts at twice the base fee plus the tip, under the cap", () => {
    expect(initialFees(parseGwei("1"), cfg)).toEqual({ maxFeePerGas: parseGwei("3"), maxPriorityFeePerGas: parseGwei("1") });
    expect(initialFees(parseGwei("80"), cfg).maxFeePerGas).toBe(parseGwei("100"));
  });
  it("bumps both fee cap and tip by more than 10% and clears the new base fee", () => {
    const next = bumpFees({ maxFeePerGas: parseGwei("3"), maxPriorityFeePerGas: parseGwei("1") }, parseGwei("10"), cfg.maxFeeCap)!;
    expect(next.maxPriorityFeePerGas).toBeGreaterThan((parseGwei("1") * 110n) / 100n);
    expect(next.maxFeePerGas).toBeGreaterThanOrEqual(parseGwei("20"));
  });
  it("refuses to bump past the configured maximum", () => {
    expect(bumpFees({ maxFeePerGas: parseGwei("95"), maxPriorityFeePerGas: parseGwei("1") }, parseGwei("200"), cfg.maxFeeCap)).toBeNull();
  });
});

describe("maintenance plan", () => {
  const chain = { latestCount: 10, pendingCount: 10, baseFee: parseGwei("1") };
  it("re-broadcasts a transaction the node has not mined after the window, not before", () => {
    const inflight = [tx(10, { sentAt: 0 }), tx(11, { sentAt: 4_000 })];
    expect(planMaintenance(inflight, chain, 4_999, cfg).rebroadcast).toEqual([]);
    expect(planMaintenance(inflight, chain, 5_000, cfg).rebroadcast.map((t) => t.nonce)).toEqual([10]);
    expect(planMaintenance(inflight, chain, 9_000, cfg).rebroadcast.map((t) => t.nonce)).toEqual([10, 11]);
  });
  it("does not re-broadcast a transaction whose nonce the node's pool already holds (a backlog waiting to be mined)", () => {
    const inflight = [tx(10), tx(11), tx(12)];
    const pooled = { ...chain, pendingCount: 12 }; // the node holds 10 and 11 in its pool; 12 it lost
    expect(planMaintenance(inflight, pooled, 60_000, cfg).rebroadcast.map((t) => t.nonce)).toEqual([12]);
    // Still replaced when stuck under the base fee: the pool holds it, but it would never be mined.
    const plan = planMaintenance(inflight, { ...pooled, baseFee: parseGwei("10") }, 60_000, cfg);
    expect(plan.replace.map((r) => r.tx.nonce)).toEqual([10, 11, 12]);
  });
  it("replaces a transaction stuck under the base fee with higher fees once it has waited", () => {
    const high = { latestCount: 10, pendingCount: 10, baseFee: parseGwei("10") };
    const inflight = [tx(10, { sentAt: 1_000 })];
    expect(planMaintenance(inflight, high, 2_000, cfg).replace).toEqual([]);
    const plan = planMaintenance(inflight, high, 4_000, cfg);
    expect(plan.replace).toHaveLength(1);
    expect(plan.replace[0]!.fees.maxFeePerGas).toBeGreaterThan(parseGwei("10"));
    expect(plan.rebroadcast).toEqual([]);
  });
  it("reports a stuck transaction it may not bump because of the cap", () => {
    const spike = { latestCount: 10, pendingCount: 10, baseFee: parseGwei("500") };
    const plan = planMaintenance([tx(10, { maxFee: parseGwei("100").toString() })], spike, 10_000, cfg);
    expect(plan.replace).toEqual([]);
    expect(plan.capped.map((t) => t.nonce)).toEqual([10]);
  });
  it("hands used nonces to the receipt check and leaves them alone otherwise", () => {
    const plan = planMaintenance([tx(8), tx(9), tx(10)], chain, 100_000, cfg);
    expect(plan.used.map((t) => t.nonce)).toEqual([8, 9]);
    expect(plan.rebroadcast.map((t) => t.nonce)).toEqual([10]);
  });
});

const SELF = "0x00000000000000000000000000000000000000aa";
describe("settling by receipt, not by nonce count", () => {
  const answers = (m: Record<number, UsedNonceAnswer>) => (t: InFlight) => m[t.nonce] ?? null;
  it("settles a used nonce only with a receipt for the stored hash", () => {
    const r = settleByReceipt(10, [tx(7), tx(8)], answers({ 7: { receipt: true, tokenExists: true }, 8: { receipt: false, tokenExists: false } }), SELF);
    expect(r.settle.map((t) => t.nonce)).toEqual([7]);
    // Another transaction used nonce 8 (the chain's count passed it, our hash has no receipt): taken, sent again.
    expect(r.taken.map((t) => t.nonce)).toEqual([8]);
  });
  it("settles a launch whose token exists though the stored hash has no receipt (an earlier signing of the nonce won)", () => {
    const r = settleByReceipt(10, [tx(7)], answers({ 7: { receipt: false, tokenExists: true } }), SELF);
    expect(r.settle.map((t) => t.nonce)).toEqual([7]);
    expect(r.taken).toEqual([]);
  });
  it("settles a gap-fill only by its own receipt, never by the launch's token", () => {
    const fill = tx(7, { to: SELF.toUpperCase().replace("0X", "0x") });
    expect(settleByReceipt(10, [fill], answers({ 7: { receipt: false, tokenExists: true } }), SELF).taken).toHaveLength(1);
    expect(settleByReceipt(10, [fill], answers({ 7: { receipt: true, tokenExists: false } }), SELF).settle).toHaveLength(1);
  });
  it("decides nothing without an answer from the chain, and nothing above the chain's count", () => {
    const r = settleByReceipt(8, [tx(7), tx(8), tx(9)], answers({ 8: { receipt: false, tokenExists: false } }), SELF);
    expect(r).toEqual({ settle: [], taken: [] });
  });
});

describe("holes in the nonce sequence", () => {
  const at = 100_000;
  it("finds nonces below our in-flight ones that the chain has no transaction for, once they have waited", () => {
    // A reorg dropped nonce 5 (settled earlier); 6 and 7 wait behind it.
    const inflight = [tx(6, { firstSentAt: at - 6_000 }), tx(7, { firstSentAt: at - 6_000 })];
    expect(findHoles(inflight, 5, at, cfg)).toEqual([5]);
    expect(findHoles(inflight, 3, at, cfg)).toEqual([3, 4, 5]);
  });
  it("waits while the transaction behind the nonce is young (the node may just lag)", () => {
    expect(findHoles([tx(6, { firstSentAt: at - 1_000 })], 5, at, cfg)).toEqual([]);
    expect(findHoles([tx(6, { firstSentAt: at - 1_000 })], 5, at + 4_000, cfg)).toEqual([5]);
  });
  it("finds none when the chain's pending count reaches our lowest nonce", () => {
    expect(findHoles([tx(6), tx(7)], 6, at, cfg)).toEqual([]);
    expect(findHoles([tx(6), tx(7)], 9, at, cfg)).toEqual([]);
    expect(findHoles([], 3, at, cfg)).toEqual([]);
  });
  it("finds a nonce between in-flight ones whose signing failed, not one being signed", () => {
    expect(findHoles([tx(5), tx(7)], 5, at, cfg)).toEqual([6]);
    expect(findHoles([tx(5), tx(6, { raw: "" }), tx(7)], 5, at, cfg)).toEqual([]);
  });
  it("fills at most `max` at a time", () => {
    expect(findHoles([tx(100)], 0, at, cfg, 3)).toEqual([0, 1, 2]);
  });
});
