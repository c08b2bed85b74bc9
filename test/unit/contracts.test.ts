// The committed artifacts are exactly what the committed sources compile to. The factory address
// is a hash of its creation code, so any drift would silently move it on every chain.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileContracts } from "../../tools/compile-contracts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("contract compile", () => {
  it("reproduces the committed artifacts byte for byte", () => {
    const { files } = compileContracts();
    expect(Object.keys(files).sort()).toEqual([
      "contracts/artifacts/ForgeFactory.json",
      "contracts/artifacts/ForgeFactoryV2.json",
      "contracts/artifacts/ForgeToken.json",
      "contracts/artifacts/ForgeTokenV2.json",
      "contracts/artifacts/standard-json-input.json",
      "packages/core/src/contracts/artifacts.ts",
    ]);
    for (const [rel, content] of Object.entries(files)) {
      expect(readFileSync(ROOT + rel, "utf8"), `${rel} is stale: run npm run compile:contracts`).toBe(content);
    }
  });
});
