/**
 * The Renew page in Chromium: a new key pair on the SoftHSM2 token and its request (verified by OpenSSL,
 * subject copied from the current certificate); the test CA issues the certificate; installing it from
 * the page puts it on the token next to its key.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { useSoftHsm } from '../support/softhsm.js';
import { useTokenBrowser } from '../support/browser-for-tests.js';
import { issueCertificate } from '../support/test-pki.js';
import { typePinAndEnter } from '../support/closing-window.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-renew-'));
const browser = useTokenBrowser(softhsm);

/** Generate on the request form, the PIN typed in the PIN window; the downloaded request, checked valid by pdfsig. */
async function generateSignedRequest(page: Page, prefix: string): Promise<string> {
  const pinWindow = browser.context.waitForEvent('page');
  const download = page.waitForEvent('download', { timeout: 30_000 });
  await page.getByTestId('request-generate').click();
  const pin = await pinWindow;
  await pin.getByTestId('pin-documents').waitFor();
  await typePinAndEnter(pin, '1234');
  const file = join(work, `${prefix}${(await download).suggestedFilename()}`);
  await (await download).saveAs(file);
  expect(spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout).toMatch(/Signature is Valid/);
  return file;
}

describe('Renew page', () => {
  it('makes the request on the token and installs the issued certificate', async () => {
    const store = softhsm.provisioned();
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/extension/ui/renew/renew.html`);
    await expect.poll(() => page.getByTestId('renew-certificate').locator('option').count(), { timeout: 20_000 }).toBe(2);
    await page.getByTestId('renew-advanced').locator('summary').click();
    await page.getByTestId('renew-key-type').selectOption('ec-p256');
    await page.getByTestId('renew-pin').fill('1234');
    await page.getByTestId('renew-generate').click();
    // A key is made on the token only after the user confirms in the page.
    await page.getByTestId('renew-confirm-yes').click();
    const pem = (await page.getByTestId('request-pem').textContent({ timeout: 20_000 }))!;
    expect(await page.getByTestId('renew-pin').inputValue()).toBe(''); // the PIN does not stay in the page
    const request = join(work, 'request.pem');
    writeFileSync(request, pem);
    expect(spawnSync('openssl', ['req', '-in', request, '-verify', '-noout'], { encoding: 'utf8' }).stderr).toMatch(/verify OK/i);
    const qualified = store.tokens[0]!.certificates.find((c) => c.purpose === 'qualified-signing')!;
    const subjectOf = (args: string[]) =>
      execFileSync('openssl', [...args, '-noout', '-subject', '-nameopt', 'RFC2253'], { encoding: 'utf8' })
        .replace('subject=', '')
        .trim();
    expect(subjectOf(['req', '-in', request])).toBe(subjectOf(['x509', '-in', qualified.certificatePath]));

    const issued = join(work, 'issued.pem');
    issueCertificate({ request, caCertificatePath: store.caCertificatePath, caKeyPath: store.caKeyPath, serialHex: '4E4E01', days: 365, out: issued });
    await page.getByTestId('import-file').setInputFiles(issued);
    await page.getByTestId('import-pin').fill('1234');
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-result').waitFor({ timeout: 20_000 });
    const listed = JSON.parse(runCli(['certs', '--module', store.modulePath, '--json'], store.env).stdout) as { serialNumber: string; hasPrivateKey: string }[];
    expect(listed.find((c) => c.serialNumber === '4E4E01')?.hasPrivateKey).toMatch(/yes|unknown/);
  });

  it('makes the CAS registration request from the provider profile and signs it with one PIN', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/extension/ui/renew/renew.html`);
    await expect.poll(() => page.getByTestId('renew-certificate').locator('option').count(), { timeout: 20_000 }).toBeGreaterThan(1);
    const profile = { providerName: 'FARMACIA DEMO SRL', cui: '87654321', legalRepresentative: 'Ana Popescu', phone: '0232 000 000', email: 'farmacie@example.com' };
    for (const [key, value] of Object.entries(profile)) await page.getByTestId(`profile-${key}`).fill(value);
    await page.getByTestId('profile-county').selectOption({ label: 'Casa de Asigurări de Sănătate Iași' });
    const file = await generateSignedRequest(page, '');
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Casa de Asigurări de Sănătate Iași');
    expect(text).toContain('FARMACIA DEMO SRL');
    // The profile is remembered for next year.
    await page.reload();
    await expect.poll(() => page.getByTestId('profile-providerName').inputValue()).toBe('FARMACIA DEMO SRL');
  });

  it('signs the registration request with the signature shown in the corner chosen, on its last page', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/extension/ui/renew/renew.html?view=request`);
    await expect.poll(() => page.getByTestId('renew-certificate').locator('option').count(), { timeout: 20_000 }).toBeGreaterThan(1);
    await expect.poll(() => page.getByTestId('profile-providerName').inputValue()).toBe('FARMACIA DEMO SRL'); // remembered from the test before
    // Unsigned, there is no box to show.
    await page.getByTestId('request-sign').uncheck();
    expect(await page.getByTestId('request-visible').isDisabled()).toBe(true);
    await page.getByTestId('request-sign').check();
    await page.getByTestId('request-visible').check();
    await page.getByTestId('request-visible-corner').selectOption('top-left');
    const file = await generateSignedRequest(page, 'visible-');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    // The box's first word on the last page, in the top-left corner (pdftotext -bbox counts y from the top).
    const words = execFileSync('pdftotext', ['-bbox', '-f', String(pages), '-l', String(pages), file, '-'], { encoding: 'utf8' });
    const first = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(Semnat|Digitally|Подписано)<\/word>/.exec(words);
    expect(first, 'the signature box text on the last page').not.toBeNull();
    expect(Number(first![1])).toBeLessThan(100);
    expect(Number(first![2])).toBeLessThan(120);
  });
});
