/**
 * Every extension page and window, as a Romanian or Russian user sees it, in real Chromium started in
 * that language: no English left on screen (our English messages and English words; the host's
 * English detail may only sit folded under "Details"), nothing sticking out sideways, the parts that
 * matter in view. Screenshots in .tmp/screenshots/scan-<screen>-<locale>.png for people to look at.
 *
 * The popup is seen in each of its states: ready, technical details open, after Fill form and Undo,
 * the program not installed, no driver, no token. (The host's error state is in the unit tests: the
 * token here fails only as "no token".)
 *
 * SCREENS is the one list: a new page or window is one more entry (which browser it needs, how to get
 * it on screen, and `see()` for each state worth checking).
 *
 * The PIN window is checked the hard way: a batch of 50 documents from a site, then a wrong PIN twice
 * on a token that reports "few tries left" (SoftHSM2 sets CKF_USER_PIN_COUNT_LOW after a failed login,
 * as a hardware token does): the PIN field and buttons, the site and the certificate stay in view, the
 * warning is there every time, and each failed attempt is visibly new (its number).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC } from '../../scripts/softhsm/provision.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchExtensionBrowser, openSdkPage } from '../support/chromium-extension.js';
import type { ExtensionBrowser, LaunchOptions } from '../support/chromium-extension.js';
import { buildFaultyToken } from '../support/faulty-token.js';
import type { FaultyToken } from '../support/faulty-token.js';
import { sdkFromClick } from '../support/sdk-from-click.js';
import type { SdkOutcome } from '../support/sdk-from-click.js';
import { useSoftHsm } from '../support/softhsm.js';
import { englishIn, inView, visibleTexts, wideElements } from '../support/visible-language.js';
import { clickClosing } from '../support/closing-window.js';

const softhsm = useSoftHsm([DEMO_TOKEN_SPEC]);
const SCREENSHOTS = join('.tmp', 'screenshots');
const HOLDER = 'Ștefan Ionescu-Mărășești';
/** The user's own data that may be on screen as it is: the certificate's names, the demo page's labels. */
const DATA = [HOLDER, 'DEMO CERTSIGN QUALIFIED CA', 'DEMO CERTSIGN SA', 'CAS Demo'];

type Locale = 'ro' | 'ru';
/** Which browser a screen needs: with the demo token, without the host installed, with no driver that loads, with a token that can break. */
type BrowserKind = 'token' | 'no-host' | 'no-module' | 'faulty';

interface SeeOptions {
  /** The window's size; a popup is 400 × 600 at most. */
  size?: { width: number; height: number };
  /** Test ids that must be wholly in view. */
  inView?: string[];
  /** More of the user's data on this screen. */
  data?: string[];
}

interface ScreenContext {
  locale: Locale;
  /** The token of the 'faulty' browser: pull it out, break it, put it back. */
  faulty: FaultyToken;
  browser: ExtensionBrowser;
  server: RunningDemoServer;
  work: string;
  /** A tab on the demo registration page (what the popup targets). */
  registrationPage(): Promise<Page>;
  /** The popup for that tab, past "loading". */
  openPopup(): Promise<Page>;
  /** An extension page by its path in the build. */
  openExtensionPage(path: string): Promise<Page>;
  /** Checks the screen as it is now: language, sideways scroll, what must be in view; takes the screenshot. */
  see(page: Page, state: string, options?: SeeOptions): Promise<void>;
}

interface Screen {
  name: string;
  browser: BrowserKind;
  show(context: ScreenContext): Promise<void>;
}

const POPUP = { width: 400, height: 600 };
const PIN_WINDOW = { width: 560, height: 760 };
const CONSENT_WINDOW = { width: 480, height: 440 };

async function nextWindow(context: ScreenContext, action: () => Promise<unknown>): Promise<Page> {
  const opened = context.browser.context.waitForEvent('page', { timeout: 20_000 });
  await action();
  return opened;
}

