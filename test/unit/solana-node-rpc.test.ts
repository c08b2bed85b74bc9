// Wire-level checks of the local Solana node against the RPC spec: error codes, envelopes,
// encodings and WebSocket notification shapes, using raw HTTP and a raw WebSocket.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  address,
  appendTransactionMessageInstructions,
  getBase58Decoder,
  lamports,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  getTransactionEncoder,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signBytes,
  signTransactionMessageWithSigners,
  type Blockhash,
  type KeyPairSigner,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import { startSolanaNode, type SolanaNode } from "../../tools/solana-node/index";

const SLOT_MS = 50;
const FINALIZE_DEPTH = 12; // wide enough that "not yet finalized" checks survive a slow CI machine
let node: SolanaNode;
let payer: KeyPairSigner;

type RpcResponse = { jsonrpc: string; id: unknown; result?: any; error?: { code: number; message: string; data?: any } };

async function post(body: unknown): Promise<any> {
  const res = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return res.status === 204 ? undefined : res.json();
}
const call = (method: string, params: unknown[] = []): Promise<RpcResponse> => post({ jsonrpc: "2.0", id: 7, method, params });

async function transfer(lamports: bigint, opts: { blockhash?: string } = {}) {
  const to = await generateKeyPairSigner();
  const latest = (await call("getLatestBlockhash", [{ commitment: "confirmed" }])).result.value;
  const tx = await signTransactionMessageWithSigners(
    pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(payer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: (opts.blockhash ?? latest.blockhash) as Blockhash, lastValidBlockHeight: BigInt(latest.lastValidBlockHeight) }, m),
      (m) => appendTransactionMessageInstructions([getTransferSolInstruction({ source: payer, destination: to.address, amount: lamports })], m),
    ),
  );
  return { tx, to: to.address, wire: getBase64EncodedWireTransaction(tx), signature: getSignatureFromTransaction(tx) };
}

/** A raw WebSocket that collects messages; `next` waits for one matching `pred`. */
async function openSocket(url: string) {
  const ws = new WebSocket(url);
  const messages: any[] = [];
  const waiters: { pred: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  ws.on("message", (raw) => {
    const m = JSON.parse(raw.toString());
    messages.push(m);
    for (const w of [...waiters]) if (w.pred(m)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const next = (pred: (m: any) => boolean, timeoutMs = 5000) => {
    const found = messages.find(pred);
    if (found) {
      messages.splice(messages.indexOf(found), 1);
      return Promise.resolve(found);
    }
    return new Promise<any>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("timed out waiting for a WebSocket message")), timeoutMs);
      waiters.push({ pred, resolve: (m) => (clearTimeout(t), messages.splice(messages.indexOf(m), 1), resolve(m)) });
    });
  };
  const send = (id: number, method: string, params: unknown[] = []) => ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
  return { ws, next, send };
}

beforeAll(async () => {
  node = await startSolanaNode({ port: 0, slotMs: SLOT_MS, blockhashExpirySlots: 20, finalizeDepth: FINALIZE_DEPTH });
  payer = await generateKeyPairSigner();
  node.control.setBalance(payer.address, 100_000_000_000n);
});

afterAll(async () => {
  await node?.close();
});

