// The ledger reconciliation's plan (core credits/reconcile.ts): facts in, corrections out,
// each with its reason; applying the plan and planning again finds nothing.
import { describe, expect, it } from "vitest";
import { apply, balancesFromEntries, emptyLedger, isRefusal, restoreEntry, stateFromEntries, type Command, type LedgerEntry } from "@tokenforge/core/credits/ledger";
import { launchesToCheck, planReconciliation, type ChainDeposit, type Correction, type LaunchFact, type ReconcileFacts } from "@tokenforge/core/credits/reconcile";

const T0 = Date.UTC(2026, 10, 28, 4);
const noCaps = { perKeyPerDay: null, perUserPerDay: null };
const ETH = "local-eth";

/** The entries a ledger writes for these commands. */
function entriesOf(commands: Command[], now = T0): LedgerEntry[] {
  let s = emptyLedger();
  const out: LedgerEntry[] = [];
  for (const c of commands) {
    const r = apply(s, c, now);
    if (isRefusal(r)) throw new Error(`refused: ${r.refused}`);
    s = r.state;
    out.push(...r.entries);
  }
  return out;
}

/** What the job does with a plan: the ledger's entries after applying it (imports, then commands with their reasons). */
function applyPlan(ledger: LedgerEntry[], corrections: Correction[], now: number): LedgerEntry[] {
  let { state } = stateFromEntries(ledger);
  const out = [...ledger];
  for (const c of corrections) {
    const r = c.kind === "import" ? restoreEntry(state, c.entry)
      : c.kind === "deposit" ? apply(state, { kind: "deposit", chain: c.chain, tx: c.tx, from: c.from, amount: c.amount, reconcile: c.reason }, now)
        : apply(state, { kind: c.kind, launchId: c.launchId, reservation: c.reservation, reconcile: c.reason }, now);
    if (isRefusal(r)) throw new Error(`correction refused: ${r.refused}`);
    state = r.state;
    out.push(...r.entries);
  }
  return out;
}

const dep = (tx: string, amount: bigint): ChainDeposit => ({ chain: ETH, tx, from: "0xAbC", amount, block: 7 });
const history: Command[] = [
  { kind: "deposit", chain: ETH, tx: "0xd1", from: "0xAbC", amount: 1000n },
  { kind: "reserve", chain: ETH, launchId: "l1", amount: 100n, keyId: null, caps: noCaps },
  { kind: "capture", launchId: "l1" },
  { kind: "reserve", chain: ETH, launchId: "l2", amount: 100n, keyId: null, caps: noCaps },
  { kind: "reserve", chain: ETH, launchId: "l3", amount: 100n, keyId: null, caps: noCaps },
];

