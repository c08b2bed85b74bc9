CREATE TABLE `asset_uploads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`sha256` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `asset_uploads_user_at` ON `asset_uploads` (`user_id`,`at`);--> statement-breakpoint
CREATE TABLE `assets` (
	`sha256` text PRIMARY KEY NOT NULL,
	`mime` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`size` integer NOT NULL,
	`uploader_id` text NOT NULL,
	`cid` text NOT NULL,
	`created_at` integer NOT NULL,
	`pin_requested_at` integer,
	`pin_id` text,
	`pinned_cid` text,
	`pinned_at` integer,
	`pin_error` text,
	`blocked_at` integer,
	`blocked_reason` text
);
--> statement-breakpoint
CREATE INDEX `assets_pin_pending` ON `assets` (`pinned_at`,`pin_requested_at`);--> statement-breakpoint
CREATE TABLE `token_metadata` (
	`chain` text NOT NULL,
	`address` text NOT NULL,
	`launch_id` text NOT NULL,
	`name` text NOT NULL,
	`symbol` text NOT NULL,
	`decimals` integer NOT NULL,
	`logo` text,
	`description` text,
	`website` text,
	`links` text,
	`document` text NOT NULL,
	`document_cid` text NOT NULL,
	`pin_id` text,
	`pinned_cid` text,
	`pinned_at` integer,
	`pin_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`chain`, `address`)
);
--> statement-breakpoint
CREATE INDEX `token_metadata_pin_pending` ON `token_metadata` (`pinned_at`);--> statement-breakpoint
CREATE INDEX `token_metadata_chain_created` ON `token_metadata` (`chain`,`created_at`);