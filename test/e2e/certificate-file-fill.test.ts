/**
 * The CAS clerk with only the provider's certificate file, in real Chromium with NO native host and NO
 * token: the popup reads a picked `.cer` (DER), `.pem` or `.p7b` bundle in the extension page, shows the
 * certificate as it shows a token's (serial, issuer, validity, e-mail, qualified badge) and fills SIUI's
 * *Certificat utilizator* screen: Număr serial, Autoritate emitentă, validity and e-mail exactly, every
 * other field untouched; Undo puts everything back. In Romanian and Russian: no English sentence of
 * ours, the controls in view, no horizontal scroll; screenshots in .tmp/screenshots.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertificates } from '../../shared/certificate/certificate-input.js';
import { describeCertificate } from '../../shared/certificate/describe-certificate.js';
import { formatFormDate } from '../../shared/certificate/validity-dates.js';
import { fillValuesFromDetails } from '../../extension/content/fill/fill-values.js';
import type { FillValues } from '../../extension/content/fill/fill-values.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { useExtensionBrowser } from '../support/browser-for-tests.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { expectedAfterFill, formState } from '../support/fill-expectations.js';
import { opensslView } from '../support/openssl-certificate-view.js';
import type { OpensslView } from '../support/openssl-certificate-view.js';
import { useSoftHsm } from '../support/softhsm.js';
import { expectShownInLanguage } from '../support/visible-language.js';

const softhsm = useSoftHsm(); // only for its PKI: the demo CA and the holder's qualified certificate
const SCREENSHOTS = join('.tmp', 'screenshots');
const SIUI_PAGE = 'siui-certificat-utilizator.html';
const TIME_ZONE = 'Europe/Bucharest';
let server: RunningDemoServer;
let dir: string;
/** The qualified certificate as the clerk may receive it: class1.cer (DER), .pem, and a .p7b with the CA first. */
let files: { der: string; pem: string; bundle: string; notACertificate: string };
let openssl: OpensslView;
let values: FillValues;

