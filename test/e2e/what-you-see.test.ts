/**
 * What you see is what you sign: the attacks a hostile (but allowed) page could make, run against the
 * built extension in real Chromium with the real host and a SoftHSM2 token, and what stops each one.
 *
 * - bare digests need a permission of their own (denied → DIGEST_SIGNING_NOT_ALLOWED, no window again);
 *   an authentication key does not sign unless the site asked for authentication;
 * - a document is shown by its content: a PDF named `Reteta_\u202Efdp.xml` shows as a PDF, its first
 *   page drawn by the extension's pdf.js, its SHA-256, the name cleaned; 195 no-break spaces collapse;
 *   a 100-document batch keeps the site, the certificate, the count and the PIN field in view;
 * - a stray Enter does not give consent (tested in page-sdk-signing); a page that asks without a user
 *   gesture gets no consent window;
 * - 5,000 sign calls from one tab give one window and 4,999 immediate REQUEST_PENDING answers; a
 *   closed consent window is not reopened at once; consent windows leave with the page that asked.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC } from '../../scripts/softhsm/provision.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchExtensionBrowser, openSdkPage } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { useSoftHsm } from '../support/softhsm.js';
import { sdkFromClick } from '../support/sdk-from-click.js';
import { clickClosing } from '../support/closing-window.js';

const PIN = '582046';
const softhsm = useSoftHsm([{ ...DEMO_TOKEN_SPEC, pin: PIN }]);
const SCREENSHOTS = join('.tmp', 'screenshots');
let servers: RunningDemoServer[] = [];
let browser: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  const store = softhsm.provisioned();
  for (let i = 0; i < 3; i++) servers.push(await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' } }));
  browser = await launchExtensionBrowser({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath } });
  page = await openSdkPage(browser, `${servers[0]!.origin}/sign.html`);
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

function nextWindow(): Promise<Page> {
  return browser.context.waitForEvent('page', { timeout: 20_000 });
}

const fromClick = sdkFromClick;

/** Counts the extension windows that open while `work` runs. */
async function windowsOpenedDuring<T>(work: () => Promise<T>): Promise<{ result: T; opened: number }> {
  let opened = 0;
  const onPage = (): void => void (opened += 1);
  browser.context.on('page', onPage);
  try {
    const result = await work();
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { result, opened };
  } finally {
    browser.context.off('page', onPage);
  }
}

async function allowSite(target: Page, origin: string): Promise<void> {
  const consentWindow = nextWindow();
  const asked = fromClick(target, '(sdk) => sdk.getCertificates()');
  const consent = await consentWindow;
  expect(await consent.getByTestId('prompt-origin').textContent()).toBe(origin);
  await clickClosing(consent, 'consent-allow');
  expect((await asked).ok).toBe(true);
}

/** A PDF whose first page says `text` in large letters. */
async function pdfSaying(text: string): Promise<string> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.HelveticaBold);
  pdf.addPage([595, 842]).drawText(text, { x: 40, y: 700, size: 28, font });
  return Buffer.from(await pdf.save()).toString('base64');
}

/** True when the element is entirely inside the window's viewport. */
async function inViewport(prompt: Page, testId: string): Promise<boolean> {
  return prompt
    .getByTestId(testId)
    .first()
    .evaluate((element) => {
      const box = element.getBoundingClientRect();
      return box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth && box.height > 0;
    });
}

