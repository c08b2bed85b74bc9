CREATE TABLE `index_cursors` (
	`chain` text PRIMARY KEY NOT NULL,
	`block_number` integer NOT NULL,
	`block_hash` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `market_budgets` (
	`provider` text PRIMARY KEY NOT NULL,
	`tokens` real NOT NULL,
	`updated_at` integer NOT NULL,
	`blocked_until` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `market_points` (
	`chain` text NOT NULL,
	`address` text NOT NULL,
	`resolution` integer NOT NULL,
	`t` integer NOT NULL,
	`price_usd` real,
	`market_cap_usd` real,
	`volume_24h_usd` real,
	`liquidity_usd` real,
	PRIMARY KEY(`chain`, `address`, `resolution`, `t`)
);
--> statement-breakpoint
CREATE INDEX `market_points_age` ON `market_points` (`resolution`,`t`);--> statement-breakpoint
CREATE TABLE `token_balances` (
	`chain` text NOT NULL,
	`token` text NOT NULL,
	`holder` text NOT NULL,
	`balance` text NOT NULL,
	PRIMARY KEY(`chain`, `token`, `holder`)
);
--> statement-breakpoint
CREATE INDEX `token_balances_top` ON `token_balances` (`chain`,`token`,`balance`);--> statement-breakpoint
CREATE TABLE `token_market` (
	`chain` text NOT NULL,
	`address` text NOT NULL,
	`price_usd` real,
	`fdv_usd` real,
	`market_cap_usd` real,
	`volume_24h_usd` real,
	`volume_prev_24h_usd` real,
	`liquidity_usd` real,
	`pool` text,
	`dex` text,
	`as_of` integer,
	`failed_at` integer,
	`next_refresh_at` integer NOT NULL,
	PRIMARY KEY(`chain`, `address`)
);
--> statement-breakpoint
CREATE INDEX `token_market_due` ON `token_market` (`next_refresh_at`);--> statement-breakpoint
CREATE INDEX `token_market_cap` ON `token_market` (`market_cap_usd`);--> statement-breakpoint
CREATE INDEX `token_market_volume` ON `token_market` (`volume_24h_usd`);--> statement-breakpoint
CREATE TABLE `token_stats` (
	`chain` text NOT NULL,
	`address` text NOT NULL,
	`holders` integer NOT NULL,
	`transfers` integer,
	`top_holders_share` real,
	`supply` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`chain`, `address`)
);
--> statement-breakpoint
CREATE INDEX `token_stats_holders` ON `token_stats` (`holders`);--> statement-breakpoint
CREATE TABLE `transfer_logs` (
	`chain` text NOT NULL,
	`block_hash` text NOT NULL,
	`log_index` integer NOT NULL,
	`block_number` integer NOT NULL,
	`token` text NOT NULL,
	`from_address` text NOT NULL,
	`to_address` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`chain`, `block_hash`, `log_index`)
);
--> statement-breakpoint
CREATE INDEX `transfer_logs_block` ON `transfer_logs` (`chain`,`block_number`);