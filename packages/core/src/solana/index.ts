// Solana launch code shared by the deployer, the tools and the tests (not the
// api: it never builds transactions, so @solana/kit stays out of its bundle).
export * from "./token-2022";
export * from "./compute-budget";
export * from "./launch-tx";
export * from "./mint-address";
export * from "./keypair";
export * from "./wallet-launch";
