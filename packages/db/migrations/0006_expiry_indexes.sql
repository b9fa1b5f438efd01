CREATE INDEX `export_links_expires_idx` ON `export_links` (`expires_at`);--> statement-breakpoint
CREATE INDEX `invitations_expires_idx` ON `invitations` (`expires_at`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE INDEX `verifications_expires_idx` ON `verifications` (`expires_at`);--> statement-breakpoint
CREATE INDEX `proposal_share_links_expires_idx` ON `proposal_share_links` (`expires_at`);