// The credits ledger of one user (issue 17) as a pure state machine: what a
// deposit, a grant, a launch's reservation, capture or refund does to the
// balances, which commands are refused, and the entries each writes. The
// Ledger Durable Object owns the state (one per user, its SQLite holds entries
// and balances in one transaction) and passes the clock in; D1 gets a copy of
// the entries. Amounts are bigints in the chain's smallest unit: wei overflow
// SQLite's 64-bit integers past 9.2 ETH, so sums are done here, not in SQL.
//
// Invariants (test/unit/credits-ledger.test.ts checks them after every step):
//   - per chain, available = Σ deposits + grants + refunds − reserves, and
//     reserved = Σ reserves − captures − refunds, both never negative;
//   - a reservation is closed at most once, by a capture or by a refund, never both;
//   - a deposit is credited once per transaction; a command is idempotent by its key.
//
// Pure: no I/O, no clock.

export type ChainBalance = { available: bigint; reserved: bigint };

/** Why an entry exists: every entry names its cause. */
export type EntryCause =
  | { type: "deposit"; chain: string; tx: string; from: string }
  | { type: "grant"; by: string; reason: string }
  | { type: "launch"; launchId: string; reservation: number }
  | { type: "release"; launchId: string; reservation: number; reason: string }
  /** Written by the ledger reconciliation (credits/reconcile.ts): what it found and where (a deposit's tx, a launch id). */
  | { type: "reconcile"; reason: string; chain: string; tx?: string; from?: string; launchId?: string; reservation?: number };

export type EntryKind = "deposit" | "grant" | "reserve" | "capture" | "refund";

export type LedgerEntry = {
  /** Unique per effect: `deposit:<chain>:<tx>`, `reserve:<launchId>:<n>`, … — a repeated command finds it and changes nothing. */
  key: string;
  kind: EntryKind;
  chain: string;
  /** Positive amount in the chain's smallest unit; the kind says which balance it moves. */
  amount: bigint;
  cause: EntryCause;
  /** The API key that spent (reserve), for its spend cap; null for sessions and non-spending entries. */
  keyId: string | null;
  at: number;
};

/** A reservation of a launch: the n-th (a replay after a refund reserves again, as n + 1). */
export type Reservation = { launchId: string; n: number; chain: string; amount: bigint; keyId: string | null; at: number; closed: "capture" | "refund" | null };

export type LedgerState = {
  balances: Record<string, ChainBalance>;
  /** Open and closed reservations by `launchId:n`. */
  reservations: Record<string, Reservation>;
  /** Keys of every entry written (idempotency). */
  keys: Set<string>;
};

/** Spend caps that apply to one reservation (amounts per UTC day); null: no cap. */
export type Caps = { perKeyPerDay: bigint | null; perUserPerDay: bigint | null };

export type Command =
  | { kind: "deposit"; chain: string; tx: string; from: string; amount: bigint; reconcile?: string }
  | { kind: "grant"; chain: string; amount: bigint; by: string; reason: string; key: string }
  | { kind: "reserve"; chain: string; launchId: string; amount: bigint; keyId: string | null; caps: Caps }
  | { kind: "capture"; launchId: string; reservation?: number; reconcile?: string }
  | { kind: "refund"; launchId: string; reason?: string; reservation?: number; reconcile?: string };

export type Refusal =
  | { refused: "insufficient-credits"; balance: bigint; required: bigint }
  | { refused: "spend-cap"; scope: "key" | "user"; cap: bigint; spent: bigint; required: bigint }
  | { refused: "already-reserved"; reservation: number }
  | { refused: "no-reservation" }
  | { refused: "invalid-amount" };

export type Applied = { state: LedgerState; entries: LedgerEntry[]; duplicate: boolean; reservation?: Reservation };

export const emptyLedger = (): LedgerState => ({ balances: {}, reservations: {}, keys: new Set() });

const DAY_MS = 86_400_000;
const dayOf = (t: number) => Math.floor(t / DAY_MS);
const balanceOf = (s: LedgerState, chain: string): ChainBalance => s.balances[chain] ?? { available: 0n, reserved: 0n };

/** The latest reservation of a launch (open or closed), or null. */
export function latestReservation(s: LedgerState, launchId: string): Reservation | null {
  let found: Reservation | null = null;
  for (const r of Object.values(s.reservations)) if (r.launchId === launchId && (!found || r.n > found.n)) found = r;
  return found;
}

