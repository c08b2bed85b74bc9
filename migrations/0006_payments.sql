CREATE TABLE `chain_settings` (
	`chain` text PRIMARY KEY NOT NULL,
	`paused` integer DEFAULT false NOT NULL,
	`paused_at` integer,
	`paused_by` text,
	`pause_reason` text,
	`platform_fee` text,
	`treasury` text,
	`fee_read_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `quotes` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`chain` text NOT NULL,
	`mode` text NOT NULL,
	`payer` text,
	`request_hash` text NOT NULL,
	`currency` text NOT NULL,
	`network_fee` text NOT NULL,
	`platform_fee` text NOT NULL,
	`total` text NOT NULL,
	`gas_units` text,
	`gas_price` text,
	`l1_fee` text,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`launch_id` text
);
--> statement-breakpoint
CREATE INDEX `quotes_user` ON `quotes` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `quotes_expires` ON `quotes` (`expires_at`);--> statement-breakpoint
ALTER TABLE `launches` ADD `payment_mode` text DEFAULT 'platform' NOT NULL;--> statement-breakpoint
ALTER TABLE `launches` ADD `payer` text;--> statement-breakpoint
ALTER TABLE `launches` ADD `quote_id` text;--> statement-breakpoint
ALTER TABLE `launches` ADD `pay_by` integer;--> statement-breakpoint
ALTER TABLE `launches` ADD `payment` text;