describe('what you see is what you sign (attacks from an allowed page)', () => {
  it('a page without a user gesture gets no consent window', async () => {
    const other = await browser.context.newPage();
    const origin = servers[1]!.origin;
    const { result, opened } = await windowsOpenedDuring(async () => {
      await other.goto(`${origin}/sign.html`);
      await other.locator('#status.ok').waitFor({ timeout: 15_000 });
      // A script running at load, long after any click: no transient user activation.
      return other.evaluate(
        () =>
          new Promise<string>((resolve) =>
            setTimeout(() => {
              const sdk = (window as unknown as { CasToken: { getCertificates(): Promise<unknown> } }).CasToken;
              sdk.getCertificates().then(
                () => resolve('ok'),
                (error: { code: string }) => resolve(error.code),
              );
            }, 6000),
          ),
      );
    });
    expect(result).toBe('ORIGIN_NOT_ALLOWED');
    expect(opened).toBe(0);
    await other.close();
  });

  it('bare digests need their own permission: refused, the site gets DIGEST_SIGNING_NOT_ALLOWED and no window ever again', async () => {
    await allowSite(page, servers[0]!.origin);
    const digestConsentWindow = nextWindow();
    const contractDigest = createHash('sha256').update('Contract de credit: 250.000 lei').digest('base64');
    const asked = fromClick(page, '(sdk, hash) => sdk.sign({ hash, hashAlgorithm: "SHA-256" })', contractDigest);
    const digestConsent = await digestConsentWindow;
    await digestConsent.getByTestId('consent-digests-warning').waitFor();
    await clickClosing(digestConsent, 'consent-deny');
    expect(await asked).toMatchObject({ ok: false, code: 'DIGEST_SIGNING_NOT_ALLOWED' });
    const again = await windowsOpenedDuring(() => fromClick(page, '(sdk, hash) => sdk.signHashes({ hashes: [hash, hash, hash, hash, hash, hash], hashAlgorithm: "SHA-256" })', contractDigest));
    expect(again.result).toMatchObject({ ok: false, code: 'DIGEST_SIGNING_NOT_ALLOWED' });
    expect(again.opened).toBe(0);
    // The options page shows both decisions for the site, revocable.
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/extension/ui/options/options.html`);
    const row = options.locator(`[data-testid=origin-row][data-origin="${servers[0]!.origin}"]`);
    await row.waitFor();
    expect(await row.getByTestId('digest-decision').textContent()).toBe(await options.evaluate(() => chrome.i18n.getMessage('denied')));
    await options.close();
  });

  it('an authentication key does not sign a document for a page (it signs only when a site asks for authentication: concurrent-signing)', async () => {
    const certificates = (await fromClick(page, '(sdk) => sdk.getCertificates()')) as { ok: true; value: { details: { serialNumber: string; keyUsage: string[] } }[] };
    const authentication = certificates.value.find((c) => !c.details.keyUsage.includes('nonRepudiation'))!;
    const { result, opened } = await windowsOpenedDuring(() =>
      fromClick(page, '(sdk, certificate) => sdk.signDocument({ name: "factura.txt", data: btoa("factura 12"), certificate })', authentication.details.serialNumber),
    );
    expect(result).toMatchObject({ ok: false, code: 'CERTIFICATE_NOT_SUITABLE' });
    expect(opened).toBe(0);
  });

  it('a loan contract named "Reteta_\\u202Efdp.xml" is shown as what it is: a PDF, its first page drawn, its SHA-256, the name cleaned', async () => {
    const contract = await pdfSaying('CONTRACT DE CREDIT 250.000 LEI');
    const name = 'Reteta_\u202Efdp.xml';
    const pinWindow = nextWindow();
    const signing = fromClick(page, '(sdk, document) => sdk.signDocument(document)', { name, data: contract, format: 'cades' });
    const pin = await pinWindow;
    await pin.setViewportSize({ width: 560, height: 760 });
    const shownName = pin.getByTestId('pin-document-name');
    await shownName.waitFor();
    expect(await shownName.textContent()).toBe('Reteta_fdp.xml');
    expect(await pin.getByTestId('pin-documents').textContent()).toContain('PDF');
    expect(await pin.getByTestId('pin-document-sha256').textContent()).toBe(`SHA-256 ${createHash('sha256').update(Buffer.from(contract, 'base64')).digest('hex')}`);
    // The first page, drawn by the extension's pdf.js: dark text pixels on the canvas.
    await pin.locator('[data-testid=pin-preview][data-state=pdf]').waitFor({ timeout: 20_000 });
    const inked = await pin.getByTestId('pin-preview-page').evaluate((canvas: HTMLCanvasElement) => {
      const context = canvas.getContext('2d')!;
      const { data } = context.getImageData(0, 0, canvas.width, Math.floor(canvas.height / 4));
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 100 && data[i + 3]! > 200) dark += 1;
      return dark;
    });
    expect(inked).toBeGreaterThan(200);
    await pin.screenshot({ path: join(SCREENSHOTS, 'pin-window-misnamed-pdf.png') });
    await clickClosing(pin, 'pin-cancel');
    expect(await signing).toMatchObject({ ok: false, code: 'USER_CANCELLED' });
  });

  it('195 no-break spaces and zero-width characters collapse; a 100-document batch keeps site, certificate, count and PIN in view', async () => {
    const documents = Array.from({ length: 100 }, (_, i) => ({ name: `factura-${i + 1}.txt`, data: Buffer.from(`Factura ${i + 1}`).toString('base64') }));
    documents[0] = { name: `Reteta.txt${'\u00a0'.repeat(195)}\u200b.exe`, data: Buffer.from('MZ binary').toString('base64') };
    const pinWindow = nextWindow();
    const signing = fromClick(page, '(sdk, documents) => sdk.signDocuments(documents)', documents);
    const pin = await pinWindow;
    await pin.setViewportSize({ width: 560, height: 760 }); // the size the extension opens the PIN window at
    await pin.getByTestId('pin-input').waitFor();
    expect(await pin.getByTestId('pin-document-name').first().textContent()).toBe('Reteta.txt .exe');
    expect(await pin.getByTestId('pin-count').textContent()).toContain('100');
    expect(await pin.getByTestId('pin-documents').locator('tr').count()).toBe(100);
    for (const testId of ['prompt-origin', 'pin-count', 'pin-input', 'pin-submit', 'pin-cancel']) expect(await inViewport(pin, testId), testId).toBe(true);
    // Focus and scrolling the list move neither the header nor the PIN.
    await pin.getByTestId('pin-input').focus();
    await pin.getByTestId('pin-document-name').last().scrollIntoViewIfNeeded();
    for (const testId of ['prompt-origin', 'pin-count', 'pin-input']) expect(await inViewport(pin, testId), testId).toBe(true);
    expect(await pin.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
    await pin.screenshot({ path: join(SCREENSHOTS, 'pin-window-100-documents.png') });
    await clickClosing(pin, 'pin-cancel');
    expect(await signing).toMatchObject({ ok: false, code: 'USER_CANCELLED' });
  });

  it('5,000 sign calls at once: one window, the other 4,999 answered REQUEST_PENDING at once', async () => {
    const pinWindow = nextWindow();
    // A hostile page posts straight to the bridge (no SDK, no waiting for acknowledgements).
    const flood = fromClick(
      page,
      `() => new Promise((resolve) => {
        const answers = new Map();
        const early = [];
        window.addEventListener('message', (event) => {
          const m = event.data;
          if (!m || m.casToken !== 'result' || !String(m.id).startsWith('flood-')) return;
          answers.set(m.id, m.ok ? 'ok' : m.error.code);
          if (m.id !== 'flood-0') early.push(m.error.code);
          if (early.length === 4999) window.flooded = early;
          if (answers.size === 5000) resolve(answers.get('flood-0'));
        });
        for (let i = 0; i < 5000; i++) {
          window.postMessage({ casToken: 'request', protocol: 1, id: 'flood-' + i, action: 'signDocument', params: { document: { name: 'f' + i + '.txt', data: btoa('f' + i) } } }, location.origin);
        }
      })`,
    );
    const pin = await pinWindow;
    await pin.getByTestId('pin-input').waitFor();
    await page.waitForFunction(() => (window as unknown as { flooded?: string[] }).flooded !== undefined, undefined, { timeout: 60_000 });
    const early = await page.evaluate(() => (window as unknown as { flooded: string[] }).flooded);
    expect(early).toHaveLength(4999);
    expect(new Set(early)).toEqual(new Set(['REQUEST_PENDING']));
    expect(browser.context.pages().filter((p) => p.url().includes('prompt.html'))).toHaveLength(1);
    await clickClosing(pin, 'pin-cancel');
    expect(await flood).toEqual({ ok: true, value: 'USER_CANCELLED' });
  });

  it('a consent window the user closes is not reopened at once, and consent windows leave with the page that asked', async () => {
    const hopper = await browser.context.newPage();
    const origins = servers.flatMap((server) => [server.origin, server.origin.replace('localhost', '127.0.0.1')]).slice(1);
    // A tab hopping through origins, each asking on a click: every consent window leaves with its page.
    for (const origin of origins) {
      await hopper.goto(`${origin}/sign.html`);
      await hopper.locator('#status.ok').waitFor({ timeout: 15_000 });
      const consentWindow = nextWindow();
      void fromClick(hopper, '(sdk) => sdk.getCertificates()').catch(() => undefined);
      const consent = await consentWindow;
      expect(await consent.getByTestId('prompt-origin').textContent()).toBe(origin);
    }
    const closed = hopper.close();
    await closed;
    await expect.poll(() => browser.context.pages().filter((p) => p.url().includes('prompt.html')).length, { timeout: 10_000 }).toBe(0);
    const stored = await browser.worker.evaluate(async () => Object.keys(((await chrome.storage.local.get('originDecisions')).originDecisions ?? {}) as object));
    for (const origin of origins) expect(stored).not.toContain(origin);

    // Closed by the user: asked again at once, answered without a window.
    const origin = origins[0]!;
    const asker = await openSdkPage(browser, `${origin}/sign.html`);
    const consentWindow = nextWindow();
    const first = fromClick(asker, '(sdk) => sdk.getCertificates()');
    const consent = await consentWindow;
    await consent.close();
    expect(await first).toMatchObject({ ok: false, code: 'USER_CANCELLED' });
    const again = await windowsOpenedDuring(() => fromClick(asker, '(sdk) => sdk.getCertificates()'));
    expect(again.result).toMatchObject({ ok: false, code: 'USER_CANCELLED', message: expect.stringMatching(/will not open again for \d+ s/) });
    expect(again.opened).toBe(0);
    await asker.close();
  });
});
