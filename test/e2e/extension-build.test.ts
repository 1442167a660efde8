/** The built extension as stores and browsers see it: both builds from one manifest, and `web-ext lint` clean for Firefox. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIREFOX_EXTENSION_ID } from '../../shared/protocol/extension-ids.js';

const manifestOf = (browser: string) => JSON.parse(readFileSync(`dist/${browser}/manifest.json`, 'utf8'));

describe('extension builds', () => {
  it('Chromium runs a service worker with the fixed key; Firefox an event page with its gecko id', () => {
    const chrome = manifestOf('chrome');
    const firefox = manifestOf('firefox');
    expect(chrome.background.service_worker).toBeTruthy();
    expect(chrome.key).toBeTruthy();
    expect(firefox.background.scripts).toHaveLength(1);
    expect(firefox.key).toBeUndefined();
    expect(firefox.browser_specific_settings.gecko.id).toBe(FIREFOX_EXTENSION_ID);
    for (const browser of ['chrome', 'firefox']) {
      expect(existsSync(`dist/${browser}/content/fill.js`)).toBe(true);
      expect(existsSync(`dist/${browser}/_locales/ro/messages.json`)).toBe(true);
    }
    expect(existsSync('dist/sdk/cas-token.js') && existsSync('dist/sdk/cas-token.global.js') && existsSync('dist/sdk/cas-token.d.ts')).toBe(true);
  });

  it('web-ext lint reports no errors for dist/firefox', () => {
    const run = spawnSync('node_modules/.bin/web-ext', ['lint', '--source-dir', 'dist/firefox', '--output', 'json'], { encoding: 'utf8', timeout: 120_000 });
    const report = JSON.parse(run.stdout) as { summary: { errors: number }; errors: { code: string; message: string }[] };
    expect(report.errors).toEqual([]);
    expect(report.summary.errors).toBe(0);
  }, 150_000);
});
