// Where the CLI finds its API key and URL: TOKENFORGE_API_KEY / TOKENFORGE_URL
// first, then the file `tokenforge login` wrote ($XDG_CONFIG_HOME/tokenforge/config.json,
// else ~/.config/tokenforge/config.json), readable by its owner only (0600).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export type Config = { url: string; apiKey: string | null };
export const DEFAULT_URL = "http://127.0.0.1:8787";

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "tokenforge", "config.json");
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const path = configPath(env);
  const file = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Partial<Config>) : {};
  return { url: env.TOKENFORGE_URL || file.url || DEFAULT_URL, apiKey: env.TOKENFORGE_API_KEY || file.apiKey || null };
}

export function saveConfig(c: Config, env: NodeJS.ProcessEnv = process.env): string {
  const path = configPath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // mode applies only when the file is created; chmod covers an existing one.
  writeFileSync(path, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
