// The Solana family behind the ChainAdapter seam (../adapter.ts): one transaction
// per launch creates a Token-2022 mint whose keypair is derived from a secret and
// the launch id; the signed transaction is stored in D1 before it is broadcast
// (tx-store.ts), so Solana has no Signer to settle.
import type { LaunchRequest } from "@tokenforge/core";
import { launchCostLamports } from "@tokenforge/core/solana/index";
import type { ChainAdapter, Prepared } from "../adapter";
import { mintSigner, priorityFee } from "./keys";
import { rentForZeroBytes, solanaRpc } from "./rpc";
import { loadSolanaTxs } from "./tx-store";
import { sendSolana } from "./send";
import { confirmSolana } from "./confirm";
import { watchSolana } from "./watch";

export const solanaAdapter: ChainAdapter = {
  family: "solana",
  /** The launch's mint (checked against the address the 202 announced) and what the fee payer spends at most. */
  async prepare({ env, chain }, row): Promise<Prepared> {
    const mint = await mintSigner(env, row.id);
    if (mint.address !== row.address) throw new Error(`launch ${row.id}: derived mint ${mint.address} is not the stored ${row.address} (MINT_SEED_SECRET changed?)`);
    const costLamports = launchCostLamports(JSON.parse(row.request) as LaunchRequest, await rentForZeroBytes(chain), priorityFee(env));
    return { family: "solana", mint: mint.address, costLamports };
  },
  send: sendSolana,
  confirm: confirmSolana,
  watch: ({ chain }, launches, now) => watchSolana(solanaRpc(chain), chain, launches, now),
  // Nothing to forget: the transaction store in D1 is the Solana sender's memory.
  async settle() {},
  async held({ env }, rows) {
    const out = new Map<string, string>();
    for (const [id, t] of await loadSolanaTxs(env.DB, rows.map((r) => r.id))) out.set(id, t.signature);
    return out;
  },
};
