import { describe, expect, it } from "vitest";
import {
  apply, balancesFromEntries, emptyLedger, isRefusal, latestReservation, spentToday,
  type Applied, type Command, type LedgerEntry, type LedgerState,
} from "@tokenforge/core/credits/ledger";

const T0 = Date.UTC(2026, 10, 27, 12);
const noCaps = { perKeyPerDay: null, perUserPerDay: null };

/** Runs commands, keeping every entry written, and checks the invariants after each step. */
function run(commands: Command[], start: LedgerState = emptyLedger(), now = T0) {
  let state = start;
  const entries: LedgerEntry[] = [];
  const results: (Applied | ReturnType<typeof apply>)[] = [];
  for (const c of commands) {
    const r = apply(state, c, now);
    results.push(r);
    if (!isRefusal(r)) {
      state = r.state;
      entries.push(...r.entries);
    }
    checkInvariants(state, entries);
  }
  return { state, entries, results };
}

function checkInvariants(state: LedgerState, entries: LedgerEntry[]) {
  const derived = balancesFromEntries(entries);
  for (const chain of new Set([...Object.keys(derived), ...Object.keys(state.balances)])) {
    const b = state.balances[chain] ?? { available: 0n, reserved: 0n };
    expect(b).toEqual(derived[chain] ?? { available: 0n, reserved: 0n });
    expect(b.available >= 0n && b.reserved >= 0n).toBe(true);
  }
  const keys = entries.map((e) => e.key);
  expect(new Set(keys).size).toBe(keys.length);
  // A reservation is closed at most once, by a capture or a refund, never both.
  for (const r of Object.values(state.reservations)) {
    const closes = entries.filter((e) => (e.kind === "capture" || e.kind === "refund") && e.key.endsWith(`:${r.launchId}:${r.n}`));
    expect(closes.length).toBe(r.closed ? 1 : 0);
  }
}