describe("planReconciliation", () => {
  it("a ledger in step with its copy and its causes needs nothing", () => {
    const ledger = entriesOf(history);
    const launches: LaunchFact[] = [{ launchId: "l2", status: "submitted", onChain: "absent" }, { launchId: "l3", status: "queued", onChain: "unknown" }];
    const plan = planReconciliation({ ledger, copy: ledger, deposits: [dep("0xd1", 1000n)], launches }, T0);
    expect(plan).toMatchObject({ recopy: [], corrections: [], findings: [] });
    expect(plan.balances[ETH]).toEqual({ available: 700n, reserved: 200n });
  });

  it("a ledger ahead of D1 (D1 restored older): its newer entries are copied again, and nothing is corrected", () => {
    const ledger = entriesOf(history);
    const plan = planReconciliation({ ledger, copy: ledger.slice(0, 2), deposits: [], launches: [] }, T0);
    expect(plan.recopy).toEqual(ledger.slice(2).map((e) => e.key));
    expect(plan.corrections).toEqual([]);
  });

  it("a ledger behind (restored older, or lost): takes back the copy's entries, credits the deposit on chain once, captures what is deployed, refunds what failed", () => {
    const all = entriesOf(history);
    const facts: ReconcileFacts = {
      ledger: [],
      copy: all,
      deposits: [dep("0xd1", 1000n), dep("0xd2", 500n)],
      launches: [
        { launchId: "l2", status: "submitted", onChain: "deployed" },
        { launchId: "l3", status: "failed", onChain: "absent" },
      ],
    };
    const plan = planReconciliation(facts, T0 + 1);
    expect(plan.corrections.map((c) => (c.kind === "import" ? `import ${c.entry.key}` : c.kind === "deposit" ? `deposit ${c.tx}` : `${c.kind} ${c.launchId}:${c.reservation}`))).toEqual([
      ...all.map((e) => `import ${e.key}`), "deposit 0xd2", "capture l2:1", "refund l3:1",
    ]);
    for (const c of plan.corrections) expect(c.reason.length).toBeGreaterThan(10);
    expect(plan.balances[ETH]).toEqual({ available: 1000n - 300n + 100n + 500n, reserved: 0n });

    // Applied, the entries name their cause; planning again corrects nothing.
    const after = applyPlan([], plan.corrections, T0 + 1);
    expect(balancesFromEntries(after)).toEqual(plan.balances);
    const added = after.filter((e) => e.cause.type === "reconcile");
    expect(added.map((e) => [e.key, e.kind])).toEqual([["deposit:local-eth:0xd2", "deposit"], ["capture:l2:1", "capture"], ["refund:l3:1", "refund"]]);
    expect(added[0]!.cause).toMatchObject({ type: "reconcile", tx: "0xd2", chain: ETH });
    expect(added[1]!.cause).toMatchObject({ type: "reconcile", launchId: "l2", reservation: 1 });
    const again = planReconciliation({ ...facts, ledger: after, copy: after }, T0 + 2);
    expect(again).toMatchObject({ recopy: [], corrections: [], findings: [] });
  });

  it("a deposit the reconciliation credited is a duplicate for the deposit route (one key), and the other way round", () => {
    const ledger = entriesOf([{ kind: "deposit", chain: ETH, tx: "0xd2", from: "0xAbC", amount: 500n, reconcile: "found on chain" }]);
    const r = apply(stateFromEntries(ledger).state, { kind: "deposit", chain: ETH, tx: "0xd2", from: "0xAbC", amount: 500n }, T0);
    expect(!isRefusal(r) && r.duplicate).toBe(true);
    const plan = planReconciliation({ ledger: entriesOf([{ kind: "deposit", chain: ETH, tx: "0xd2", from: "0xAbC", amount: 500n }]), copy: [], deposits: [dep("0xd2", 500n)], launches: [] }, T0);
    expect(plan.corrections).toEqual([]);
  });

  it("never closes a reservation the chain has not decided, and never charges a refunded one again (a finding instead)", () => {
    const ledger = entriesOf([...history, { kind: "refund", launchId: "l3", reason: "launch never written" }]);
    const plan = planReconciliation({
      ledger, copy: ledger, deposits: [],
      launches: [{ launchId: "l2", status: "failed", onChain: "unknown" }, { launchId: "l3", status: null, onChain: "deployed" }],
    }, T0);
    expect(plan.corrections).toEqual([]);
    expect(plan.findings).toEqual([expect.objectContaining({ kind: "refunded-but-deployed", launchId: "l3" })]);
  });

  it("refuses to take back a copy's entry that would make a balance negative or close a reservation twice", () => {
    const copy = entriesOf(history);
    const ledger = entriesOf([{ kind: "grant", chain: ETH, amount: 50n, by: "op", reason: "r", key: "g1" }]);
    // Without its deposit the copy's reservations do not fit: they are findings, not entries.
    const plan = planReconciliation({ ledger, copy: copy.slice(1), deposits: [], launches: [] }, T0);
    expect(plan.corrections.filter((c) => c.kind === "import")).toEqual([]);
    expect(plan.findings.map((f) => f.kind)).toContain("import-refused");
    expect(Object.values(plan.balances).every((b) => b.available >= 0n && b.reserved >= 0n)).toBe(true);
  });

  it("does not mutate its input", () => {
    const ledger = entriesOf(history);
    const frozen = JSON.stringify(ledger, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    planReconciliation({ ledger, copy: [], deposits: [dep("0xd9", 1n)], launches: [{ launchId: "l2", status: "confirmed", onChain: "deployed" }] }, T0);
    expect(JSON.stringify(ledger, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).toBe(frozen);
  });

  it("asks the chain only about launches with a reservation not captured", () => {
    const all = entriesOf(history);
    expect(launchesToCheck([], all).sort()).toEqual(["l2", "l3"]);
    expect(launchesToCheck(all.slice(0, 3), []).sort()).toEqual([]);
  });
});
