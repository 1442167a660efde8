/**
 * The CAS clerk's side in real Chromium: the provider's registration request, a PDF made and signed on
 * the demo token by `cas-token request --sign`, is picked on the Verify page (no native host: the file
 * is verified in the page). Without a trusted CA the signature "cannot be confirmed" (no trust anchor);
 * with the demo CA added it is valid; the signer's certificate then fills SIUI's *Certificat utilizator*
 * screen: exactly the serial, issuer, validity and e-mail, every other field as it was; Undo restores.
 * A changed byte makes the signature invalid; a .p7s picked with its file is paired with it. In Romanian
 * and Russian: no English sentence of ours, the verdict and the result in view, no horizontal scroll;
 * screenshots in .tmp/screenshots.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertificates } from '../../shared/certificate/certificate-input.js';
import { describeCertificate } from '../../shared/certificate/describe-certificate.js';
import { fillValuesFromDetails } from '../../extension/content/fill/fill-values.js';
import type { FillValues } from '../../extension/content/fill/fill-values.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { useExtensionBrowser } from '../support/browser-for-tests.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { expectedAfterFill, formState } from '../support/fill-expectations.js';
import { opensslView } from '../support/openssl-certificate-view.js';
import type { OpensslView } from '../support/openssl-certificate-view.js';
import { SAMPLE_PROVIDER_PROFILE } from '../support/provider-profile-sample.js';
import { runCli } from '../support/run-cli.js';
import { useSoftHsm } from '../support/softhsm.js';
import { expectShownInLanguage } from '../support/visible-language.js';

const softhsm = useSoftHsm();
const SCREENSHOTS = join('.tmp', 'screenshots');
const TIME_ZONE = 'Europe/Bucharest';
let server: RunningDemoServer;
let work: string;
let files: { request: string; tampered: string; text: string; textSignature: string; ca: string; certificate: string };
let openssl: OpensslView;
let values: FillValues;

beforeAll(async () => {
  const store = softhsm.provisioned();
  const qualified = store.tokens[0]!.certificates.find((c) => c.purpose === 'qualified-signing')!;
  work = mkdtempSync(join(tmpdir(), 'cas-token-verify-page-'));
  files = {
    request: join(work, 'cerere-inregistrare.pdf'),
    tampered: join(work, 'cerere-modificata.pdf'),
    text: join(work, 'decont.txt'),
    textSignature: join(work, 'decont.txt.p7s'),
    ca: store.caCertificatePath,
    certificate: join(work, 'class1.cer'),
  };
  execFileSync('openssl', ['x509', '-in', qualified.certificatePath, '-outform', 'DER', '-out', files.certificate]);
  const env = { ...store.env, TOKEN_PIN: '1234', CAS_TOKEN_MODULES: '' };
  writeFileSync(join(work, 'provider.json'), JSON.stringify(SAMPLE_PROVIDER_PROFILE));
  const request = runCli(
    ['request', '--module', store.modulePath, '--cert', qualified.serialNumberHex, '--profile', join(work, 'provider.json'), '--out', files.request, '--sign', '--pin-env', 'TOKEN_PIN'],
    env,
  );
  if (request.status !== 0) throw new Error(`cas-token request failed: ${request.stderr}`);
  // One byte of the signed revision changed (inside the first ByteRange part, in the page content).
  const tampered = Buffer.from(readFileSync(files.request));
  const at = Math.max(tampered.indexOf('Casa de Asigur'), 200);
  tampered.writeUInt8(tampered.readUInt8(at) ^ 0x01, at);
  writeFileSync(files.tampered, tampered);
  writeFileSync(files.text, 'Decont luna noiembrie 2026: 1.234,56 lei\n');
  const sign = runCli(
    ['sign', '--module', store.modulePath, '--cert', qualified.serialNumberHex, '--pin-env', 'TOKEN_PIN', '--format', 'cades', '--in', files.text, '--out', files.textSignature],
    env,
  );
  if (sign.status !== 0) throw new Error(`cas-token sign failed: ${sign.stderr}`);
  openssl = opensslView(qualified.certificatePath);
  values = fillValuesFromDetails(await describeCertificate(readCertificates(readFileSync(qualified.certificatePath))[0]!), TIME_ZONE);
  server = await startDemoServer({ mounts: { '/fixtures/': 'test/fixtures/pages' } });
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The SIUI screen in one tab, the Verify page (opened for that tab, as the popup opens it) in another. */
async function siuiAndVerify(browser: ExtensionBrowser, requests: string[] = []): Promise<{ siui: Page; verify: Page }> {
  const siui = await browser.context.newPage();
  await siui.goto(`${server.origin}/fixtures/siui-certificat-utilizator.html`);
  await siui.locator('#numarSerial').waitFor();
  const tabId = await browser.tabIdOf(siui);
  const verify = await browser.context.newPage();
  verify.on('request', (request) => requests.push(request.url()));
  await verify.setViewportSize({ width: 900, height: 800 });
  await verify.goto(`chrome-extension://${browser.extensionId}/extension/ui/verify/verify.html?tab=${tabId}`);
  await verify.getByTestId('fill-target-select').waitFor();
  return { siui, verify };
}

