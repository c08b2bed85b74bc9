// The block window a launch's creation log is searched in (issue 11, 6a): bounded,
// never "earliest", wide enough for blocks that come faster than the nominal rate.
import { describe, expect, it } from "vitest";
import { creationFromBlock, MAX_LOG_RANGE } from "../../packages/core/src/evm/creation-window";

const eth = { blockTimeMs: 12_000 };
describe("creationFromBlock", () => {
  it("covers the blocks since the launch was accepted, twice over, plus a margin", () => {
    // 10 minutes of 12 s blocks = 50 blocks → 200 blocks back.
    expect(creationFromBlock(eth, 0, 1_000_000n, 600_000)).toBe(1_000_000n - 200n);
  });
  it("never searches more than MAX_LOG_RANGE blocks back", () => {
    expect(creationFromBlock(eth, 0, 50_000_000n, 365 * 86_400_000)).toBe(50_000_000n - MAX_LOG_RANGE);
  });
  it("starts at block 0 on a young chain, and tolerates a clock behind the launch", () => {
    expect(creationFromBlock(eth, 0, 30n, 60_000)).toBe(0n);
    expect(creationFromBlock(eth, 5_000, 1_000n, 0)).toBe(900n);
  });
});
