/** How our tools start Chromium with the unpacked extension (Playwright): headless-new, no network chatter. */
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

export function chromiumExtensionArgs(extension: string): string[] {
  return [
    '--headless=new',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--disable-extensions-except=${extension}`,
    `--load-extension=${extension}`,
  ];
}

export interface ChromiumLaunch {
  /** The user data dir (a fresh temp dir: the tests and the demo never use the user's own profile). */
  profile: string;
  /** The unpacked extension to load (dist/chrome). */
  extension: string;
  /** The browser's whole environment (and so the native host's). */
  env: Record<string, string>;
  /** Default /usr/bin/chromium. */
  executablePath?: string;
  /** The browser's language, e.g. 'ro': `--lang` and Playwright's locale. */
  locale?: string;
}

/** The one way our tests, the demo's smoke check and the benchmarks start Chromium with the extension. */
export function launchChromiumWithExtension(options: ChromiumLaunch): Promise<BrowserContext> {
  return chromium.launchPersistentContext(options.profile, {
    executablePath: options.executablePath ?? '/usr/bin/chromium',
    headless: false, // headless all the same: --headless=new, the mode that runs extensions
    env: options.env,
    args: [...chromiumExtensionArgs(options.extension), ...(options.locale ? [`--lang=${options.locale}`] : [])],
    ...(options.locale ? { locale: options.locale } : {}),
    ignoreDefaultArgs: ['--disable-extensions'],
  });
}
