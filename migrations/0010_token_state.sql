CREATE TABLE `contract_verifications` (
	`chain` text NOT NULL,
	`address` text NOT NULL,
	`service` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`guid` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`detail` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`chain`, `address`, `service`)
);
--> statement-breakpoint
CREATE TABLE `token_state` (
	`chain` text NOT NULL,
	`address` text NOT NULL,
	`current_supply` text NOT NULL,
	`owner` text,
	`paused` integer DEFAULT false NOT NULL,
	`cap` text,
	`mint_authority` text,
	`freeze_authority` text,
	`update_authority` text,
	`read_at` integer NOT NULL,
	PRIMARY KEY(`chain`, `address`)
);
--> statement-breakpoint
CREATE INDEX `token_state_read` ON `token_state` (`read_at`);