function fileResult(verify: Page, name: string): Locator {
  return verify.locator(`[data-testid=file-result][data-name="${name}"]`);
}

describe('Verify page, no host and no token', () => {
  const browser = useExtensionBrowser({ installHost: false, env: { TZ: TIME_ZONE } });

  it('the signed registration request: no trust anchor → cannot be confirmed; the demo CA added → valid; the signer fills SIUI exactly, undo restores', async () => {
    const requests: string[] = [];
    const { siui, verify } = await siuiAndVerify(browser, requests);
    await siui.fill('#furnizor', 'MF1234');
    const before = await formState(siui);
    expect(await verify.getByTestId('fill-target-select').inputValue()).toBe(String(await browser.tabIdOf(siui)));

    await verify.getByTestId('verify-file-input').setInputFiles(files.request);
    const card = fileResult(verify, 'cerere-inregistrare.pdf').getByTestId('signature-card');
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getAttribute('data-verdict')).toBe('indeterminate');
    expect(await card.getByTestId('reason').first().getAttribute('data-code')).toBe('NO_TRUST_ANCHOR');
    expect(await card.getByTestId('verdict').textContent()).toBe('Cannot be confirmed');

    await verify.getByTestId('trust-anchor-input').setInputFiles(files.ca);
    await verify.getByTestId('trust-anchor').waitFor();
    await verify.locator('[data-testid=signature-card][data-verdict=valid]').waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('verdict').textContent()).toBe('Valid signature');
    expect(await card.getByTestId('reason').count()).toBe(0);
    expect(await card.getByTestId('detail-serial').textContent()).toBe(openssl.serialNumber);
    expect(await card.getByTestId('detail-issuer').textContent()).toBe(openssl.issuer);
    expect(await card.getByTestId('detail-email').textContent()).toBe('stefan.ionescu@example.com');
    // The technical details are there, folded.
    expect(await card.getByTestId('signature-technical-details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await card.getByTestId('signature-technical-details').textContent()).toContain('PAdES (ETSI.CAdES.detached)');

    await card.getByTestId('fill-with-signer').click();
    await card.getByTestId('fill-result').waitFor({ timeout: 20_000 });
    const after = await formState(siui);
    expect(after).toEqual(await expectedAfterFill(siui, before, values));
    expect(after.numarSerial).toBe(openssl.serialNumber);
    expect(after.autoritateEmitenta).toBe(openssl.issuer);
    expect(after.furnizor).toBe('MF1234');
    expect(after.utilizator).toBe('');

    await card.getByTestId('undo-fill').click();
    await card.getByTestId('undo-result').waitFor();
    expect(await formState(siui)).toEqual(before);

    // The files never left the page: it loaded only its own extension resources.
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith(`chrome-extension://${browser.extensionId}/`))).toEqual([]);

    // The CA stays trusted for the next visit, and can be removed.
    await verify.reload();
    await verify.getByTestId('trust-anchor').waitFor();
    await verify.getByTestId('trust-anchor-remove').click();
    expect(await verify.getByTestId('trust-anchor').count()).toBe(0);
    await siui.close();
    await verify.close();
  });

  it('a changed byte makes the request invalid; a .p7s picked with its file is paired and valid; a file without a signature says so', async () => {
    const { siui, verify } = await siuiAndVerify(browser);
    await verify.getByTestId('trust-anchor-input').setInputFiles(files.ca);
    await verify.getByTestId('trust-anchor').waitFor();
    await verify.getByTestId('verify-file-input').setInputFiles([files.tampered, files.text, files.textSignature]);
    const tampered = fileResult(verify, 'cerere-modificata.pdf').getByTestId('signature-card');
    await tampered.waitFor({ timeout: 30_000 });
    expect(await tampered.getAttribute('data-verdict')).toBe('invalid');
    expect(await tampered.getByTestId('verdict').textContent()).toBe('Not valid');
    expect(await tampered.getByTestId('reason').first().getAttribute('data-code')).toBe('SIGNED_DATA_CHANGED');
    expect(await tampered.getByTestId('fill-with-signer').count()).toBe(0); // no form is filled from a signature proven wrong

    const detached = fileResult(verify, 'decont.txt.p7s');
    await detached.getByTestId('signature-card').waitFor();
    expect(await detached.getByTestId('signature-card').getAttribute('data-verdict')).toBe('valid');
    expect(await detached.textContent()).toContain('Signed content: decont.txt');
    expect(await fileResult(verify, 'decont.txt').count()).toBe(0);

    await verify.getByTestId('verify-file-input').setInputFiles(files.text);
    await fileResult(verify, 'decont.txt').getByTestId('file-error').waitFor();
    expect(await fileResult(verify, 'decont.txt').getByTestId('file-error').textContent()).toContain('No signature found: the file is not a signed PDF');
    await verify.getByTestId('trust-anchor-remove').click();
    await siui.close();
    await verify.close();
  });

  it("is opened from the popup for the popup's tab and from the Sign files page; files dropped on it are verified", async () => {
    const siui = await browser.context.newPage();
    await siui.goto(`${server.origin}/fixtures/siui-certificat-utilizator.html`);
    const popup = await browser.openPopup(siui);
    let opened = browser.context.waitForEvent('page');
    await popup.getByTestId('verify-files').click();
    const verify = await opened;
    await verify.getByTestId('fill-target-select').waitFor();
    expect(new URL(verify.url()).pathname).toBe('/extension/ui/verify/verify.html');
    expect(await verify.getByTestId('fill-target-select').inputValue()).toBe(String(await browser.tabIdOf(siui)));

    // Dropped, as from a file manager: a DataTransfer holding the file.
    const bytes = [...readFileSync(files.request)];
    await verify.evaluate((content) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(content)], 'cerere-trasa.pdf', { type: 'application/pdf' }));
      document.querySelector('main')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, bytes);
    await fileResult(verify, 'cerere-trasa.pdf').getByTestId('signature-card').waitFor({ timeout: 30_000 });
    expect(await fileResult(verify, 'cerere-trasa.pdf').getByTestId('detail-serial').textContent()).toBe(openssl.serialNumber);

    const signFiles = await browser.context.newPage();
    await signFiles.goto(`chrome-extension://${browser.extensionId}/extension/ui/sign-files/sign-files.html`);
    opened = browser.context.waitForEvent('page');
    await signFiles.getByTestId('verify-files').click();
    const fromSignFiles = await opened;
    await fromSignFiles.getByTestId('verify-file-input').waitFor({ state: 'attached' });
    expect(new URL(fromSignFiles.url()).pathname).toBe('/extension/ui/verify/verify.html');
    for (const page of [fromSignFiles, signFiles, verify, popup, siui]) await page.close();
  });

  it('a certificate file dropped here (class1.cer) is shown as a certificate and fills SIUI the same', async () => {
    const { siui, verify } = await siuiAndVerify(browser);
    const before = await formState(siui);
    await verify.getByTestId('verify-file-input').setInputFiles(files.certificate);
    const shown = verify.locator('[data-testid=file-result][data-name="class1.cer"][data-verdict=certificate]');
    await shown.waitFor({ timeout: 30_000 });
    expect(await shown.getByTestId('detail-serial').textContent()).toBe(openssl.serialNumber);
    await shown.getByTestId('file-fill-form').click();
    await shown.getByTestId('file-fill-result').waitFor({ timeout: 20_000 });
    expect(await formState(siui)).toEqual(await expectedAfterFill(siui, before, values));
    await shown.getByTestId('file-undo-fill').click();
    await shown.getByTestId('file-undo-result').waitFor();
    expect(await formState(siui)).toEqual(before);
    await siui.close();
    await verify.close();
  });
});

