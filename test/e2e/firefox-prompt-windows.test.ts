/**
 * The consent and PIN windows as a Firefox ESR user sees them, in English, Romanian and Russian: a demo
 * site never allowed asks to sign its report PDF after a real click; the consent window shows the
 * site and the question in the user's language, fits its window (every control in view, no horizontal
 * scroll) and is answered by a click; the PIN window shows the site, the certificate and the document;
 * a wrong PIN says so in the user's language; the right one signs, and the site's server finds the
 * signature valid with pdfsig; a text file passed to signDocuments comes back as CAdES that openssl cms
 * verifies. Closing the PIN window gives the page USER_CANCELLED.
 *
 * The windows are reached over WebDriver BiDi (see test/support/firefox-extension.ts). Firefox gives the
 * extension a ro/ru UI only with that language pack installed (firefox-esr-l10n-ro / -ru).
 * Screenshots of every window in .tmp/screenshots/firefox-*.png, for people to look at.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC } from '../../scripts/softhsm/provision.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { signatureCheckRoute } from '../../scripts/demo/signature-check-route.js';
import { englishSentencesIn, messagesOf } from '../support/english-messages.js';
import { launchFirefoxWithExtension, nextExtensionWindow } from '../support/firefox-extension.js';
import type { FirefoxWithExtension } from '../support/firefox-extension.js';
import { opensslView } from '../support/openssl-certificate-view.js';
import { useSoftHsm } from '../support/softhsm.js';

const PIN = '604173';
const softhsm = useSoftHsm([{ ...DEMO_TOKEN_SPEC, pin: PIN }]);
const SCREENSHOTS = join('.tmp', 'screenshots');

/** The controls a window must keep in view at the size it opens with. */
const CONTROLS = ['prompt-origin', 'consent-allow', 'consent-deny', 'pin-documents', 'pin-input', 'pin-submit', 'pin-cancel', 'pin-error'];

/** Every sentence in the user's language, every control in view, no horizontal scroll; a screenshot. */
async function expectShownWell(prompt: Page, locale: string, name: string): Promise<string> {
  const text = await prompt.evaluate(() => document.body.innerText);
  if (locale !== 'en') expect(englishSentencesIn(text, locale), `${name} in ${locale}`).toEqual([]);
  expect(await prompt.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), `${name}: no horizontal scroll`).toBe(true);
  const outOfView = await prompt.evaluate((testIds: string[]) => {
    return testIds.filter((testId) => {
      const element = document.querySelector(`[data-testid="${testId}"]`);
      if (!element) return false;
      const box = element.getBoundingClientRect();
      return !(box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth);
    });
  }, CONTROLS);
  expect(outOfView, `${name} in ${locale}: controls out of view`).toEqual([]);
  await prompt.screenshot({ path: join(SCREENSHOTS, `firefox-${name}-${locale}.png`) });
  return text;
}

/** Clicks a button that may close its own window (then the click's answer never comes back). */
async function clickClosing(prompt: Page, selector: string): Promise<void> {
  await prompt.click(selector).catch((error: Error) => {
    if (!/context|target|closed|frame/i.test(error.message)) throw error;
  });
}

async function typePin(prompt: Page, pin: string): Promise<void> {
  await prompt.waitForSelector('[data-testid=pin-submit]:not([disabled])');
  await prompt.type('[data-testid=pin-input]', pin);
  await prompt.keyboard.press('Enter').catch((error: Error) => {
    if (!/context|target|closed|frame/i.test(error.message)) throw error; // a right PIN closes the window
  });
}