describe("the credits ledger", () => {
  it("credits a deposit once per transaction, however often it is reported", () => {
    const d: Command = { kind: "deposit", chain: "local-eth", tx: "0xabc", from: "0x1", amount: 10n ** 18n };
    const { state, entries, results } = run([d, d, d]);
    expect(state.balances["local-eth"]).toEqual({ available: 10n ** 18n, reserved: 0n });
    expect(entries).toHaveLength(1);
    expect(results.map((r) => !isRefusal(r) && r.duplicate)).toEqual([false, true, true]);
    expect(entries[0]!.cause).toEqual({ type: "deposit", chain: "local-eth", tx: "0xabc", from: "0x1" });
  });

  it("keeps amounts past 64 bits exact", () => {
    const big = 2n ** 70n + 1n;
    const { state } = run([{ kind: "grant", chain: "c", amount: big, by: "admin", reason: "test", key: "g1" }, { kind: "reserve", chain: "c", launchId: "l1", amount: 2n ** 70n, keyId: null, caps: noCaps }]);
    expect(state.balances.c).toEqual({ available: 1n, reserved: 2n ** 70n });
  });

  it("refuses a reservation above the balance, naming balance and required", () => {
    const { results, state } = run([
      { kind: "grant", chain: "c", amount: 100n, by: "admin", reason: "t", key: "g" },
      { kind: "reserve", chain: "c", launchId: "l1", amount: 101n, keyId: null, caps: noCaps },
    ]);
    expect(results[1]).toEqual({ refused: "insufficient-credits", balance: 100n, required: 101n });
    expect(state.balances.c).toEqual({ available: 100n, reserved: 0n });
  });

  it("lets exactly as many launches reserve as the credits pay for", () => {
    const commands: Command[] = [{ kind: "grant", chain: "c", amount: 300n, by: "a", reason: "t", key: "g" }];
    for (let i = 0; i < 12; i++) commands.push({ kind: "reserve", chain: "c", launchId: `l${i}`, amount: 100n, keyId: null, caps: noCaps });
    const { results } = run(commands);
    expect(results.slice(1).filter((r) => !isRefusal(r)).length).toBe(3);
    expect(results.slice(1).filter((r) => isRefusal(r) && r.refused === "insufficient-credits").length).toBe(9);
  });

  it("closes a reservation once: a capture excludes a refund and the reverse", () => {
    const base: Command[] = [
      { kind: "grant", chain: "c", amount: 100n, by: "a", reason: "t", key: "g" },
      { kind: "reserve", chain: "c", launchId: "l1", amount: 60n, keyId: null, caps: noCaps },
    ];
    const captured = run([...base, { kind: "capture", launchId: "l1" }, { kind: "capture", launchId: "l1" }, { kind: "refund", launchId: "l1" }]);
    expect(captured.state.balances.c).toEqual({ available: 40n, reserved: 0n });
    expect(captured.results[3]).toMatchObject({ duplicate: true });
    expect(captured.results[4]).toEqual({ refused: "no-reservation" });

    const refunded = run([...base, { kind: "refund", launchId: "l1" }, { kind: "capture", launchId: "l1" }]);
    expect(refunded.state.balances.c).toEqual({ available: 100n, reserved: 0n });
    expect(refunded.results[3]).toEqual({ refused: "no-reservation" });
  });

  it("needs a new reservation to replay a refunded launch, and refuses it without credit", () => {
    const { results, state } = run([
      { kind: "grant", chain: "c", amount: 100n, by: "a", reason: "t", key: "g" },
      { kind: "reserve", chain: "c", launchId: "l1", amount: 100n, keyId: null, caps: noCaps },
      { kind: "reserve", chain: "c", launchId: "l2", amount: 50n, keyId: null, caps: noCaps }, // refused: nothing left
      { kind: "refund", launchId: "l1" }, // l1 failed
      { kind: "reserve", chain: "c", launchId: "l2", amount: 100n, keyId: null, caps: noCaps }, // the refund went to another launch
      { kind: "reserve", chain: "c", launchId: "l1", amount: 100n, keyId: null, caps: noCaps }, // the replay of l1: no credit
    ]);
    expect(results[2]).toMatchObject({ refused: "insufficient-credits" });
    expect(results[5]).toEqual({ refused: "insufficient-credits", balance: 0n, required: 100n });
    expect(latestReservation(state, "l1")).toMatchObject({ n: 1, closed: "refund" });
  });

  it("answers a repeated reservation of the same launch with the one it has", () => {
    const r: Command = { kind: "reserve", chain: "c", launchId: "l1", amount: 10n, keyId: "k1", caps: noCaps };
    const { results, entries } = run([{ kind: "grant", chain: "c", amount: 100n, by: "a", reason: "t", key: "g" }, r, r]);
    expect(results[2]).toMatchObject({ duplicate: true, reservation: { n: 1 } });
    expect(entries.filter((e) => e.kind === "reserve")).toHaveLength(1);
  });

  it("holds a key's and a user's daily spend cap, counting refunds back and starting over the next UTC day", () => {
    const caps = { perKeyPerDay: 100n, perUserPerDay: 150n };
    const grant: Command = { kind: "grant", chain: "c", amount: 1000n, by: "a", reason: "t", key: "g" };
    const { state, results } = run([
      grant,
      { kind: "reserve", chain: "c", launchId: "a", amount: 60n, keyId: "k1", caps },
      { kind: "reserve", chain: "c", launchId: "b", amount: 60n, keyId: "k1", caps }, // key over 100
      { kind: "reserve", chain: "c", launchId: "c", amount: 60n, keyId: "k2", caps }, // user at 120
      { kind: "reserve", chain: "c", launchId: "d", amount: 40n, keyId: null, caps }, // user over 150
      { kind: "refund", launchId: "a" },
      { kind: "reserve", chain: "c", launchId: "e", amount: 60n, keyId: "k1", caps }, // fits again
    ]);
    expect(results[2]).toEqual({ refused: "spend-cap", scope: "key", cap: 100n, spent: 60n, required: 60n });
    expect(isRefusal(results[3]!)).toBe(false);
    expect(results[4]).toEqual({ refused: "spend-cap", scope: "user", cap: 150n, spent: 120n, required: 40n });
    expect(isRefusal(results[6]!)).toBe(false);
    expect(spentToday(state, "c", T0, "k1")).toBe(60n);
    expect(spentToday(state, "c", T0 + 86_400_000, "k1")).toBe(0n);
    const tomorrow = apply(state, { kind: "reserve", chain: "c", launchId: "f", amount: 100n, keyId: "k1", caps }, T0 + 86_400_000);
    expect(isRefusal(tomorrow)).toBe(false);
  });

  it("keeps the invariants over long random runs", () => {
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), (seed >>> 8) % n);
    const chains = ["a", "b"];
    const commands: Command[] = [];
    for (let i = 0; i < 2000; i++) {
      const chain = chains[rnd(2)]!;
      const launchId = `l${rnd(60)}`;
      const pick = rnd(6);
      if (pick === 0) commands.push({ kind: "deposit", chain, tx: `t${rnd(40)}`, from: "w", amount: BigInt(rnd(500) + 1) });
      else if (pick === 1) commands.push({ kind: "reserve", chain, launchId, amount: BigInt(rnd(300)), keyId: rnd(2) ? "k" : null, caps: { perKeyPerDay: 5000n, perUserPerDay: null } });
      else if (pick === 2) commands.push({ kind: "capture", launchId });
      else if (pick === 3) commands.push({ kind: "refund", launchId });
      else if (pick === 4) commands.push({ kind: "grant", chain, amount: BigInt(rnd(100) + 1), by: "a", reason: "r", key: `g${rnd(30)}` });
      else commands.push({ kind: "reserve", chain, launchId, amount: BigInt(rnd(50)), keyId: null, caps: noCaps });
    }
    const { entries } = run(commands);
    // The run reached every kind of entry, so the invariants were checked on each.
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(["deposit", "grant", "reserve", "capture", "refund"]));
    expect(entries.length).toBeGreaterThan(300);
  });
});
