CREATE TABLE `deposits` (
	`id` text PRIMARY KEY NOT NULL,
	`chain` text NOT NULL,
	`tx` text NOT NULL,
	`user_id` text NOT NULL,
	`sender` text NOT NULL,
	`amount` text NOT NULL,
	`status` text NOT NULL,
	`block` integer,
	`detail` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`credited_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deposits_tx` ON `deposits` (`chain`,`tx`);--> statement-breakpoint
CREATE INDEX `deposits_status` ON `deposits` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `deposits_user` ON `deposits` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `wallets` (
	`address` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`family` text NOT NULL,
	`linked_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `wallets_user` ON `wallets` (`user_id`,`linked_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `wallets_evm` ON `wallets` (lower("address")) WHERE "wallets"."address" LIKE '0x%';