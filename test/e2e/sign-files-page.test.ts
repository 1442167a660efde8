/**
 * The extension's own "Sign files" page: several files (PDF, XML, other) chosen with the picker, formats
 * per type by default, one PIN for the batch in the PIN window, progress, each result downloadable, all
 * as one ZIP; a broken PDF is named and does not lose the others. Results verified by pdfsig / xmlsec1 /
 * openssl cms.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtensionBrowser } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { useSoftHsm } from '../support/softhsm.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-sign-files-'));
let browser: ExtensionBrowser;

beforeAll(async () => {
  const store = softhsm.provisioned();
  browser = await launchExtensionBrowser({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath } });
});
afterAll(async () => browser?.close());

describe('sign files page', () => {
  it('signs a batch under one PIN, names the broken file, and downloads each result and a ZIP', async () => {
    const inputs: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const pdf = await PDFDocument.create();
      pdf.addPage().drawText(`Decont ${i}`, { font: await pdf.embedFont(StandardFonts.Helvetica) });
      inputs.push(join(work, `decont-${i}.pdf`));
      writeFileSync(inputs.at(-1)!, await pdf.save());
    }
    inputs.push(join(work, 'reteta.xml'));
    writeFileSync(inputs.at(-1)!, '<?xml version="1.0" encoding="UTF-8"?>\n<Reteta><Medicament>Paracetamol</Medicament></Reteta>\n');
    inputs.push(join(work, 'raport.csv'));
    writeFileSync(inputs.at(-1)!, 'cod;valoare\nA1;10\n');
    inputs.push(join(work, 'stricat.pdf'));
    writeFileSync(inputs.at(-1)!, 'this is not a PDF at all');

    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/extension/ui/sign-files/sign-files.html`);
    await page.getByTestId('file-input').setInputFiles(inputs);
    await expect.poll(() => page.getByTestId('file-row').count()).toBe(6);
    expect(await page.getByTestId('format-select').evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value))).toEqual(['pades', 'pades', 'pades', 'xades', 'cades', 'pades']);

    const pinWindow = browser.context.waitForEvent('page');
    await page.getByTestId('sign-all').click();
    const pin = await pinWindow;
    await pin.getByTestId('pin-documents').waitFor();
    expect(await pin.getByTestId('pin-documents').locator('tr').count()).toBe(6);
    // The broken PDF is known before the PIN: its row says it will not be signed, and why.
    expect(await pin.locator('[data-refused=true]').count()).toBe(1);
    expect(await pin.locator('[data-refused=true]').textContent()).toMatch(/stricat\.pdf.*(readable PDF|PDF)/);
    await pin.getByTestId('pin-input').fill('1234');
    await pin.getByTestId('pin-input').press('Enter').catch((error: Error) => {
      if (!pin.isClosed()) throw error;
    });
    await expect.poll(() => page.getByTestId('result-row').count(), { timeout: 30_000 }).toBe(6);
    expect(await page.locator('[data-testid=result-row][data-ok=false]').textContent()).toContain('stricat.pdf');
    expect(await page.locator('[data-testid=result-row][data-ok=true]').count()).toBe(5);

    const download = page.waitForEvent('download');
    await page.getByTestId('download').first().click();
    const first = await download;
    expect(first.suggestedFilename()).toBe('decont-1-signed.pdf');
    const firstPath = join(work, first.suggestedFilename());
    await first.saveAs(firstPath);
    expect(spawnSync('pdfsig', [firstPath], { encoding: 'utf8' }).stdout).toMatch(/Signature is Valid/);

    const zipDownload = page.waitForEvent('download');
    await page.getByTestId('download-zip').click();
    const zip = await zipDownload;
    const zipPath = join(work, 'all.zip');
    await zip.saveAs(zipPath);
    const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
    expect(Object.keys(files).sort()).toEqual(['decont-1-signed.pdf', 'decont-2-signed.pdf', 'decont-3-signed.pdf', 'raport.csv.p7s', 'reteta-signed.xml']);
    const ca = softhsm.provisioned().caCertificatePath;
    writeFileSync(join(work, 'reteta-signed.xml'), files['reteta-signed.xml']!);
    expect(spawnSync('xmlsec1', ['--verify', '--trusted-pem', ca, '--id-attr:Id', 'SignedProperties', join(work, 'reteta-signed.xml')], { encoding: 'utf8' }).stderr).toMatch(/^OK/m);
    writeFileSync(join(work, 'raport.csv.p7s'), files['raport.csv.p7s']!);
    const cms = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(work, 'raport.csv.p7s'), '-content', join(work, 'raport.csv'), '-CAfile', ca, '-out', '/dev/null'], { encoding: 'utf8' });
    expect(cms.stderr).toMatch(/Verification successful/);
  });
});