beforeAll(async () => {
  const store = softhsm.provisioned();
  const qualified = store.tokens[0]!.certificates.find((c) => c.purpose === 'qualified-signing')!;
  dir = mkdtempSync(join(tmpdir(), 'cas-token-certificate-file-'));
  files = { der: join(dir, 'class1.cer'), pem: join(dir, 'stefan-ionescu.pem'), bundle: join(dir, 'lant.p7b'), notACertificate: join(dir, 'cerere.pem') };
  execFileSync('openssl', ['x509', '-in', qualified.certificatePath, '-outform', 'DER', '-out', files.der]);
  writeFileSync(files.pem, readFileSync(qualified.certificatePath));
  execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', store.caCertificatePath, '-certfile', qualified.certificatePath, '-outform', 'DER', '-out', files.bundle]);
  writeFileSync(files.notACertificate, '-----BEGIN CERTIFICATE REQUEST-----\nMIIBfake\n-----END CERTIFICATE REQUEST-----\n');
  openssl = opensslView(qualified.certificatePath);
  values = fillValuesFromDetails(await describeCertificate(readCertificates(readFileSync(qualified.certificatePath))[0]!), TIME_ZONE);
  server = await startDemoServer({ mounts: { '/fixtures/': 'test/fixtures/pages' } });
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The SIUI page and the popup for its tab, the popup as big as Chromium shows one. */
async function siuiAndPopup(browser: ExtensionBrowser): Promise<{ page: Page; popup: Page }> {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/fixtures/${SIUI_PAGE}`);
  await page.locator('#numarSerial').waitFor();
  const popup = await browser.openPopup(page);
  await popup.setViewportSize({ width: 400, height: 600 });
  await popup.locator('[data-testid=popup-state]:not([data-state=loading])').waitFor({ timeout: 20_000 });
  return { page, popup };
}

describe('certificate file in the popup, no host and no token', () => {
  const browser = useExtensionBrowser({ installHost: false, env: { TZ: TIME_ZONE } });

  it("a picked class1.cer (DER) fills exactly the serial, issuer, validity and e-mail on SIUI's Certificat utilizator; undo restores", async () => {
    const { page, popup } = await siuiAndPopup(browser);
    expect(await popup.getByTestId('popup-state').getAttribute('data-state')).toBe('host-missing');
    await page.fill('#furnizor', 'MF1234');
    await page.fill('#observatii', 'reînnoire 2026');
    const before = await formState(page);

    await popup.getByTestId('certificate-file-input').setInputFiles(files.der);
    await popup.getByTestId('certificate-file').waitFor();
    expect(await popup.getByTestId('certificate-file').getAttribute('data-name')).toBe('class1.cer');
    expect(await popup.getByTestId('detail-serial').textContent()).toBe(openssl.serialNumber);
    expect(await popup.getByTestId('detail-issuer').textContent()).toBe(openssl.issuer);
    expect(await popup.getByTestId('detail-valid-from').textContent()).toBe(formatFormDate(openssl.notBefore, 'DD.MM.YYYY', TIME_ZONE));
    expect(await popup.getByTestId('detail-valid-to').textContent()).toBe(formatFormDate(openssl.notAfter, 'DD.MM.YYYY', TIME_ZONE));
    expect(await popup.getByTestId('detail-email').textContent()).toBe('stefan.ionescu@example.com');
    expect(await popup.getByTestId('certificate-file-qualified').isVisible()).toBe(true);

    await popup.getByTestId('file-fill-form').click();
    await popup.getByTestId('file-fill-result').waitFor({ timeout: 20_000 });
    expect(await popup.getByTestId('file-fill-result').textContent()).toContain(openssl.serialNumber);
    const after = await formState(page);
    expect(after).toEqual(await expectedAfterFill(page, before, values));
    expect(after.numarSerial).toBe(openssl.serialNumber);
    expect(after.autoritateEmitenta).toBe(openssl.issuer);
    expect(after.valabilPanaLa).toBe(formatFormDate(openssl.notAfter, 'DD-MM-YYYY', TIME_ZONE));
    expect(after.furnizor).toBe('MF1234');
    expect(after.utilizator).toBe('');
    expect(after.dataInregistrarii).toBe('');

    await popup.getByTestId('file-undo-fill').click();
    await popup.getByTestId('file-undo-result').waitFor();
    expect(await formState(page)).toEqual(before);
    await popup.close();
    await page.close();
  });

  it("a .p7b chain with the CA first offers the holder's certificate, the CA one marked as such; a PEM fills the same", async () => {
    const { page, popup } = await siuiAndPopup(browser);
    await popup.getByTestId('certificate-file-input').setInputFiles(files.bundle);
    await popup.getByTestId('certificate-file-select').waitFor();
    expect(await popup.getByTestId('certificate-file-select').locator('option').count()).toBe(2);
    expect(await popup.getByTestId('detail-serial').textContent()).toBe(openssl.serialNumber);
    expect(await popup.getByTestId('certificate-file-ca').count()).toBe(0);
    await popup.getByTestId('certificate-file-select').selectOption('0');
    await popup.getByTestId('certificate-file-ca').waitFor();
    expect(await popup.getByTestId('detail-serial').textContent()).not.toBe(openssl.serialNumber);

    await popup.getByTestId('certificate-file-close').click();
    await popup.getByTestId('certificate-file-input').setInputFiles(files.pem);
    await popup.getByTestId('file-fill-form').click();
    await popup.getByTestId('file-fill-result').waitFor({ timeout: 20_000 });
    expect((await formState(page)).numarSerial).toBe(openssl.serialNumber);
    await popup.close();
    await page.close();
  });

  it('a file that holds no certificate is refused with a sentence that says what to choose; nothing is filled', async () => {
    const { page, popup } = await siuiAndPopup(browser);
    const before = await formState(page);
    await popup.getByTestId('certificate-file-input').setInputFiles(files.notACertificate);
    await popup.getByTestId('certificate-file-error').waitFor();
    expect(await popup.getByTestId('certificate-file-error').textContent()).toContain('No certificate was found in this file');
    expect(await popup.getByTestId('certificate-file').count()).toBe(0);
    expect(await formState(page)).toEqual(before);
    await popup.close();
    await page.close();
  });
});

describe.each(['ro', 'ru'])('certificate file in the popup in %s', (locale) => {
  const browser = useExtensionBrowser({ installHost: false, locale, env: { TZ: TIME_ZONE } });

  it("speaks the user's language, fits the popup and fills the same", async () => {
    const { page, popup } = await siuiAndPopup(browser);
    const before = await formState(page);
    await popup.getByTestId('certificate-file-input').setInputFiles(files.notACertificate);
    await popup.getByTestId('certificate-file-error').waitFor();
    await expectShownInLanguage(popup, { locale, name: 'popup-certificate-file-picker', screenshots: SCREENSHOTS, inView: [popup.getByTestId('certificate-file-error')] });

    await popup.getByTestId('certificate-file-input').setInputFiles(files.der);
    await popup.getByTestId('file-fill-form').click();
    await popup.getByTestId('file-fill-result').waitFor({ timeout: 20_000 });
    expect(await formState(page)).toEqual(await expectedAfterFill(page, before, values));
    await expectShownInLanguage(popup, { locale, name: 'popup-certificate-file', screenshots: SCREENSHOTS, inView: [popup.getByTestId('file-fill-result'), popup.getByTestId('file-undo-fill')] });
    await popup.getByTestId('file-undo-fill').click();
    await popup.getByTestId('file-undo-result').waitFor();
    expect(await formState(page)).toEqual(before);
    await popup.close();
    await page.close();
  });
});
