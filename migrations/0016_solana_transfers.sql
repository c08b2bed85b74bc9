-- Solana transfer counts (issue 20): transactions counted per (mint, signature) and each
-- token account's cursor. Generated with drizzle-kit from packages/core/src/db/schema.ts.
CREATE TABLE `solana_account_cursors` (
	`chain` text NOT NULL,
	`account` text NOT NULL,
	`mint` text NOT NULL,
	`until_signature` text,
	`scanned_at` integer NOT NULL,
	PRIMARY KEY(`chain`, `account`)
);
--> statement-breakpoint
CREATE INDEX `solana_account_cursors_mint` ON `solana_account_cursors` (`chain`,`mint`);--> statement-breakpoint
CREATE TABLE `solana_transfers` (
	`chain` text NOT NULL,
	`mint` text NOT NULL,
	`signature` text NOT NULL,
	`slot` integer NOT NULL,
	`transfers` integer NOT NULL,
	PRIMARY KEY(`chain`, `mint`, `signature`)
);
--> statement-breakpoint
CREATE INDEX `solana_transfers_signature` ON `solana_transfers` (`chain`,`signature`);