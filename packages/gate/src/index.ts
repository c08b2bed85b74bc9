// @tokenforge/gate: the client side of the ChainGate (one Durable Object per
// chain, hosted by the deployer Worker) that every Worker imports by name:
// the pure breaker and bucket, error classification, tuning, the gated
// transports (viem, @solana/kit, plain JSON-RPC) and the Durable Object's RPC
// interface. See docs/architecture.md.
export * from "./breaker";
export * from "./bucket";
export * from "./classify";
export * from "./config";
export * from "./errors";
export * from "./types";
export * from "./json-rpc";
export * from "./gated-fetch";
export * from "./solana-transport";
