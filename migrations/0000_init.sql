CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_user` ON `api_keys` (`user_id`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`caller_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`launch_id` text NOT NULL,
	`state` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`caller_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `launch_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`launch_id` text NOT NULL,
	`status` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `launch_events_launch` ON `launch_events` (`launch_id`,`id`);--> statement-breakpoint
CREATE TABLE `launches` (
	`id` text PRIMARY KEY NOT NULL,
	`creator_id` text NOT NULL,
	`chain` text NOT NULL,
	`owner` text NOT NULL,
	`request` text NOT NULL,
	`factory_version` text,
	`deployer` text NOT NULL,
	`status` text NOT NULL,
	`address` text NOT NULL,
	`tx_hash` text,
	`nonce` integer,
	`block_number` integer,
	`gas_used` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error_type` text,
	`error_detail` text,
	`idempotency_key` text,
	`request_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `launches_idempotency` ON `launches` (`creator_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `launches_status_updated` ON `launches` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `launches_creator` ON `launches` (`creator_id`,`id`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`chain` text NOT NULL,
	`address` text NOT NULL,
	`launch_id` text NOT NULL,
	`name` text NOT NULL,
	`symbol` text NOT NULL,
	`decimals` integer NOT NULL,
	`total_supply` text NOT NULL,
	`owner` text NOT NULL,
	`features` text NOT NULL,
	`metadata_uri` text,
	`tx_hash` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`chain`, `address`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_launch_id_unique` ON `tokens` (`launch_id`);--> statement-breakpoint
CREATE INDEX `tokens_created` ON `tokens` (`created_at`,`address`);--> statement-breakpoint
CREATE INDEX `tokens_owner` ON `tokens` (`owner`,`created_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`wallet_address` text NOT NULL,
	`role` text DEFAULT 'user' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_wallet_address_unique` ON `users` (`wallet_address`);