// The ledger reconciliation (issue 22): one user's credits compared with their
// causes, and the corrections that make them agree, each with its reason. Pure:
// the facts come in (the Ledger Durable Object's entries, D1's copy of them,
// deposits found on chain, what the chain says of the launches holding an open
// reservation), the plan goes out; the cron's reconcile-credits job reads the
// facts and applies the plan through the ledger's idempotent commands.
//
// The ledger object is the truth; D1's credit_entries its copy (the outbox). After
// a restore they can disagree both ways:
//   - D1 restored to an older point, the object intact: the object is AHEAD. Its
//     entries missing from D1 are copied again (`recopy`) — not a correction.
//   - the object restored to an older point (or lost): it is BEHIND. Entries D1's
//     copy holds and it does not are taken back (`import`), then the chain brings
//     it forward: a deposit to the treasury from a user's wallet that the ledger
//     has not credited is credited (same key as the deposit route's, so at most
//     once), a reservation whose launch is deployed on chain is captured, one whose
//     launch failed or expired without a token is refunded.
// Running it again finds nothing: every correction is an entry with the key the
// normal path would have written, so the second plan sees it.
import { apply, isRefusal, restoreEntry, stateFromEntries, type ChainBalance, type LedgerEntry, type LedgerState } from "./ledger";

/** A final deposit found on chain: a transfer to the treasury from one of the user's wallets. */
export type ChainDeposit = { chain: string; tx: string; from: string; amount: bigint; block: number };

/** A launch holding a reservation: its D1 status (null: no row) and whether its token is on chain. */
export type LaunchFact = { launchId: string; status: string | null; onChain: "deployed" | "absent" | "unknown" };

export type ReconcileFacts = {
  /** The ledger object's entries in its order. */
  ledger: readonly LedgerEntry[];
  /** D1's copy of this user's entries, in the ledger's order (seq). */
  copy: readonly LedgerEntry[];
  deposits: readonly ChainDeposit[];
  launches: readonly LaunchFact[];
};

export type Correction =
  | { kind: "import"; entry: LedgerEntry; reason: string }
  | { kind: "deposit"; chain: string; tx: string; from: string; amount: bigint; reason: string }
  | { kind: "capture" | "refund"; launchId: string; reservation: number; chain: string; amount: bigint; reason: string };

/** Disagreements a rule must not settle alone (money would move against the user's or the platform's word): an operator looks. */
export type Finding = { kind: "import-refused" | "refunded-but-deployed"; key?: string; launchId?: string; detail: string };

export type ReconcilePlan = {
  /** Keys of the ledger's entries that D1's copy lacks (copied again; not corrections). */
  recopy: string[];
  corrections: Correction[];
  findings: Finding[];
  /** The balances once the corrections are applied. */
  balances: Record<string, ChainBalance>;
};

const FINAL_WITHOUT_TOKEN = new Set(["failed", "expired"]);

/** The plan for one user at `now` (the time its simulated entries carry). Never mutates its input. */
export function planReconciliation(f: ReconcileFacts, now: number): ReconcilePlan {
  const copied = new Set(f.copy.map((e) => e.key));
  const recopy = f.ledger.filter((e) => !copied.has(e.key)).map((e) => e.key);
  const corrections: Correction[] = [];
  const findings: Finding[] = [];
  let { state } = stateFromEntries(f.ledger);

  // 1. The copy holds what the ledger lost: take it back, in the ledger's original order.
  for (const e of f.copy) {
    if (state.keys.has(e.key)) continue;
    const r = restoreEntry(state, e);
    if (isRefusal(r)) {
      findings.push({ kind: "import-refused", key: e.key, detail: `D1's copy holds ${e.key} but the ledger cannot take it back (${r.refused})` });
      continue;
    }
    state = r.state;
    corrections.push({ kind: "import", entry: e, reason: "in D1's copy of the ledger but not in the ledger (the ledger object was restored to an older point or lost)" });
  }

  // 2. Deposits on chain the ledger has not credited.
  for (const d of f.deposits) {
    const reason = `deposit to the treasury found on chain (${d.chain} block ${d.block}, from ${d.from}) and not in the ledger`;
    const r = apply(state, { kind: "deposit", chain: d.chain, tx: d.tx, from: d.from, amount: d.amount, reconcile: reason }, now);
    if (isRefusal(r) || r.duplicate) continue;
    state = r.state;
    corrections.push({ kind: "deposit", chain: d.chain, tx: d.tx, from: d.from, amount: d.amount, reason });
  }

  // 3. Reservations still open whose launch the chain (or its final status) has decided.
  const facts = new Map(f.launches.map((l) => [l.launchId, l]));
  for (const r of sortedReservations(state)) {
    const fact = facts.get(r.launchId);
    if (!fact) continue;
    if (r.closed === null) {
      const close = fact.onChain === "deployed"
        ? { kind: "capture" as const, reason: `the launch's token is deployed on chain (status ${fact.status ?? "no row"}) and its reservation was still open` }
        : fact.onChain === "absent" && fact.status !== null && FINAL_WITHOUT_TOKEN.has(fact.status)
          ? { kind: "refund" as const, reason: `the launch is ${fact.status} and has no token on chain; its reservation was still open` }
          : null;
      if (!close) continue;
      const applied = apply(state, { kind: close.kind, launchId: r.launchId, reservation: r.n, reconcile: close.reason }, now);
      if (isRefusal(applied) || applied.duplicate) continue;
      state = applied.state;
      corrections.push({ kind: close.kind, launchId: r.launchId, reservation: r.n, chain: r.chain, amount: r.amount, reason: close.reason });
    } else if (r.closed === "refund" && fact.onChain === "deployed" && isLatest(state, r.launchId, r.n)) {
      // Charging again could take credits the user has since spent: an operator decides (a grant back or a reserve).
      findings.push({ kind: "refunded-but-deployed", launchId: r.launchId, detail: `reservation ${r.n} was refunded but the launch's token is on chain` });
    }
  }
  return { recopy, corrections, findings, balances: state.balances };
}

const sortedReservations = (s: LedgerState) => Object.values(s.reservations).sort((a, b) => a.at - b.at || a.launchId.localeCompare(b.launchId) || a.n - b.n);

function isLatest(s: LedgerState, launchId: string, n: number): boolean {
  return !Object.values(s.reservations).some((r) => r.launchId === launchId && r.n > n);
}

/** Launch ids whose chain state the plan needs: those with an open reservation, in the ledger or once the copy is taken back. */
export function launchesToCheck(ledger: readonly LedgerEntry[], copy: readonly LedgerEntry[]): string[] {
  const { state } = stateFromEntries(ledger);
  let s = state;
  for (const e of copy) {
    const r = restoreEntry(s, e);
    if (!isRefusal(r)) s = r.state;
  }
  return [...new Set(Object.values(s.reservations).filter((r) => r.closed !== "capture").map((r) => r.launchId))];
}
