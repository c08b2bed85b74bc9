// Solana through the gate: what counts against an endpoint (a failing node,
// throttling, a refused connection) and what does not (the transaction's own
// errors: blockhash not found, already processed, a failed preflight), first as
// pure classification, then through gatedSolanaTransport against the local
// Solana node with the fault proxy as the primary endpoint.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSolanaRpcFromTransport, generateKeyPairSigner, type Base64EncodedWireTransaction } from "@solana/kit";
import { withTrace, type ChainConfig } from "@tokenforge/core";
import {
  classifyFetchFailure, classifyHttpResponse, classifyRpcAnswers, GateUnavailableError, gatedSolanaTransport, GROUP_MAX,
  type EndpointOutcome, type GateClient, type GateEnv,
} from "@tokenforge/gate";
import { classifySendError } from "../../workers/deployer/src/solana/lifecycle";
import { deriveMintSigner, signLaunchTransaction } from "../../packages/core/src/solana/index";
import { LaunchRequest } from "../../packages/core/src/launch";
import { startSolanaNode, type SolanaNode } from "../../tools/solana-node/index";
import { startRpcProxy, type RpcProxy } from "../../tools/rpc-proxy/index";

const NOW = 1_700_000_000_000;
const rpcError = (code: number, message: string, data?: unknown) => JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code, message, ...(data ? { data } : {}) } });
const solana = (status: number, body: string, headers: Record<string, string> = {}) => classifyHttpResponse(status, new Headers(headers), body, NOW, "solana");

describe("Solana errors, classified for the gate", () => {
  it("does not blame the endpoint for the transaction's own errors", () => {
    expect(solana(200, rpcError(-32002, "Transaction simulation failed: Blockhash not found", { err: "BlockhashNotFound" }))).toBeNull();
    expect(solana(200, rpcError(-32002, "Transaction simulation failed: This transaction has already been processed", { err: "AlreadyProcessed" }))).toBeNull();
    expect(solana(200, rpcError(-32002, "Transaction simulation failed: Error processing Instruction 0: custom program error: 0x0"))).toBeNull();
    expect(solana(200, rpcError(-32003, "Transaction signature verification failure"))).toBeNull();
    expect(solana(200, rpcError(-32602, "Invalid params: invalid type"))).toBeNull();
    // Slot skipped is a fact about the ledger, not the node (on EVM, -32007 is QuickNode's rate limit).
    expect(solana(200, rpcError(-32007, "Slot 12 was skipped, or missing due to ledger jump to recent snapshot"))).toBeNull();
  });

  it("never reads a transaction's error text as a rate limit", () => {
    const body = rpcError(-32002, "Transaction simulation failed: Error processing Instruction 1: exceeded maximum account data capacity");
    expect(solana(200, body)).toBeNull();
    // The same text without Solana's code would be a throttling EVM provider: the rule is the family's.
    expect(classifyHttpResponse(200, new Headers(), rpcError(-32000, "exceeded request capacity"), NOW, "evm")).toEqual({ kind: "http429" });
  });

  it("blames the endpoint for being unhealthy, throttling, failing or unreachable", () => {
    expect(solana(200, rpcError(-32005, "Node is behind by 42 slots", { numSlotsBehind: 42 }))).toEqual({ kind: "http5xx" });
    expect(solana(200, rpcError(429, "Too many requests for a specific RPC call"))).toEqual({ kind: "http429" });
    expect(solana(429, "Too many requests", { "retry-after": "2" })).toEqual({ kind: "http429", retryAfterMs: 2_000 });
    expect(solana(503, "upstream unavailable")).toEqual({ kind: "http5xx" });
    expect(solana(200, "<html>gateway</html>")).toEqual({ kind: "bad-response" });
    expect(classifyFetchFailure(new TypeError("fetch failed"), false)).toBe("connection");
    expect(classifyFetchFailure(new DOMException("aborted", "AbortError"), true)).toBe("timeout");
    expect(classifyRpcAnswers([{ error: { code: -32005, message: "Node is unhealthy" } }], "solana")).toEqual({ kind: "http5xx" });
  });
});