const SCREENS: Screen[] = [
  {
    name: 'popup',
    browser: 'token',
    async show(context) {
      const popup = await context.openPopup();
      await context.see(popup, 'popup-ready', { size: POPUP, inView: ['qualified-badge', 'fill-form', 'detail-holder'] });
      await popup.getByTestId('technical-details').locator('summary').click();
      await context.see(popup, 'popup-technical', { size: POPUP });
      await popup.getByTestId('fill-form').click();
      await popup.getByTestId('fill-result').waitFor({ timeout: 20_000 });
      await context.see(popup, 'popup-filled', { size: POPUP, inView: ['fill-result'], data: ['Serie certificat'] });
      await popup.getByTestId('undo-fill').click();
      await popup.getByTestId('undo-result').waitFor();
      await context.see(popup, 'popup-undone', { size: POPUP, inView: ['undo-result'] });
      await popup.close();
    },
  },
  {
    name: 'popup without the host',
    browser: 'no-host',
    async show(context) {
      const popup = await context.openPopup();
      await popup.getByTestId('host-install-os').waitFor();
      await context.see(popup, 'popup-host-missing', { size: POPUP, inView: ['host-download'] });
      // The provider's data needs no program and no token: its page is reachable from here too.
      expect(await popup.getByTestId('provider-profile').count()).toBe(1);
      await popup.close();
    },
  },
  {
    name: 'popup without a driver',
    browser: 'no-module',
    async show(context) {
      const popup = await context.openPopup();
      expect(await popup.getByTestId('popup-state').getAttribute('data-state')).toBe('no-module');
      await context.see(popup, 'popup-no-module', { size: POPUP });
      await popup.close();
    },
  },
  {
    name: 'popup with the token pulled out',
    browser: 'faulty',
    async show(context) {
      context.faulty.pullOut();
      try {
        const popup = await context.openPopup();
        expect(await popup.getByTestId('popup-state').getAttribute('data-state')).toBe('no-token');
        await context.see(popup, 'popup-no-token', { size: POPUP, inView: ['no-token-watching'] });
        expect(await popup.getByTestId('provider-profile').count()).toBe(1);
        await popup.close();
      } finally {
        context.faulty.putBack();
      }
    },
  },
  {
    name: 'options',
    browser: 'token',
    async show(context) {
      const page = await context.openExtensionPage('extension/ui/options/options.html');
      await page.locator('h1').waitFor();
      await context.see(page, 'options');
      await page.close();
    },
  },
  {
    name: 'provider profile',
    browser: 'token',
    async show(context) {
      const page = await context.openExtensionPage('extension/ui/provider-profile/provider-profile.html');
      await page.getByTestId('profile-page').waitFor();
      await context.see(page, 'provider-profile', { inView: ['profile-page'] });
      await page.close();
    },
  },
  {
    name: 'CAS registration request',
    browser: 'token',
    async show(context) {
      const page = await context.openExtensionPage('extension/ui/renew/renew.html?view=request');
      await expect.poll(() => page.getByTestId('renew-certificate').locator('option').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      await context.see(page, 'registration-request');
      await page.close();
    },
  },
  {
    name: 'verify, a file that holds no signature',
    browser: 'no-host',
    async show(context) {
      const page = await context.openExtensionPage('extension/ui/verify/verify.html');
      await context.see(page, 'verify-empty', { inView: ['verify-file-input'] });
      const text = join(context.work, 'nota.txt');
      writeFileSync(text, 'O notă fără semnătură.\n');
      await page.getByTestId('verify-file-input').setInputFiles(text);
      await page.locator('[data-testid=file-result][data-verdict=error]').waitFor({ timeout: 20_000 });
      await context.see(page, 'verify-no-signature', { inView: ['file-error'] });
      await page.close();
    },
  },
  {
    name: 'renew, with a wrong PIN',
    browser: 'token',
    async show(context) {
      const page = await context.openExtensionPage('extension/ui/renew/renew.html');
      await expect.poll(() => page.getByTestId('renew-certificate').locator('option').count(), { timeout: 20_000 }).toBeGreaterThan(1);
      await context.see(page, 'renew');
      await page.getByTestId('renew-pin').fill('000000');
      await page.getByTestId('renew-generate').click();
      // A new key on the token is confirmed first (the dialog in the page, in the user's language).
      await page.getByTestId('renew-confirm-yes').waitFor();
      await context.see(page, 'renew-confirm', { inView: ['renew-confirm-yes'] });
      await page.getByTestId('renew-confirm-yes').click();
      // The error under the button that caused it.
      await page.getByTestId('generate-error').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('generate-error').getAttribute('data-code')).toBe('PIN_INCORRECT');
      await context.see(page, 'renew-wrong-pin', { inView: ['generate-error', 'renew-generate'] });
      await page.close();
    },
  },
  {
    name: 'sign files, cancelled at the PIN',
    browser: 'token',
    async show(context) {
      const page = await context.openExtensionPage('extension/ui/sign-files/sign-files.html');
      const small = join(context.work, 'reteta.xml');
      const large = join(context.work, 'raport.txt');
      const broken = join(context.work, 'stricat.pdf');
      writeFileSync(small, '<?xml version="1.0" encoding="UTF-8"?>\n<Reteta>Paracetamol</Reteta>\n');
      writeFileSync(large, 'Raport lunar\n'.repeat(20_000));
      writeFileSync(broken, 'not a PDF at all');
      const files = ['reteta.xml', 'raport.txt', 'stricat.pdf'];
      await page.getByTestId('file-input').setInputFiles([small, large, broken]);
      await context.see(page, 'sign-files', { data: files });
      // The PIN window opens at once and says it reads the files: held there by holding back, in the page,
      // the hand-over of its files to the service worker until the screen is seen (for this check only).
      // The page is the service worker's client (it took over the page if it started after it): the files go over by hand-over.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });
      await page.evaluate(() => {
        const controller = navigator.serviceWorker.controller!;
        const send = controller.postMessage.bind(controller);
        let held: unknown[] | undefined = [];
        (window as unknown as { releaseHandOver: () => void }).releaseHandOver = () => {
          held?.forEach((message) => send(message));
          held = undefined;
        };
        controller.postMessage = (message: unknown) => (held ? void held.push(message) : send(message));
      });
      const pin = await nextWindow(context, () => page.getByTestId('sign-all').click());
      try {
        await pin.getByTestId('prompt-preparing').waitFor();
        await context.see(pin, 'sign-files-pin-preparing', { size: PIN_WINDOW, inView: ['prompt-preparing'] });
        expect(await pin.getByTestId('pin-input').count()).toBe(0); // no PIN before the files are shown
      } finally {
        await page.evaluate(() => (window as unknown as { releaseHandOver: () => void }).releaseHandOver());
      }
      await pin.getByTestId('pin-input').waitFor();
      // The unreadable PDF is named as one that will not be signed, why in the user's language.
      expect(await pin.locator('tr[data-refused=true]').count()).toBe(1);
      await context.see(pin, 'sign-files-pin', { size: PIN_WINDOW, inView: ['pin-input', 'pin-submit', 'pin-cancel', 'prompt-origin'], data: files });
      await clickClosing(pin, 'pin-cancel');
      await page.getByTestId('sign-files-error').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('sign-files-error').getAttribute('class')).not.toContain('bad'); // cancelling is not an error
      await context.see(page, 'sign-files-cancelled', { data: files });
      await page.close();
    },
  },
  {
    name: 'a PIN window whose request is gone',
    browser: 'token',
    async show(context) {
      // A window left open after its page was closed: the background no longer knows its request.
      const window = await context.openExtensionPage(`extension/ui/prompt/prompt.html?id=${randomUUID()}`);
      await window.getByTestId('prompt-failure').waitFor({ timeout: 20_000 });
      await context.see(window, 'prompt-gone', { size: PIN_WINDOW, inView: ['prompt-failure'] });
      await window.close();
    },
  },
  {
    name: 'consent and the PIN window: 50 documents, a wrong PIN twice',
    browser: 'token',
    async show(context) {
      const site = await openSdkPage(context.browser, `${context.server.origin}/sign.html`);
      const documents = Array.from({ length: 50 }, (_, i) => ({ name: `reteta-${String(i + 1).padStart(2, '0')}.txt`, data: Buffer.from(`Rețeta ${i + 1}\n`).toString('base64') }));
      let outcome: Promise<SdkOutcome> | undefined;
      const consent = await nextWindow(context, async () => {
        outcome = sdkFromClick(site, '(sdk, documents) => sdk.signDocuments(documents)', documents);
      });
      await consent.getByTestId('consent-allow').waitFor();
      await context.see(consent, 'consent', { size: CONSENT_WINDOW, inView: ['prompt-origin', 'consent-allow', 'consent-deny'] });
      await consent.waitForFunction(() => !(document.querySelector('[data-testid=consent-allow]') as HTMLButtonElement).disabled);
      const pin = await nextWindow(context, () => clickClosing(consent, 'consent-allow'));
      await pin.getByTestId('pin-documents').waitFor();
      await pin.setViewportSize(PIN_WINDOW);
      const pinned = ['prompt-origin', 'pin-count', 'pin-input', 'pin-submit', 'pin-cancel'];
      const names = documents.map((d) => d.name);
      await context.see(pin, 'pin-50-documents', { size: PIN_WINDOW, inView: pinned, data: names });
      const fewTriesLeft = await pin.evaluate(() => chrome.i18n.getMessage('pinWrongFewLeft'));
      for (const attempt of [1, 2]) {
        await pin.getByTestId('pin-input').fill('0000');
        await pin.getByTestId('pin-submit').click();
        await pin.locator(`[data-testid=pin-error][data-attempt="${attempt}"]`).waitFor({ timeout: 20_000 });
        await expect.poll(() => pin.getByTestId('pin-submit').isEnabled()).toBe(true); // the answer is in: not busy any more
        expect(await pin.getByTestId('pin-attempt').textContent()).toContain(`${attempt},`); // "(… nr. 2, la 19:06:29)": visibly a new attempt
        const error = (await pin.getByTestId('pin-error').textContent()) ?? '';
        expect(error).toContain(fewTriesLeft); // every time the token says so
        await context.see(pin, `pin-wrong-${attempt}`, { size: PIN_WINDOW, inView: [...pinned, 'pin-error'], data: names });
      }
      await clickClosing(pin, 'pin-cancel');
      expect(await outcome).toMatchObject({ ok: false, code: 'USER_CANCELLED' });
      await site.close();
    },
  },
];

