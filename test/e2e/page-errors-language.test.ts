/**
 * Errors answered to a web site carry, with the stable code and the English technical message for its
 * developers, a sentence for its user in the page's language: the `lang` of the page (the demo CAS
 * site is `<html lang="ro">`), or the one the site gives `CasToken.setLanguage()`; a language we do
 * not speak gets English. Real Chromium, the built SDK and extension, the real host.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC } from '../../scripts/softhsm/provision.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchExtensionBrowser, openSdkPage } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { useSoftHsm } from '../support/softhsm.js';
import { inClosingWindow } from '../support/closing-window.js';

const softhsm = useSoftHsm([DEMO_TOKEN_SPEC]);
const sentence = (lang: string, key: string): string => (JSON.parse(readFileSync(`public/_locales/${lang}/messages.json`, 'utf8')) as Record<string, { message: string }>)[key]!.message;
let server: RunningDemoServer;
let browser: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  const store = softhsm.provisioned();
  server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' } });
  browser = await launchExtensionBrowser({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath }, locale: 'en' });
  page = await openSdkPage(browser, `${server.origin}/sign.html`);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A request of a site the user refused: ORIGIN_NOT_ALLOWED. */
async function refusedRequest(language?: string): Promise<{ code: string; message: string; userMessage?: string }> {
  return page.evaluate(async (lang) => {
    const sdk = (window as unknown as { CasToken: { setLanguage(lang?: string): void; getCertificates(): Promise<unknown> } }).CasToken;
    if (lang !== undefined) sdk.setLanguage(lang === '' ? undefined : lang);
    try {
      await sdk.getCertificates();
      return { code: 'none', message: 'answered' };
    } catch (error) {
      const { code, message, userMessage } = error as { code: string; message: string; userMessage?: string };
      return { code, message, ...(userMessage ? { userMessage } : {}) };
    }
  }, language);
}

describe('errors answered to a site', () => {
  it('say it to the user in the page\'s language (<html lang="ro">), the English detail kept for developers', async () => {
    // The user refuses the site in the consent window; the decision is remembered.
    const consent = browser.context.waitForEvent('page', { timeout: 20_000 });
    const asked = refusedRequest();
    const window = await consent;
    const deny = window.getByTestId('consent-deny');
    await expect.poll(() => deny.isEnabled(), { timeout: 10_000 }).toBe(true);
    await inClosingWindow(window, () => deny.click());
    const refused = await asked;
    expect(refused.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(refused.userMessage).toBe(sentence('ro', 'errorOriginNotAllowed'));
    expect(refused.message).toMatch(/has not allowed|did not allow/);
  });

  it('in the language the site sets with setLanguage(), and in English for a language CAS Token does not speak', async () => {
    expect((await refusedRequest('ru-RU')).userMessage).toBe(sentence('ru', 'errorOriginNotAllowed'));
    expect((await refusedRequest('de')).userMessage).toBe(sentence('en', 'errorOriginNotAllowed'));
    expect((await refusedRequest('')).userMessage).toBe(sentence('ro', 'errorOriginNotAllowed')); // back to the page's own
  });

  it("errors the SDK raises itself (a request too large) carry the sentence in the page's language too", async () => {
    const tooLarge = await page.evaluate(async () => {
      const sdk = (window as unknown as { CasToken: { setLanguage(lang?: string): void; signDocument(d: { data: Uint8Array; name: string }): Promise<unknown> } }).CasToken;
      const outcome = async (): Promise<{ code: string; userMessage?: string }> => {
        try {
          await sdk.signDocument({ data: new Uint8Array(70 * 1024 * 1024), name: 'scan.pdf' });
          return { code: 'none' };
        } catch (error) {
          const { code, userMessage } = error as { code: string; userMessage?: string };
          return { code, ...(userMessage ? { userMessage } : {}) };
        }
      };
      sdk.setLanguage('ru');
      const ru = await outcome();
      sdk.setLanguage(undefined); // the page's own <html lang="ro">
      const ro = await outcome();
      return { ru, ro };
    });
    expect(tooLarge.ru).toEqual({ code: 'MESSAGE_TOO_LARGE', userMessage: sentence('ru', 'errorMessageTooLarge') });
    expect(tooLarge.ro).toEqual({ code: 'MESSAGE_TOO_LARGE', userMessage: sentence('ro', 'errorMessageTooLarge') });
  });
});
