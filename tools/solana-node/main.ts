// CLI: npx tsx tools/solana-node/main.ts [--port 8899] [--ws-port N] [--host 127.0.0.1]
//      [--slot-ms 400] [--blockhash-expiry-slots 150] [--finalize-depth 32]
import { parseArgs } from "node:util";
import { startSolanaNode } from "./index";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8899" },
    "ws-port": { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    "slot-ms": { type: "string", default: "400" },
    "blockhash-expiry-slots": { type: "string", default: "150" },
    "finalize-depth": { type: "string", default: "32" },
  },
});

const int = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`solana-node: --${name} must be a non-negative integer, got ${v}`);
    process.exit(2);
  }
  return n;
};

const node = await startSolanaNode({
  port: int("port", values.port),
  wsPort: int("ws-port", values["ws-port"]),
  host: values.host,
  slotMs: int("slot-ms", values["slot-ms"]),
  blockhashExpirySlots: int("blockhash-expiry-slots", values["blockhash-expiry-slots"]),
  finalizeDepth: int("finalize-depth", values["finalize-depth"]),
});
console.log(`solana-node ready rpc=${node.url} ws=${node.wsUrl} slotMs=${values["slot-ms"]} blockhashExpirySlots=${values["blockhash-expiry-slots"]}`);

let stopping = false;
for (const sig of ["SIGTERM", "SIGINT"] as const)
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void node.close().then(() => process.exit(0));
  });
