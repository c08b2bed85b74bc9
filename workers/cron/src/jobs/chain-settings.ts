// Each chain's platform fee and treasury into D1 chain_settings: EVM from its
// ForgeFactoryV2 (the factory is the single source of the fee; fee() and
// treasury() in one batch through the chain's gate), Solana from the registry
// (no factory holds it there). Quotes carry the fee they were made at and are
// refused at launch when this row says it changed. A chain whose read fails
// keeps its last row (skipped, logged); v1-only EVM chains have no fee to read.
import { chainRegistry, log, type ChainConfig } from "@tokenforge/core";
import { factoryForChain } from "@tokenforge/core/contracts/factory";
import { decodeFactorySettings, factorySettingsCalls } from "@tokenforge/core/contracts/factory-reads";
import { gatedRpc } from "@tokenforge/gate/gated-fetch";
import type { Env } from "../env";

type Read = { chain: string; platformFee: string; treasury: string };

export async function refreshChainSettings(env: Env, now = Date.now()): Promise<{ updated: number; failed: number }> {
  const chains = chainRegistry(env);
  let failed = 0;
  const reads = await Promise.all(chains.map((c) => readSettings(env, c).catch((e: unknown) => {
    failed++;
    log("warn", "cron.chain_settings_failed", { chain: c.id, error: e, outcome: "skipped" });
    return null;
  })));
  const ok = reads.filter((r): r is Read => r !== null);
  if (ok.length) {
    // Upsert: the pause columns of an existing row are left as they are.
    await env.DB.batch(ok.map((r) => env.DB.prepare(
      `INSERT INTO chain_settings (chain, platform_fee, treasury, fee_read_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
       ON CONFLICT (chain) DO UPDATE SET platform_fee = excluded.platform_fee, treasury = excluded.treasury,
         fee_read_at = excluded.fee_read_at, updated_at = excluded.updated_at`,
    ).bind(r.chain, r.platformFee, r.treasury, now)));
  }
  return { updated: ok.length, failed };
}

async function readSettings(env: Env, chain: ChainConfig): Promise<Read | null> {
  if (chain.family === "solana") {
    if (chain.treasury === undefined || chain.platformFee === undefined) return null;
    return { chain: chain.id, platformFee: chain.platformFee, treasury: chain.treasury };
  }
  const f = factoryForChain(chain);
  if (f.version !== "2") return null;
  const answers = await gatedRpc<string>(env, chain, factorySettingsCalls(f.factory), "chain-settings");
  const [fee, treasury] = answers.map((a, i) => {
    if (!a || "error" in a) throw new Error(`${i ? "treasury" : "fee"}(): ${a ? a.error.message : "no answer"}`);
    return a.result;
  });
  return { chain: chain.id, ...decodeFactorySettings(fee!, treasury!) };
}