describe.each(['ro', 'ru'] as const)('every screen in %s', (locale) => {
  const browsers = new Map<BrowserKind, ExtensionBrowser>();
  const work = mkdtempSync(join(tmpdir(), 'cas-token-screens-'));
  let server: RunningDemoServer;
  let faulty: FaultyToken;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    faulty = buildFaultyToken(work);
    server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' } });
  });
  afterAll(async () => {
    for (const browser of browsers.values()) await browser.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function browserFor(kind: BrowserKind): Promise<ExtensionBrowser> {
    const existing = browsers.get(kind);
    if (existing) return existing;
    const store = softhsm.provisioned();
    const options: Record<BrowserKind, LaunchOptions> = {
      token: { env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath } },
      'no-host': { installHost: false },
      'no-module': { env: { CAS_TOKEN_MODULES: '/nonexistent/libeTPkcs11.so' } },
      faulty: { env: { ...store.env, ...faulty.env, CAS_TOKEN_MODULES: faulty.modulePath } },
    };
    const browser = await launchExtensionBrowser({ ...options[kind], locale });
    browsers.set(kind, browser);
    return browser;
  }

  it.each(SCREENS.map((screen) => [screen.name, screen] as const))('%s', async (_, screen) => {
    const browser = await browserFor(screen.browser);
    let registration: Page | undefined;
    const context: ScreenContext = {
      locale,
      faulty,
      browser,
      server,
      work,
      async registrationPage() {
        registration ??= await browser.context.newPage();
        if (registration.url() === 'about:blank') await registration.goto(`${server.origin}/registration.html`);
        return registration;
      },
      async openPopup() {
        const popup = await browser.openPopup(await context.registrationPage());
        await popup.setViewportSize(POPUP);
        await popup.waitForFunction(() => document.querySelector('[data-testid=popup-state]')?.getAttribute('data-state') !== 'loading', undefined, { timeout: 20_000 });
        return popup;
      },
      async openExtensionPage(path) {
        const page = await browser.context.newPage();
        await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
        return page;
      },
      async see(page, state, options = {}) {
        if (options.size) await page.setViewportSize(options.size);
        expect(englishIn(await visibleTexts(page), locale, [...DATA, ...(options.data ?? [])]), `English on ${state} (${locale})`).toEqual([]);
        expect(await wideElements(page), `sticking out sideways on ${state} (${locale})`).toEqual([]);
        for (const testId of options.inView ?? []) expect(await inView(page.getByTestId(testId).first()), `${testId} in view on ${state} (${locale})`).toBe(true);
        await page.screenshot({ path: join(SCREENSHOTS, `scan-${state}-${locale}.png`) });
      },
    };
    try {
      await screen.show(context);
    } finally {
      await registration?.close();
    }
  });
});
