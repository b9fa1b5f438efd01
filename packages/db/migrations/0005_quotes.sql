ALTER TABLE `org_quotes` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `org_quotes` ADD `created_by` text;
