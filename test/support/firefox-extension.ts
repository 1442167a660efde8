/**
 * The built Firefox extension in Firefox ESR (puppeteer-core over WebDriver BiDi), with the native host
 * registered by the real `cas-token install --browser firefox` into a throwaway HOME (Firefox reads
 * ~/.mozilla/native-messaging-hosts and ~/.mozilla/managed-storage from there).
 *
 * `locale` starts Firefox in that UI language (`intl.locale.requested`, and `intl.accept_languages` for
 * pages). Firefox gives an extension its UI locale only when a language pack for it is installed: the
 * Debian packages firefox-esr-l10n-ro / -ru put them in Firefox's browser/extensions folder, which it
 * loads by itself (scripts/system-packages.txt lists them).
 *
 * The windows the extension opens (consent, PIN) are browsing contexts BiDi reaches: `browser.pages()`
 * lists them with the URL about:blank, but script runs in them and says their moz-extension:// URL.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import { FIREFOX_EXTENSION_ID } from '../../shared/protocol/extension-ids.js';
import { runCli } from './run-cli.js';

export const FIREFOX_BUILD = fileURLToPath(new URL('../../dist/firefox', import.meta.url));

export interface FirefoxWithExtension {
  browser: Browser;
  home: string;
  close(): Promise<void>;
}

export async function launchFirefoxWithExtension(options: { env: Record<string, string>; allowedOrigins?: string[]; locale?: string }): Promise<FirefoxWithExtension> {
  const home = mkdtempSync(join(tmpdir(), 'cas-token-firefox-home-'));
  const install = runCli(['install', '--browser', 'firefox'], { HOME: home });
  if (install.status !== 0) throw new Error(`cas-token install --browser firefox failed: ${install.stderr}`);
  if (options.allowedOrigins) {
    const managed = join(home, '.mozilla', 'managed-storage');
    mkdirSync(managed, { recursive: true });
    writeFileSync(
      join(managed, `${FIREFOX_EXTENSION_ID}.json`),
      JSON.stringify({ name: FIREFOX_EXTENSION_ID, description: 'CAS Token policy', type: 'storage', data: { allowedOrigins: options.allowedOrigins } }),
    );
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    ...(options.locale ? { extraPrefsFirefox: { 'intl.locale.requested': options.locale, 'intl.accept_languages': options.locale } } : {}),
    env: { ...(process.env as Record<string, string>), CAS_TOKEN_MODULES: '', ...options.env, HOME: home },
  });
  await browser.installExtension(FIREFOX_BUILD);
  return {
    browser,
    home,
    async close() {
      await browser.close();
      // Firefox's crash helper may still be writing into the HOME's glean folder as the browser exits.
      rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}

/** The page's URL as script in it sees it (BiDi reports an extension window as about:blank); '' once it is gone. */
async function locationOf(page: Page): Promise<string> {
  return page.evaluate(() => location.href).catch(() => '');
}

/**
 * Waits for a window of the extension (`moz-extension://…/prompt.html`) that is not one of `seen` and
 * whose page has rendered `selector`; adds it to `seen`. Closed windows may linger in `browser.pages()`
 * (script in them fails), so a window is told apart by its page object, not by the list's length.
 */
export async function nextExtensionWindow(browser: Browser, seen: Set<Page>, selector: string, timeout = 20_000): Promise<Page> {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const page of await browser.pages()) {
      if (seen.has(page) || !(await locationOf(page)).startsWith('moz-extension://')) continue;
      if (!(await page.$(selector).catch(() => null))) continue;
      seen.add(page);
      return page;
    }
    if (Date.now() > deadline) throw new Error(`No new extension window showing ${selector} within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
