// The chain: one LiteSVM instance plus what litesvm does not model — slots and block
// heights, a window of valid blockhashes, commitment levels, a signature history, and a
// parking lot for held transactions (fault injection).
import { EventEmitter } from "node:events";
import { EpochSchedule, LiteSVM } from "litesvm";
import { lamports as toLamports, type Address } from "@solana/kit";
import {
  landsOnChain,
  RpcError,
  RpcErrorCode,
  txErrorFromLitesvm,
  txErrorMessage,
  type TxErrorJson,
} from "./errors";
import { decodeWire, feeForMessage, nonceAccountOf, SYSTEM_PROGRAM, toBase58, verifySignatures, type DecodedTx } from "./tx";
import { isTokenProgram, mintDecimals, parseTokenAccount, uiTokenAmount } from "./token";
import { faucetTransfer, newKeypair } from "./faucet";
import {
  earlyFailure,
  innerInstructionsOf,
  preflightData,
  returnDataOf,
  type AccountState,
  type LitesvmMeta,
  type SimulationResult,
  type TokenBalance,
  type TxRecord,
} from "./execution";

export type { AccountState, SimulationResult, TokenBalance, TxRecord } from "./execution";

export type Commitment = "processed" | "confirmed" | "finalized";

export interface LedgerOptions {
  /** Slots a blockhash stays usable (the real cluster: 150). */
  blockhashExpirySlots: number;
  /** Slots between processed and finalized (the real cluster: ~32). */
  finalizeDepth: number;
}

const HISTORY_LIMIT = 200_000;
const FAUCET_LAMPORTS = 500_000_000n * 1_000_000_000n;
const LOOKUP_TABLE_META_SIZE = 56;

export class Ledger extends EventEmitter {
  readonly svm: LiteSVM;
  readonly expiry: number;
  readonly finalizeDepth: number;
  /** Processed slot; every slot has a block, so block height == slot. */
  slot = 0;
  transactionCount = 0;
  readonly genesisHash: string;
  readonly identity: string;
  readonly history = new Map<string, TxRecord>();
  private readonly slotByHash = new Map<string, number>();
  private readonly hashBySlot = new Map<number, string>();
  private held: DecodedTx[] = [];
  private holding = false;
  private readonly faucet = newKeypair();
  private airdropSalt = 0;

  constructor(opts: LedgerOptions) {
    super();
    this.expiry = opts.blockhashExpirySlots;
    this.finalizeDepth = opts.finalizeDepth;
    // Blockhash ages and signatures are checked here (litesvm only knows its latest hash).
    this.svm = new LiteSVM().withBlockhashCheck(false).withSigverify(false);
    // No warm-up: epoch = slot / 432000, like a long-running cluster.
    this.svm.setEpochSchedule(new EpochSchedule(432_000n, 432_000n, false, 0n, 0n));
    this.genesisHash = this.svm.latestBlockhash();
    this.identity = newKeypair().address;
    this.setBalance(this.faucet.address, FAUCET_LAMPORTS);
    this.setClock(0);
    this.hashBySlot.set(0, this.genesisHash);
    this.slotByHash.set(this.genesisHash, 0);
    // Slot 0 is genesis; transactions land from slot 1 on.
    this.tick();
  }

  // ---- slots, commitments, blockhashes ----

  /** Produces the next slot: new blockhash, clock, and a "slot" event. */
  tick(): void {
    this.slot += 1;
    this.setClock(this.slot);
    this.svm.expireBlockhash();
    const hash = this.svm.latestBlockhash();
    this.hashBySlot.set(this.slot, hash);
    this.slotByHash.set(hash, this.slot);
    const oldest = this.slot - this.expiry - this.finalizeDepth - 2;
    const stale = this.hashBySlot.get(oldest);
    if (stale !== undefined) {
      this.hashBySlot.delete(oldest);
      this.slotByHash.delete(stale);
    }
    this.emit("slot", this.slot);
  }

  private setClock(slot: number) {
    const clock = this.svm.getClock();
    clock.slot = BigInt(slot);
    clock.epoch = BigInt(Math.floor(slot / 432_000));
    clock.leaderScheduleEpoch = clock.epoch + 1n;
    clock.unixTimestamp = BigInt(Math.floor(Date.now() / 1000));
    this.svm.setClock(clock);
  }

