// Compute Budget instructions (program ComputeBudget111…), encoded by hand:
// SetComputeUnitLimit = [2, u32 LE], SetComputeUnitPrice = [3, u64 LE micro-lamports].
// A priority fee is price × limit, so a launch that asks for one also caps its units.
import { address, type Instruction } from "@solana/kit";

export const COMPUTE_BUDGET_PROGRAM = address("ComputeBudget111111111111111111111111111111");

export type PriorityFee = { microLamportsPerUnit: bigint; computeUnitLimit: number };

export function getComputeBudgetInstructions(fee: PriorityFee | null): Instruction[] {
  if (!fee || fee.microLamportsPerUnit <= 0n) return [];
  const limit = new Uint8Array(5);
  limit[0] = 2;
  new DataView(limit.buffer).setUint32(1, fee.computeUnitLimit, true);
  const price = new Uint8Array(9);
  price[0] = 3;
  new DataView(price.buffer).setBigUint64(1, fee.microLamportsPerUnit, true);
  return [
    { programAddress: COMPUTE_BUDGET_PROGRAM, data: limit },
    { programAddress: COMPUTE_BUDGET_PROGRAM, data: price },
  ];
}
