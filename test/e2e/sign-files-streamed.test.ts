/**
 * The Sign files page streams its batch: 30 PDFs chosen from disk are sent to the background one by
 * one as it asks, signed under one PIN, and each comes back as soon as it is ready. The PIN window
 * lists all 30 with the SHA-256 of the bytes signed and previews the first; a file moved away after it
 * was chosen fails alone, named, while the 29 others are signed, saved and valid for pdfsig.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtensionBrowser } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { pdfsig } from '../support/independent-verifiers.js';
import { useSoftHsm } from '../support/softhsm.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-sign-files-streamed-'));
let browser: ExtensionBrowser;

beforeAll(async () => {
  const store = softhsm.provisioned();
  browser = await launchExtensionBrowser({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath } });
});
afterAll(async () => browser?.close());

/** An invoice of about 100 KB: a page of text and an incompressible annex. */
async function invoice(number: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage().drawText(`Factura ${number}`, { font: await pdf.embedFont(StandardFonts.Helvetica), x: 50, y: 700 });
  await pdf.attach(randomBytes(100 * 1024), 'anexa.bin', { mimeType: 'application/octet-stream' });
  return pdf.save();
}

describe('sign files page, streamed batch', () => {
  it('signs 30 PDFs under one PIN, each valid for pdfsig; a file moved away after it was chosen fails alone, named, and the others are kept', async () => {
    const folder = join(work, 'facturi');
    mkdirSync(folder);
    const inputs: string[] = [];
    const originals = new Map<string, Uint8Array>();
    for (let i = 1; i <= 30; i++) {
      const name = `factura-${String(i).padStart(2, '0')}.pdf`;
      const bytes = await invoice(i);
      inputs.push(join(folder, name));
      originals.set(name, bytes);
      writeFileSync(inputs.at(-1)!, bytes);
    }

    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/extension/ui/sign-files/sign-files.html`);
    await page.evaluate(() => Object.defineProperty(window, 'showDirectoryPicker', { value: undefined }));
    await page.getByTestId('file-input').setInputFiles(inputs);
    await expect.poll(() => page.getByTestId('file-row').count()).toBe(30);
    // After it was chosen, the 15th invoice is moved away: the page can no longer read it.
    renameSync(inputs[14]!, join(work, 'moved-away.pdf'));

    const pinWindow = browser.context.waitForEvent('page');
    await page.getByTestId('sign-all').click();
    const pin = await pinWindow;
    await pin.getByTestId('pin-documents').waitFor();
    expect(await pin.getByTestId('pin-documents').locator('tr').count()).toBe(30);
    // The moved file is refused before the PIN, named; every other row shows the SHA-256 of its bytes.
    expect(await pin.locator('[data-refused=true]').count()).toBe(1);
    expect(await pin.locator('[data-refused=true]').textContent()).toContain('factura-15.pdf');
    const shownHashes = await pin.getByTestId('pin-document-sha256').allInnerTexts();
    const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
    expect(shownHashes).toHaveLength(29); // the moved file was never read: no digest shown for it
    expect(shownHashes[0]).toContain(sha256(originals.get('factura-01.pdf')!));
    expect(shownHashes[28]).toContain(sha256(originals.get('factura-30.pdf')!));
    // The first document is previewed from its bytes, read again from the page.
    await pin.locator('[data-testid=pin-preview][data-state=pdf]').waitFor({ timeout: 20_000 });

    await pin.getByTestId('pin-input').fill('1234');
    await pin
      .getByTestId('pin-input')
      .press('Enter')
      .catch((error: Error) => {
        if (!pin.isClosed()) throw error;
      });
    await page.getByTestId('summary').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('result-row').count()).toBe(30);
    expect(await page.locator('[data-testid=result-row][data-ok=true]').count()).toBe(29);
    const failed = page.locator('[data-testid=result-row][data-ok=false]');
    expect(await failed.count()).toBe(1);
    expect(await failed.innerText()).toContain('factura-15.pdf');
    expect(await failed.innerText()).toMatch(/unreadable file/);

    // Every signed file kept: saved as one ZIP, each the original bytes followed by a signature pdfsig accepts.
    const zipDownload = page.waitForEvent('download');
    await page.getByTestId('save-all').click();
    const zipPath = join(work, 'signed.zip');
    await (await zipDownload).saveAs(zipPath);
    // A ZIP every unzip tool reads (Info-ZIP's test of every entry's CRC here).
    expect(spawnSync('unzip', ['-tq', zipPath], { encoding: 'utf8' }).stdout).toMatch(/^No errors detected/);
    const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
    const names = Object.keys(files).sort();
    expect(names).toEqual([...originals.keys()].filter((name) => name !== 'factura-15.pdf').map((name) => name.replace('.pdf', '-signed.pdf')));
    for (const name of names) {
      const signed = files[name]!;
      const original = originals.get(name.replace('-signed.pdf', '.pdf'))!;
      expect(Buffer.from(signed.subarray(0, original.length)).equals(Buffer.from(original)), `${name} starts with the original bytes`).toBe(true);
      const verdict = pdfsig(work, name, signed);
      expect({ name, signatures: verdict.signatures, valid: verdict.valid }).toEqual({ name, signatures: 1, valid: 1 });
    }
  }, 240_000);
});
