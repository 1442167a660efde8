/**
 * The popup as a Romanian or Russian user sees it, in real Chromium started in that language, at the
 * popup's width (400 px; Chromium shows a popup at most 600 px high), with the real host and a SoftHSM2
 * token behind the fault-injecting module (so the token can be pulled out and plugged in):
 *  - the certificate: holder, a visible "qualified" badge, serial, issuer, validity, e-mail; the other
 *    forms and fingerprints folded under "Technical details"; no sideways scroll, open or folded;
 *    values wrap at their separators, not inside a word; no English;
 *  - after "Fill form": the result (how many fields, in the language's plural, which) at the top, in
 *    view without scrolling;
 *  - "No token": the token plugged in while the popup is open shows up by itself;
 *  - the footer: help link, version, "Report a problem" copies the facts (no PIN) and says so.
 * Screenshots in .tmp/screenshots.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC } from '../../scripts/softhsm/provision.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchExtensionBrowser } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { buildFaultyToken } from '../support/faulty-token.js';
import type { FaultyToken } from '../support/faulty-token.js';
import { useSoftHsm } from '../support/softhsm.js';
import { englishIn, inView, scrollsSideways, visibleTexts, wideElements } from '../support/visible-language.js';

const softhsm = useSoftHsm([DEMO_TOKEN_SPEC]);
const SCREENSHOTS = join('.tmp', 'screenshots');
const POPUP = { width: 400, height: 600 };
const HOLDER = 'Ștefan Ionescu-Mărășești';
const manifestVersion = (JSON.parse(readFileSync('manifest.json', 'utf8')) as { version: string }).version;

/** Words the certificate itself holds (the user's data, not our text). */
const CERTIFICATE_DATA = [HOLDER, 'DEMO CERTSIGN QUALIFIED CA'];

