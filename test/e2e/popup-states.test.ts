/** The popup tells the user what to do when the host is not installed, or no token is inserted. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOWNLOADS_URL } from '../../shared/distribution/downloads-url.js';
import { launchExtensionBrowser } from '../support/chromium-extension.js';

async function popupState(options: Parameters<typeof launchExtensionBrowser>[0]) {
  const browser = await launchExtensionBrowser(options);
  try {
    const page = await browser.context.newPage();
    await page.goto('about:blank');
    const popup = await browser.openPopup(page).catch(async () => {
      const p = await browser.context.newPage();
      await p.goto(`chrome-extension://${browser.extensionId}/extension/ui/popup/popup.html`);
      return p;
    });
    const state = popup.getByTestId('popup-state');
    await popup.waitForFunction(() => document.querySelector('[data-testid=popup-state]')?.getAttribute('data-state') !== 'loading', undefined, { timeout: 20_000 });
    if ((await state.getAttribute('data-state')) === 'host-missing') await popup.getByTestId('host-install-os').waitFor({ timeout: 5_000 });
    const download = popup.getByTestId('host-download');
    return {
      state: await state.getAttribute('data-state'),
      text: (await state.textContent()) ?? '',
      os: await popup
        .getByTestId('host-install-os')
        .getAttribute('data-os', { timeout: 1_000 })
        .catch(() => null),
      download: (await download.count()) ? await download.getAttribute('href') : null,
    };
  } finally {
    await browser.close();
  }
}

describe('popup states', () => {
  it('host not installed: says so, links to the download page and says how to install on Linux (this machine)', async () => {
    const { state, text, os, download } = await popupState({ installHost: false });
    expect(state).toBe('host-missing');
    expect(os).toBe('linux'); // chrome.runtime.getPlatformInfo of the real browser
    expect(text).toContain('Debian or Ubuntu: download the .deb package');
    expect(download).toBe(DOWNLOADS_URL);
    expect(text).not.toContain('npx');
  });

  it('no token inserted: says to insert it', async () => {
    // A SoftHSM2 store with no initialised token: the module loads, no token is present.
    const dir = mkdtempSync(join(tmpdir(), 'cas-token-empty-'));
    const conf = join(dir, 'softhsm2.conf');
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'tokens'));
    writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
    try {
      const { state, text } = await popupState({ env: { SOFTHSM2_CONF: conf, CAS_TOKEN_MODULES: '/usr/lib/softhsm/libsofthsm2.so' } });
      expect(state).toBe('no-token');
      expect(text.length).toBeGreaterThan(10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no loadable PKCS#11 module: names the drivers to install', async () => {
    const { state, text } = await popupState({ env: { CAS_TOKEN_MODULES: '/nonexistent/libeTPkcs11.so' } });
    expect(state).toBe('no-module');
    expect(text).toContain('SafeNet');
    expect(text).toContain('/nonexistent/libeTPkcs11.so');
  });
});
