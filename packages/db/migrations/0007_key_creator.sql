ALTER TABLE `api_keys` ADD `created_by_user_id` text;--> statement-breakpoint
CREATE INDEX `api_keys_org_creator_idx` ON `api_keys` (`org_id`,`created_by_user_id`);