describe.each(['ro', 'ru'])('Verify page in %s', (locale) => {
  const browser = useExtensionBrowser({ installHost: false, locale, env: { TZ: TIME_ZONE } });

  it("speaks the user's language, fits the page, and fills SIUI the same", async () => {
    const { siui, verify } = await siuiAndVerify(browser);
    const before = await formState(siui);
    await verify.getByTestId('verify-file-input').setInputFiles(files.request);
    const card = fileResult(verify, 'cerere-inregistrare.pdf').getByTestId('signature-card');
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getAttribute('data-verdict')).toBe('indeterminate');
    await expectShownInLanguage(verify, { locale, name: 'verify-no-trust-anchor', screenshots: SCREENSHOTS, inView: [card.getByTestId('verdict')] });

    await verify.getByTestId('trust-anchor-input').setInputFiles(files.ca);
    await verify.locator('[data-testid=signature-card][data-verdict=valid]').waitFor({ timeout: 30_000 });
    await card.getByTestId('signature-technical-details').locator('summary').click();
    await card.getByTestId('fill-with-signer').click();
    await card.getByTestId('fill-result').waitFor({ timeout: 20_000 });
    expect(await formState(siui)).toEqual(await expectedAfterFill(siui, before, values));
    await expectShownInLanguage(verify, { locale, name: 'verify-filled', screenshots: SCREENSHOTS, inView: [card.getByTestId('fill-result')] });
    await card.getByTestId('undo-fill').click();
    await card.getByTestId('undo-result').waitFor();
    expect(await formState(siui)).toEqual(before);

    // Not valid, and not a signature at all: said in the user's language too.
    await verify.getByTestId('verify-file-input').setInputFiles([files.tampered, files.text]);
    const invalid = fileResult(verify, 'cerere-modificata.pdf').getByTestId('signature-card');
    await invalid.waitFor({ timeout: 30_000 });
    expect(await invalid.getAttribute('data-verdict')).toBe('invalid');
    await fileResult(verify, 'decont.txt').getByTestId('file-error').waitFor();
    await invalid.scrollIntoViewIfNeeded();
    await expectShownInLanguage(verify, { locale, name: 'verify-invalid', screenshots: SCREENSHOTS, inView: [invalid.getByTestId('verdict')] });
    await siui.close();
    await verify.close();
  });
});
