// Local Solana node for development and tests: Solana JSON-RPC (HTTP) and PubSub (WebSocket)
// over one in-process LiteSVM (System, SPL Token, Token-2022, ATA, Memo, ...).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { startSlotClock } from "./clock";
import { Ledger } from "./ledger";
import { createMethods } from "./methods";
import { createHttpServer } from "./server";
import { Subscriptions } from "./subscriptions";

export { Ledger } from "./ledger";
export type { Commitment, TxRecord } from "./ledger";

export interface SolanaNodeOptions {
  /** HTTP JSON-RPC port (0 = any free port). Default 8899. */
  port?: number;
  /** WebSocket port. Default port + 1 (the Solana convention), or any free port if port is 0. */
  wsPort?: number;
  /** Bind address. Default 127.0.0.1. */
  host?: string;
  /** Slot length in ms. Default 400. */
  slotMs?: number;
  /** Slots a blockhash stays valid. Default 150. */
  blockhashExpirySlots?: number;
  /** Slots from processed to finalized. Default 32. */
  finalizeDepth?: number;
}

export interface SolanaNodeControl {
  /** While on, accepted transactions are parked; on release, still-valid ones land, expired ones are dropped. */
  holdTransactions(on: boolean): void;
  setBalance(pubkey: string, lamports: bigint | number): void;
  /** Drops every parked transaction; returns how many. */
  dropAll(): number;
  /** Produces `n` slots now (on top of the timer). */
  advanceSlots(n: number): number;
  /** Stops (or restarts) the slot timer: slots then move only by `advanceSlots` (tests whose outcome must not depend on load). */
  pauseSlots(on: boolean): void;
  readonly slot: number;
  readonly heldCount: number;
}

export interface SolanaNode {
  url: string;
  wsUrl: string;
  port: number;
  wsPort: number;
  control: SolanaNodeControl;
  ledger: Ledger;
  close(): Promise<void>;
}

export async function startSolanaNode(opts: SolanaNodeOptions = {}): Promise<SolanaNode> {
  const host = opts.host ?? "127.0.0.1";
  const port = opts.port ?? 8899;
  const wsPortWanted = opts.wsPort ?? (port === 0 ? 0 : port + 1);
  const ledger = new Ledger({
    blockhashExpirySlots: opts.blockhashExpirySlots ?? 150,
    finalizeDepth: opts.finalizeDepth ?? 32,
  });

  const http = createHttpServer(createMethods(ledger));
  const subscriptions = new Subscriptions(ledger);
  const wss = new WebSocketServer({ noServer: true });
  wss.on("connection", (ws) => subscriptions.attach(ws));
  // PubSub on its own port (the convention), and also on the HTTP port for convenience.
  const wsHttp = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" });
    res.end("WebSocket (Solana PubSub) only");
  });
  for (const s of [http, wsHttp])
    s.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req)));

  await listen(http, port, host);
  try {
    await listen(wsHttp, wsPortWanted, host);
  } catch (e) {
    http.close();
    throw e;
  }
  const clock = startSlotClock(ledger, opts.slotMs ?? 400);
  const httpPort = (http.address() as AddressInfo).port;
  const wsPort = (wsHttp.address() as AddressInfo).port;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      clock.stop();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await Promise.all([http, wsHttp].map((s) => new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      })));
    })());

  const control: SolanaNodeControl = {
    holdTransactions: (on) => ledger.holdTransactions(on),
    setBalance: (pubkey, lamports) => ledger.setBalance(pubkey, BigInt(lamports)),
    dropAll: () => ledger.dropAll(),
    advanceSlots: (n) => {
      for (let i = 0; i < n; i++) ledger.tick();
      return ledger.slot;
    },
    pauseSlots: (on) => clock.pause(on),
    get slot() {
      return ledger.slot;
    },
    get heldCount() {
      return ledger.heldCount;
    },
  };

  return {
    url: `http://${urlHost}:${httpPort}`,
    wsUrl: `ws://${urlHost}:${wsPort}`,
    port: httpPort,
    wsPort,
    control,
    ledger,
    close,
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
