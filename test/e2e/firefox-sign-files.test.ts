/**
 * Firefox ESR: the Sign files page streams its batch there too. Its event page reads each chosen file
 * through the page's `blob:` URL, the PIN window lists each file with the SHA-256 of the bytes read, and
 * the signed files come back to the page, where what each download button hands out is checked by
 * pdfsig and openssl (an attached CAdES too: its DER saved around the file's own bytes). The
 * extension's pages are reached from an extension window (Firefox does not let WebDriver BiDi navigate
 * a tab to moz-extension://): the consent window a demo site's click opens, denied once the Sign files
 * tab is open.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchFirefoxWithExtension, nextExtensionWindow } from '../support/firefox-extension.js';
import type { FirefoxWithExtension } from '../support/firefox-extension.js';
import { opensslCmsVerifyAttached, pdfsig } from '../support/independent-verifiers.js';
import { useSoftHsm } from '../support/softhsm.js';

const softhsm = useSoftHsm();
let server: RunningDemoServer;
let firefox: FirefoxWithExtension;

beforeAll(async () => {
  const store = softhsm.provisioned();
  server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' } });
  firefox = await launchFirefoxWithExtension({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath } });
}, 120_000);
afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

describe('Firefox ESR Sign files page', () => {
  it('signs three PDFs and an attached CAdES under one PIN, each shown with the SHA-256 of its bytes; pdfsig and openssl accept what the page hands out', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cas-token-firefox-sign-files-'));
    const paths: string[] = [];
    const hashes: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const pdf = await PDFDocument.create();
      pdf.addPage().drawText(`Factura ${i}`, { font: await pdf.embedFont(StandardFonts.Helvetica), x: 50, y: 700 });
      const bytes = await pdf.save();
      paths.push(join(work, `factura-${i}.pdf`));
      hashes.push(createHash('sha256').update(bytes).digest('hex'));
      writeFileSync(paths.at(-1)!, bytes);
    }
    // An annex signed with its content inside (.sig): the page saves the signature's DER around the file's own bytes.
    const annex = Buffer.from('Anexa 1: lista medicamentelor compensate, decembrie 2026\n'.repeat(2000));
    paths.push(join(work, 'anexa.txt'));
    hashes.push(createHash('sha256').update(annex).digest('hex'));
    writeFileSync(paths.at(-1)!, annex);

    const seen = new Set<Page>();
    const site = await firefox.browser.newPage();
    await site.goto(`${server.origin}/sign.html`);
    await site.waitForSelector('#status.ok', { timeout: 20_000 });
    await site.click('#sign-report');
    const consent = await nextExtensionWindow(firefox.browser, seen, '[data-testid=consent-allow]');
    seen.add(consent);
    await consent.evaluate(
      () => void (globalThis as unknown as { chrome: { tabs: { create(options: object): Promise<unknown> } } }).chrome.tabs.create({ url: '/extension/ui/sign-files/sign-files.html' }),
    );
    const page = await nextExtensionWindow(firefox.browser, seen, '[data-testid=drop-zone]');
    seen.add(page);
    // The site's request leaves the queue (the PIN window would wait behind its consent window).
    await consent.waitForSelector('[data-testid=consent-deny]:not([disabled])');
    await consent.click('[data-testid=consent-deny]').catch((error: Error) => {
      if (!/context|target|closed|frame/i.test(error.message)) throw error;
    });

    await page.waitForSelector('[data-testid=signing-certificate] dl', { timeout: 30_000 });
    await (await page.$('input[data-testid=file-input]'))!.uploadFile(...paths);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=file-row]').length === 4);
    await (await page.$$('[data-testid=format-select]'))[3]!.select('cades-attached');
    await page.click('[data-testid=sign-all]');
    const pin = await nextExtensionWindow(firefox.browser, seen, '[data-testid=pin-documents]');
    expect(await pin.$$eval('[data-refused=true]', (rows) => rows.length)).toBe(0);
    expect(await pin.$$eval('[data-testid=pin-document-sha256]', (rows) => rows.map((row) => row.textContent!.replace('SHA-256', '').trim()))).toEqual(hashes);
    await pin.waitForSelector('[data-testid=pin-submit]:not([disabled])');
    await pin.type('[data-testid=pin-input]', softhsm.provisioned().tokens[0]!.pin);
    await pin.keyboard.press('Enter').catch((error: Error) => {
      if (!/context|target|closed|frame/i.test(error.message)) throw error; // the right PIN closes the window
    });
    await page.waitForSelector('[data-testid=summary]', { timeout: 60_000 });
    expect(await page.$eval('[data-testid=summary]', (summary) => summary.textContent)).toBe('4/4 signed, 0 failed');
    expect(await page.$$eval('[data-testid=result-row][data-ok=true]', (rows) => rows.map((row) => row.textContent))).toEqual([
      'factura-1.pdffactura-1-signed.pdf',
      'factura-2.pdffactura-2-signed.pdf',
      'factura-3.pdffactura-3-signed.pdf',
      'anexa.txtanexa.txt.sig',
    ]);

    // What each download button hands out: the link's blob read back in the page (Firefox's download
    // dialog cannot be answered from here), then checked by the verifiers.
    await page.evaluate(() => {
      const captured: Promise<{ name: string; base64: string }>[] = [];
      (window as unknown as { captured: typeof captured }).captured = captured;
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        const { download, href } = this;
        captured.push(
          fetch(href)
            .then((response) => response.arrayBuffer())
            .then((buffer) => {
              let binary = '';
              for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
              return { name: download, base64: btoa(binary) };
            }),
        );
      };
    });
    for (const button of await page.$$('[data-testid=download]')) await button.click();
    const downloads = await page.evaluate(() => Promise.all((window as unknown as { captured: Promise<{ name: string; base64: string }>[] }).captured));
    expect(downloads.map((d) => d.name)).toEqual(['factura-1-signed.pdf', 'factura-2-signed.pdf', 'factura-3-signed.pdf', 'anexa.txt.sig']);
    for (const { name, base64 } of downloads.slice(0, 3)) {
      expect(pdfsig(work, name, Buffer.from(base64, 'base64')), name).toMatchObject({ signatures: 1, valid: 1 });
    }
    const signaturePath = join(work, 'anexa.txt.sig');
    writeFileSync(signaturePath, Buffer.from(downloads[3]!.base64, 'base64'));
    const verdict = opensslCmsVerifyAttached(signaturePath, softhsm.provisioned().caCertificatePath);
    expect(verdict.output).toMatch(/Verification successful/);
    expect(Buffer.from(verdict.content).equals(annex)).toBe(true);
  }, 180_000);
});
