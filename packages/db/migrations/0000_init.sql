CREATE TABLE `_assert` (
	`ok` integer NOT NULL,
	CONSTRAINT "assert_ok" CHECK("_assert"."ok" = 1)
);