describe("JSON-RPC envelope", () => {
  it("answers parse errors, invalid requests, notifications and batches like the spec", async () => {
    expect(await post("{not json")).toEqual({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null });
    expect(await post({ jsonrpc: "2.0", id: 1 })).toMatchObject({ error: { code: -32600 }, id: 1 });
    expect(await post([])).toMatchObject({ error: { code: -32600 } });
    expect(await post({ jsonrpc: "2.0", method: "getSlot" })).toBeUndefined(); // notification: no reply
    const batch = await post([
      { jsonrpc: "2.0", id: "a", method: "getHealth" },
      { jsonrpc: "2.0", method: "getSlot" },
      { jsonrpc: "2.0", id: "b", method: "getSignatureStatuses", params: [new Array(257).fill("1".repeat(64))] },
    ]);
    expect(batch).toEqual([
      { jsonrpc: "2.0", result: "ok", id: "a" },
      { jsonrpc: "2.0", error: { code: -32602, message: "Too many inputs provided; max 256" }, id: "b" },
    ]);
    const res = await fetch(node.url, { method: "GET" });
    expect(res.status).toBe(405);
    expect(await (await fetch(`${node.url}/health`)).text()).toBe("ok");
  });

  it("enforces minContextSlot with -32016 and reports commitment-dependent slots", async () => {
    node.control.advanceSlots(FINALIZE_DEPTH + 1);
    const { error } = await call("getBalance", [payer.address, { minContextSlot: 10_000_000 }]);
    expect(error).toMatchObject({ code: -32016, message: "Minimum context slot has not been reached", data: { contextSlot: expect.any(Number) } });
    const [p, f] = await Promise.all([
      post([{ jsonrpc: "2.0", id: 1, method: "getSlot", params: [{ commitment: "processed" }] },
            { jsonrpc: "2.0", id: 2, method: "getSlot", params: [{ commitment: "finalized" }] }]),
    ]).then(([b]) => b.map((r: RpcResponse) => r.result));
    expect(p - f).toBe(FINALIZE_DEPTH);
  });
});

describe("transactions", () => {
  it("rejects bad encodings (-32602) and bad signatures (-32003); an unsigned skipPreflight send never lands", async () => {
    expect((await call("sendTransaction", ["%%%", { encoding: "base64" }])).error).toMatchObject({ code: -32602 });
    expect((await call("sendTransaction", ["0OIl", {}])).error).toMatchObject({ code: -32602 });

    const { tx, signature } = await transfer(1_000_000n);
    const bytes = new Uint8Array(getTransactionEncoder().encode(tx));
    bytes[1 + 10] ^= 0xff; // corrupt the fee payer's signature
    const tampered = Buffer.from(bytes).toString("base64");
    expect((await call("sendTransaction", [tampered, { encoding: "base64" }])).error)
      .toEqual({ code: -32003, message: "Transaction signature verification failure" });
    const sent = await call("sendTransaction", [tampered, { encoding: "base64", skipPreflight: true }]);
    expect(typeof sent.result).toBe("string");
    expect(sent.result).not.toBe(signature);
    node.control.advanceSlots(1);
    expect((await call("getSignatureStatuses", [[sent.result], { searchTransactionHistory: true }])).result.value).toEqual([null]);

    // Signed, but an instruction points past the account keys: sanitize failure, -32602.
    const bad = new Uint8Array(getTransactionEncoder().encode((await transfer(1_000_000n)).tx));
    bad[bad.length - 1 - 12 - 1 - 1] = 9; // destination index: before data len + 12 data bytes + v0 lookup count
    const msgStart = 1 + 64;
    bad.set(await signBytes(payer.keyPair.privateKey, bad.subarray(msgStart)), 1);
    expect((await call("sendTransaction", [Buffer.from(bad).toString("base64"), { encoding: "base64", skipPreflight: true }])).error)
      .toEqual({ code: -32602, message: "invalid transaction: Transaction failed to sanitize accounts offsets correctly" });
  });

  it("returns AlreadyProcessed on a duplicate preflight and the signature on a duplicate skipPreflight send", async () => {
    const { wire, signature } = await transfer(2_000_000n);
    expect((await call("sendTransaction", [wire, { encoding: "base64", preflightCommitment: "confirmed" }])).result).toBe(signature);
    expect((await call("sendTransaction", [wire, { encoding: "base64", preflightCommitment: "confirmed" }])).error).toMatchObject({
      code: -32002,
      message: "Transaction simulation failed: This transaction has already been processed",
      data: { err: "AlreadyProcessed", logs: [] },
    });
    expect((await call("sendTransaction", [wire, { encoding: "base64", skipPreflight: true }])).result).toBe(signature);
  });

  it("serves getTransaction per commitment and version, with fee and balances", async () => {
    const { wire, signature, to } = await transfer(3_000_000n);
    await call("sendTransaction", [wire, { encoding: "base64", preflightCommitment: "confirmed" }]);
    expect((await call("getTransaction", [signature, { commitment: "processed" }])).error)
      .toEqual({ code: -32602, message: "Method does not support commitment below `confirmed`" });
    node.control.advanceSlots(1);
    expect((await call("getTransaction", [signature, { commitment: "confirmed" }])).error).toMatchObject({ code: -32015 });
    const { result } = await call("getTransaction", [signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 }]);
    expect(result).toMatchObject({
      version: 0,
      transaction: { signatures: [signature], message: { accountKeys: [payer.address, to, "11111111111111111111111111111111"], addressTableLookups: [] } },
      meta: { err: null, status: { Ok: null }, fee: 5000, preBalances: [expect.any(Number), 0, 1], postBalances: [expect.any(Number), 3_000_000, 1] },
    });
    expect(result.meta.preBalances[0] - result.meta.postBalances[0]).toBe(3_000_000 + 5000);
    expect((await call("getTransaction", [signature, { commitment: "finalized", maxSupportedTransactionVersion: 0 }])).result).toBeNull();
    node.control.advanceSlots(FINALIZE_DEPTH);
    const b64 = await call("getTransaction", [signature, { encoding: "base64", maxSupportedTransactionVersion: 0 }]);
    expect(b64.result.transaction).toEqual([wire, "base64"]);
    expect((await call("getSignatureStatuses", [[signature]])).result.value[0]).toMatchObject({ confirmationStatus: "finalized", confirmations: null });
  });

  it("simulates with replaceRecentBlockhash (kit's compute-unit estimate) and returns requested accounts", async () => {
    const { tx, to } = await transfer(4_000_000n, { blockhash: "11111111111111111111111111111111" });
    const zeroed = { ...tx, signatures: Object.fromEntries(Object.keys(tx.signatures).map((k) => [k, new Uint8Array(64)])) };
    const wire = Buffer.from(getTransactionEncoder().encode(zeroed as typeof tx)).toString("base64");
    const noReplace = await call("simulateTransaction", [wire, { encoding: "base64", commitment: "confirmed" }]);
    expect(noReplace.result.value.err).toBe("BlockhashNotFound");
    const { result } = await call("simulateTransaction", [wire, {
      encoding: "base64", commitment: "confirmed", replaceRecentBlockhash: true, accounts: { addresses: [to], encoding: "base64" },
    }]);
    expect(result.context.slot).toEqual(expect.any(Number));
    expect(result.value).toMatchObject({
      err: null,
      logs: expect.arrayContaining(["Program 11111111111111111111111111111111 success"]),
      unitsConsumed: expect.any(Number),
      replacementBlockhash: { blockhash: expect.any(String), lastValidBlockHeight: expect.any(Number) },
      accounts: [{ lamports: 4_000_000, owner: "11111111111111111111111111111111", data: ["", "base64"], executable: false, space: 0 }],
    });
    expect((await call("simulateTransaction", [wire, { encoding: "base64", sigVerify: true, replaceRecentBlockhash: true }])).error)
      .toMatchObject({ code: -32602 });
    expect((await call("getBalance", [to])).result.value).toBe(0); // nothing committed
  });
});

