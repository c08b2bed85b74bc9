// What executing a transaction yields (meta for getTransaction / simulateTransaction /
// preflight errors), converted from litesvm's metadata objects.
import type { TxErrorJson } from "./errors";
import type { DecodedTx } from "./tx";
import { toBase58 } from "./tx";
import type { uiTokenAmount } from "./token";

export interface TokenBalance {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: ReturnType<typeof uiTokenAmount>;
}

export interface InnerInstructions {
  index: number;
  instructions: { programIdIndex: number; accounts: number[]; data: string; stackHeight: number }[];
}

export interface ExecutionMeta {
  err: TxErrorJson | null;
  logs: string[];
  computeUnits: bigint;
  fee: bigint;
  accountKeys: string[];
  loadedAddresses: { writable: string[]; readonly: string[] };
  preBalances: bigint[];
  postBalances: bigint[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
  innerInstructions: InnerInstructions[];
  returnData: { programId: string; data: [string, "base64"] } | null;
  loadedAccountsDataSize: number;
}

export interface TxRecord extends ExecutionMeta {
  signature: string;
  slot: number;
  blockTime: number;
  decoded: DecodedTx;
}

export interface SimulationResult extends Omit<ExecutionMeta, "accountKeys" | "computeUnits" | "fee"> {
  unitsConsumed: bigint;
  fee: bigint | null;
  postAccounts: Map<string, AccountState>;
}

export interface AccountState {
  lamports: bigint;
  data: Uint8Array;
  owner: string;
  executable: boolean;
}

export type LitesvmMeta = {
  logs(): string[];
  computeUnitsConsumed(): bigint;
  innerInstructions(): { instruction(): { programIdIndex(): number; accounts(): Uint8Array; data(): Uint8Array }; stackHeight(): number }[][];
  returnData(): { programId(): Uint8Array; data(): Uint8Array };
};

export function innerInstructionsOf(meta: LitesvmMeta): InnerInstructions[] {
  return meta
    .innerInstructions()
    .map((list, index) => ({
      index,
      instructions: list.map((ii) => {
        const ix = ii.instruction();
        return { programIdIndex: ix.programIdIndex(), accounts: [...ix.accounts()], data: toBase58(ix.data()), stackHeight: ii.stackHeight() };
      }),
    }))
    .filter((x) => x.instructions.length > 0);
}

export function returnDataOf(meta: LitesvmMeta): ExecutionMeta["returnData"] {
  const rd = meta.returnData();
  const data = rd.data();
  if (!data.length) return null;
  return { programId: toBase58(rd.programId()), data: [Buffer.from(data).toString("base64"), "base64"] };
}

export function earlyFailure(err: TxErrorJson): SimulationResult {
  return {
    err, logs: [], unitsConsumed: 0n, fee: null, loadedAddresses: { writable: [], readonly: [] },
    preBalances: [], postBalances: [], preTokenBalances: [], postTokenBalances: [], innerInstructions: [],
    returnData: null, loadedAccountsDataSize: 0, postAccounts: new Map(),
  };
}

/** The `data` of a -32002 preflight error: the simulateTransaction result object. */
export function preflightData(sim: SimulationResult) {
  return {
    accounts: null,
    err: sim.err,
    innerInstructions: null,
    loadedAccountsDataSize: sim.loadedAccountsDataSize,
    logs: sim.logs,
    replacementBlockhash: null,
    returnData: sim.returnData,
    unitsConsumed: sim.unitsConsumed,
    fee: sim.fee,
    preBalances: null,
    postBalances: null,
    preTokenBalances: null,
    postTokenBalances: null,
    loadedAddresses: null,
  };
}
