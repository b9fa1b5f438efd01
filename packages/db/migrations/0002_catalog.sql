CREATE TABLE `catalog_accelerators` (
	`version_id` text NOT NULL,
	`key` text NOT NULL,
	`vendor` text NOT NULL,
	`generation` text NOT NULL,
	`status` text NOT NULL,
	`data_json` text NOT NULL,
	PRIMARY KEY(`version_id`, `key`),
	FOREIGN KEY (`version_id`) REFERENCES `price_book_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `catalog_accelerators_vendor_idx` ON `catalog_accelerators` (`version_id`,`vendor`,`key`);--> statement-breakpoint
CREATE TABLE `catalog_cloud_offers` (
	`version_id` text NOT NULL,
	`id` text NOT NULL,
	`provider` text NOT NULL,
	`provider_kind` text NOT NULL,
	`accelerator` text NOT NULL,
	`commitment` text NOT NULL,
	`data_json` text NOT NULL,
	PRIMARY KEY(`version_id`, `id`),
	FOREIGN KEY (`version_id`) REFERENCES `price_book_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `catalog_cloud_offers_accelerator_idx` ON `catalog_cloud_offers` (`version_id`,`accelerator`,`id`);--> statement-breakpoint
CREATE INDEX `catalog_cloud_offers_kind_idx` ON `catalog_cloud_offers` (`version_id`,`provider_kind`,`id`);--> statement-breakpoint
CREATE TABLE `catalog_figures` (
	`version_id` text NOT NULL,
	`kind` text NOT NULL,
	`id` text NOT NULL,
	`data_json` text NOT NULL,
	PRIMARY KEY(`version_id`, `kind`, `id`),
	FOREIGN KEY (`version_id`) REFERENCES `price_book_versions`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "catalog_figures_kind_check" CHECK("catalog_figures"."kind" IN ('facility', 'default', 'token_price', 'street_price'))
);
--> statement-breakpoint
CREATE TABLE `catalog_generations` (
	`version_id` text NOT NULL,
	`key` text NOT NULL,
	`vendor` text NOT NULL,
	`status` text NOT NULL,
	`data_json` text NOT NULL,
	PRIMARY KEY(`version_id`, `key`),
	FOREIGN KEY (`version_id`) REFERENCES `price_book_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `catalog_models` (
	`version_id` text NOT NULL,
	`key` text NOT NULL,
	`architecture` text NOT NULL,
	`data_json` text NOT NULL,
	PRIMARY KEY(`version_id`, `key`),
	FOREIGN KEY (`version_id`) REFERENCES `price_book_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `catalog_regions` (
	`version_id` text NOT NULL,
	`code` text NOT NULL,
	`electricity_usd_per_kwh` real,
	`data_json` text NOT NULL,
	PRIMARY KEY(`version_id`, `code`),
	FOREIGN KEY (`version_id`) REFERENCES `price_book_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `catalog_servers` (
	`version_id` text NOT NULL,
	`id` text NOT NULL,
	`vendor` text NOT NULL,
	`accelerator` text NOT NULL,
	`cooling` text NOT NULL,
	`form_factor` text NOT NULL,
	`data_json` text NOT NULL,
	PRIMARY KEY(`version_id`, `id`),
	FOREIGN KEY (`version_id`) REFERENCES `price_book_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `catalog_servers_vendor_idx` ON `catalog_servers` (`version_id`,`vendor`,`id`);--> statement-breakpoint
CREATE INDEX `catalog_servers_accelerator_idx` ON `catalog_servers` (`version_id`,`accelerator`,`id`);--> statement-breakpoint
CREATE TABLE `catalog_throughput_points` (
	`version_id` text NOT NULL,
	`id` text NOT NULL,
	`model` text NOT NULL,
	`accelerator` text NOT NULL,
	`source` text NOT NULL,
	`scenario` text NOT NULL,
	`data_json` text NOT NULL,
	PRIMARY KEY(`version_id`, `id`),
	FOREIGN KEY (`version_id`) REFERENCES `price_book_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `catalog_throughput_model_idx` ON `catalog_throughput_points` (`version_id`,`model`,`accelerator`,`id`);--> statement-breakpoint
CREATE INDEX `catalog_throughput_accelerator_idx` ON `catalog_throughput_points` (`version_id`,`accelerator`,`id`);--> statement-breakpoint
CREATE TABLE `org_quotes` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`price_book_id` text,
	`target_kind` text NOT NULL,
	`target_id` text NOT NULL,
	`unit_price_usd` real,
	`discount` real DEFAULT 0 NOT NULL,
	`valid_until` text NOT NULL,
	`note` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`price_book_id`) REFERENCES `price_books`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "org_quotes_target_kind_check" CHECK("org_quotes"."target_kind" IN ('sku', 'offer')),
	CONSTRAINT "org_quotes_discount_check" CHECK("org_quotes"."discount" >= 0 AND "org_quotes"."discount" < 1),
	CONSTRAINT "org_quotes_price_check" CHECK("org_quotes"."unit_price_usd" IS NULL OR "org_quotes"."unit_price_usd" > 0)
);
--> statement-breakpoint
CREATE INDEX `org_quotes_org_created_idx` ON `org_quotes` (`org_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `org_quotes_org_target_idx` ON `org_quotes` (`org_id`,`target_kind`,`target_id`);--> statement-breakpoint
CREATE TABLE `price_book_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`price_book_id` text NOT NULL,
	`version` text NOT NULL,
	`status` text NOT NULL,
	`content_hash` text NOT NULL,
	`data_as_of` text NOT NULL,
	`schema_version` integer NOT NULL,
	`row_counts_json` text NOT NULL,
	`row_count` integer NOT NULL,
	`created_at` text NOT NULL,
	`published_at` text,
	`retired_at` text,
	FOREIGN KEY (`price_book_id`) REFERENCES `price_books`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "price_book_versions_status_check" CHECK("price_book_versions"."status" IN ('draft', 'published', 'retired'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `price_book_versions_book_version_unique` ON `price_book_versions` (`price_book_id`,`version`);--> statement-breakpoint
CREATE INDEX `price_book_versions_book_created_idx` ON `price_book_versions` (`price_book_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `price_books` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text,
	`name` text NOT NULL,
	`base_price_book_id` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `price_books_org_idx` ON `price_books` (`org_id`,`created_at`,`id`);
-- Hand-written (drizzle-kit cannot express triggers): a published or retired price-book version
-- is immutable, and so are its rows (reliability.md §2.9). Rows may only be written while the
-- version is a draft; a published version may only change status to 'retired' (nothing else).
--> statement-breakpoint
CREATE TRIGGER `catalog_accelerators_immutable_insert` BEFORE INSERT ON `catalog_accelerators`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_accelerators_immutable_update` BEFORE UPDATE ON `catalog_accelerators`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_accelerators_immutable_delete` BEFORE DELETE ON `catalog_accelerators`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_accelerators_immutable_update_target` BEFORE UPDATE OF `version_id` ON `catalog_accelerators`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_models_immutable_insert` BEFORE INSERT ON `catalog_models`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_models_immutable_update` BEFORE UPDATE ON `catalog_models`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_models_immutable_delete` BEFORE DELETE ON `catalog_models`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_models_immutable_update_target` BEFORE UPDATE OF `version_id` ON `catalog_models`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_servers_immutable_insert` BEFORE INSERT ON `catalog_servers`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_servers_immutable_update` BEFORE UPDATE ON `catalog_servers`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_servers_immutable_delete` BEFORE DELETE ON `catalog_servers`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_servers_immutable_update_target` BEFORE UPDATE OF `version_id` ON `catalog_servers`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_cloud_offers_immutable_insert` BEFORE INSERT ON `catalog_cloud_offers`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_cloud_offers_immutable_update` BEFORE UPDATE ON `catalog_cloud_offers`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_cloud_offers_immutable_delete` BEFORE DELETE ON `catalog_cloud_offers`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_cloud_offers_immutable_update_target` BEFORE UPDATE OF `version_id` ON `catalog_cloud_offers`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_throughput_points_immutable_insert` BEFORE INSERT ON `catalog_throughput_points`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_throughput_points_immutable_update` BEFORE UPDATE ON `catalog_throughput_points`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_throughput_points_immutable_delete` BEFORE DELETE ON `catalog_throughput_points`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_throughput_points_immutable_update_target` BEFORE UPDATE OF `version_id` ON `catalog_throughput_points`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_regions_immutable_insert` BEFORE INSERT ON `catalog_regions`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_regions_immutable_update` BEFORE UPDATE ON `catalog_regions`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_regions_immutable_delete` BEFORE DELETE ON `catalog_regions`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_regions_immutable_update_target` BEFORE UPDATE OF `version_id` ON `catalog_regions`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_generations_immutable_insert` BEFORE INSERT ON `catalog_generations`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_generations_immutable_update` BEFORE UPDATE ON `catalog_generations`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_generations_immutable_delete` BEFORE DELETE ON `catalog_generations`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_generations_immutable_update_target` BEFORE UPDATE OF `version_id` ON `catalog_generations`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_figures_immutable_insert` BEFORE INSERT ON `catalog_figures`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_figures_immutable_update` BEFORE UPDATE ON `catalog_figures`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_figures_immutable_delete` BEFORE DELETE ON `catalog_figures`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = OLD.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `catalog_figures_immutable_update_target` BEFORE UPDATE OF `version_id` ON `catalog_figures`
WHEN (SELECT `status` FROM `price_book_versions` WHERE `id` = NEW.`version_id`) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `price_book_versions_immutable_update` BEFORE UPDATE ON `price_book_versions`
WHEN OLD.`status` = 'retired'
  OR (OLD.`status` = 'published' AND NOT (
    NEW.`status` = 'retired'
    AND NEW.`id` = OLD.`id` AND NEW.`price_book_id` = OLD.`price_book_id` AND NEW.`version` = OLD.`version`
    AND NEW.`content_hash` = OLD.`content_hash` AND NEW.`data_as_of` = OLD.`data_as_of`
    AND NEW.`schema_version` = OLD.`schema_version` AND NEW.`row_counts_json` = OLD.`row_counts_json`
    AND NEW.`row_count` = OLD.`row_count` AND NEW.`created_at` = OLD.`created_at`
    AND NEW.`published_at` IS OLD.`published_at`))
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `price_book_versions_immutable_delete` BEFORE DELETE ON `price_book_versions`
WHEN OLD.`status` IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'price_book_version_immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `price_book_versions_publish_check` BEFORE UPDATE OF `status` ON `price_book_versions`
WHEN OLD.`status` = 'draft' AND NEW.`status` = 'published' AND NEW.`row_count` <> (
  (SELECT COUNT(*) FROM `catalog_accelerators` WHERE `version_id` = OLD.`id`)
  + (SELECT COUNT(*) FROM `catalog_models` WHERE `version_id` = OLD.`id`)
  + (SELECT COUNT(*) FROM `catalog_servers` WHERE `version_id` = OLD.`id`)
  + (SELECT COUNT(*) FROM `catalog_cloud_offers` WHERE `version_id` = OLD.`id`)
  + (SELECT COUNT(*) FROM `catalog_throughput_points` WHERE `version_id` = OLD.`id`)
  + (SELECT COUNT(*) FROM `catalog_regions` WHERE `version_id` = OLD.`id`)
  + (SELECT COUNT(*) FROM `catalog_generations` WHERE `version_id` = OLD.`id`)
  + (SELECT COUNT(*) FROM `catalog_figures` WHERE `version_id` = OLD.`id`))
BEGIN SELECT RAISE(ABORT, 'price_book_version_incomplete'); END;
