import { expect, test } from "vitest";
import { KERNEL_VERSION } from "./index.ts";
test("kernel version is semver", () => {
  expect(KERNEL_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
});
