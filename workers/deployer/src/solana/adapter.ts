// The Solana family behind the ChainAdapter seam (../adapter.ts): one transaction
// per launch creates a Token-2022 mint whose keypair is derived from a secret and
// the launch id; the signed transaction is stored in D1 before it is broadcast
// (tx-store.ts), so Solana has no Signer to settle.
import type { ChainAdapter } from "../adapter";
import { solanaRpc } from "./rpc";
import { prepareSolana } from "./prepare";
import { loadSolanaTxs } from "./tx-store";
import { sendSolana } from "./send";
import { confirmSolana } from "./confirm";
import { watchSolana } from "./watch";

export const solanaAdapter: ChainAdapter = {
  family: "solana",
  prepare: prepareSolana,
  send: sendSolana,
  confirm: confirmSolana,
  watch: ({ env, chain }, launches, now) => watchSolana(solanaRpc(env, chain, { launchIds: launches.map((l) => l.id), hop: "watch" }), chain, launches, now),
  // Nothing to forget: the transaction store in D1 is the Solana sender's memory.
  async settle() {},
  async held({ env }, rows) {
    const out = new Map<string, string>();
    for (const [id, t] of await loadSolanaTxs(env.DB, rows.map((r) => r.id))) out.set(id, t.signature);
    return out;
  },
};
