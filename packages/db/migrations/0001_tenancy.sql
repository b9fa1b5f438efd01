CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`start` text NOT NULL,
	`role` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text,
	`revoked_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "api_keys_role_check" CHECK("api_keys"."role" IN ('admin', 'member'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_org_created_idx` ON `api_keys` (`org_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `export_links` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`format` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_by_key_id` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "export_links_format_check" CHECK("export_links"."format" IN ('monthly.csv', 'summary.csv', 'xlsx'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `export_links_token_hash_unique` ON `export_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `export_links_org_plan_idx` ON `export_links` (`org_id`,`plan_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`org_id` text NOT NULL,
	`key` text NOT NULL,
	`principal_id` text NOT NULL,
	`method_path` text NOT NULL,
	`request_hash` text NOT NULL,
	`state` text NOT NULL,
	`status` integer,
	`response_json` text,
	`locked_until` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`org_id`, `key`),
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "idempotency_keys_state_check" CHECK("idempotency_keys"."state" IN ('in_progress', 'completed'))
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created_idx` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`scenario_id` text NOT NULL,
	`scenario_version` integer NOT NULL,
	`name` text NOT NULL,
	`price_book_version` text NOT NULL,
	`kernel_version` text NOT NULL,
	`input_hash` text NOT NULL,
	`input_json` text NOT NULL,
	`result_json` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_org_id_unique` ON `plans` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `plans_org_created_idx` ON `plans` (`org_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `plans_org_scenario_idx` ON `plans` (`org_id`,`scenario_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `scenarios` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`scenario_json` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "scenarios_version_check" CHECK("scenarios"."version" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scenarios_org_id_unique` ON `scenarios` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `scenarios_org_created_idx` ON `scenarios` (`org_id`,`created_at`,`id`);--> statement-breakpoint
-- Plans are immutable once stored (GET /plans/{id} returns the same body forever): hand-written
-- triggers, because drizzle-kit cannot express them.
CREATE TRIGGER `plans_immutable_update` BEFORE UPDATE ON `plans`
BEGIN
	SELECT RAISE(ABORT, 'plan_immutable');
END;--> statement-breakpoint
CREATE TRIGGER `plans_immutable_delete` BEFORE DELETE ON `plans`
BEGIN
	SELECT RAISE(ABORT, 'plan_immutable');
END;
