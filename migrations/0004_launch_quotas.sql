CREATE TABLE `launch_quotas` (
	`subject` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`used` integer NOT NULL,
	`cap` integer NOT NULL,
	CONSTRAINT "launch_quotas_cap" CHECK(used <= cap)
);
