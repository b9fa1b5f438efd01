CREATE TABLE `proposal_share_links` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`proposal_id` text NOT NULL,
	`version` integer NOT NULL,
	`token_hash` text NOT NULL,
	`created_by_key_id` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `proposal_share_links_token_hash_unique` ON `proposal_share_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `proposal_share_links_org_proposal_idx` ON `proposal_share_links` (`org_id`,`proposal_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `proposal_versions` (
	`org_id` text NOT NULL,
	`proposal_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`inputs_json` text NOT NULL,
	`outputs_json` text NOT NULL,
	`price_book_version` text NOT NULL,
	`engine_version` text NOT NULL,
	`content_hash` text NOT NULL,
	`created_by_key_id` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`issued_at` text,
	`issued_by_key_id` text,
	PRIMARY KEY(`proposal_id`, `version`),
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "proposal_versions_status_check" CHECK("proposal_versions"."status" IN ('draft', 'issued')),
	CONSTRAINT "proposal_versions_version_check" CHECK("proposal_versions"."version" >= 1),
	CONSTRAINT "proposal_versions_issued_check" CHECK(("proposal_versions"."status" = 'issued') = ("proposal_versions"."issued_at" IS NOT NULL AND "proposal_versions"."issued_by_key_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX `proposal_versions_org_idx` ON `proposal_versions` (`org_id`,`proposal_id`,`version`);--> statement-breakpoint
CREATE TABLE `proposals` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`latest_version` integer NOT NULL,
	`revision` integer NOT NULL,
	`created_by_key_id` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "proposals_latest_version_check" CHECK("proposals"."latest_version" >= 1),
	CONSTRAINT "proposals_revision_check" CHECK("proposals"."revision" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `proposals_org_id_unique` ON `proposals` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `proposals_org_created_idx` ON `proposals` (`org_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `proposals_org_plan_idx` ON `proposals` (`org_id`,`plan_id`,`created_at`,`id`);--> statement-breakpoint
-- Hand-written (drizzle-kit cannot express triggers): an issued proposal version is immutable
-- (reliability.md §2.9, S6). Changing an issued proposal inserts a new version instead; a draft
-- may be edited, issued (draft → issued in one UPDATE) or deleted.
CREATE TRIGGER `proposal_versions_immutable_update` BEFORE UPDATE ON `proposal_versions`
WHEN OLD.`status` = 'issued'
BEGIN SELECT RAISE(ABORT, 'proposal_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `proposal_versions_immutable_delete` BEFORE DELETE ON `proposal_versions`
WHEN OLD.`status` = 'issued'
BEGIN SELECT RAISE(ABORT, 'proposal_immutable'); END;
--> statement-breakpoint
-- A version is never born issued: issuing is the guarded draft → issued UPDATE.
CREATE TRIGGER `proposal_versions_insert_draft` BEFORE INSERT ON `proposal_versions`
WHEN NEW.`status` IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'proposal_immutable'); END;
