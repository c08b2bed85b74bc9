// The last step of `npm test`: the typecheck (tsc) and the test run (vitest run,
// with any arguments given to `npm test --`) side by side. tsc keeps one core
// busy for about 20 s; the first minutes of the test run are the end-to-end files,
// which mostly wait for blocks, so the other core is free for it. Fails if either
// fails; tsc's errors are printed when it ends and named again at the very end.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./platform";

const bin = (name: string) => join(ROOT, "node_modules/.bin", name);

const typecheck = new Promise<{ code: number | null; out: string }>((resolve) => {
  const child = spawn(bin("tsc"), ["-p", "tsconfig.json", "--noEmit"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  child.on("error", (e) => resolve({ code: 1, out: String(e) }));
  child.on("close", (code) => {
    if (code !== 0) process.stderr.write(`\ntsc -p tsconfig.json --noEmit failed:\n${out}\n`);
    resolve({ code, out });
  });
});

const tests = new Promise<number | null>((resolve) => {
  const child = spawn(bin("vitest"), ["run", ...process.argv.slice(2)], { cwd: ROOT, stdio: "inherit" });
  child.on("error", () => resolve(1));
  child.on("close", (code) => resolve(code));
});

const [tsc, vitest] = await Promise.all([typecheck, tests]);
if (tsc.code !== 0) console.error(`typecheck failed (tsc exit ${tsc.code}): see tsc's errors above`);
process.exit(tsc.code !== 0 ? 2 : (vitest ?? 1));
