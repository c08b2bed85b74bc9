// When may a Solana launch's transaction be replaced, and what does a node's
// error mean (workers/deployer/src/solana/lifecycle.ts)? Pure decisions, plus
// the real errors @solana/kit raises against the local node.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSolanaRpc, generateKeyPairSigner, type Base64EncodedWireTransaction, type Rpc, type SolanaRpcApi } from "@solana/kit";
import { classifyLandedError, classifySendError, shortMessage, txState } from "../../workers/deployer/src/solana/lifecycle";
import { reached } from "../../workers/deployer/src/solana/rpc";
import { deriveMintSigner, signLaunchTransaction } from "../../packages/core/src/solana/index";
import { LaunchRequest } from "../../packages/core/src/launch";
import { startSolanaNode, type SolanaNode } from "../../tools/solana-node/index";

describe("txState", () => {
  const landed = { slot: 10n, confirmationStatus: "confirmed" as const, err: null };
  it("follows a known signature whatever the block height", () => {
    expect(txState(landed, 999n, 100n)).toEqual({ kind: "landed", slot: 10n, confirmationStatus: "confirmed" });
    expect(txState({ ...landed, err: { InstructionError: [0, { Custom: 0 }] } }, 1n, 100n)).toMatchObject({ kind: "failed" });
  });
  it("keeps an unknown signature pending through lastValidBlockHeight, expired only after it", () => {
    expect(txState(null, 99n, 100n)).toEqual({ kind: "pending" });
    expect(txState(null, 100n, 100n)).toEqual({ kind: "pending" }); // still valid at exactly lastValidBlockHeight
    expect(txState(null, 101n, 100n)).toEqual({ kind: "expired" });
  });
});

describe("commitments", () => {
  it("orders processed < confirmed < finalized", () => {
    expect(reached("finalized", "confirmed")).toBe(true);
    expect(reached("confirmed", "confirmed")).toBe(true);
    expect(reached("processed", "confirmed")).toBe(false);
    expect(reached("confirmed", "finalized")).toBe(false);
    expect(reached(null, "processed")).toBe(false);
  });
});

describe("landed errors", () => {
  it("tells a mint that already exists and a lack of funds from a refusal", () => {
    expect(classifyLandedError({ InstructionError: [0, { Custom: 0 }] }, 0).kind).toBe("mint-exists");
    expect(classifyLandedError({ InstructionError: [2, { Custom: 0 }] }, 2).kind).toBe("mint-exists");
    // The rent Transfer, just before the Allocate of the mint, short of lamports.
    expect(classifyLandedError({ InstructionError: [0, { Custom: 1 }] }, 1).kind).toBe("insufficient-funds");
    expect(classifyLandedError({ InstructionError: [1, { Custom: 1 }] }, 1).kind).toBe("instruction");
    expect(classifyLandedError({ InstructionError: [3, { Custom: 0 }] }, 0).kind).toBe("instruction"); // a token program error, not the Allocate
    expect(classifyLandedError({ InsufficientFundsForRent: { account_index: 1 } }, 0).kind).toBe("insufficient-funds");
    expect(classifyLandedError("InsufficientFundsForFee", 0).kind).toBe("insufficient-funds");
    expect(classifyLandedError({ InstructionError: [1n, "InvalidAccountData"] }, 0)).toMatchObject({ kind: "instruction", message: expect.stringContaining("InvalidAccountData") });
  });
  it("never puts an RPC URL (which may carry an API key) in a message", () => {
    expect(shortMessage(new Error("HTTP 500 from https://mainnet.helius-rpc.com/?api-key=SECRET\nstack"))).toBe("HTTP 500 from https://mainnet.helius-rpc.com");
  });
});

/** The launch's Allocate of the mint, with no compute-budget instructions (keys.ts createAccountIndex). */
const ALLOCATE_INDEX = 1;

describe("send errors from the node, through kit", () => {
  let node: SolanaNode;
  let rpc: Rpc<SolanaRpcApi>;
  beforeAll(async () => {
    node = await startSolanaNode({ port: 0, slotMs: 50, blockhashExpirySlots: 20 });
    rpc = createSolanaRpc(node.url) as Rpc<SolanaRpcApi>;
  });
  afterAll(async () => {
    await node?.close();
  });

  async function signed(payerLamports: bigint | null, launchId: string) {
    const payer = await generateKeyPairSigner();
    if (payerLamports !== null) node.control.setBalance(payer.address, payerLamports);
    const req = LaunchRequest.parse({ chain: "local-sol", name: "A", symbol: "A", decimals: 0, initialSupply: "1", owner: (await generateKeyPairSigner()).address });
    const { value: lifetime } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
    return signLaunchTransaction({ feePayer: payer, mint: await deriveMintSigner("x".repeat(32), launchId), req, rentForZeroBytes: 890880n, lifetime });
  }
  const send = (wire: string) =>
    rpc.sendTransaction(wire as Base64EncodedWireTransaction, { encoding: "base64", preflightCommitment: "confirmed" }).send().then(() => null, (e: unknown) => classifySendError(e, ALLOCATE_INDEX));

  it("classifies an unfunded fee payer, a short balance, a duplicate and a second mint", async () => {
    expect(await send((await signed(null, "l1")).wire)).toMatchObject({ kind: "insufficient-funds" });
    expect(await send((await signed(1_000_000n, "l2")).wire)).toMatchObject({ kind: "insufficient-funds" });
    const ok = await signed(10n ** 10n, "l3");
    expect(await send(ok.wire)).toBeNull();
    node.control.advanceSlots(1);
    expect(await send(ok.wire)).toMatchObject({ kind: "already-processed" });
    expect(await send((await signed(10n ** 10n, "l3")).wire)).toMatchObject({ kind: "mint-exists" });
  });

  it("creates the mint at an address someone sent lamports to first, and still refuses a second mint", async () => {
    const mint = await deriveMintSigner("x".repeat(32), "l5");
    node.control.setBalance(mint.address, 1_234_567n);
    const tx = await signed(10n ** 10n, "l5");
    expect(await send(tx.wire)).toBeNull();
    node.control.advanceSlots(1);
    const { value } = await rpc.getAccountInfo(mint.address, { encoding: "base64" }).send();
    expect(value?.owner).toBe("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
    expect(await send((await signed(10n ** 10n, "l5")).wire)).toMatchObject({ kind: "mint-exists" });
  });

  it("classifies an expired blockhash and a transport failure", async () => {
    const tx = await signed(10n ** 10n, "l4");
    node.control.advanceSlots(25);
    expect(await send(tx.wire)).toMatchObject({ kind: "blockhash-not-found" });
    const dead = createSolanaRpc("http://127.0.0.1:9") as Rpc<SolanaRpcApi>;
    const e = await dead.getSlot().send().catch((x: unknown) => x);
    expect(classifySendError(e, 0).kind).toBe("transient");
  });
});
