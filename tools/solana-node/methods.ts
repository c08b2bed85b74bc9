// HTTP JSON-RPC methods: request/response shapes and error codes of Solana's RPC spec,
// plus tf_* fault controls for tests in another process.
import { getBase64Encoder, getCompiledTransactionMessageDecoder } from "@solana/kit";
import { invalidParams, RpcError, RpcErrorCode } from "./errors";
import { accountEncoding, encodeAccount, encodeTransaction, type TxEncoding } from "./encode";
import type { Commitment, Ledger } from "./ledger";
import { isTokenProgram, parseMint, parseTokenAccount, TOKEN_2022_PROGRAM, TOKEN_PROGRAM, uiTokenAmount } from "./token";
import { decodeWire, feeForMessage, fromBase58, replaceBlockhash, verifySignatures, type Message } from "./tx";

export const SOLANA_CORE_VERSION = "3.0.0";
const FEATURE_SET = 3_294_202_862;

type Params = unknown[];
type Config = Record<string, unknown>;
export type Method = (params: Params) => unknown;

const config = (params: Params, i: number): Config => {
  const c = params[i];
  if (c === undefined || c === null) return {};
  if (typeof c !== "object" || Array.isArray(c)) throw invalidParams("Invalid params: invalid type: expected struct config");
  return c as Config;
};

export function commitmentOf(c: Config): Commitment | undefined {
  const v = c.commitment;
  if (v === undefined || v === null) return undefined;
  const legacy: Record<string, Commitment> = { recent: "processed", single: "confirmed", singleGossip: "confirmed", root: "finalized", max: "finalized" };
  if (v === "processed" || v === "confirmed" || v === "finalized") return v;
  if (typeof v === "string" && legacy[v]) return legacy[v];
  throw invalidParams(`Invalid params: unknown variant \`${String(v)}\`, expected one of \`processed\`, \`confirmed\`, \`finalized\`.`);
}

export function address(v: unknown): string {
  if (typeof v !== "string") throw invalidParams("Invalid params: invalid type: expected a base-58 encoded public key");
  try {
    if (fromBase58(v).length === 32) return v;
  } catch {
    /* fall through */
  }
  throw invalidParams("Invalid param: Invalid");
}

function signature(v: unknown): string {
  if (typeof v === "string") {
    try {
      if (fromBase58(v).length === 64) return v;
    } catch {
      /* fall through */
    }
  }
  throw invalidParams("Invalid param: Invalid");
}

function u64(v: unknown, what: string): bigint {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "bigint" && v >= 0n) return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return BigInt(v);
  throw invalidParams(`Invalid params: invalid type: expected u64 ${what}`);
}

