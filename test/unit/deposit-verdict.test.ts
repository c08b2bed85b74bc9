// The verdicts on a claimed deposit (packages/core/src/credits/deposit.ts): pure,
// so each rule is checked on hand-made chain answers.
import { describe, expect, it } from "vitest";
import { base58Encode } from "../../packages/core/src/auth/base58";
import { evmDepositVerdict, solanaDepositVerdict, SYSTEM_PROGRAM, type EvmDepositFacts, type SolanaTx } from "../../packages/core/src/credits/deposit";

const TREASURY = "0x1111111111111111111111111111111111111111";
const FROM = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const facts = (over: Partial<EvmDepositFacts> = {}, tx: Partial<NonNullable<EvmDepositFacts["tx"]>> = {}, receipt: Partial<NonNullable<EvmDepositFacts["receipt"]>> = {}): EvmDepositFacts => ({
  tx: { from: FROM, to: TREASURY.toUpperCase().replace("0X", "0x"), value: "0xde0b6b3a7640000", blockNumber: "0xa", ...tx },
  receipt: { status: "0x1", blockNumber: "0xa", blockHash: "0xbb", ...receipt },
  head: 12n,
  ...over,
});

describe("an EVM deposit", () => {
  it("is final once it is `confirmations` deep, from its sender in EIP-55 form, for its value", () => {
    expect(evmDepositVerdict(facts(), TREASURY, 3)).toEqual({ kind: "final", sender: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", amount: 10n ** 18n, block: 10 });
  });
  it("is pending one block short, and while not mined", () => {
    expect(evmDepositVerdict(facts(), TREASURY, 4)).toMatchObject({ kind: "pending", confirmations: 3, needed: 4 });
    expect(evmDepositVerdict(facts({ receipt: null }, { blockNumber: null }), TREASURY, 1)).toMatchObject({ kind: "pending", block: null, confirmations: 0 });
    // A head behind the receipt's block (a lagging endpoint) is not depth.
    expect(evmDepositVerdict(facts({ head: 9n }), TREASURY, 1)).toMatchObject({ kind: "pending", confirmations: 0 });
  });
  it("needs at least the block itself even when the chain asks for 0 confirmations", () => {
    expect(evmDepositVerdict(facts({ receipt: null }), TREASURY, 0).kind).toBe("pending");
  });
  it("refuses another recipient, a contract creation, no value and a revert; says missing when the node knows no transaction", () => {
    expect(evmDepositVerdict(facts({}, { to: "0x2222222222222222222222222222222222222222" }), TREASURY, 1).kind).toBe("refused");
    expect(evmDepositVerdict(facts({}, { to: null }), TREASURY, 1).kind).toBe("refused");
    expect(evmDepositVerdict(facts({}, { value: "0x0" }), TREASURY, 1).kind).toBe("refused");
    expect(evmDepositVerdict(facts({}, {}, { status: "0x0" }), TREASURY, 1)).toMatchObject({ kind: "refused", reason: expect.stringContaining("reverted") });
    expect(evmDepositVerdict(facts({ tx: null, receipt: null }), TREASURY, 1)).toEqual({ kind: "missing" });
  });
});

const SOL_TREASURY = "8T6JHaFycqrpbLb4JhXShGV1DtbKScyozCyDW6gCjzVU";
const PAYER = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
const OTHER = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T";
/** A System Transfer instruction's raw data: u32 LE 2, u64 LE lamports. */
function transferData(lamports: bigint) {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setUint32(0, 2, true);
  v.setBigUint64(4, lamports, true);
  return base58Encode(b);
}
const solTx = (instructions: SolanaTx["transaction"]["message"]["instructions"], signers = [PAYER], err: unknown = null): SolanaTx => ({
  slot: 77, meta: { err },
  transaction: { message: { accountKeys: [...signers.map((pubkey) => ({ pubkey, signer: true })), { pubkey: SOL_TREASURY, signer: false }], instructions } },
});
const raw = (source: string, destination: string, lamports: bigint) => ({ programId: SYSTEM_PROGRAM, accounts: [source, destination], data: transferData(lamports) });
const parsed = (source: string, destination: string, lamports: number) => ({ programId: SYSTEM_PROGRAM, parsed: { type: "transfer", info: { source, destination, lamports } } });

describe("a Solana deposit", () => {
  it("sums the top-level System transfers to the treasury from their signing source, final once finalized (raw or parsed instructions)", () => {
    const tx = solTx([raw(PAYER, SOL_TREASURY, 5_000n), parsed(PAYER, SOL_TREASURY, 7_000), raw(PAYER, OTHER, 1n)]);
    expect(solanaDepositVerdict({ finalized: tx, confirmed: tx }, SOL_TREASURY)).toEqual({ kind: "final", sender: PAYER, amount: 12_000n, block: 77 });
    expect(solanaDepositVerdict({ finalized: null, confirmed: tx }, SOL_TREASURY)).toMatchObject({ kind: "pending", amount: 12_000n });
  });
  it("refuses a failed transaction, no transfer to the treasury, a source that did not sign, or two sources", () => {
    const t = (tx: SolanaTx) => solanaDepositVerdict({ finalized: tx, confirmed: tx }, SOL_TREASURY).kind;
    expect(t(solTx([raw(PAYER, SOL_TREASURY, 1n)], [PAYER], { InstructionError: [0, "Custom"] }))).toBe("refused");
    expect(t(solTx([raw(PAYER, OTHER, 1n)]))).toBe("refused");
    expect(t(solTx([raw(OTHER, SOL_TREASURY, 1n)]))).toBe("refused");
    expect(t(solTx([raw(PAYER, SOL_TREASURY, 1n), raw(OTHER, SOL_TREASURY, 1n)], [PAYER, OTHER]))).toBe("refused");
    // Another program's instruction with the same bytes is no System transfer.
    expect(t(solTx([{ ...raw(PAYER, SOL_TREASURY, 1n), programId: OTHER }]))).toBe("refused");
    expect(solanaDepositVerdict({ finalized: null, confirmed: null }, SOL_TREASURY)).toEqual({ kind: "missing" });
  });
});