const EXPECTED = {
  ro: { filled: 'Au fost completate 5 câmpuri:', technical: 'Detalii tehnice', badge: 'calificat', report: 'Raportează o problemă' },
  ru: { filled: 'Заполнено 5 полей:', technical: 'Технические подробности', badge: 'квалифицированный', report: 'Сообщить о проблеме' },
} as const;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe.each(['ro', 'ru'] as const)('the popup in %s', (locale) => {
  const expected = EXPECTED[locale];
  const work = mkdtempSync(join(tmpdir(), 'cas-token-popup-e2e-'));
  let token: FaultyToken;
  let server: RunningDemoServer;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const store = softhsm.provisioned();
    token = buildFaultyToken(work);
    server = await startDemoServer({ mounts: { '/': 'demo/site' } });
    browser = await launchExtensionBrowser({ env: { ...store.env, ...token.env, CAS_TOKEN_MODULES: token.modulePath }, locale });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function openPopupFor(page: Page): Promise<Page> {
    const popup = await browser.openPopup(page);
    await popup.setViewportSize(POPUP);
    await popup.waitForFunction(() => document.querySelector('[data-testid=popup-state]')?.getAttribute('data-state') !== 'loading', undefined, { timeout: 20_000 });
    return popup;
  }

  it('shows the certificate first, with its badge, the technical forms folded, in the language, nothing off to the side', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/registration.html`);
    const popup = await openPopupFor(page);
    expect(await popup.getByTestId('popup-state').getAttribute('data-state')).toBe('ready');

    const badge = popup.getByTestId('qualified-badge');
    expect(await badge.textContent()).toBe(expected.badge);
    expect(await inView(badge)).toBe(true);
    for (const testId of ['certificate-select', 'fill-form', 'detail-holder', 'detail-serial', 'detail-issuer', 'detail-valid-from', 'detail-valid-to', 'detail-email']) {
      expect(await popup.getByTestId(testId).isVisible(), testId).toBe(true);
    }
    // Folded: the other forms are there, not shown until asked for.
    expect(await popup.getByTestId('technical-details').locator('summary').textContent()).toBe(expected.technical);
    for (const testId of ['detail-serial-windows', 'detail-serial-decimal', 'detail-issuer-rfc4514', 'detail-fingerprint-sha256']) {
      expect(await popup.getByTestId(testId).isVisible(), testId).toBe(false);
    }
    expect(await wideElements(popup)).toEqual([]);
    expect(await scrollsSideways(popup)).toBe(false);
    expect(englishIn(await visibleTexts(popup), locale, CERTIFICATE_DATA)).toEqual([]);
    await shot(popup, `popup-ready-${locale}`);

    // The issuer wraps between its parts ("…, O=…") or words, never inside a word: every line break
    // falls right after a space or "=" (Range rects: one per line box of the text).
    const issuer = popup.getByTestId('detail-issuer');
    const lineStarts = await issuer.evaluate((dd) => {
      const text = dd.textContent ?? '';
      const starts: number[] = [];
      let lastTop = -1;
      const walker = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
      let offset = 0;
      while (walker.nextNode()) {
        const node = walker.currentNode as Text;
        for (let i = 0; i < node.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getClientRects()[0];
          if (rect && rect.width > 0 && Math.round(rect.top) > lastTop + 2) {
            if (lastTop >= 0) starts.push(offset + i);
            lastTop = Math.round(rect.top);
          }
        }
        offset += node.length;
      }
      return starts.map((at) => text.slice(Math.max(0, at - 2), at));
    });
    expect(lineStarts.length).toBeGreaterThan(0); // the issuer is longer than one line at this width
    for (const before of lineStarts) expect(before, `a line break after "${before}"`).toMatch(/[\s=]$/);

    await popup.getByTestId('technical-details').locator('summary').click();
    expect(await popup.getByTestId('detail-fingerprint-sha256').isVisible()).toBe(true);
    expect(await wideElements(popup)).toEqual([]);
    expect(await scrollsSideways(popup)).toBe(false);
    expect(englishIn(await visibleTexts(popup), locale, CERTIFICATE_DATA)).toEqual([]);
    await shot(popup, `popup-technical-${locale}`);
    await popup.close();
    await page.close();
  });

  it('after "Fill form" says at the top, in view, how many fields it filled and which', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/registration.html`);
    const popup = await openPopupFor(page);
    await popup.getByTestId('technical-details').locator('summary').click(); // a long popup: the result must still be seen
    await popup.getByTestId('fill-form').click();
    const result = popup.getByTestId('fill-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.locator('p').first().textContent()).toBe(expected.filled);
    expect(await result.locator('li').count()).toBe(5);
    expect(await popup.evaluate(() => window.scrollY)).toBe(0);
    expect(await inView(result)).toBe(true);
    expect(await wideElements(popup)).toEqual([]);
    expect(await scrollsSideways(popup)).toBe(false);
    expect(englishIn(await visibleTexts(popup), locale, [...CERTIFICATE_DATA, 'Serie certificat', 'Emitent certificat'])).toEqual([]);
    await shot(popup, `popup-filled-${locale}`);
    await popup.close();
    await page.close();
  });

  it('"No token" sees the token plugged in while the popup is open, with no click', async () => {
    token.pullOut();
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/registration.html`);
    const popup = await openPopupFor(page);
    try {
      expect(await popup.getByTestId('popup-state').getAttribute('data-state')).toBe('no-token');
      expect(await popup.getByTestId('no-token-watching').isVisible()).toBe(true);
      expect(await wideElements(popup)).toEqual([]);
      expect(await scrollsSideways(popup)).toBe(false);
      expect(englishIn(await visibleTexts(popup), locale)).toEqual([]);
      await shot(popup, `popup-no-token-${locale}`);
    } finally {
      token.putBack();
    }
    await popup.locator('[data-testid=popup-state][data-state=ready]').waitFor({ timeout: 20_000 });
    expect(await popup.getByTestId('detail-holder').textContent()).toBe(HOLDER);
    await popup.close();
    await page.close();
  });

  it('the footer: the version, and "Report a problem" copies the facts for support and says so', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/registration.html`);
    const popup = await openPopupFor(page);
    expect(await popup.getByTestId('popup-version').textContent()).toContain(manifestVersion);
    const report = popup.getByTestId('report-problem');
    expect(await report.textContent()).toBe(expected.report);
    await report.click();
    await popup.getByTestId('report-result').waitFor();
    expect(await popup.getByTestId('report-result').getAttribute('class')).toContain('good');
    // What the user pastes into a message: Ctrl+V into a text box on a page.
    const message = await browser.context.newPage();
    await message.setContent('<textarea id="message" rows="20" cols="120"></textarea>');
    await message.locator('#message').focus();
    await message.keyboard.press('Control+V');
    const copied = await message.locator('#message').inputValue();
    await message.close();
    expect(copied).toContain(`cas-token extension ${manifestVersion}`);
    expect(copied).toMatch(/host: \d+\.\d+\.\d+/);
    expect(copied).toContain(`token: "${DEMO_TOKEN_SPEC.label}"`);
    expect(copied).toContain('PIN usable');
    expect(copied).not.toMatch(new RegExp(`PIN\\D*${DEMO_TOKEN_SPEC.pin}`));
    expect(copied).not.toContain(HOLDER); // nothing from the certificates
    await expect.poll(() => inView(popup.getByTestId('report-result'))).toBe(true);
    expect(englishIn(await visibleTexts(popup), locale, CERTIFICATE_DATA)).toEqual([]);
    await shot(popup, `popup-report-${locale}`);
    await popup.close();
    await page.close();
  });
});
