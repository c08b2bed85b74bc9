// What the chain says about each confirmed token now (issue 19): supply, owner,
// pause, cap and, on Solana, the mint / freeze / update authorities, read through
// the chain's gate (budget and breakers like every other call) and kept in D1
// token_state with the time of the read. The token detail serves it from there:
// no RPC call on a read. Each run refreshes the `batch` stalest tokens of each
// chain; a chain whose read fails keeps its last rows (skipped, logged).
import { chainRegistry, log, noteLaunches, withTrace, type ChainConfig } from "@tokenforge/core";
import {
  decodeEvmTokenState, decodeSolanaMintStates, EVM_CALLS_PER_TOKEN, evmTokenStateCalls, solanaMintStateCall, type ChainTokenState,
} from "@tokenforge/core/contracts/token-reads";
import { gatedRpc } from "@tokenforge/gate/gated-fetch";
import type { Env } from "../env";

/** getMultipleAccounts takes at most 100 keys (Solana RPC limit). */
const SOLANA_KEYS_PER_CALL = 100;

/** Its own trace scope: a line about a token carries its launch id and the request that created the launch. */
export function refreshTokenState(env: Env, batch: number, now = Date.now()): Promise<{ read: number; failed: number }> {
  return withTrace({}, () => refreshAll(env, batch, now));
}

async function refreshAll(env: Env, batch: number, now: number): Promise<{ read: number; failed: number }> {
  const counts = await Promise.all(chainRegistry(env).map((c) => refreshChain(env, c, batch, now).catch((e: unknown) => {
    log("warn", "cron.token_state_failed", { chain: c.id, error: e, outcome: "skipped" });
    return { read: 0, failed: 1 };
  })));
  return { read: counts.reduce((a, c) => a + c.read, 0), failed: counts.reduce((a, c) => a + c.failed, 0) };
}

/**
 * One token now, out of turn (its owner just changed it: POST /tokens/{chain}/{address}/refresh
 * through the api's service binding); the same gated read and the same row as the cycle's.
 */
export async function refreshOneToken(env: Env, chainId: string, address: string, now = Date.now()): Promise<{ read: number; failed: number }> {
  const chain = chainRegistry(env).find((c) => c.id === chainId);
  if (!chain) return { read: 0, failed: 1 };
  const known = await env.DB.prepare("SELECT t.address, t.launch_id, l.request_id FROM tokens t LEFT JOIN launches l ON l.id = t.launch_id WHERE t.chain = ? AND t.address = ?")
    .bind(chain.id, address).first<{ address: string; launch_id: string | null; request_id: string | null }>();
  if (!known) return { read: 0, failed: 1 };
  return withTrace({}, () => {
    if (known.launch_id) noteLaunches([{ id: known.launch_id, requestId: known.request_id }]);
    return readAndStore(env, chain, [known.address], now, new Map([[known.address, known.launch_id ?? undefined]]));
  });
}

async function refreshChain(env: Env, chain: ChainConfig, batch: number, now: number) {
  // Stalest first (never read = 0), so every token is read within ceil(tokens / batch) runs.
  const { results } = await env.DB.prepare(
    `SELECT t.address, t.launch_id, l.request_id FROM tokens t LEFT JOIN token_state s ON s.chain = t.chain AND s.address = t.address
       LEFT JOIN launches l ON l.id = t.launch_id
     WHERE t.chain = ? ORDER BY COALESCE(s.read_at, 0) ASC, t.created_at ASC LIMIT ?`,
  ).bind(chain.id, batch).all<{ address: string; launch_id: string | null; request_id: string | null }>();
  if (!results.length) return { read: 0, failed: 0 };
  noteLaunches(results.flatMap((r) => (r.launch_id ? [{ id: r.launch_id, requestId: r.request_id }] : [])));
  const launchOf = new Map(results.map((r) => [r.address, r.launch_id ?? undefined]));
  return readAndStore(env, chain, results.map((r) => r.address), now, launchOf);
}

async function readAndStore(env: Env, chain: ChainConfig, addresses: string[], now: number, launchOf = new Map<string, string | undefined>()) {
  const states = chain.family === "solana" ? await readSolana(env, chain, addresses, launchOf) : await readEvm(env, chain, addresses, launchOf);
  const ok = addresses.map((a, i) => [a, states[i]] as const).filter((x): x is readonly [string, ChainTokenState] => !!x[1]);
  if (ok.length) {
    await env.DB.batch(ok.map(([address, s]) => env.DB.prepare(
      `INSERT INTO token_state (chain, address, current_supply, owner, paused, cap, mint_authority, freeze_authority, update_authority, read_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
       ON CONFLICT (chain, address) DO UPDATE SET current_supply = excluded.current_supply, owner = excluded.owner, paused = excluded.paused,
         cap = excluded.cap, mint_authority = excluded.mint_authority, freeze_authority = excluded.freeze_authority,
         update_authority = excluded.update_authority, read_at = excluded.read_at`,
    ).bind(chain.id, address, s.currentSupply, s.owner, s.paused ? 1 : 0, s.cap, s.mintAuthority, s.freezeAuthority, s.updateAuthority, now)));
  }
  return { read: ok.length, failed: addresses.length - ok.length };
}

async function readEvm(env: Env, chain: ChainConfig, addresses: string[], launchOf: Map<string, string | undefined>): Promise<(ChainTokenState | null)[]> {
  // All four reads of a token at one block, so supply, owner and pause agree with each other.
  const [head] = await gatedRpc<string>(env, chain, [{ method: "eth_blockNumber", params: [] }], "token-state");
  if (!head || "error" in head) throw new Error(`eth_blockNumber: ${head ? head.error.message : "no answer"}`);
  const calls = addresses.flatMap((a) => evmTokenStateCalls(a as `0x${string}`, head.result));
  const answers = await gatedRpc<string>(env, chain, calls, "token-state");
  return addresses.map((address, i) => {
    const mine = answers.slice(i * EVM_CALLS_PER_TOKEN, (i + 1) * EVM_CALLS_PER_TOKEN);
    try {
      return decodeEvmTokenState(mine.map((a) => (a && "result" in a ? a.result : "")));
    } catch (e) {
      log("warn", "cron.token_state_unreadable", { launchId: launchOf.get(address), chain: chain.id, address, error: e });
      return null;
    }
  });
}

async function readSolana(env: Env, chain: ChainConfig, mints: string[], launchOf: Map<string, string | undefined>): Promise<(ChainTokenState | null)[]> {
  const calls = [];
  for (let i = 0; i < mints.length; i += SOLANA_KEYS_PER_CALL) calls.push(solanaMintStateCall(mints.slice(i, i + SOLANA_KEYS_PER_CALL)));
  const answers = await gatedRpc<{ value: Parameters<typeof decodeSolanaMintStates>[0] }>(env, chain, calls, "token-state");
  return answers.flatMap((a, i) => {
    const n = Math.min(SOLANA_KEYS_PER_CALL, mints.length - i * SOLANA_KEYS_PER_CALL);
    if (!a || "error" in a || !Array.isArray(a.result?.value)) {
      const error = a && "error" in a ? a.error.message : "no answer";
      for (const m of mints.slice(i * SOLANA_KEYS_PER_CALL, i * SOLANA_KEYS_PER_CALL + n)) log("warn", "cron.token_state_unreadable", { launchId: launchOf.get(m), chain: chain.id, address: m, error });
      return Array<null>(n).fill(null);
    }
    return decodeSolanaMintStates(a.result.value);
  });
}