  /** Slot of the bank a commitment reads (may be < 0 right after genesis). */
  rawBankSlot(commitment: Commitment = "finalized"): number {
    if (commitment === "processed") return this.slot;
    if (commitment === "confirmed") return this.slot - 1;
    return this.slot - this.finalizeDepth;
  }

  bankSlot(commitment: Commitment = "finalized"): number {
    return Math.max(0, this.rawBankSlot(commitment));
  }

  latestBlockhash(commitment?: Commitment) {
    const slot = this.bankSlot(commitment);
    return { slot, blockhash: this.hashBySlot.get(slot)!, lastValidBlockHeight: slot + this.expiry };
  }

  /** Whether `hash` is a recent blockhash usable in the bank at `bankSlot`. */
  isBlockhashValid(hash: string, bankSlot: number): boolean {
    const at = this.slotByHash.get(hash);
    return at !== undefined && at <= bankSlot && bankSlot - at <= this.expiry;
  }

  /** Recent blockhash or a durable nonce that matches the nonce account's stored value. */
  private lifetimeValid(d: DecodedTx, bankSlot: number): boolean {
    if (this.isBlockhashValid(d.blockhash, bankSlot)) return true;
    const nonce = nonceAccountOf(d);
    if (!nonce) return false;
    const acc = this.account(nonce);
    return !!acc && acc.owner === SYSTEM_PROGRAM && acc.data.length >= 72 &&
      toBase58(acc.data.subarray(40, 72)) === d.blockhash;
  }

  // ---- accounts ----

  account(address: string): AccountState | null {
    const acc = this.svm.getAccount(address as Address);
    if (!acc.exists || acc.lamports === 0n) return null;
    return { lamports: acc.lamports, data: new Uint8Array(acc.data), owner: acc.programAddress, executable: acc.executable };
  }

  balance(address: string): bigint {
    return this.svm.getBalance(address as Address) ?? 0n;
  }

  setBalance(address: string, lamports: bigint): void {
    const acc = this.svm.getAccount(address as Address);
    this.svm.setAccount(
      acc.exists
        ? { ...acc, lamports: toLamports(lamports) }
        : { address: address as Address, data: new Uint8Array(), executable: false, lamports: toLamports(lamports),
            programAddress: SYSTEM_PROGRAM as Address, space: 0n },
    );
  }

  // ---- signatures ----

  /** Status-cache window: getSignatureStatuses without searchTransactionHistory sees this far back. */
  get statusCacheSlots(): number {
    return 2 * this.expiry;
  }

  confirmationOf(rec: { slot: number }): { confirmationStatus: Commitment; confirmations: number | null } {
    if (rec.slot <= this.rawBankSlot("finalized")) return { confirmationStatus: "finalized", confirmations: null };
    const confirmations = this.slot - rec.slot;
    return { confirmationStatus: rec.slot <= this.rawBankSlot("confirmed") ? "confirmed" : "processed", confirmations };
  }

  /** Whether a landed transaction is visible at `commitment`. */
  reached(rec: { slot: number }, commitment: Commitment): boolean {
    return rec.slot <= this.rawBankSlot(commitment);
  }

  signatureStatus(signature: string, searchTransactionHistory = false) {
    const rec = this.history.get(signature);
    if (!rec) return null;
    if (!searchTransactionHistory && this.slot - rec.slot > this.statusCacheSlots) return null;
    return {
      slot: rec.slot,
      ...this.confirmationOf(rec),
      err: rec.err,
      status: rec.err === null ? { Ok: null } : { Err: rec.err },
    };
  }

  // ---- transactions ----

