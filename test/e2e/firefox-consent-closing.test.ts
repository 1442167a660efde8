/**
 * Closing the consent windows in Firefox ESR, as a user does with the window's close button: a site
 * never allowed that asks to sign gets USER_CANCELLED, and asking again at once opens no window (the
 * consent back-off) and is told why; on another site, allowed, a request to sign bare digests opens the
 * digest consent window (the plain warning that the content cannot be shown), and closing it gives
 * USER_CANCELLED with no PIN window and nothing signed. The Chromium twins are in what-you-see.test.ts
 * and page-sdk-signing.test.ts.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC } from '../../scripts/softhsm/provision.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchFirefoxWithExtension, nextExtensionWindow } from '../support/firefox-extension.js';
import type { FirefoxWithExtension } from '../support/firefox-extension.js';
import { useSoftHsm } from '../support/softhsm.js';

const softhsm = useSoftHsm([DEMO_TOKEN_SPEC]);

type Outcome = { ok: true } | { ok: false; code: string; message: string };

/** Puts a button on the page that runs `call` with the SDK when clicked (a real user gesture) and resolves with its outcome. */
async function armButton(page: Page, call: string): Promise<{ outcome: Promise<Outcome> }> {
  const outcome = page.evaluate((call: string) => {
    const button = document.createElement('button');
    button.id = 'ask';
    button.textContent = 'ask';
    document.body.prepend(button);
    return new Promise<Outcome>((resolve) => {
      button.onclick = () => {
        button.remove();
        const sdk = (window as unknown as { CasToken: unknown }).CasToken;
        (new Function('sdk', `return (${call})(sdk);`)(sdk) as Promise<unknown>).then(
          () => resolve({ ok: true }),
          (error: { code: string; message: string }) => resolve({ ok: false, code: error.code, message: error.message }),
        );
      };
    });
  }, call);
  await page.waitForSelector('#ask');
  return { outcome }; // wrapped: an async function returning the promise itself would wait for it
}

/** Asks from a click; the outcome arrives once the user has answered. */
async function ask(page: Page, call: string): Promise<{ outcome: Promise<Outcome> }> {
  const armed = await armButton(page, call);
  await page.click('#ask');
  return armed;
}

/** The extension windows open now (a closed one may linger in the list: script in it fails). */
async function openExtensionWindows(firefox: FirefoxWithExtension): Promise<number> {
  let open = 0;
  for (const page of await firefox.browser.pages()) {
    const href = await page.evaluate(() => location.href).catch(() => '');
    if (href.startsWith('moz-extension://')) open += 1;
  }
  return open;
}

describe('Firefox ESR: closing a consent window', () => {
  let server: RunningDemoServer;
  let firefox: FirefoxWithExtension;
  const seen = new Set<Page>();

  beforeAll(async () => {
    const store = softhsm.provisioned();
    server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' } });
    firefox = await launchFirefoxWithExtension({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath } });
  });
  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  async function openSite(origin: string): Promise<Page> {
    const page = await firefox.browser.newPage();
    await page.goto(`${origin}/sign.html`);
    await page.waitForSelector('#status.ok', { timeout: 20_000 });
    return page;
  }

  it('a site never allowed gets USER_CANCELLED, and asking again at once opens no window and says why', async () => {
    const page = await openSite(server.origin);
    const first = await ask(page, `(sdk) => sdk.signDocuments([{ name: 'decont.txt', data: btoa('cod;valoare') }])`);
    const consent = await nextExtensionWindow(firefox.browser, seen, '[data-testid=consent-allow]');
    expect(await consent.$eval('[data-testid=prompt-origin]', (e) => e.textContent)).toBe(server.origin);
    await consent.close();
    expect(await first.outcome).toMatchObject({ ok: false, code: 'USER_CANCELLED' });

    const again = await ask(page, `(sdk) => sdk.signDocuments([{ name: 'decont.txt', data: btoa('cod;valoare') }])`);
    expect(await again.outcome).toMatchObject({ ok: false, code: 'USER_CANCELLED', message: expect.stringMatching(/will not open again for \d+ s/) });
    expect(await openExtensionWindows(firefox)).toBe(0);
    await page.close();
  });

  it('on an allowed site, closing the digest consent window gives USER_CANCELLED: no PIN window, nothing signed', async () => {
    const origin = server.origin.replace('localhost', '127.0.0.1');
    const page = await openSite(origin);
    const asked = await ask(page, `(sdk) => sdk.signHashes({ hashes: [new Uint8Array(32).fill(7)], hashAlgorithm: 'SHA-256' })`);
    const consent = await nextExtensionWindow(firefox.browser, seen, '[data-testid=consent-allow]');
    expect(await consent.$eval('[data-testid=prompt-origin]', (e) => e.textContent)).toBe(origin);
    await consent.waitForSelector('[data-testid=consent-allow]:not([disabled])');
    await consent.click('[data-testid=consent-allow]').catch((error: Error) => {
      if (!/context|target|closed|frame/i.test(error.message)) throw error; // the answer closes its window
    });
    const digestConsent = await nextExtensionWindow(firefox.browser, seen, '[data-testid=consent-digests-warning]');
    expect(await digestConsent.$eval('[data-testid=prompt-origin]', (e) => e.textContent)).toBe(origin);
    await digestConsent.close();
    expect(await asked.outcome).toMatchObject({ ok: false, code: 'USER_CANCELLED' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await openExtensionWindows(firefox)).toBe(0); // no PIN window followed
    await page.close();
  });
});
