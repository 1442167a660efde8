/**
 * "Sign with token" from a web page in real Chromium: the page SDK (dist/sdk) on the demo CAS site, the
 * consent window, the PIN window (a password field, Enter), the signature checked on the site's server
 * side by OpenSSL / pdfsig / xmlsec1; a denied origin gets ORIGIN_NOT_ALLOWED without any window; a
 * wrong PIN shows the attempts left; cancel gives USER_CANCELLED; a batch of 20 PDFs under one PIN.
 * The PIN is distinctive so the test can prove it shows up nowhere a page or storage could see.
 */
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC } from '../../scripts/softhsm/provision.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { signatureCheckRoute } from '../../scripts/demo/signature-check-route.js';
import { launchExtensionBrowser, openSdkPage } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { useSoftHsm } from '../support/softhsm.js';
import { clickClosing, inClosingWindow } from '../support/closing-window.js';

const PIN = '739158';
const softhsm = useSoftHsm([{ ...DEMO_TOKEN_SPEC, pin: PIN }]);
let server: RunningDemoServer;
let browser: ExtensionBrowser;
let page: Page;
const pageMessages: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'cas-token-sdk-'));
const hostLog = join(work, 'host.log');

beforeAll(async () => {
  const store = softhsm.provisioned();
  server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' }, routes: [signatureCheckRoute(store.caCertificatePath)] });
  browser = await launchExtensionBrowser({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath, CAS_TOKEN_LOG_FILE: hostLog } });
  page = await openSdkPage(browser, `${server.origin}/sign.html`, pageMessages);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The next window the extension opens (consent or PIN). */
function nextWindow(): Promise<Page> {
  return browser.context.waitForEvent('page', { timeout: 20_000 });
}

async function typePin(prompt: Page, pin: string): Promise<void> {
  const field = prompt.getByTestId('pin-input');
  await field.waitFor();
  // Bare digests with the qualified key, allowed by the user: the box that says they know what they do.
  if (await prompt.getByTestId('pin-confirm').isVisible()) await prompt.getByTestId('pin-confirm').check();
  await prompt.locator('[data-testid=pin-submit]:not([disabled])').waitFor();
  await field.fill(pin);
  await inClosingWindow(prompt, () => field.press('Enter'));
}

async function lastHashResult(): Promise<{ signed?: { signature: string; certificate: string }; verdict?: { valid: boolean; tool: string }; error?: { code: string; attemptsLeft?: number } }> {
  await page.waitForFunction(() => (window as unknown as { lastHashResult?: unknown }).lastHashResult !== undefined, undefined, { timeout: 30_000 });
  const result = await page.evaluate(() => (window as unknown as { lastHashResult: unknown }).lastHashResult);
  await page.evaluate(() => delete (window as unknown as { lastHashResult?: unknown }).lastHashResult);
  return result as never;
}

describe('page SDK signing', () => {
  it('asks consent once (a stray Enter does not give it), then the digest consent with its warning, then the PIN; the site verifies the hash signature with OpenSSL', async () => {
    const consentWindow = nextWindow();
    await page.click('#sign-hash');
    const consent = await consentWindow;
    await consent.getByTestId('consent-allow').waitFor();
    expect(await consent.getByTestId('prompt-origin').textContent()).toBe(server.origin);
    // No default button; Enter and Space 50 ms after the window shows, and again later, land nowhere.
    expect(await consent.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null)).toBeNull();
    await consent.waitForTimeout(50);
    await consent.keyboard.press('Enter');
    await consent.keyboard.press('Space');
    await consent.waitForTimeout(1500);
    await consent.keyboard.press('Tab');
    await consent.keyboard.press('Enter');
    await consent.waitForTimeout(300);
    expect(consent.isClosed()).toBe(false);
    expect(await browser.worker.evaluate(async () => JSON.stringify(await chrome.storage.local.get('originDecisions')))).not.toContain('localhost');
    const digestConsentWindow = nextWindow();
    await clickClosing(consent, 'consent-allow');
    // Bare digests: a consent of its own, with the plain warning that the content cannot be shown.
    const digestConsent = await digestConsentWindow;
    await digestConsent.getByTestId('consent-digests-warning').waitFor();
    expect(await digestConsent.getByTestId('prompt-origin').textContent()).toBe(server.origin);
    const pinWindow = nextWindow();
    await clickClosing(digestConsent, 'consent-allow');
    const pin = await pinWindow;
    await pin.getByTestId('pin-digests').waitFor();
    expect(await pin.getByTestId('prompt-origin').textContent()).toBe(server.origin);
    expect(await pin.getByTestId('pin-digests').locator('li').allTextContents()).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(await pin.getByTestId('pin-digests-warning').isVisible()).toBe(true);
    // The qualified key and a permission the user gave: Sign waits for the box to be ticked.
    await pin.getByTestId('pin-input').fill(PIN);
    await pin.waitForTimeout(1200);
    expect(await pin.getByTestId('pin-submit').isDisabled()).toBe(true);
    await typePin(pin, PIN);
    const result = await lastHashResult();
    expect(result.verdict).toEqual(expect.objectContaining({ valid: true, tool: 'openssl pkeyutl' }));
  });

  it('shows the attempts left after a wrong PIN, and cancel gives USER_CANCELLED', async () => {
    const pinWindow = nextWindow();
    await page.click('#sign-hash');
    const pin = await pinWindow;
    await typePin(pin, '000000');
    const error = pin.getByTestId('pin-error');
    await error.waitFor({ timeout: 20_000 });
    expect((await error.textContent())!.length).toBeGreaterThan(5);
    await clickClosing(pin, 'pin-cancel');
    const result = await lastHashResult();
    expect(result.error?.code).toBe('USER_CANCELLED');
  });

  it('signs the report PDF from a declarative button; pdfsig on the site says the signature is valid', async () => {
    const pinWindow = nextWindow();
    await page.click('#sign-report');
    const pin = await pinWindow;
    await pin.getByTestId('pin-documents').waitFor();
    expect(await pin.getByTestId('pin-documents').textContent()).toContain('raport-lunar.pdf');
    await typePin(pin, PIN);
    await page.locator('#report-result.ok, #report-result.bad').waitFor({ timeout: 30_000 });
    expect(await page.locator('#report-result').textContent()).toMatch(/raport-lunar-signed\.pdf: semnătură validă \(pdfsig\)/);
  });

  it('signs a batch of 20 PDFs plus XML and another file under one PIN, with progress; each verifies', async () => {
    const documents: { name: string; data: string }[] = [];
    for (let i = 1; i <= 20; i++) {
      const pdf = await PDFDocument.create();
      pdf.addPage().drawText(`Factura ${i}`, { font: await pdf.embedFont(StandardFonts.Helvetica) });
      documents.push({ name: `factura-${i}.pdf`, data: Buffer.from(await pdf.save()).toString('base64') });
    }
    documents.push({ name: 'reteta.xml', data: readFileSync('demo/site/documents/reteta.xml').toString('base64') });
    documents.push({ name: 'decont.csv', data: Buffer.from('cod;valoare\nA1;10\n').toString('base64') });
    const pinWindow = nextWindow();
    const run = page.evaluate(async (docs) => {
      const sdk = (window as unknown as { CasToken: typeof import('../../extension/sdk/index.js') }).CasToken;
      const progress: number[] = [];
      const items = await sdk.signDocuments(
        docs.map((d) => ({ name: d.name, data: d.data })),
        { onProgress: (p) => progress.push(p.done) },
      );
      const b64 = (bytes: Uint8Array): string => {
        let s = '';
        for (const b of bytes) s += String.fromCharCode(b);
        return btoa(s);
      };
      return {
        progress,
        items: items.map((i) => (i.ok ? { ok: true, name: i.name, signedName: i.signedName, format: i.format, data: b64(i.data) } : { ok: false, name: i.name, code: i.error.code })),
      };
    }, documents);
    const pin = await pinWindow;
    await pin.getByTestId('pin-documents').waitFor();
    expect(await pin.getByTestId('pin-documents').locator('tr').count()).toBe(22);
    await typePin(pin, PIN);
    const { progress, items } = await run;
    expect(progress.length).toBeGreaterThan(1);
    expect(Math.max(...progress)).toBe(22);
    expect(items.filter((i) => i.ok)).toHaveLength(22);
    const ca = softhsm.provisioned().caCertificatePath;
    for (const item of items as { name: string; signedName: string; format: string; data: string }[]) {
      const file = join(work, item.signedName);
      writeFileSync(file, Buffer.from(item.data, 'base64'));
      if (item.format === 'pades') {
        const pdfsig = spawnSync('pdfsig', [file], { encoding: 'utf8' });
        expect(pdfsig.stdout + pdfsig.stderr).toMatch(/Signature Validation: Signature is Valid\./);
      } else if (item.format === 'xades') {
        expect(spawnSync('xmlsec1', ['--verify', '--trusted-pem', ca, '--id-attr:Id', 'SignedProperties', file], { encoding: 'utf8' }).stderr).toMatch(/^OK/m);
      } else {
        const content = join(work, item.name);
        writeFileSync(content, 'cod;valoare\nA1;10\n');
        expect(spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', file, '-content', content, '-CAfile', ca, '-out', '/dev/null'], { encoding: 'utf8' }).stderr).toMatch(
          /Verification successful/,
        );
      }
    }
  });

  it('signs 1,000 hashes under one PIN with signHashes: the window counts them and shows the first; each verifies', async () => {
    const texts = Array.from({ length: 1000 }, (_, i) => `Reteta ${i + 1}: Amoxicilina 500 mg`);
    const pinWindow = nextWindow();
    const run = page.evaluate(async (texts) => {
      const sdk = (window as unknown as { CasToken: typeof import('../../extension/sdk/index.js') }).CasToken;
      const hashes = await Promise.all(texts.map(async (text) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))));
      const progress: number[] = [];
      const description = 'Rețete\u202E lunare\u00a0\u00a0\u00a0 <img src=x onerror=alert(1)>';
      const signed = await sdk.signHashes({ hashes, hashAlgorithm: 'SHA-256', description, onProgress: (p) => progress.push(p.done) });
      return { progress, signed };
    }, texts);
    const pin = await pinWindow;
    const shown = pin.getByTestId('pin-digests');
    await shown.waitFor();
    // Every digest is listed (the user can scroll through all of them), in the order they are signed.
    expect(await shown.locator('li').allTextContents()).toEqual(texts.map((text) => createHash('sha256').update(text).digest('hex')));
    // The count as the user's language writes numbers ("1,000" in English, "1.000" in Romanian).
    const language = await pin.evaluate(() => chrome.i18n.getMessage('localeCode'));
    expect(await pin.getByTestId('pin-count').textContent()).toContain(new Intl.NumberFormat(language).format(1000));
    // What the site says, cleaned (no bidi override, spaces collapsed) and shown as text, never as HTML.
    expect(await pin.getByTestId('pin-site-says').textContent()).toMatch(/Rețete lunare <img src=x onerror=alert\(1\)>$/);
    expect(await pin.getByTestId('pin-site-says').locator('img').count()).toBe(0);
    await typePin(pin, PIN);
    const { progress, signed } = await run;
    expect(progress.length).toBeGreaterThan(1);
    expect(Math.max(...progress)).toBe(1000);
    expect(signed.signatures).toHaveLength(1000);
    const certificate = new X509Certificate(Buffer.from(signed.certificate, 'base64'));
    expect(signed.signatures.every((signature, i) => verify('sha256', Buffer.from(texts[i]!), certificate.publicKey, Buffer.from(signature, 'base64')))).toBe(true);
    // One wrong signature would be caught: the first one does not verify the second document.
    expect(verify('sha256', Buffer.from(texts[1]!), certificate.publicKey, Buffer.from(signed.signatures[0]!, 'base64'))).toBe(false);
  });

  it('certifies a PDF when the page asks (DocMDP 2): the PIN window says so, pdfsig says valid; a locked PDF gets DOCUMENT_LOCKED without a PIN window', async () => {
    const pdf = await PDFDocument.create();
    pdf.addPage().drawText('Contract de furnizare', { font: await pdf.embedFont(StandardFonts.Helvetica) });
    const original = Buffer.from(await pdf.save()).toString('base64');
    const signWith = (certify: 1 | 2, data: string) =>
      page.evaluate(
        async ({ certify, data }) => {
          const sdk = (window as unknown as { CasToken: typeof import('../../extension/sdk/index.js') }).CasToken;
          try {
            const signed = await sdk.signDocument({ data, name: 'contract.pdf', certify });
            let s = '';
            for (const b of signed.data) s += String.fromCharCode(b);
            return { ok: true as const, data: btoa(s) };
          } catch (error) {
            return { ok: false as const, code: (error as { code: string }).code };
          }
        },
        { certify, data },
      );
    let pinWindow = nextWindow();
    let run = signWith(2, original);
    let pin = await pinWindow;
    await pin.getByTestId('pin-certify').waitFor();
    expect((await pin.getByTestId('pin-certify').textContent())!.length).toBeGreaterThan(10);
    await typePin(pin, PIN);
    const certified = await run;
    expect(certified.ok).toBe(true);
    const file = join(work, 'contract-certified.pdf');
    writeFileSync(file, Buffer.from((certified as { data: string }).data, 'base64'));
    expect(spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout).toMatch(/Signature Validation: Signature is Valid\./);
    expect(Buffer.from((certified as { data: string }).data, 'base64').toString('latin1')).toMatch(/\/TransformMethod \/DocMDP \/TransformParams << \/Type \/TransformParams \/P 2/);

    pinWindow = nextWindow();
    run = signWith(1, original);
    pin = await pinWindow;
    await typePin(pin, PIN);
    const locked = await run;
    // Certified against changes: refused before any PIN is asked for it.
    let opened = false;
    const onPage = (): void => void (opened = true);
    browser.context.on('page', onPage);
    expect(await signWith(2, (locked as { data: string }).data)).toEqual({ ok: false, code: 'DOCUMENT_LOCKED' });
    browser.context.off('page', onPage);
    expect(opened).toBe(false);
  });

  it('draws a visible signature box when the page asks (the same appearance as everywhere); a box off the page gets SIGNATURE_PLACEMENT_INVALID without a PIN window', async () => {
    const pdf = await PDFDocument.create();
    pdf.addPage().drawText('Decont servicii', { font: await pdf.embedFont(StandardFonts.Helvetica), x: 50, y: 700 });
    pdf.addPage();
    const original = Buffer.from(await pdf.save()).toString('base64');
    const signWith = (visible: object) =>
      page.evaluate(
        async ({ visible, data }) => {
          const sdk = (window as unknown as { CasToken: typeof import('../../extension/sdk/index.js') }).CasToken;
          try {
            const signed = await sdk.signDocument({ data, name: 'decont.pdf', visible: visible as never });
            let s = '';
            for (const b of signed.data) s += String.fromCharCode(b);
            return { ok: true as const, data: btoa(s) };
          } catch (error) {
            return { ok: false as const, code: (error as { code: string }).code };
          }
        },
        { visible, data: original },
      );
    const pinWindow = nextWindow();
    const run = signWith({ corner: 'bottom-right', language: 'ro' });
    await typePin(await pinWindow, PIN);
    const signed = await run;
    expect(signed.ok).toBe(true);
    const file = join(work, 'decont-visible.pdf');
    writeFileSync(file, Buffer.from((signed as { data: string }).data, 'base64'));
    expect(spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout).toMatch(/Signature Validation: Signature is Valid\./);
    // On the last page (a corner's default), in Romanian as asked, in the embedded DejaVu Sans.
    expect(spawnSync('pdftotext', ['-f', '2', '-l', '2', file, '-'], { encoding: 'utf8' }).stdout).toMatch(/Semnat digital de Ștefan\s+Ionescu-Mărășești\s+Data: \d\d\.\d\d\.\d{4}/);
    expect(spawnSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' }).stdout).not.toContain('Semnat digital');
    expect(spawnSync('pdffonts', [file], { encoding: 'utf8' }).stdout).toMatch(/DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes/);

    let opened = false;
    const onPage = (): void => void (opened = true);
    browser.context.on('page', onPage);
    expect(await signWith({ page: 1, rect: [500, 700, 900, 760] })).toEqual({ ok: false, code: 'SIGNATURE_PLACEMENT_INVALID' });
    browser.context.off('page', onPage);
    expect(opened).toBe(false);
  });

  it('refuses a hash of the wrong length before any window opens', async () => {
    let opened = false;
    const onPage = (): void => void (opened = true);
    browser.context.on('page', onPage);
    const outcome = await page.evaluate(async () => {
      const sdk = (window as unknown as { CasToken: typeof import('../../extension/sdk/index.js') }).CasToken;
      try {
        await sdk.signHashes({ hashes: [new Uint8Array(32), new Uint8Array(20)], hashAlgorithm: 'SHA-256' });
        return { ok: true };
      } catch (error) {
        return { ok: false, code: (error as { code: string }).code, message: (error as Error).message };
      }
    });
    browser.context.off('page', onPage);
    expect(outcome).toEqual({ ok: false, code: 'INVALID_ARGUMENT', message: expect.stringMatching(/hashes\.1: a SHA-256 hash has 32 bytes, not 20/) });
    expect(opened).toBe(false);
  });

  it('a denied origin gets ORIGIN_NOT_ALLOWED, the second time without any window', async () => {
    const other = await openSdkPage(browser, `${server.origin.replace('localhost', '127.0.0.1')}/sign.html`);
    const consentWindow = nextWindow();
    await other.click('#sign-hash');
    const consent = await consentWindow;
    await consent.getByTestId('consent-deny').waitFor();
    await clickClosing(consent, 'consent-deny');
    await other.waitForFunction(() => (window as unknown as { lastHashResult?: { error?: { code: string } } }).lastHashResult?.error?.code === 'ORIGIN_NOT_ALLOWED', undefined, { timeout: 15_000 });
    await other.evaluate(() => delete (window as unknown as { lastHashResult?: unknown }).lastHashResult);
    let opened = false;
    const onPage = (): void => void (opened = true);
    browser.context.on('page', onPage);
    await other.click('#sign-hash');
    await other.waitForFunction(() => (window as unknown as { lastHashResult?: { error?: { code: string } } }).lastHashResult?.error?.code === 'ORIGIN_NOT_ALLOWED', undefined, { timeout: 15_000 });
    await other.waitForTimeout(500);
    browser.context.off('page', onPage);
    expect(opened).toBe(false);
    await other.close();
  });

  it('never lets the PIN reach the page or extension storage', async () => {
    expect(pageMessages.length).toBeGreaterThan(10);
    expect(pageMessages.join('\n')).not.toContain(PIN);
    const storage = await browser.worker.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)));
    expect(storage).not.toContain(PIN);
    expect(storage).toContain(server.origin); // the consent decision is what is remembered
    const log = readFileSync(hostLog, 'utf8');
    // Which origin asked, and whether for documents or bare digests: never the digests themselves.
    expect(log).toContain(`sign for ${server.origin} (digests) ok in `);
    expect(log).toContain(`sign for ${server.origin} (documents) ok in `);
    expect(log).toContain(`sign for ${server.origin} (digests) PIN_INCORRECT`);
    expect(log).not.toMatch(/[0-9a-f]{64}/);
    expect(log).not.toContain(PIN);
    expect(log).not.toContain('000000'); // nor the wrong one
  });
});