  /**
   * sendTransaction: preflight (unless skipped) against the bank at `preflightCommitment`,
   * then land now, or park while transactions are held. Returns the signature.
   */
  submit(d: DecodedTx, opts: { skipPreflight?: boolean; preflightCommitment?: Commitment } = {}): string {
    if (!opts.skipPreflight) {
      if (!verifySignatures(d))
        throw new RpcError(RpcErrorCode.TRANSACTION_SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure");
      const sim = this.simulate(d, this.bankSlot(opts.preflightCommitment));
      if (sim.err !== null)
        throw new RpcError(RpcErrorCode.SEND_TRANSACTION_PREFLIGHT_FAILURE,
          `Transaction simulation failed: ${txErrorMessage(sim.err)}`, preflightData(sim));
    }
    this.emit("received", d.signature);
    if (this.held.some((h) => h.signature === d.signature)) return d.signature;
    if (this.holding) this.held.push(d);
    else this.land(d);
    return d.signature;
  }

  /** Executes against current state without committing. */
  simulate(d: DecodedTx, bankSlot: number, opts: { innerInstructions?: boolean; replacedBlockhash?: boolean } = {}): SimulationResult {
    const keys = this.accountKeys(d);
    if (typeof keys === "string") return earlyFailure(keys);
    if (!this.lifetimeValid(d, bankSlot)) return earlyFailure("BlockhashNotFound");
    // The status cache is keyed by blockhash too, so a replaced blockhash never hits it.
    if (!opts.replacedBlockhash && this.history.has(d.signature)) return earlyFailure("AlreadyProcessed");
    const preBalances = keys.all.map((k) => this.balance(k));
    let res: ReturnType<LiteSVM["simulateTransaction"]>;
    try {
      res = this.svm.simulateTransaction(d.tx);
    } catch {
      return earlyFailure("SanitizeFailure"); // litesvm throws on what the runtime would not load
    }
    const failed = "err" in res && typeof res.err === "function";
    const meta = failed ? (res as { meta(): LitesvmMeta }).meta() : (res as { meta(): LitesvmMeta }).meta();
    const postAccounts = new Map<string, AccountState>();
    if (!failed)
      for (const a of (res as { postAccounts(): ReturnType<LiteSVM["getProgramAccounts"]> }).postAccounts())
        postAccounts.set(a.address, { lamports: a.lamports, data: new Uint8Array(a.data), owner: a.programAddress, executable: a.executable });
    const err = failed ? txErrorFromLitesvm((res as { err(): unknown }).err()) : null;
    return {
      err,
      logs: meta.logs(),
      unitsConsumed: meta.computeUnitsConsumed(),
      fee: feeForMessage(d.message),
      loadedAddresses: keys.loaded,
      preBalances,
      postBalances: keys.all.map((k, i) => postAccounts.get(k)?.lamports ?? preBalances[i]),
      preTokenBalances: [],
      postTokenBalances: [],
      innerInstructions: opts.innerInstructions ? innerInstructionsOf(meta) : [],
      returnData: returnDataOf(meta),
      loadedAccountsDataSize: this.loadedDataSize(keys.all),
      postAccounts,
    };
  }

  /** What a leader does with a transaction: execute and commit it, or drop it. */
  private land(d: DecodedTx): TxRecord | null {
    const drop = (reason: TxErrorJson) => {
      this.emit("dropped", d.signature, reason);
      return null;
    };
    if (!this.lifetimeValid(d, this.slot)) return drop("BlockhashNotFound");
    if (this.history.has(d.signature)) return drop("AlreadyProcessed");
    if (!verifySignatures(d)) return drop("SignatureFailure");
    const keys = this.accountKeys(d);
    if (typeof keys === "string") return drop(keys);
    const preBalances = keys.all.map((k) => this.balance(k));
    const preTokenBalances = this.tokenBalances(keys.all);
    let res: ReturnType<LiteSVM["sendTransaction"]>;
    try {
      res = this.svm.sendTransaction(d.tx);
    } catch {
      return drop("SanitizeFailure");
    }
    const failed = "err" in res && typeof res.err === "function";
    const err = failed ? txErrorFromLitesvm((res as { err(): unknown }).err()) : null;
    if (err !== null && !landsOnChain(err)) return drop(err);
    const meta: LitesvmMeta = failed ? (res as { meta(): LitesvmMeta }).meta() : (res as unknown as LitesvmMeta);
    const postBalances = keys.all.map((k) => this.balance(k));
    const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
    const rec: TxRecord = {
      signature: d.signature,
      slot: this.slot,
      blockTime: Math.floor(Date.now() / 1000),
      decoded: d,
      err,
      logs: meta.logs(),
      computeUnits: meta.computeUnitsConsumed(),
      // Lamports are conserved inside a transaction, so what the accounts lost is the fee.
      fee: sum(preBalances) - sum(postBalances),
      accountKeys: keys.all,
      loadedAddresses: keys.loaded,
      preBalances,
      postBalances,
      preTokenBalances,
      postTokenBalances: this.tokenBalances(keys.all),
      innerInstructions: innerInstructionsOf(meta),
      returnData: returnDataOf(meta),
      loadedAccountsDataSize: this.loadedDataSize(keys.all),
    };
    this.history.set(d.signature, rec);
    if (this.history.size > HISTORY_LIMIT) this.history.delete(this.history.keys().next().value!);
    this.transactionCount += 1;
    this.emit("transaction", rec);
    return rec;
  }

  /** Static keys, then addresses loaded from lookup tables (writable, then readonly). */
  private accountKeys(d: DecodedTx): { all: string[]; loaded: { writable: string[]; readonly: string[] } } | string {
    const loaded = { writable: [] as string[], readonly: [] as string[] };
    const lookups = d.message.version === 0 ? (d.message.addressTableLookups ?? []) : [];
    for (const l of lookups) {
      const table = this.account(l.lookupTableAddress);
      if (!table) return "AddressLookupTableNotFound";
      if (table.owner !== "AddressLookupTab1e1111111111111111111111111") return "InvalidAddressLookupTableOwner";
      const at = (i: number) => {
        const off = LOOKUP_TABLE_META_SIZE + 32 * i;
        return off + 32 <= table.data.length ? toBase58(table.data.subarray(off, off + 32)) : null;
      };
      for (const [indexes, into] of [[l.writableIndexes, loaded.writable], [l.readonlyIndexes, loaded.readonly]] as const)
        for (const i of indexes) {
          const a = at(i);
          if (!a) return "InvalidAddressLookupTableIndex";
          into.push(a);
        }
    }
    return { all: [...d.message.staticAccounts, ...loaded.writable, ...loaded.readonly], loaded };
  }

  private tokenBalances(keys: string[]): TokenBalance[] {
    const out: TokenBalance[] = [];
    const lookup = (a: string) => this.account(a);
    keys.forEach((k, accountIndex) => {
      const acc = this.account(k);
      if (!acc || !isTokenProgram(acc.owner)) return;
      const t = parseTokenAccount(acc.data);
      const decimals = t && mintDecimals(t.mint, lookup);
      if (!t || decimals === null || decimals === undefined) return;
      out.push({ accountIndex, mint: t.mint, owner: t.owner, programId: acc.owner, uiTokenAmount: uiTokenAmount(t.amount, decimals) });
    });
    return out;
  }

  private loadedDataSize(keys: string[]): number {
    return keys.reduce((n, k) => n + (this.account(k)?.data.length ?? 0), 0);
  }

  // ---- faucet and fault controls ----

  /** requestAirdrop: a real transfer from the faucet, so it has a signature and a status. */
  airdrop(to: string, lamports: bigint): string {
    for (;;) {
      const blockhash = this.latestBlockhash("processed").blockhash;
      const d = decodeWire(faucetTransfer(this.faucet, to, lamports, blockhash, this.airdropSalt));
      if (this.history.has(d.signature)) {
        this.airdropSalt += 1; // same recipient, amount and blockhash: vary the message
        continue;
      }
      this.land(d);
      return d.signature;
    }
  }

  holdTransactions(on: boolean): void {
    this.holding = on;
    if (on) return;
    // Released: what is still valid lands, expired ones are dropped (land() checks).
    const parked = this.held;
    this.held = [];
    for (const d of parked) this.land(d);
  }

  dropAll(): number {
    const n = this.held.length;
    this.held = [];
    return n;
  }

  get heldCount(): number {
    return this.held.length;
  }

  get isHolding(): boolean {
    return this.holding;
  }
}
