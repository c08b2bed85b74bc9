CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`launch_id` text NOT NULL,
	`queue` text NOT NULL,
	`reason` text NOT NULL,
	`attempts` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`replayed_at` integer
);
--> statement-breakpoint
CREATE INDEX `dead_letters_open` ON `dead_letters` (`replayed_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `dead_letters_launch` ON `dead_letters` (`launch_id`);