// Configuration parsed once (issue 15, item 2): each Worker turns its vars into a
// typed config at its entry with zod. The values each wrangler.toml declares
// (local and production) parse; a bad value stops the Worker with the var's name
// instead of travelling on as NaN.
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { join } from "node:path";
import { ConfigError } from "../../packages/core/src/config-vars";
import { parseApiConfig } from "../../workers/api/src/config";
import { parseCronConfig } from "../../workers/cron/src/config";
import { parseDeployerConfig } from "../../workers/deployer/src/config";
import { ROOT } from "../../tools/platform";

const parsers = { api: parseApiConfig, cron: parseCronConfig, deployer: parseDeployerConfig } as const;
const varsOf = (w: string, env?: string) => unstable_readConfig({ config: join(ROOT, "workers", w, "wrangler.toml"), env }, { hideWarnings: true }).vars;

describe("the vars each wrangler.toml declares parse", () => {
  for (const [w, parse] of Object.entries(parsers)) {
    for (const env of [undefined, "production"]) {
      it(`${w} (${env ?? "local"})`, () => {
        const config = parse(varsOf(w, env));
        expect(config.env).toBe(env ?? "local");
      });
    }
  }

  it("local values are the declared ones; production, which lists fewer vars, gets the defaults", () => {
    expect(parseDeployerConfig(varsOf("deployer")).signer).toEqual({ rebroadcastAfterMs: 5_000, stuckAfterMs: 3_000, maxFeeCap: 500_000_000_000n, tip: 1_000_000_000n });
    expect(parseDeployerConfig(varsOf("deployer", "production"))).toMatchObject({ confirmDelaySeconds: 4, retry: { baseSeconds: 5, capSeconds: 600 }, solanaPriorityFee: { microLamportsPerUnit: 10_000n, computeUnitLimit: 60_000 } });
    expect(parseApiConfig(varsOf("api", "production"))).toMatchObject({
      limits: { RATE_LIMIT_KEY_PER_MINUTE: 600, RATE_LIMIT_IP_PER_MINUTE: 1200, RATE_LIMIT_LAUNCHES_PER_DAY: 1000, RATE_LIMIT_IP_LAUNCHES_PER_DAY: 2000 },
      sessionTtlMs: 7 * 24 * 3600_000,
      webhooks: { allowPrivate: false, maxAttempts: 8, retryBaseSeconds: 10 },
    });
    expect(parseCronConfig(varsOf("cron")).sweepStaleMs).toBe(30_000);
    expect(parseCronConfig(varsOf("cron", "production")).sweepStaleMs).toBe(120_000);
  });

  it("lists are comma-separated, origins normalised as browsers send them", () => {
    const config = parseApiConfig({ TF_ENV: "production", PUBLIC_ORIGINS: " https://TF.example/ , http://127.0.0.1:8787", CORS_ORIGINS: "https://app.tf.example:443/", ADMIN_WALLETS: "0xabc, 4Nd1" });
    expect(config).toMatchObject({ publicOrigins: ["https://tf.example", "http://127.0.0.1:8787"], corsOrigins: ["https://app.tf.example"], adminWallets: ["0xabc", "4Nd1"] });
    expect(parseApiConfig({ TF_ENV: "production" })).toMatchObject({ publicOrigins: [], corsOrigins: [], adminWallets: [] });
  });

  it("an empty var means its default", () => {
    expect(parseDeployerConfig({ TF_ENV: "local", CONFIRM_DELAY_SECONDS: "", SIGNER_TIP_GWEI: "" })).toMatchObject({ confirmDelaySeconds: 1, signer: { tip: 1_000_000_000n } });
  });
});

describe("a bad value is refused by name", () => {
  const cases: [keyof typeof parsers, Record<string, string>, RegExp][] = [
    ["deployer", { CONFIRM_DELAY_SECONDS: "soon" }, /CONFIRM_DELAY_SECONDS: Invalid input: expected number, received NaN/],
    ["deployer", { SIGNER_STUCK_AFTER_MS: "-5" }, /SIGNER_STUCK_AFTER_MS: Too small/],
    ["deployer", { SIGNER_MAX_FEE_GWEI: "lots" }, /SIGNER_MAX_FEE_GWEI: expected a gwei amount/],
    ["deployer", { SOLANA_COMPUTE_UNIT_LIMIT: "1.5" }, /SOLANA_COMPUTE_UNIT_LIMIT: /],
    ["deployer", { TF_ENV: "staging" }, /TF_ENV: /],
    ["api", { RATE_LIMIT_IP_PER_MINUTE: "1e3x" }, /RATE_LIMIT_IP_PER_MINUTE: Invalid input/],
    ["api", { ALLOW_PRIVATE_WEBHOOKS: "yes" }, /ALLOW_PRIVATE_WEBHOOKS: /],
    ["api", { SESSION_TTL_SECONDS: "0" }, /SESSION_TTL_SECONDS: Too small/],
    ["api", { PUBLIC_ORIGINS: "https://tf.example,tf.example" }, /PUBLIC_ORIGINS\.1: expected comma-separated origins/],
    ["api", { CORS_ORIGINS: "mailto:ops@tf.example" }, /CORS_ORIGINS\.0: expected comma-separated origins/],
    ["cron", { SWEEP_STALE_SECONDS: "half a minute" }, /SWEEP_STALE_SECONDS: Invalid input/],
  ];
  for (const [w, bad, message] of cases) {
    it(`${w}: ${Object.entries(bad).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")}`, () => {
      const parse = () => parsers[w]({ ...varsOf(w), ...bad });
      expect(parse).toThrow(ConfigError);
      expect(parse).toThrow(message);
      expect(parse).toThrow(new RegExp(`^${w} Worker configuration is invalid`));
    });
  }
});
