/**
 * The consent, digest-consent and PIN windows as a Romanian or Russian user sees them, in real Chromium
 * started in that language: every sentence in the user's language (no English message of ours left
 * on screen), nothing out of view at the size the window opens, no horizontal scroll. Screenshots in
 * .tmp/screenshots for people to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC } from '../../scripts/softhsm/provision.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchExtensionBrowser, openSdkPage } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { englishSentencesIn } from '../support/english-messages.js';
import { sdkFromClick } from '../support/sdk-from-click.js';
import { useSoftHsm } from '../support/softhsm.js';
import { clickClosing } from '../support/closing-window.js';

const softhsm = useSoftHsm([DEMO_TOKEN_SPEC]);
const SCREENSHOTS = join('.tmp', 'screenshots');
async function expectShownWell(prompt: Page, locale: string, name: string): Promise<void> {
  await prompt.setViewportSize({ width: name.startsWith('pin') ? 560 : 480, height: name.startsWith('pin') ? 760 : 440 });
  const text = await prompt.locator('body').innerText();
  expect(englishSentencesIn(text, locale), `${name} in ${locale}`).toEqual([]);
  expect(await prompt.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  for (const testId of ['prompt-origin', 'consent-allow', 'consent-deny', 'pin-input', 'pin-submit', 'pin-cancel']) {
    const element = prompt.getByTestId(testId);
    if ((await element.count()) === 0) continue;
    expect(
      await element.evaluate((e) => {
        const box = e.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
      }),
      `${testId} in view (${name}, ${locale})`,
    ).toBe(true);
  }
  await prompt.screenshot({ path: join(SCREENSHOTS, `${name}-${locale}.png`) });
}

describe.each(['ro', 'ru'])('prompt windows in %s', (locale) => {
  let server: RunningDemoServer;
  let browser: ExtensionBrowser;
  let page: Page;
  beforeAll(async () => {
    const store = softhsm.provisioned();
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' } });
    browser = await launchExtensionBrowser({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath }, locale });
    page = await openSdkPage(browser, `${server.origin}/sign.html`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("consent, digest consent and the PIN window with a document and with digests speak the user's language", async () => {
    const close = clickClosing;
    let next = browser.context.waitForEvent('page');
    const hashed = sdkFromClick(page, '(sdk) => sdk.signHashes({ hashes: [btoa("x".repeat(32)), btoa("y".repeat(32))], hashAlgorithm: "SHA-256", description: "Rețete" })');
    const consent = await next;
    await consent.getByTestId('consent-allow').waitFor();
    await expectShownWell(consent, locale, 'consent');
    next = browser.context.waitForEvent('page');
    await close(consent, 'consent-allow');
    const digestConsent = await next;
    await digestConsent.getByTestId('consent-digests-warning').waitFor();
    await expectShownWell(digestConsent, locale, 'consent-digests');
    next = browser.context.waitForEvent('page');
    await close(digestConsent, 'consent-allow');
    const digestPin = await next;
    await digestPin.getByTestId('pin-digests').waitFor();
    await expectShownWell(digestPin, locale, 'pin-digests');
    await close(digestPin, 'pin-cancel');
    expect(await hashed).toMatchObject({ ok: false, code: 'USER_CANCELLED' });

    next = browser.context.waitForEvent('page');
    const xml = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Reteta><Medicament>Paracetamol 500 mg</Medicament></Reteta>\n').toString('base64');
    const documents = sdkFromClick(page, '(sdk, data) => sdk.signDocuments([{ name: "reteta.xml", data }, { name: "gol.txt", data: "" }])', xml);
    const documentPin = await next;
    await documentPin.getByTestId('pin-preview-text').waitFor();
    await expectShownWell(documentPin, locale, 'pin-documents');
    await close(documentPin, 'pin-cancel');
    expect(await documents).toMatchObject({ ok: false, code: 'USER_CANCELLED' });
  });
});
