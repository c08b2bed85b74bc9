// The deployer's retry delays (configurable base and cap, full jitter) and the
// naming of a revert from the node's raw custom-error data.
import { describe, expect, it } from "vitest";
import { parseDeployerConfig } from "../../workers/deployer/src/config";
import { retryDelaySeconds } from "../../workers/deployer/src/errors";
import { withRevertReason } from "../../workers/deployer/src/evm/revert";

describe("retryDelaySeconds", () => {
  it("doubles from the base up to the cap, within [½, 1] of each step", () => {
    const { retry } = parseDeployerConfig({ TF_ENV: "local", RETRY_BASE_SECONDS: "1", RETRY_CAP_SECONDS: "8" });
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelaySeconds(retry, a, () => 1))).toEqual([1, 2, 4, 8, 8, 8]);
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelaySeconds(retry, a, () => 0))).toEqual([1, 1, 2, 4, 4, 4]);
  });

  it("uses the defaults (2 s, capped at 300 s) when the vars are missing", () => {
    const { retry } = parseDeployerConfig({ TF_ENV: "local" });
    expect(retryDelaySeconds(retry, 1, () => 1)).toBe(2);
    expect(retryDelaySeconds(retry, 20, () => 1)).toBe(300);
  });

  it("refuses malformed vars by name, so a typo cannot turn retries into a hot loop", () => {
    expect(() => parseDeployerConfig({ TF_ENV: "local", RETRY_BASE_SECONDS: "soon", RETRY_CAP_SECONDS: "-1" })).toThrow(
      /RETRY_BASE_SECONDS: .*NaN.*RETRY_CAP_SECONDS: Too small/,
    );
  });
});

describe("withRevertReason", () => {
  it("names a custom error the factory can raise", () => {
    const c = withRevertReason({ kind: "revert", permanent: true, message: "Execution reverted with reason: custom error 0xb06ebf3d. | execution reverted: custom error 0xb06ebf3d" });
    expect(c).toEqual({ kind: "revert", permanent: true, message: "execution reverted: FailedDeployment() [0xb06ebf3d]" });
  });

  it("leaves unknown selectors, plain reasons and other kinds alone", () => {
    const unknown = { kind: "revert" as const, permanent: true, message: "execution reverted: custom error 0xdeadbeef" };
    expect(withRevertReason(unknown)).toBe(unknown);
    const plain = { kind: "revert" as const, permanent: true, message: "execution reverted: Ownable: caller is not the owner" };
    expect(withRevertReason(plain)).toBe(plain);
    const nonce = { kind: "nonce-too-low" as const, permanent: false, message: "nonce too low: custom error 0xb06ebf3d" };
    expect(withRevertReason(nonce)).toBe(nonce);
  });
});