export function createMethods(ledger: Ledger): Record<string, Method> {
  /** Bank slot for a config, enforcing minContextSlot like the real node. */
  const bank = (c: Config): number => {
    const slot = ledger.bankSlot(commitmentOf(c));
    if (typeof c.minContextSlot === "number" && slot < c.minContextSlot)
      throw new RpcError(RpcErrorCode.MIN_CONTEXT_SLOT_NOT_REACHED, "Minimum context slot has not been reached", { contextSlot: slot });
    return slot;
  };
  const withContext = (slot: number, value: unknown) => ({ context: { apiVersion: SOLANA_CORE_VERSION, slot }, value });

  const decodeTxParam = (v: unknown, encoding: unknown) => {
    if (typeof v !== "string") throw invalidParams("Invalid params: invalid type: expected a string");
    const enc = encoding ?? "base58";
    if (enc !== "base58" && enc !== "base64")
      throw invalidParams(`unsupported encoding: ${String(enc)}. Supported encodings: base58, base64`);
    const max = enc === "base58" ? 1683 : 1644;
    if (v.length > max)
      throw invalidParams(`${enc} encoded solana_transaction::versioned::VersionedTransaction too large: ${v.length} bytes (max: encoded/raw ${max}/1232)`);
    let raw: Uint8Array;
    if (enc === "base64") {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw invalidParams("invalid base64 encoding: InvalidByte");
      raw = new Uint8Array(Buffer.from(v, "base64"));
    } else {
      try {
        raw = fromBase58(v);
      } catch {
        throw invalidParams("invalid base58 encoding: InvalidCharacter");
      }
    }
    return decodeWire(raw);
  };

  const tokenAccountOrThrow = (addr: string) => {
    const acc = ledger.account(addr);
    if (!acc) throw invalidParams("Invalid param: could not find account");
    const t = isTokenProgram(acc.owner) ? parseTokenAccount(acc.data) : null;
    if (!t) throw invalidParams("Invalid param: not a Token account");
    return t;
  };
  const mintOrThrow = (addr: string) => {
    const acc = ledger.account(addr);
    if (!acc) throw invalidParams("Invalid param: could not find account");
    const m = isTokenProgram(acc.owner) ? parseMint(acc.data) : null;
    if (!m) throw invalidParams("Invalid param: not a Token mint");
    return { mint: m, program: acc.owner };
  };

  const accountsOf = (program: string, filters: unknown) => {
    const list = ledger.svm.getProgramAccounts(program as never);
    const fs = Array.isArray(filters) ? (filters as Config[]) : [];
    return list.filter((a) =>
      fs.every((f) => {
        if (typeof f.dataSize === "number") return a.data.length === f.dataSize;
        const mc = f.memcmp as { offset: number; bytes: string; encoding?: string } | undefined;
        if (mc) {
          const bytes = mc.encoding === "base64" ? new Uint8Array(Buffer.from(mc.bytes, "base64")) : fromBase58(mc.bytes);
          const slice = a.data.subarray(mc.offset, mc.offset + bytes.length);
          return slice.length === bytes.length && slice.every((b, i) => b === bytes[i]);
        }
        throw invalidParams("Invalid params: unsupported filter");
      }),
    );
  };
  const keyedAccount = (a: { address: string; data: Uint8Array | ArrayLike<number>; lamports: bigint; programAddress: string; executable: boolean }, c: Config, fallback: "binary" | "base64") => ({
    account: encodeAccount(ledger, { data: new Uint8Array(a.data), lamports: a.lamports, owner: a.programAddress, executable: a.executable },
      accountEncoding(c.encoding, fallback), c.dataSlice as never),
    pubkey: a.address,
  });

  return {
    getHealth: () => "ok",
    getVersion: () => ({ "feature-set": FEATURE_SET, "solana-core": SOLANA_CORE_VERSION }),
    getGenesisHash: () => ledger.genesisHash,
    getIdentity: () => ({ identity: ledger.identity }),
    getSlotLeader: (p) => (bank(config(p, 0)), ledger.identity),
    getFirstAvailableBlock: () => 0,
    minimumLedgerSlot: () => 0,
    getSlot: (p) => bank(config(p, 0)),
    getBlockHeight: (p) => bank(config(p, 0)),
    getTransactionCount: (p) => (bank(config(p, 0)), ledger.transactionCount),
    getEpochInfo: (p) => {
      const slot = bank(config(p, 0));
      return {
        absoluteSlot: slot,
        blockHeight: slot,
        epoch: Math.floor(slot / 432_000),
        slotIndex: slot % 432_000,
        slotsInEpoch: 432_000,
        transactionCount: ledger.transactionCount,
      };
    },
    getEpochSchedule: () => ({ firstNormalEpoch: 0, firstNormalSlot: 0, leaderScheduleSlotOffset: 432_000, slotsPerEpoch: 432_000, warmup: false }),
    getRecentPrioritizationFees: () => [{ prioritizationFee: 0, slot: ledger.slot }],

    getLatestBlockhash: (p) => {
      const c = config(p, 0);
      bank(c);
      const { slot, blockhash, lastValidBlockHeight } = ledger.latestBlockhash(commitmentOf(c));
      return withContext(slot, { blockhash, lastValidBlockHeight });
    },
    isBlockhashValid: (p) => {
      if (typeof p[0] !== "string") throw invalidParams("Invalid params: invalid type: expected a blockhash string");
      const slot = bank(config(p, 1));
      return withContext(slot, ledger.isBlockhashValid(p[0], slot));
    },
    getFeeForMessage: (p) => {
      const slot = bank(config(p, 1));
      let message: Message;
      try {
        message = getCompiledTransactionMessageDecoder().decode(getBase64Encoder().encode(String(p[0]))) as Message;
      } catch {
        throw invalidParams("invalid base64 encoding: failed to deserialize message");
      }
      const valid = ledger.isBlockhashValid(message.lifetimeToken, slot);
      return withContext(slot, valid ? feeForMessage(message) : null);
    },
    getMinimumBalanceForRentExemption: (p) => {
      const len = Number(u64(p[0] ?? 0, "data length"));
      return ledger.svm.minimumBalanceForRentExemption(BigInt(len));
    },

    getBalance: (p) => {
      const a = address(p[0]);
      return withContext(bank(config(p, 1)), ledger.balance(a));
    },
    getAccountInfo: (p) => {
      const a = address(p[0]);
      const c = config(p, 1);
      const slot = bank(c);
      const acc = ledger.account(a);
      return withContext(slot, acc && encodeAccount(ledger, acc, accountEncoding(c.encoding, "binary"), c.dataSlice as never));
    },
    getMultipleAccounts: (p) => {
      if (!Array.isArray(p[0])) throw invalidParams("Invalid params: invalid type: expected a sequence of public keys");
      if (p[0].length > 100) throw invalidParams("Too many inputs provided; max 100");
      const keys = p[0].map(address);
      const c = config(p, 1);
      const slot = bank(c);
      const enc = accountEncoding(c.encoding, "base64");
      return withContext(slot, keys.map((k) => {
        const acc = ledger.account(k);
        return acc && encodeAccount(ledger, acc, enc, c.dataSlice as never);
      }));
    },
    getProgramAccounts: (p) => {
      const program = address(p[0]);
      const c = config(p, 1);
      const slot = bank(c);
      const list = accountsOf(program, c.filters).map((a) => keyedAccount(a, c, "binary"));
      return c.withContext ? withContext(slot, list) : list;
    },
    getTokenAccountBalance: (p) => {
      const a = address(p[0]);
      const slot = bank(config(p, 1));
      const t = tokenAccountOrThrow(a);
      const { mint } = mintOrThrow(t.mint);
      return withContext(slot, uiTokenAmount(t.amount, mint.decimals));
    },
    getTokenSupply: (p) => {
      const a = address(p[0]);
      const slot = bank(config(p, 1));
      const { mint } = mintOrThrow(a);
      return withContext(slot, uiTokenAmount(mint.supply, mint.decimals));
    },
    getTokenAccountsByOwner: (p) => {
      const owner = address(p[0]);
      const filter = config(p, 1);
      const c = config(p, 2);
      const slot = bank(c);
      let program: string;
      let mint: string | undefined;
      if (typeof filter.mint === "string") {
        mint = address(filter.mint);
        const m = ledger.account(mint);
        if (!m || !isTokenProgram(m.owner)) throw invalidParams("Invalid param: could not find mint");
        program = m.owner;
      } else if (typeof filter.programId === "string") {
        program = address(filter.programId);
        if (program !== TOKEN_PROGRAM && program !== TOKEN_2022_PROGRAM) throw invalidParams("Invalid param: unrecognized Token program id");
      } else throw invalidParams("Invalid params: expected `mint` or `programId` filter");
      const list = accountsOf(program, []).filter((a) => {
        const t = parseTokenAccount(new Uint8Array(a.data));
        return t && t.owner === owner && (!mint || t.mint === mint);
      });
      return withContext(slot, list.map((a) => keyedAccount(a, c, "binary")));
    },

    requestAirdrop: (p) => {
      const to = address(p[0]);
      const lamports = u64(p[1], "lamports");
      return ledger.airdrop(to, lamports);
    },
    sendTransaction: (p) => {
      const c = config(p, 1);
      const d = decodeTxParam(p[0], c.encoding);
      const preflightCommitment = commitmentOf({ commitment: c.preflightCommitment });
      if (typeof c.minContextSlot === "number") bank({ commitment: preflightCommitment, minContextSlot: c.minContextSlot });
      return ledger.submit(d, { skipPreflight: c.skipPreflight === true, preflightCommitment });
    },
    simulateTransaction: (p) => {
      const c = config(p, 1);
      let d = decodeTxParam(p[0], c.encoding);
      const slot = bank(c);
      if (c.sigVerify && c.replaceRecentBlockhash)
        throw invalidParams("sigVerify may not be used with replaceRecentBlockhash");
      if (c.sigVerify && !verifySignatures(d))
        throw new RpcError(RpcErrorCode.TRANSACTION_SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure");
      let replacementBlockhash: { blockhash: string; lastValidBlockHeight: number } | null = null;
      if (c.replaceRecentBlockhash) {
        const { blockhash, lastValidBlockHeight } = ledger.latestBlockhash(commitmentOf(c));
        d = replaceBlockhash(d, blockhash);
        replacementBlockhash = { blockhash, lastValidBlockHeight };
      }
      const sim = ledger.simulate(d, slot, { innerInstructions: c.innerInstructions === true, replacedBlockhash: replacementBlockhash !== null });
      const req = c.accounts as { addresses?: unknown[]; encoding?: unknown } | undefined;
      let accounts: unknown = null;
      if (req && Array.isArray(req.addresses)) {
        const enc = accountEncoding(req.encoding, "base64");
        accounts = req.addresses.map(address).map((a) => {
          const acc = sim.postAccounts.get(a) ?? ledger.account(a);
          return acc && acc.lamports > 0n ? encodeAccount(ledger, acc, enc) : null;
        });
      }
      return withContext(slot, {
        accounts,
        err: sim.err,
        fee: sim.fee,
        innerInstructions: c.innerInstructions === true ? sim.innerInstructions : null,
        loadedAccountsDataSize: sim.loadedAccountsDataSize,
        loadedAddresses: sim.loadedAddresses,
        logs: sim.logs,
        postBalances: sim.postBalances,
        postTokenBalances: null,
        preBalances: sim.preBalances,
        preTokenBalances: null,
        replacementBlockhash,
        returnData: sim.returnData,
        unitsConsumed: sim.unitsConsumed,
      });
    },
    getSignatureStatuses: (p) => {
      if (!Array.isArray(p[0])) throw invalidParams("Invalid params: invalid type: expected a sequence of signatures");
      if (p[0].length > 256) throw invalidParams("Too many inputs provided; max 256");
      const sigs = p[0].map(signature);
      const search = config(p, 1).searchTransactionHistory === true;
      return withContext(ledger.slot, sigs.map((s) => ledger.signatureStatus(s, search)));
    },
    // Newest first, like the real node's address-signature index (here: a scan of the history).
    getSignaturesForAddress: (p) => {
      const a = address(p[0]);
      const c = config(p, 1);
      const commitment = commitmentOf(c) ?? "finalized";
      if (commitment === "processed") throw invalidParams("Method does not support commitment below `confirmed`");
      const limit = c.limit === undefined ? 1000 : Number(c.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidParams("Invalid limit; max 1000");
      const all = [...ledger.history.values()].filter((r) => ledger.reached(r, commitment) && r.accountKeys.includes(a)).reverse();
      const from = typeof c.before === "string" ? all.findIndex((r) => r.signature === c.before) + 1 : 0;
      const stop = typeof c.until === "string" ? all.findIndex((r) => r.signature === c.until) : -1;
      return all.slice(from, stop >= 0 ? stop : undefined).slice(0, limit).map((r) => ({
        signature: r.signature, slot: r.slot, err: r.err, memo: null, blockTime: r.blockTime, confirmationStatus: ledger.confirmationOf(r).confirmationStatus,
      }));
    },
    getTransaction: (p) => {
      const sig = signature(p[0]);
      // The old positional form passes the encoding string instead of a config object.
      const c = typeof p[1] === "string" ? { encoding: p[1] } : config(p, 1);
      const commitment = commitmentOf(c) ?? "finalized";
      if (commitment === "processed") throw invalidParams("Method does not support commitment below `confirmed`");
      const encoding = (c.encoding ?? "json") as TxEncoding;
      if (!["json", "jsonParsed", "base58", "base64"].includes(encoding))
        throw invalidParams(`Invalid params: unknown variant \`${String(encoding)}\`, expected one of \`binary\`, \`base64\`, \`base58\`, \`json\`, \`jsonParsed\`.`);
      const rec = ledger.history.get(sig);
      if (!rec || !ledger.reached(rec, commitment)) return null;
      const max = c.maxSupportedTransactionVersion;
      if (rec.decoded.message.version === 0 && (typeof max !== "number" || max < 0))
        throw new RpcError(RpcErrorCode.UNSUPPORTED_TRANSACTION_VERSION,
          "Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: \"maxSupportedTransactionVersion\": 0");
      return encodeTransaction(rec, encoding, typeof max === "number");
    },

    // ---- non-standard test controls ----
    tf_holdTransactions: (p) => {
      if (typeof p[0] !== "boolean") throw invalidParams("Invalid params: expected [on: boolean]");
      ledger.holdTransactions(p[0]);
      return { holding: ledger.isHolding, held: ledger.heldCount };
    },
    tf_setBalance: (p) => {
      const a = address(p[0]);
      ledger.setBalance(a, u64(p[1], "lamports"));
      return ledger.balance(a);
    },
    tf_dropAll: () => ledger.dropAll(),
    tf_advanceSlots: (p) => {
      const n = Number(u64(p[0] ?? 1, "slots"));
      for (let i = 0; i < n; i++) ledger.tick();
      return ledger.slot;
    },
    tf_status: () => ({ slot: ledger.slot, holding: ledger.isHolding, held: ledger.heldCount, transactionCount: ledger.transactionCount }),
  };
}
