// Test entry: the deployer Worker as deployed, plus the ChainGate Durable Object
// class (an explicit export wins over the star export once index.ts has it too).
export * from "../src/index";
export { default } from "../src/index";
export { ChainGate } from "../src/gate/chain-gate.do";
