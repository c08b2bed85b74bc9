// The CLI's pure parts (packages/cli): CSV reading and writing, a row as a launch
// body, the idempotency keys a bulk run derives from the file and the row, the
// 0600 config file, and the exit codes of bad usage. Its runs against the real
// platform are in test/e2e/agents.test.ts.
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { csvLine, parseCsv } from "../../packages/cli/src/csv";
import { itemKey, rowBody } from "../../packages/cli/src/bulk";
import { loadConfig, saveConfig } from "../../packages/cli/src/config";
import { EXIT, main } from "../../packages/cli/src/main";

const sink = () => {
  let text = "";
  const stream = new Writable({ write: (c, _e, cb) => ((text += c), cb()) });
  return { stream, text: () => text };
};

describe("cli", () => {
  it("reads quoted CSV fields and writes them back the same", () => {
    const rows = [["a", 'say "hi"', "x,y", ""], ["line\nbreak", "2", "", "z"]];
    expect(parseCsv(rows.map(csvLine).join("\r\n") + "\r\n")).toEqual(rows);
  });

  it("turns a row into the API's body: camelCase or kebab-case columns, numeric decimals, features as a list", () => {
    const header = ["chain", "name", "symbol", "decimals", "initial-supply", "maxSupply", "owner", "features", "metadataUri"];
    expect(rowBody(header, ["local-eth", "Row Coin", "ROW", "6", "100", "", "0xabc", "mintable;burnable", ""])).toEqual({
      chain: "local-eth", name: "Row Coin", symbol: "ROW", decimals: 6, initialSupply: "100", owner: "0xabc", features: { mintable: true, burnable: true },
    });
  });

  it("derives each row's key from the file and the row alone, so a second run sends the same keys", () => {
    expect(itemKey("f00d", 0)).toBe("tfcsv-f00d-0:0");
    expect(itemKey("f00d", 199)).toBe("tfcsv-f00d-1:99");
    expect(itemKey("beef", 199)).not.toBe(itemKey("f00d", 199));
  });

  it("stores the config readable by its owner only; the environment overrides it", () => {
    const env = { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), "tf-cli-")) };
    const path = saveConfig({ url: "http://x.test", apiKey: "tf_file" }, env);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadConfig(env)).toEqual({ url: "http://x.test", apiKey: "tf_file" });
    expect(loadConfig({ ...env, TOKENFORGE_API_KEY: "tf_env", TOKENFORGE_URL: "http://y.test" })).toEqual({ url: "http://y.test", apiKey: "tf_env" });
  });

  it("exits 2 on bad usage, naming what is wrong", async () => {
    const err = sink();
    const out = { stdout: sink().stream, stderr: err.stream };
    expect(await main(["launch", "--chain", "local-eth"], out)).toBe(EXIT.usage);
    expect(err.text()).toMatch(/--name is required/);
    expect(await main(["nope"], out)).toBe(EXIT.usage);
    expect(await main(["launch", "--bogus"], out)).toBe(EXIT.usage);
  });
});
