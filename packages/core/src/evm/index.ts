// EVM helpers shared by the deployer Worker, the API and tests.
export * from "./token-address";
export * from "./creation-window";
