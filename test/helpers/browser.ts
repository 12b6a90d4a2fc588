/**
 * Browser tests' one door to a real browser: Debian's chromium (`/usr/bin/chromium`, installed
 * by .ci/run when missing) driven by playwright-core, which never downloads a browser.
 *
 * `withBrowser(fn)` launches a headless chromium with a fresh profile directory, no network
 * services of its own (no QUIC, sync, component updates or background fetches), hands `fn` a
 * page, and always closes the browser and removes the profile, whatever `fn` does. Every
 * browser step is bounded: launch, navigation and each wait time out (`BROWSER_TIMEOUT_MS`),
 * so a broken page fails its test instead of hanging the suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The chromium the tests drive. */
export const CHROMIUM = process.env['DETNET_CHROMIUM'] ?? '/usr/bin/chromium';

/** Upper bound of any single browser step (launch, navigation, a wait). */
export const BROWSER_TIMEOUT_MS = 20_000;

/** The command-line switches of every launch (see the module header). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Runs `fn` with a fresh page of a fresh headless chromium; closes everything afterwards. */
export async function withBrowser<T>(fn: (page: Page) => Promise<T>): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'detnet-chromium-'));
  let browser: BrowserContext | undefined;
  try {
    // Playwright takes the fresh profile directory itself (it refuses a --user-data-dir switch).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS],
      timeout: BROWSER_TIMEOUT_MS,
      viewport: { width: 1500, height: 900 },
    });
    const page = await browser.newPage();
    page.setDefaultTimeout(BROWSER_TIMEOUT_MS);
    page.setDefaultNavigationTimeout(BROWSER_TIMEOUT_MS);
    // A page error is a test failure, not a line lost in the browser's console.
    const errors: Error[] = [];
    page.on('pageerror', (e) => errors.push(e));
    const result = await fn(page);
    if (errors.length > 0) throw new Error(`the page raised: ${errors.map((e) => e.message).join('; ')}`);
    return result;
  } finally {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
