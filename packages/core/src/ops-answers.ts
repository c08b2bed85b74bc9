// What the cron Worker answers to the operators' "now" calls the api forwards
// (POST /api/v1/admin/backups, /admin/reconcile-credits, /announcements/digest):
// one zod schema per answer, so the cron types what it returns from it and the
// api documents the same shape in its OpenAPI document (no copy on either side).
import { z } from "zod";

const Amount = z.string().regex(/^\d+$/).meta({ description: "Base units of the chain's native coin (wei, lamports), as a decimal string" });

export const BackupNow = z
  .object({
    id: z.string().meta({ description: "The copy's id (its R2 prefix); `npm run restore -- <id>` restores it" }),
    tables: z.array(
      z.object({
        name: z.string(),
        rows: z.number().int().nonnegative(),
        watermark: z.number().int().nonnegative().meta({ description: "The table's max rowid when its copy started: rows above it are not in this copy" }),
        sha256: z.string().meta({ description: "Digest over the table's pages in order: equal tables have equal digests" }),
      }),
    ),
  })
  .meta({ id: "BackupNow" });
export type BackupNow = z.infer<typeof BackupNow>;

const Correction = z.object({
  userId: z.string(),
  kind: z.enum(["import", "deposit", "capture", "refund"]).meta({
    description: "import: a ledger entry D1 had and the ledger lost, taken back; deposit: a treasury deposit the ledger lacked, credited; capture / refund: an open reservation closed from the launch's chain view",
  }),
  key: z.string().optional().meta({ description: "The ledger entry's idempotency key" }),
  chain: z.string(),
  amount: Amount,
  tx: z.string().optional(),
  launchId: z.string().optional(),
  reservation: z.number().int().optional(),
  reason: z.string(),
});

export const ReconcileCreditsReport = z
  .object({
    users: z.number().int().nonnegative().meta({ description: "Users whose ledger was compared" }),
    scans: z.array(z.object({ chain: z.string(), from: z.number().int(), to: z.number().int(), deposits: z.number().int() })).meta({ description: "Treasury deposit scans, per chain: the blocks read and the deposits found" }),
    corrections: z.array(Correction).meta({ description: "Money moved by this run, each with its cause; a second run corrects nothing" }),
    recopied: z.number().int().nonnegative().meta({ description: "Ledger entries copied to D1 again (D1 was behind the ledger); not corrections" }),
    depositRows: z.number().int().nonnegative().meta({ description: "Deposit rows written back into D1 for deposits the ledger holds" }),
    findings: z.array(
      z.object({ userId: z.string(), kind: z.enum(["import-refused", "refunded-but-deployed"]), key: z.string().optional(), launchId: z.string().optional(), detail: z.string() }),
    ).meta({ description: "Disagreements no rule settles alone (money would move against someone's word): an operator looks" }),
    errors: z.array(z.object({ userId: z.string().optional(), chain: z.string().optional(), error: z.string() })),
  })
  .meta({ id: "ReconcileCreditsReport" });
export type ReconcileCreditsReport = z.infer<typeof ReconcileCreditsReport>;

export const DigestRun = z
  .object({
    day: z.string().nullable().meta({ description: "The UTC day the digest covers (YYYY-MM-DD); null when X posting is off or no digest is due" }),
    outcome: z.string().meta({ description: "What happened: posted, not due, done or in progress, nothing launched, off, …" }),
  })
  .meta({ id: "DigestRun" });
export type DigestRun = z.infer<typeof DigestRun>;
