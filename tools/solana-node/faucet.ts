// The faucet behind requestAirdrop: a keypair that signs plain System transfers, so an
// airdrop has a signature, a status and a transaction like on a real cluster.
import { generateKeyPairSync, sign as edSign, type KeyObject } from "node:crypto";
import { fromBase58, shortVec, SYSTEM_PROGRAM, toBase58 } from "./tx";

export interface Keypair {
  address: string;
  privateKey: KeyObject;
}

export function newKeypair() {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  return { address: toBase58(new Uint8Array(raw)), privateKey };
}

/**
 * A signed legacy transfer. `salt` > 0 adds a SetComputeUnitLimit so that two airdrops of the
 * same amount to the same address in the same slot get different signatures.
 */
export function faucetTransfer(faucet: Keypair, to: string, lamports: bigint, blockhash: string, salt: number): Uint8Array {
  const keys = [faucet.address, to, SYSTEM_PROGRAM];
  if (salt) keys.push("ComputeBudget111111111111111111111111111111");
  const amount = new Uint8Array(12);
  new DataView(amount.buffer).setUint32(0, 2, true);
  new DataView(amount.buffer).setBigUint64(4, lamports, true);
  const ixs: number[][] = [[2, ...shortVec(2), 0, 1, ...shortVec(12), ...amount]];
  if (salt) {
    const limit = new Uint8Array(5);
    limit[0] = 2;
    new DataView(limit.buffer).setUint32(1, 10_000 + salt, true);
    ixs.push([3, ...shortVec(0), ...shortVec(5), ...limit]);
  }
  const message = new Uint8Array([
    1, 0, keys.length - 2,
    ...shortVec(keys.length), ...keys.flatMap((k) => [...fromBase58(k)]),
    ...fromBase58(blockhash),
    ...shortVec(ixs.length), ...ixs.flat(),
  ]);
  const sig = edSign(null, message, faucet.privateKey);
  return new Uint8Array([...shortVec(1), ...sig, ...message]);
}
