-- Announcements (issue 20): Discord webhooks and Telegram chats per user (per
-- launch or all), one post per (launch, destination), Telegram link codes, and
-- the X digest per day. Mirrors packages/core/src/db/schema.ts.
CREATE TABLE `announce_destinations` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`platform` text NOT NULL,
	`launch_id` text,
	`target` text,
	`secret` text,
	`label` text,
	`not_before` integer,
	`created_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `announce_destinations_user` ON `announce_destinations` (`user_id`,`deleted_at`);--> statement-breakpoint
CREATE TABLE `announce_posts` (
	`launch_id` text NOT NULL,
	`destination_id` text NOT NULL,
	`status` text NOT NULL,
	`lease_until` integer NOT NULL,
	`attempts` integer NOT NULL,
	`external_id` text,
	`error` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`launch_id`, `destination_id`)
);
--> statement-breakpoint
CREATE TABLE `telegram_link_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`launch_id` text,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `x_digests` (
	`day` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`lease_until` integer NOT NULL,
	`not_before` integer,
	`launches` integer,
	`external_id` text,
	`error` text,
	`updated_at` integer NOT NULL
);
