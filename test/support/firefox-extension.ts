/**
 * The built Firefox extension in Firefox ESR (puppeteer-core over WebDriver BiDi), with the native host
 * registered by the real `cas-token install --browser firefox` into a throwaway HOME (Firefox reads
 * ~/.mozilla/native-messaging-hosts and ~/.mozilla/managed-storage from there).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import type { Browser } from 'puppeteer-core';
import { FIREFOX_EXTENSION_ID } from '../../shared/protocol/extension-ids.js';
import { runCli } from './run-cli.js';

export const FIREFOX_BUILD = fileURLToPath(new URL('../../dist/firefox', import.meta.url));

export interface FirefoxWithExtension {
  browser: Browser;
  home: string;
  close(): Promise<void>;
}

export async function launchFirefoxWithExtension(options: { env: Record<string, string>; allowedOrigins?: string[] }): Promise<FirefoxWithExtension> {
  const home = mkdtempSync(join(tmpdir(), 'cas-token-firefox-home-'));
  const install = runCli(['install', '--browser', 'firefox'], { HOME: home });
  if (install.status !== 0) throw new Error(`cas-token install --browser firefox failed: ${install.stderr}`);
  if (options.allowedOrigins) {
    const managed = join(home, '.mozilla', 'managed-storage');
    mkdirSync(managed, { recursive: true });
    writeFileSync(join(managed, `${FIREFOX_EXTENSION_ID}.json`), JSON.stringify({ name: FIREFOX_EXTENSION_ID, description: 'CAS Token policy', type: 'storage', data: { allowedOrigins: options.allowedOrigins } }));
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    env: { ...(process.env as Record<string, string>), CAS_TOKEN_MODULES: '', ...options.env, HOME: home },
  });
  await browser.installExtension(FIREFOX_BUILD);
  return {
    browser,
    home,
    async close() {
      await browser.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
