CREATE TABLE `alert_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alert_key` text NOT NULL,
	`kind` text NOT NULL,
	`action` text NOT NULL,
	`summary` text NOT NULL,
	`at` integer NOT NULL,
	`delivered` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `alert_events_at` ON `alert_events` (`at`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`since` integer NOT NULL,
	`summary` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `metric_samples` (
	`name` text NOT NULL,
	`labels` text NOT NULL,
	`minute` integer NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`name`, `labels`, `minute`)
);
--> statement-breakpoint
CREATE INDEX `metric_samples_minute` ON `metric_samples` (`minute`);--> statement-breakpoint
ALTER TABLE `launches` ADD `request_id` text;--> statement-breakpoint
CREATE INDEX `launches_created` ON `launches` (`created_at`);--> statement-breakpoint
CREATE INDEX `launch_events_at` ON `launch_events` (`at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_created` ON `webhook_deliveries` (`created_at`);