// The EVM family behind the ChainAdapter seam (../adapter.ts): CREATE2 clones
// through the factory, nonces and broadcasts in the Signer Durable Object of
// (chain, account), receipts judged by judge.ts.
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { ChainAdapter } from "../adapter";
import { evmClient } from "../chain-client";
import { signerFor } from "../signer.do";
import { confirmEvm } from "./confirm";
import { prepareEvm } from "./prepare";
import { sendEvm } from "./send";
import { watchEvm } from "./watch";

export const evmAdapter: ChainAdapter = {
  family: "evm",
  prepare: prepareEvm,
  send: sendEvm,
  confirm: confirmEvm,
  watch: ({ chain }, launches, now) => watchEvm(evmClient(chain, { launchIds: launches.map((l) => l.id), hop: "watch" }), chain, launches, now),
  // The Signer keeps each launch in flight until its outcome is final in D1.
  async settle({ env, chain }, rows) {
    await Promise.all([...byDeployer(rows)].map(([deployer, ids]) => signerFor(env, chain.id, deployer).settle(ids)));
  },
  async held({ env, chain }, rows) {
    const out = new Map<string, string>();
    for (const [deployer, ids] of byDeployer(rows)) {
      for (const [id, hash] of Object.entries(await signerFor(env, chain.id, deployer).holds(ids))) out.set(id, hash);
    }
    return out;
  },
};

function byDeployer(rows: LaunchRow[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.deployer, [...(out.get(r.deployer) ?? []), r.id]);
  return out;
}
