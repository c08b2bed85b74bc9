// Test entry: the deployer Worker as deployed (its Durable Objects included).
export * from "../src/index";
export { default } from "../src/index";
