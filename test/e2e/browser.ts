import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { repoRoot } from "../../scripts/lib/dev-server.ts";

/** Debian's Chromium; the path can be overridden for other machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where e2e screenshots go: test artefacts, not committed. */
export const ARTEFACTS_DIR = path.join(repoRoot, "test-results/e2e");

/**
 * Launch headless Chromium with the flags this sandbox needs: no sandbox as root, and no
 * background networking (the machine has no internet; Chromium would retry endlessly).
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Save a full-page screenshot as a test artefact and return its repo-relative path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTEFACTS_DIR, { recursive: true });
  const file = path.join(ARTEFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return path.relative(repoRoot, file);
}

/**
 * Collect the page's Content-Security-Policy violations (issue #19: the app runs under a strict
 * CSP; anything it blocks is a bug). Chromium reports each as a console error.
 */
export function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/**
 * Scroll each part of the page that is built only when near the viewport (charts, issue 16:
 * `RenderWhenNear`) into view, so it gets built, and wait for the next frames.
 */
export async function buildPartsWhenNear(page: Page): Promise<void> {
  // One at a time: a part built above moves the others, and the observer reports once per frame.
  for (let round = 0; round < 20; round++) {
    const pending = page.locator("[data-render-when-near]");
    if ((await pending.count()) === 0) return;
    await pending
      .first()
      .scrollIntoViewIfNeeded({ timeout: 2_000 })
      .catch(() => undefined);
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(null)))),
    );
  }
}