describe("accounts", () => {
  it("encodes accounts as binary/base58/base64 with dataSlice, and guards base58 size", async () => {
    const token2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
    const { result } = await call("getAccountInfo", [token2022, { encoding: "base64", dataSlice: { offset: 0, length: 4 } }]);
    expect(result.value).toMatchObject({ executable: true, owner: "BPFLoaderUpgradeab1e11111111111111111111111", data: ["AgAAAA==", "base64"], rentEpoch: 18446744073709552000 });
    expect((await call("getAccountInfo", [token2022])).result.value.data).toEqual(expect.any(String)); // legacy binary
    expect((await call("getAccountInfo", [token2022, { encoding: "base58", dataSlice: { offset: 0, length: 4 } }])).result.value.data)
      .toEqual([getBase58Decoder().decode(new Uint8Array([2, 0, 0, 0])), "base58"]);
    const big = await generateKeyPairSigner();
    node.ledger.svm.setAccount({ address: big.address, data: new Uint8Array(200), executable: false, lamports: lamports(10_000_000n), programAddress: address("11111111111111111111111111111111"), space: 200n });
    expect((await call("getAccountInfo", [big.address, { encoding: "base58" }])).error).toEqual({
      code: -32600, message: "Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.",
    });
    expect((await call("getAccountInfo", [big.address, { encoding: "base64" }])).result.value.space).toBe(200);
    const missing = await generateKeyPairSigner();
    const multi = await call("getMultipleAccounts", [[missing.address, payer.address], { encoding: "base64" }]);
    expect(multi.result.value).toEqual([null, expect.objectContaining({ lamports: expect.any(Number), owner: "11111111111111111111111111111111" })]);
    expect((await call("getAccountInfo", ["nope"])).error).toEqual({ code: -32602, message: "Invalid param: Invalid" });
    expect((await call("getTokenAccountBalance", [payer.address])).error).toMatchObject({ code: -32602, message: "Invalid param: not a Token account" });
  });

  it("airdrops through a real, confirmable faucet transaction", async () => {
    const who = await generateKeyPairSigner();
    const { result: sig } = await call("requestAirdrop", [who.address, 2_000_000_000]);
    const { result: sig2 } = await call("requestAirdrop", [who.address, 2_000_000_000]); // same slot, same amount
    expect(sig2).not.toBe(sig);
    expect((await call("getSignatureStatuses", [[sig, sig2]])).result.value).toEqual([
      expect.objectContaining({ err: null }),
      expect.objectContaining({ err: null }),
    ]);
    expect((await call("getBalance", [who.address, { commitment: "processed" }])).result.value).toBe(4_000_000_000);
  });
});