describe.each(['en', 'ro', 'ru'])('Firefox ESR consent and PIN windows in %s', (locale) => {
  const messages = messagesOf(locale);
  /** A message as the window shows it, up to its first placeholder. */
  const said = (key: string): string => messages[key]!.message.split(/\$\d/)[0]!.trim();
  let server: RunningDemoServer;
  let firefox: FirefoxWithExtension;
  let page: Page;
  /** Extension windows already handled (closed ones may linger in browser.pages()). */
  const seen = new Set<Page>();

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const store = softhsm.provisioned();
    server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' }, routes: [signatureCheckRoute(store.caCertificatePath)] });
    firefox = await launchFirefoxWithExtension({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath }, locale: locale === 'en' ? 'en-US' : locale });
    page = await firefox.browser.newPage();
    await page.goto(`${server.origin}/sign.html`);
    await page.waitForSelector('#status.ok', { timeout: 20_000 });
  });
  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  it('asks consent for a new site, then the PIN; a wrong PIN is told, the right one signs and pdfsig on the site finds the signature valid', async () => {
    await page.click('#sign-report'); // a real click: a first consent window needs the user's gesture

    const consent = await nextExtensionWindow(firefox.browser, seen, '[data-testid=consent-allow]');
    expect(await consent.$eval('[data-testid=prompt-origin]', (e) => e.textContent)).toBe(server.origin);
    // The buttons wait out the input delay (the window is looked at once they can be clicked); only a pointer click answers.
    await consent.waitForSelector('[data-testid=consent-allow]:not([disabled])');
    const consentText = await expectShownWell(consent, locale, 'consent');
    expect(consentText).toContain(said('consentTitle'));
    expect(consentText).toContain(said('consentQuestion'));
    await clickClosing(consent, '[data-testid=consent-allow]');

    const pin = await nextExtensionWindow(firefox.browser, seen, '[data-testid=pin-documents]');
    expect(await pin.$eval('[data-testid=prompt-origin]', (e) => e.textContent)).toBe(server.origin);
    expect(await pin.$$eval('[data-testid=pin-document-name]', (names) => names.map((e) => e.textContent))).toEqual(['raport-lunar.pdf']);
    const qualified = softhsm.provisioned().tokens[0]!.certificates.find((c) => c.purpose === 'qualified-signing')!;
    const pinText = await expectShownWell(pin, locale, 'pin');
    expect(pinText).toContain(said('pinTitle'));
    expect(pinText).toContain(opensslView(qualified.certificatePath).serialNumber);

    await typePin(pin, '000000');
    const error = await pin.waitForSelector('[data-testid=pin-error]', { timeout: 20_000 });
    const errorText = (await error!.evaluate((e) => e.textContent))!;
    expect(
      ['pinWrong', 'pinWrongFewLeft', 'pinWrongFinalTry', 'pinWrongAttemptsLeftOne', 'pinWrongAttemptsLeftFew', 'pinWrongAttemptsLeftMany', 'pinWrongAttemptsLeftOther']
        .map(said)
        .some((sentence) => errorText.includes(sentence)),
      errorText,
    ).toBe(true);
    expect(errorText).toContain(said('pinAttemptNumber'));
    await expectShownWell(pin, locale, 'pin-wrong');

    await typePin(pin, PIN);
    await page.waitForSelector('#report-result.ok, #report-result.bad', { timeout: 30_000 });
    expect(await page.$eval('#report-result', (e) => e.textContent)).toMatch(/^raport-lunar-signed\.pdf: semnătură validă \(pdfsig\)$/);
  });

  it('signs a text file the page passes to signDocuments from a click; the CAdES signature it gets back verifies with openssl cms', async () => {
    const content = `Decont ${locale}: cod;valoare\nA1;10\n`;
    const asked = page.evaluate((content: string) => {
      const button = document.createElement('button');
      button.id = 'sign-text';
      button.textContent = 'sign';
      document.body.prepend(button);
      return new Promise<{ ok: boolean; format?: string; data?: string; code?: string }>((resolve) => {
        button.onclick = () => {
          const sdk = (window as unknown as { CasToken: typeof import('../../extension/sdk/index.js') }).CasToken;
          sdk.signDocuments([{ name: 'decont.txt', data: btoa(content) }]).then(
            ([item]) => resolve(item!.ok ? { ok: true, format: item!.format, data: btoa(String.fromCharCode(...item!.data)) } : { ok: false, code: item!.error.code }),
            (error: { code: string }) => resolve({ ok: false, code: error.code }),
          );
        };
      });
    }, content);
    await page.waitForSelector('#sign-text');
    await page.click('#sign-text');
    const pin = await nextExtensionWindow(firefox.browser, seen, '[data-testid=pin-documents]');
    expect(await pin.$$eval('[data-testid=pin-document-name]', (names) => names.map((e) => e.textContent))).toEqual(['decont.txt']);
    await pin.waitForSelector('[data-testid=pin-preview-text]');
    expect(await pin.$eval('[data-testid=pin-preview-text]', (e) => e.textContent)).toContain(`Decont ${locale}`);
    await typePin(pin, PIN);
    const signed = await asked;
    expect(signed).toMatchObject({ ok: true, format: 'cades' });
    const dir = mkdtempSync(join(tmpdir(), 'cas-token-firefox-cades-'));
    try {
      writeFileSync(join(dir, 'decont.txt'), content);
      writeFileSync(join(dir, 'decont.txt.p7s'), Buffer.from(signed.data!, 'base64'));
      const ca = softhsm.provisioned().caCertificatePath;
      const openssl = spawnSync(
        'openssl',
        ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'decont.txt.p7s'), '-content', join(dir, 'decont.txt'), '-CAfile', ca, '-out', '/dev/null'],
        { encoding: 'utf8' },
      );
      expect(openssl.stderr).toMatch(/Verification successful/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closing the PIN window gives the page USER_CANCELLED', async () => {
    await page.$eval('#report-result', (e) => {
      e.className = '';
      e.textContent = '';
    });
    await page.click('#sign-report');
    const pin = await nextExtensionWindow(firefox.browser, seen, '[data-testid=pin-documents]');
    await pin.close();
    await page.waitForSelector('#report-result.bad', { timeout: 20_000 });
    expect(await page.$eval('#report-result', (e) => e.textContent)).toMatch(/^USER_CANCELLED: /);
  });
});
