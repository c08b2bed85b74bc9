// The deployer's vars are parsed once at its entry (src/config.ts): a bad one fails
// the batch there, named, before any launch is loaded, instead of reaching the
// confirmation queue as a NaN delay.
import { createMessageBatch, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index";

const batch = () => createMessageBatch("tf-launches", [{ id: "m1", timestamp: new Date(), attempts: 1, body: { launchId: "lch_config_entry" } }]);
const queue = (vars: Record<string, string>) => worker.queue(batch() as never, { ...env, ...vars } as never);

describe("the deployer's entry", () => {
  it("refuses a non-numeric CONFIRM_DELAY_SECONDS by name", async () => {
    await expect(queue({ CONFIRM_DELAY_SECONDS: "soon" })).rejects.toThrow(
      /^deployer Worker configuration is invalid .*CONFIRM_DELAY_SECONDS: Invalid input: expected number, received NaN/,
    );
  });

  it("refuses a fee cap that is not a gwei amount", async () => {
    await expect(queue({ SIGNER_MAX_FEE_GWEI: "500 gwei" })).rejects.toThrow(/SIGNER_MAX_FEE_GWEI: expected a gwei amount/);
  });

  it("with valid vars goes past the config to the launches (this test database has no tables)", async () => {
    const outcome = await queue({ CONFIRM_DELAY_SECONDS: "2" }).then(() => "handled", (e: Error) => e.message);
    expect(outcome).not.toMatch(/configuration is invalid/);
  });
});
