import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Debian's Chromium for the page tests (playwright-core drives it); CHROMIUM_PATH overrides the path. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

/**
 * Whether a page test can run. Without Chromium it says so loudly (a green run without it has not tested
 * the page); under CI=1 the tests run anyway and their first assertion fails.
 */
export function pageTestsCanRun(what: string): boolean {
  if (!chromiumAvailable && !process.env.CI) {
    process.stderr.write(
      `\n${'!'.repeat(72)}\n!! SKIPPED: ${what} (no Chromium at ${CHROMIUM}).\n!! Install it (apt-get install chromium) or set CHROMIUM_PATH; CI=1 makes this a failure.\n${'!'.repeat(72)}\n\n`,
    );
  }
  return chromiumAvailable;
}

export const launchChromium = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
