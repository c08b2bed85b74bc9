// Shapes of linked wallets and deposits (issue 17), for their routes and the OpenAPI document.
import { z } from "zod";
import { DepositStatus } from "@tokenforge/core/credits/deposit";
import { Me } from "./schemas";

export const Wallet = z
  .object({
    address: z.string().meta({ description: "EVM: EIP-55; Solana: base58" }),
    family: z.enum(["evm", "solana"]),
    primary: z.boolean().meta({ description: "The wallet the account signed up with" }),
    linkedAt: z.string().meta({ description: "RFC 3339" }),
  })
  .meta({ id: "Wallet" });

export const MeWithWallets = Me.extend({ wallets: z.array(Wallet).meta({ description: "Every wallet of the account: deposits from any of them are credited to it" }) }).meta({ id: "MeWithWallets" });
export const LinkedWallet = z.object({ wallet: Wallet }).meta({ id: "LinkedWallet" });

const txHash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 32-byte hex transaction hash");
const signature = z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/, "must be a base58 transaction signature");
export const DepositRequest = z
  .union([
    z.strictObject({ chain: z.string().min(1).max(64), txHash }),
    z.strictObject({ chain: z.string().min(1).max(64), signature }),
  ])
  .meta({
    id: "DepositRequest",
    description: "An EVM chain's deposit by `txHash`, a Solana chain's by `signature`.",
    example: { chain: "local-eth", txHash: `0x${"ab".repeat(32)}` },
  });

export const Deposit = z
  .object({
    id: z.string(),
    chain: z.string(),
    tx: z.string().meta({ description: "The transaction hash (EVM, lower-case) or signature (Solana)" }),
    sender: z.string().meta({ description: "The linked wallet that sent it" }),
    amount: z.string().meta({ description: "Credited amount in the chain's smallest unit (wei, lamports), a decimal string" }),
    status: DepositStatus.meta({ description: "pending: not final yet, the cron credits it once it is; credited; dropped: left the chain before it was final, never credited" }),
    block: z.number().int().nullable().meta({ description: "EVM block / Solana slot it was last seen in" }),
    detail: z.string().nullable(),
    createdAt: z.string(),
    creditedAt: z.string().nullable(),
  })
  .meta({ id: "Deposit" });
export const DepositAccepted = z.object({ deposit: Deposit }).meta({ id: "DepositAccepted" });
export const DepositList = z.object({ deposits: z.array(Deposit) }).meta({ id: "DepositList" });