/** What `keyId` (or, with null, the whole user) has reserved and not had refunded on `chain` in now's UTC day. */
export function spentToday(s: LedgerState, chain: string, now: number, keyId: string | null | undefined): bigint {
  let sum = 0n;
  for (const r of Object.values(s.reservations)) {
    if (r.chain !== chain || r.closed === "refund" || dayOf(r.at) !== dayOf(now)) continue;
    if (keyId !== undefined && r.keyId !== keyId) continue;
    sum += r.amount;
  }
  return sum;
}

/** Applies a command at `now`: the new state and the entries to store, or why it is refused. Never mutates `s`. */
export function apply(s: LedgerState, c: Command, now: number): Applied | Refusal {
  switch (c.kind) {
    case "deposit":
      // The same key whoever credits it (the deposit route, the cron, the reconciliation): a transaction is credited once.
      return credit(s, "deposit", c.chain, c.amount, `deposit:${c.chain}:${c.tx}`, c.reconcile
        ? { type: "reconcile", reason: c.reconcile, chain: c.chain, tx: c.tx, from: c.from }
        : { type: "deposit", chain: c.chain, tx: c.tx, from: c.from }, now);
    case "grant":
      return credit(s, "grant", c.chain, c.amount, `grant:${c.key}`, { type: "grant", by: c.by, reason: c.reason }, now);
    case "reserve":
      return reserve(s, c, now);
    case "capture":
    case "refund":
      return close(s, c, now);
  }
}

function credit(s: LedgerState, kind: "deposit" | "grant", chain: string, amount: bigint, key: string, cause: EntryCause, now: number): Applied | Refusal {
  if (amount <= 0n) return { refused: "invalid-amount" };
  if (s.keys.has(key)) return { state: s, entries: [], duplicate: true };
  const b = balanceOf(s, chain);
  const entry: LedgerEntry = { key, kind, chain, amount, cause, keyId: null, at: now };
  return { state: withEntry(s, chain, { available: b.available + amount, reserved: b.reserved }, entry), entries: [entry], duplicate: false };
}

function reserve(s: LedgerState, c: Extract<Command, { kind: "reserve" }>, now: number): Applied | Refusal {
  if (c.amount < 0n) return { refused: "invalid-amount" };
  const last = latestReservation(s, c.launchId);
  // An open or captured reservation is the launch's: asking again (a retried request) finds it.
  if (last && last.closed !== "refund") {
    return last.chain === c.chain && last.amount === c.amount && last.closed === null
      ? { state: s, entries: [], duplicate: true, reservation: last }
      : { refused: "already-reserved", reservation: last.n };
  }
  const b = balanceOf(s, c.chain);
  if (b.available < c.amount) return { refused: "insufficient-credits", balance: b.available, required: c.amount };
  for (const [scope, cap, keyId] of [["key", c.caps.perKeyPerDay, c.keyId], ["user", c.caps.perUserPerDay, undefined]] as const) {
    if (cap === null || (scope === "key" && keyId === null)) continue;
    const spent = spentToday(s, c.chain, now, keyId);
    if (spent + c.amount > cap) return { refused: "spend-cap", scope, cap, spent, required: c.amount };
  }
  const n = (last?.n ?? 0) + 1;
  const reservation: Reservation = { launchId: c.launchId, n, chain: c.chain, amount: c.amount, keyId: c.keyId, at: now, closed: null };
  const entry: LedgerEntry = {
    key: `reserve:${c.launchId}:${n}`, kind: "reserve", chain: c.chain, amount: c.amount,
    cause: { type: "launch", launchId: c.launchId, reservation: n }, keyId: c.keyId, at: now,
  };
  const state = withEntry(s, c.chain, { available: b.available - c.amount, reserved: b.reserved + c.amount }, entry);
  state.reservations = { ...state.reservations, [`${c.launchId}:${n}`]: reservation };
  return { state, entries: [entry], duplicate: false, reservation };
}

function close(s: LedgerState, c: Extract<Command, { kind: "capture" | "refund" }>, now: number): Applied | Refusal {
  // A settler that read an older state names the reservation it means, so it cannot close a newer one (a replay's).
  const r = c.reservation !== undefined ? (s.reservations[`${c.launchId}:${c.reservation}`] ?? null) : latestReservation(s, c.launchId);
  if (!r) return { refused: "no-reservation" };
  // Closed already: the same close again is a no-op; the other one is refused (a capture excludes a refund).
  if (r.closed) return r.closed === c.kind ? { state: s, entries: [], duplicate: true, reservation: r } : { refused: "no-reservation" };
  const b = balanceOf(s, r.chain);
  const cause: EntryCause = c.reconcile
    ? { type: "reconcile", reason: c.reconcile, chain: r.chain, launchId: r.launchId, reservation: r.n }
    : c.kind === "refund" && c.reason
    ? { type: "release", launchId: r.launchId, reservation: r.n, reason: c.reason }
    : { type: "launch", launchId: r.launchId, reservation: r.n };
  const entry: LedgerEntry = { key: `${c.kind}:${r.launchId}:${r.n}`, kind: c.kind, chain: r.chain, amount: r.amount, cause, keyId: r.keyId, at: now };
  const next: ChainBalance = c.kind === "capture"
    ? { available: b.available, reserved: b.reserved - r.amount }
    : { available: b.available + r.amount, reserved: b.reserved - r.amount };
  const state = withEntry(s, r.chain, next, entry);
  const closed: Reservation = { ...r, closed: c.kind };
  state.reservations = { ...state.reservations, [`${r.launchId}:${r.n}`]: closed };
  return { state, entries: [entry], duplicate: false, reservation: closed };
}