describe("gatedSolanaTransport against the local Solana node", () => {
  let node: SolanaNode;
  let primary: RpcProxy;
  let chain: ChainConfig;
  beforeAll(async () => {
    node = await startSolanaNode({ port: 0, slotMs: 50, blockhashExpirySlots: 20 });
    primary = await startRpcProxy({ upstream: node.url });
    chain = {
      id: "local-sol", name: "Local Solana", family: "solana", nativeSymbol: "SOL", confirmations: 1, blockTimeMs: 400,
      publicRpcUrl: node.url, explorer: null,
      rpc: [
        { url: primary.url, provider: "primary", quota: { requests: 1000, perSeconds: 1 } },
        { url: node.url, provider: "solana-node", quota: { requests: 1000, perSeconds: 1 } },
      ],
    } as ChainConfig;
  });
  afterAll(async () => {
    await primary?.close();
    await node?.close();
  });

  /** A gate that grants endpoints in registry order and records what it is told (the ChainGate's own tests cover its decisions). */
  function recordingGate(requestTimeoutMs = 2_000) {
    const reports: { index: number; outcome: EndpointOutcome }[] = [];
    const asked: number[] = [];
    const gate: GateClient = {
      async acquire(_chain, cost = 1, exclude = []) {
        asked.push(cost);
        const index = chain.rpc.findIndex((_, i) => !exclude.includes(i));
        if (index < 0) return { endpoint: null, waitMs: 0, reason: "exhausted" };
        return { endpoint: { url: chain.rpc[index]!.url, provider: chain.rpc[index]!.provider, index }, waitMs: 0, granted: cost };
      },
      async report(_chain, index, outcome) {
        reports.push({ index, outcome });
        return { state: "closed" };
      },
    };
    const rpc = createSolanaRpcFromTransport(gatedSolanaTransport({ TF_ENV: "local" } as GateEnv, chain, { gate, requestTimeoutMs, maxWaitMs: 1_000 }));
    return { rpc, kinds: () => reports.map((r) => `#${r.index} ${r.outcome.type === "failure" ? r.outcome.kind : "ok"}`), reports, asked };
  }

  async function signedLaunch(launchId: string) {
    const payer = await generateKeyPairSigner();
    node.control.setBalance(payer.address, 10n ** 10n);
    const req = LaunchRequest.parse({ chain: "local-sol", name: "A", symbol: "A", decimals: 0, initialSupply: "1", owner: (await generateKeyPairSigner()).address });
    const { rpc } = recordingGate();
    const { value: lifetime } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
    return signLaunchTransaction({ feePayer: payer, mint: await deriveMintSigner("x".repeat(32), launchId), req, rentForZeroBytes: 890880n, lifetime });
  }

  it.each([
    ["fail500", "http5xx"],
    ["fail429", "http429"],
    ["close", "connection"],
  ] as const)("fails over to the secondary when the primary answers %s, and reports it as %s", async (mode, kind) => {
    primary.setMode(mode);
    try {
      const { rpc, kinds } = recordingGate();
      const slot = await rpc.getSlot().send();
      expect(typeof slot).toBe("bigint");
      expect(kinds()).toEqual([`#0 ${kind}`, "#1 ok"]);
    } finally {
      primary.setMode("pass");
    }
  });

  it("asks the gate once for calls made together, at most GROUP_MAX at a time, and tells it each call's outcome", async () => {
    const { rpc, asked, kinds } = recordingGate(15_000); // 150 requests at once to a node in this process: slow on a busy machine
    const slots = await Promise.all(Array.from({ length: GROUP_MAX + 50 }, () => rpc.getSlot().send()));
    expect(slots.every((s) => typeof s === "bigint")).toBe(true);
    expect(asked).toEqual([GROUP_MAX, 50]);
    // This fake has no reportMany: one report per call, so every call still reaches the breaker.
    expect(kinds()).toEqual(Array(GROUP_MAX + 50).fill("#0 ok"));
  });

  it("sends W3C traceparent with the trace-id of the launch's request in scope, as EVM calls do", async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.traceparent as string | undefined);
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: JSON.parse(body).id, result: 7 })));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const gate: GateClient = {
        acquire: async (_c, cost = 1) => ({ endpoint: { url, provider: "capture", index: 0 }, waitMs: 0, granted: cost }),
        report: async () => ({ state: "closed" }),
      };
      const rpc = createSolanaRpcFromTransport(gatedSolanaTransport({ TF_ENV: "local" } as GateEnv, chain, { gate, maxWaitMs: 1_000 }));
      const trace = "4bf92f3577b34da6a3ce929d0e0e4736";
      const launches = new Map([["lch_1", trace]]);
      expect(await withTrace({ launches }, () => rpc.getSlot().send())).toBe(7n);
      expect(seen[0]).toMatch(new RegExp(`^00-${trace}-[0-9a-f]{16}-01$`));
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("keeps u64 answers exact: kit's own JSON handling runs on every attempt", async () => {
    const payer = await generateKeyPairSigner();
    node.control.setBalance(payer.address, 2n ** 60n + 1n);
    const { rpc } = recordingGate();
    expect((await rpc.getBalance(payer.address).send()).value).toBe(2n ** 60n + 1n);
  });

  it("does not fail over or blame the endpoint for a blockhash not found or an already processed transaction", async () => {
    const send = (rpc: ReturnType<typeof recordingGate>["rpc"], wire: string) =>
      rpc.sendTransaction(wire as Base64EncodedWireTransaction, { encoding: "base64", preflightCommitment: "confirmed" }).send().then(() => null, (e: unknown) => e);

    const expired = await signedLaunch("g1");
    node.control.advanceSlots(25);
    primary.reset();
    let g = recordingGate();
    expect(classifySendError(await send(g.rpc, expired.wire), 2)).toMatchObject({ kind: "blockhash-not-found" });
    expect(g.kinds()).toEqual(["#0 ok"]);
    expect(primary.counts().byMethod.sendTransaction).toBe(1);

    const tx = await signedLaunch("g2");
    g = recordingGate();
    expect(await send(g.rpc, tx.wire)).toBeNull();
    node.control.advanceSlots(1);
    expect(classifySendError(await send(g.rpc, tx.wire), 2)).toMatchObject({ kind: "already-processed" });
    expect(g.kinds()).toEqual(["#0 ok", "#0 ok"]);
  });

  it("gives up with a transient GateUnavailableError when every endpoint fails", async () => {
    const dead = { ...chain, rpc: [chain.rpc[0]!, { ...chain.rpc[1]!, url: "http://127.0.0.1:9" }] };
    primary.setMode("fail500");
    try {
      const reports: string[] = [];
      const gate: GateClient = {
        async acquire(_c, cost = 1, exclude = []) {
          const index = dead.rpc.findIndex((_, i) => !exclude.includes(i));
          return index < 0 ? { endpoint: null, waitMs: 0, reason: "exhausted" } : { endpoint: { ...dead.rpc[index]!, index }, waitMs: 0, granted: cost };
        },
        async report(_c, index, outcome) {
          reports.push(`#${index} ${outcome.type === "failure" ? outcome.kind : "ok"}`);
          return {};
        },
      };
      const rpc = createSolanaRpcFromTransport(gatedSolanaTransport({ TF_ENV: "local" } as GateEnv, dead as ChainConfig, { gate, requestTimeoutMs: 2_000, maxWaitMs: 1_000 }));
      const e = await rpc.getSlot().send().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(GateUnavailableError);
      expect(classifySendError(e, 2).kind).toBe("transient");
      expect(reports).toEqual(["#0 http5xx", "#1 connection"]);
    } finally {
      primary.setMode("pass");
    }
  });
});