describe("WebSocket PubSub", () => {
  it("notifies received → processed for signatureSubscribe, then ends the subscription", async () => {
    const sock = await openSocket(node.wsUrl);
    try {
      const { wire, signature } = await transfer(5_000_000n);
      sock.send(1, "signatureSubscribe", [signature, { commitment: "processed", enableReceivedNotification: true }]);
      const { result: subId } = await sock.next((m) => m.id === 1);
      expect(typeof subId).toBe("number");
      await call("sendTransaction", [wire, { encoding: "base64", skipPreflight: true }]);
      const received = await sock.next((m) => m.method === "signatureNotification" && m.params.result.value === "receivedSignature");
      expect(received).toEqual({ jsonrpc: "2.0", method: "signatureNotification", params: { result: { context: { slot: expect.any(Number) }, value: "receivedSignature" }, subscription: subId } });
      const processed = await sock.next((m) => m.method === "signatureNotification" && typeof m.params.result.value === "object");
      expect(processed.params).toEqual({ result: { context: { slot: expect.any(Number) }, value: { err: null } }, subscription: subId });
      sock.send(2, "signatureUnsubscribe", [subId]);
      expect((await sock.next((m) => m.id === 2)).error).toMatchObject({ code: -32602 });
      sock.send(3, "getSlot");
      expect((await sock.next((m) => m.id === 3)).error).toEqual({ code: -32601, message: "Method not found" });
    } finally {
      sock.ws.close();
    }
  });

  it("notifies a finalized subscription only after finalizeDepth slots; slotSubscribe works on both ports", async () => {
    for (const url of [node.wsUrl, node.url.replace("http", "ws")]) {
      const sock = await openSocket(url);
      try {
        const { wire, signature } = await transfer(6_000_000n);
        await call("sendTransaction", [wire, { encoding: "base64", preflightCommitment: "confirmed" }]);
        const landed = (await call("getSignatureStatuses", [[signature]])).result.value[0].slot;
        sock.send(1, "signatureSubscribe", [signature, { commitment: "finalized" }]);
        sock.send(2, "slotSubscribe");
        const slotSub = (await sock.next((m) => m.id === 2)).result;
        const slotNote = await sock.next((m) => m.method === "slotNotification");
        expect(slotNote.params).toEqual({ result: { parent: slotNote.params.result.slot - 1, root: expect.any(Number), slot: expect.any(Number) }, subscription: slotSub });
        const fin = await sock.next((m) => m.method === "signatureNotification");
        expect(fin.params.result.value).toEqual({ err: null });
        expect(fin.params.result.context.slot).toBeGreaterThanOrEqual(landed);
        expect(node.control.slot - landed).toBeGreaterThanOrEqual(FINALIZE_DEPTH);
        sock.send(3, "slotUnsubscribe", [slotSub]);
        expect((await sock.next((m) => m.id === 3)).result).toBe(true);
      } finally {
        sock.ws.close();
      }
    }
  });
});
