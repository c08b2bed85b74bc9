-- The cron's spend alert (jobs/alerts.ts) reads today's reservations every minute: by kind and time, not a table scan.
CREATE INDEX `credit_entries_kind_at` ON `credit_entries` (`kind`,`at`);
