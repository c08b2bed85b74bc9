// Response encoders: accounts (binary/base58/base64/jsonParsed) and confirmed transactions.
import { RpcError, RpcErrorCode, invalidParams } from "./errors";
import type { AccountState, Ledger, TxRecord } from "./ledger";
import { parseTokenProgramAccount } from "./token";
import { toBase58 } from "./tx";

// Every account here is rent-exempt, for which the real node reports rentEpoch = u64::MAX.
const RENT_EPOCH_EXEMPT = 18446744073709551615n;

export type AccountEncoding = "binary" | "base58" | "base64" | "base64+zstd" | "jsonParsed";
const ENCODINGS = ["binary", "base58", "base64", "base64+zstd", "jsonParsed"];

export function accountEncoding(value: unknown, fallback: AccountEncoding): AccountEncoding {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "string" || !ENCODINGS.includes(value))
    throw invalidParams(`Invalid params: unknown variant \`${String(value)}\`, expected one of \`binary\`, \`base64\`, \`base58\`, \`base64+zstd\`, \`jsonParsed\`.`);
  if (value === "base64+zstd") throw invalidParams("Invalid params: base64+zstd encoding is not supported by this node; use base64");
  return value as AccountEncoding;
}

export interface DataSlice {
  offset: number;
  length: number;
}

export function encodeAccount(ledger: Ledger, acc: AccountState, encoding: AccountEncoding, dataSlice?: DataSlice) {
  const full = acc.data;
  const data = dataSlice && encoding !== "jsonParsed" ? full.subarray(dataSlice.offset, dataSlice.offset + dataSlice.length) : full;
  const b64 = (): [string, "base64"] => [Buffer.from(data).toString("base64"), "base64"];
  let encoded: unknown;
  switch (encoding) {
    case "binary":
      if (data.length > 128)
        throw new RpcError(RpcErrorCode.INVALID_REQUEST,
          "Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.");
      encoded = toBase58(data);
      break;
    case "base58":
      if (data.length > 128)
        throw new RpcError(RpcErrorCode.INVALID_REQUEST,
          "Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.");
      encoded = [toBase58(data), "base58"];
      break;
    case "jsonParsed":
      encoded = parseTokenProgramAccount(acc.owner, full, (a) => ledger.account(a)) ?? b64();
      break;
    default:
      encoded = b64();
  }
  return {
    data: encoded,
    executable: acc.executable,
    lamports: acc.lamports,
    owner: acc.owner,
    rentEpoch: RENT_EPOCH_EXEMPT,
    space: full.length,
  };
}

export type TxEncoding = "json" | "jsonParsed" | "base58" | "base64";

/** getTransaction's EncodedConfirmedTransactionWithStatusMeta. */
export function encodeTransaction(rec: TxRecord, encoding: TxEncoding, withVersion: boolean) {
  const d = rec.decoded;
  const m = d.message;
  let transaction: unknown;
  if (encoding === "base64") transaction = [Buffer.from(d.raw).toString("base64"), "base64"];
  else if (encoding === "base58") transaction = [toBase58(d.raw), "base58"];
  else {
    const header = {
      numReadonlySignedAccounts: m.header.numReadonlySignerAccounts,
      numReadonlyUnsignedAccounts: m.header.numReadonlyNonSignerAccounts,
      numRequiredSignatures: m.header.numSignerAccounts,
    };
    const keys = rec.accountKeys;
    const instructions = m.instructions.map((ix) => {
      const accounts = [...(ix.accountIndices ?? [])];
      const data = toBase58(new Uint8Array(ix.data ?? []));
      return encoding === "jsonParsed"
        ? { accounts: accounts.map((i) => keys[i]), data, programId: keys[ix.programAddressIndex], stackHeight: null }
        : { accounts, data, programIdIndex: ix.programAddressIndex, stackHeight: null };
    });
    const lookups = m.version === 0
      ? (m.addressTableLookups ?? []).map((l) => ({
          accountKey: l.lookupTableAddress,
          readonlyIndexes: [...l.readonlyIndexes],
          writableIndexes: [...l.writableIndexes],
        }))
      : undefined;
    const accountKeys = encoding === "jsonParsed"
      ? keys.map((pubkey, i) => ({
          pubkey,
          signer: i < m.header.numSignerAccounts,
          source: i < m.staticAccounts.length ? "transaction" : "lookupTable",
          writable: isWritable(rec, i),
        }))
      : m.staticAccounts;
    transaction = {
      message: {
        accountKeys,
        ...(encoding === "json" ? { header } : {}),
        instructions,
        recentBlockhash: d.blockhash,
        ...(lookups ? { addressTableLookups: lookups } : {}),
      },
      signatures: d.signatures,
    };
  }
  return {
    blockTime: rec.blockTime,
    meta: {
      computeUnitsConsumed: rec.computeUnits,
      err: rec.err,
      fee: rec.fee,
      innerInstructions: rec.innerInstructions,
      loadedAddresses: rec.loadedAddresses,
      logMessages: rec.logs,
      postBalances: rec.postBalances,
      postTokenBalances: rec.postTokenBalances,
      preBalances: rec.preBalances,
      preTokenBalances: rec.preTokenBalances,
      ...(rec.returnData ? { returnData: rec.returnData } : {}),
      rewards: [],
      status: rec.err === null ? { Ok: null } : { Err: rec.err },
    },
    slot: rec.slot,
    transaction,
    ...(withVersion ? { version: d.message.version } : {}),
  };
}

function isWritable(rec: TxRecord, i: number): boolean {
  const m = rec.decoded.message;
  const h = m.header;
  const nStatic = m.staticAccounts.length;
  if (i >= nStatic) return i < nStatic + rec.loadedAddresses.writable.length;
  if (i < h.numSignerAccounts) return i < h.numSignerAccounts - h.numReadonlySignerAccounts;
  return i < nStatic - h.numReadonlyNonSignerAccounts;
}
