CREATE TABLE `credit_entries` (
	`key` text NOT NULL,
	`user_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`chain` text NOT NULL,
	`amount` text NOT NULL,
	`cause` text NOT NULL,
	`launch_id` text,
	`reservation` integer,
	`key_id` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `credit_entries_user` ON `credit_entries` (`user_id`,`seq`);--> statement-breakpoint
CREATE INDEX `credit_entries_launch` ON `credit_entries` (`launch_id`,`reservation`);--> statement-breakpoint
ALTER TABLE `api_keys` ADD `spend_cap_per_day` text;