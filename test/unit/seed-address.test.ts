import { describe, expect, it } from "vitest";
import { walletMintAddress } from "../../packages/core/src/solana/wallet-launch";
import { seedAddress } from "../../packages/core/src/solana/seed-address";

describe("seedAddress", () => {
  it("equals kit's createAddressWithSeed for a wallet launch's mint", async () => {
    for (const payer of ["9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM", "11111111111111111111111111111112"]) {
      const id = "lch_01jb7x3v9k2m4n6p8q0r2s4t6v";
      expect(await seedAddress(payer, id)).toBe(await walletMintAddress(payer as never, id));
    }
  });
});
