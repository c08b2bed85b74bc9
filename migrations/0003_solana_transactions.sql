CREATE TABLE `solana_transactions` (
	`launch_id` text PRIMARY KEY NOT NULL,
	`signature` text NOT NULL,
	`wire` text NOT NULL,
	`last_valid_block_height` integer NOT NULL,
	`signings` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