function withEntry(s: LedgerState, chain: string, balance: ChainBalance, entry: LedgerEntry): LedgerState {
  const keys = new Set(s.keys);
  keys.add(entry.key);
  return { balances: { ...s.balances, [chain]: balance }, reservations: s.reservations, keys };
}

/** Balances recomputed from entries alone (the invariant's other side; also what a D1 copy is checked against). */
export function balancesFromEntries(entries: readonly LedgerEntry[]): Record<string, ChainBalance> {
  const out: Record<string, ChainBalance> = {};
  for (const e of entries) {
    const b = (out[e.chain] ??= { available: 0n, reserved: 0n });
    if (e.kind === "deposit" || e.kind === "grant") b.available += e.amount;
    else if (e.kind === "reserve") [b.available, b.reserved] = [b.available - e.amount, b.reserved + e.amount];
    else if (e.kind === "capture") b.reserved -= e.amount;
    else [b.available, b.reserved] = [b.available + e.amount, b.reserved - e.amount];
  }
  return out;
}

/**
 * Takes back an entry the ledger lost (its object was restored to an older point,
 * or lost) from D1's copy: the same key, kind, amount, cause and time, applied
 * without the spending checks it passed when first written, but never to a
 * negative balance and never closing a reservation twice. A key the ledger holds
 * is a duplicate.
 */
export function restoreEntry(s: LedgerState, e: LedgerEntry): Applied | Refusal {
  if (e.amount < 0n) return { refused: "invalid-amount" };
  if (s.keys.has(e.key)) return { state: s, entries: [], duplicate: true };
  const b = balanceOf(s, e.chain);
  if (e.kind === "deposit" || e.kind === "grant") {
    return { state: withEntry(s, e.chain, { available: b.available + e.amount, reserved: b.reserved }, e), entries: [e], duplicate: false };
  }
  const launchId = "launchId" in e.cause ? e.cause.launchId : undefined;
  const n = "reservation" in e.cause ? e.cause.reservation : undefined;
  if (launchId === undefined || n === undefined) return { refused: "no-reservation" };
  const id = `${launchId}:${n}`;
  if (e.kind === "reserve") {
    if (s.reservations[id]) return { refused: "already-reserved", reservation: n };
    if (b.available < e.amount) return { refused: "insufficient-credits", balance: b.available, required: e.amount };
    const reservation: Reservation = { launchId, n, chain: e.chain, amount: e.amount, keyId: e.keyId, at: e.at, closed: null };
    const state = withEntry(s, e.chain, { available: b.available - e.amount, reserved: b.reserved + e.amount }, e);
    state.reservations = { ...state.reservations, [id]: reservation };
    return { state, entries: [e], duplicate: false, reservation };
  }
  const r = s.reservations[id];
  if (!r || r.closed || r.amount !== e.amount || r.chain !== e.chain) return { refused: "no-reservation" };
  const next: ChainBalance = e.kind === "capture"
    ? { available: b.available, reserved: b.reserved - r.amount }
    : { available: b.available + r.amount, reserved: b.reserved - r.amount };
  const state = withEntry(s, r.chain, next, e);
  const closed: Reservation = { ...r, closed: e.kind };
  state.reservations = { ...state.reservations, [id]: closed };
  return { state, entries: [e], duplicate: false, reservation: closed };
}

/** The model's state after `entries` in order (a copy's entries, or the ledger's own); refused ones are returned, not applied. */
export function stateFromEntries(entries: readonly LedgerEntry[]): { state: LedgerState; refused: LedgerEntry[] } {
  let state = emptyLedger();
  const refused: LedgerEntry[] = [];
  for (const e of entries) {
    const r = restoreEntry(state, e);
    if (isRefusal(r)) refused.push(e);
    else state = r.state;
  }
  return { state, refused };
}

export const isRefusal = (x: Applied | Refusal): x is Refusal => "refused" in x;
