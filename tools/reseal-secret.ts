// `npm run reseal-secret [-- --aad deployer:evm] [--seal] < envelope-or-key`
//
// Offline sealing for secrets held as Worker secrets (the deployer key envelope),
// which the re-encryption job (api POST /admin/reseal) cannot reach. Reads the master
// keys from this process's environment (MASTER_KEY_<n>, MASTER_KEY_VERSION: export
// them in the shell, never on the command line), the input from stdin, and prints
// only the new envelope (base64 of its JSON), ready for `wrangler secret put
// DEPLOYER_KEY_ENVELOPE`. With --seal the input is a plaintext key sealed for the
// first time. Nothing else is printed: no plaintext, no key.
import { relative } from "node:path";
import { masterKeysFromEnv, open, seal, type Envelope } from "../packages/core/src/crypto/envelope";

/** A secret's envelope sealed again under the current master key (or sealed for the first time). */
export async function resealSecret(input: string, env: Record<string, string | undefined>, opts: { aad: string; seal?: boolean }): Promise<string> {
  const keys = await masterKeysFromEnv(Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith("MASTER_KEY"))));
  const text = input.trim();
  const plaintext = opts.seal ? text : await open(keys, JSON.parse(text.startsWith("{") ? text : atob(text)) as Envelope, opts.aad);
  return btoa(JSON.stringify(await seal(keys, plaintext, opts.aad)));
}

if (process.argv[1] && relative(process.argv[1], new URL(import.meta.url).pathname) === "") {
  const args = process.argv.slice(2);
  const aadAt = args.indexOf("--aad");
  const aad = aadAt === -1 ? "deployer:evm" : args[aadAt + 1]!;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  try {
    process.stdout.write(`${await resealSecret(Buffer.concat(chunks).toString("utf8"), process.env, { aad, seal: args.includes("--seal") })}\n`);
  } catch (e) {
    // The message names the problem (wrong key version, bad base64), never the input.
    console.error(`reseal-secret: ${e instanceof Error ? e.message || e.name : "failed"}`);
    process.exit(1);
  }
}
