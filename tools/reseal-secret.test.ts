// The offline re-seal of a Worker-secret envelope (tools/reseal-secret.ts): the
// deployer key sealed under key 1 comes back sealed under key 2, opens with key 2
// alone, and the command prints nothing but the envelope.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { masterKeysFromEnv, open, type Envelope } from "../packages/core/src/crypto/envelope";
import { resealSecret } from "./reseal-secret";
import { ROOT } from "./platform";

const K1 = btoa("1".repeat(32));
const K2 = btoa("2".repeat(32));
const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"; // anvil's dev key #1

it("re-seals the deployer key envelope under the new master key, printing only the envelope", async () => {
  const sealed = await resealSecret(KEY, { MASTER_KEY_1: K1 }, { aad: "deployer:evm", seal: true });
  const r = spawnSync(join(ROOT, "node_modules/.bin/tsx"), ["tools/reseal-secret.ts"], {
    cwd: ROOT, input: sealed, encoding: "utf8", env: { PATH: process.env.PATH, MASTER_KEY_1: K1, MASTER_KEY_2: K2, MASTER_KEY_VERSION: "2" },
  });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout + r.stderr).not.toContain(KEY.slice(2));
  const envelope = JSON.parse(atob(r.stdout.trim())) as Envelope;
  expect(envelope.v).toBe(2);
  expect(await open(await masterKeysFromEnv({ MASTER_KEY_2: K2 }), envelope, "deployer:evm")).toBe(KEY);
  // Without the old key the old envelope cannot be opened, and the error does not echo the input.
  const bad = spawnSync(join(ROOT, "node_modules/.bin/tsx"), ["tools/reseal-secret.ts"], { cwd: ROOT, input: sealed, encoding: "utf8", env: { PATH: process.env.PATH, MASTER_KEY_2: K2 } });
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/no master key of version 1/);
  expect(bad.stdout + bad.stderr).not.toContain(sealed);
});
