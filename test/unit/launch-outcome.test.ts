// The one outcome type of the chain adapters (workers/deployer/src/adapter.ts) and
// how the consumers turn it into lifecycle moves: every outcome maps to a move of
// core's lifecycle (or to none), and a move the launch's status refuses writes nothing.
import { describe, expect, it } from "vitest";
import { LAUNCH_STATUSES, nextStatus, type LaunchStatus } from "@tokenforge/core/lifecycle";
import { LaunchRequest } from "@tokenforge/core/launch";
import { absentOutcome, changeFor, moveOf, type LaunchOutcome } from "../../workers/deployer/src/adapter";

const token = { chain: "local-eth", address: "0xabc", launchId: "lch_1", name: "A", symbol: "A", decimals: 18, totalSupply: "1", owner: "0x1", features: { mintable: false, burnable: false, pausable: false, permit: false, freezable: false }, metadataUri: null, txHash: "0xt" };
const outcomes: LaunchOutcome[] = [
  { kind: "submitted", launchId: "lch_1", txHash: "0xnew", nonce: 3, detail: "tx 0xnew nonce 3" },
  { kind: "confirmed", launchId: "lch_1", txHash: "0xt", blockNumber: 9, gasUsed: "1", detail: "block 9", token },
  { kind: "failed", launchId: "lch_1", errorType: "revert", detail: "reverted" },
  { kind: "pending", launchId: "lch_1" },
  { kind: "retry", launchId: "lch_1", error: { kind: "endpoint", permanent: false, message: "timeout" } },
  { kind: "waiting", launchId: "lch_1", detail: "waiting for funds" },
  { kind: "untracked", launchId: "lch_1" },
  { kind: "expired", launchId: "lch_1", detail: "no token" },
];

describe("launch outcomes → lifecycle moves", () => {
  it("writes a change exactly when the lifecycle allows the outcome's move from the launch's status", () => {
    for (const status of LAUNCH_STATUSES as readonly LaunchStatus[]) {
      for (const o of outcomes) {
        const move = moveOf(o, { status });
        const change = changeFor(o, { status, txHash: "0xold" }, "event");
        const allowed = move !== null && nextStatus(status, move) !== null;
        expect({ status, kind: o.kind, written: change !== null }).toEqual({ status, kind: o.kind, written: allowed });
      }
    }
  });

  it("maps each outcome to its move", () => {
    expect(outcomes.map((o) => moveOf(o, { status: "queued" }))).toEqual(["submit", "confirm", "fail", null, "attempt", "attempt", null, null]);
    expect(moveOf(outcomes[0]!, { status: "submitted" })).toBe("replace");
  });

  it("a submitted launch's own transaction again is no change; a new one replaces it", () => {
    const same = { ...outcomes[0]!, txHash: "0xold" } as LaunchOutcome;
    expect(changeFor(same, { status: "submitted", txHash: "0xold" })).toBeNull();
    expect(changeFor(outcomes[0]!, { status: "submitted", txHash: "0xold" })).toEqual({ kind: "submitted", launchId: "lch_1", txHash: "0xnew", nonce: 3, detail: "tx 0xnew nonce 3" });
  });

  it("a retry counts an attempt with its history line; waiting counts one without", () => {
    expect(changeFor(outcomes[4]!, { status: "queued", txHash: null }, "attempt 1 failed")).toEqual({ kind: "attempt", launchId: "lch_1", detail: "timeout", event: "attempt 1 failed" });
    expect(changeFor(outcomes[5]!, { status: "queued", txHash: null })).toEqual({ kind: "attempt", launchId: "lch_1", detail: "waiting for funds" });
  });

  it("a watched launch with no token is pending until its deadline and expired after it", () => {
    const l = { id: "lch_1", address: "0xabc", request: LaunchRequest.parse({ chain: "local-eth", name: "A", symbol: "A", decimals: 18, initialSupply: "1", owner: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" }), createdAt: 0, factoryVersion: null, expiresAt: 1_000 };
    expect(absentOutcome(l, 1_000, "0xabc").kind).toBe("pending");
    expect(absentOutcome(l, 1_001, "0xabc").kind).toBe("expired");
    expect(absentOutcome({ ...l, expiresAt: null }, 10 ** 15, "0xabc").kind).toBe("pending");
  });
});
