/**
 * The built extension in real Chromium (`/usr/bin/chromium`, Playwright), with the native host installed
 * into the test profile by the real `cas-token install --user-data-dir`, as a user (or the checker) does.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { runCli } from './run-cli.js';
import { launchChromiumWithExtension } from '../../scripts/demo/chromium-launch.js';

export const CHROMIUM_BUILD = fileURLToPath(new URL('../../dist/chrome', import.meta.url));

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  profile: string;
  /** Opens the popup page targeting `tab` (the `?tab=` form), as its own page. */
  openPopup(forPage: Page): Promise<Page>;
  /** The tab id Chromium gave a page. */
  tabIdOf(page: Page): Promise<number>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Environment the browser (and so the host) gets: SOFTHSM2_CONF, CAS_TOKEN_MODULES… */
  env?: Record<string, string>;
  /** false = do not install the native host (the "host not installed" state). */
  installHost?: boolean;
  /**
   * Append Chromium's stderr to this file: the browser's own log, which also carries the native
   * host's stderr (Chromium passes it through). Playwright talks to Chromium over a pipe, not stderr,
   * so a wrapper script can take stderr without changing anything else.
   */
  stderrLog?: string;
  /** The browser's (and so the extension's) language, e.g. 'ro' or 'ru'; default: the machine's. */
  locale?: string;
}

/** /usr/bin/chromium run with its stderr appended to `log`. */
function chromiumWithStderrTo(profile: string, log: string): string {
  const wrapper = join(profile, 'chromium-stderr-to-log.sh');
  writeFileSync(wrapper, `#!/bin/sh\nexec /usr/bin/chromium "$@" 2>>${JSON.stringify(log)}\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

export async function launchExtensionBrowser(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'cas-token-chromium-'));
  if (options.installHost !== false) {
    const install = runCli(['install', '--browser', 'chromium', '--user-data-dir', profile]);
    if (install.status !== 0) throw new Error(`cas-token install failed: ${install.stderr}`);
  }
  const context = await launchChromiumWithExtension({
    profile,
    extension: CHROMIUM_BUILD,
    ...(options.stderrLog ? { executablePath: chromiumWithStderrTo(profile, options.stderrLog) } : {}),
    env: { ...(process.env as Record<string, string>), CAS_TOKEN_MODULES: '', ...(options.locale ? { LANGUAGE: options.locale, LANG: `${options.locale}_RO.UTF-8` } : {}), ...options.env },
    ...(options.locale ? { locale: options.locale } : {}),
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  const extensionId = new URL(worker.url()).host;
  const manifest = JSON.parse(readFileSync(join(CHROMIUM_BUILD, 'manifest.json'), 'utf8')) as { action: { default_popup: string } };
  const tabIdOf = async (page: Page): Promise<number> => {
    const url = page.url();
    const id = await worker.evaluate(async (target: string) => {
      const tabs = await chrome.tabs.query({});
      return tabs.find((tab) => tab.url === target)?.id;
    }, url);
    if (id === undefined) throw new Error(`no tab for ${url}`);
    return id;
  };
  return {
    context,
    worker,
    extensionId,
    profile,
    tabIdOf,
    async openPopup(forPage) {
      const tabId = await tabIdOf(forPage);
      const popup = await context.newPage();
      await popup.goto(`chrome-extension://${extensionId}/${manifest.action.default_popup}?tab=${tabId}`);
      return popup;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A new tab on a page of the demo site that loads the page SDK, ready (its `#status.ok` shown); every
 * message the page can see (window `message` events) is appended to `messages` when given.
 */
export async function openSdkPage(browser: ExtensionBrowser, url: string, messages?: string[]): Promise<Page> {
  const page = await browser.context.newPage();
  if (messages) {
    await page.exposeFunction('recordMessage', (text: string) => messages.push(text));
    await page.addInitScript(() => window.addEventListener('message', (event) => (window as unknown as { recordMessage(t: string): void }).recordMessage(JSON.stringify(event.data))));
  }
  await page.goto(url);
  await page.locator('#status.ok').waitFor({ timeout: 15_000 });
  return page;
}
