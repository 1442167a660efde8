/**
 * The doctor's main job in real Chromium: the built extension, the native host installed into the test
 * profile by `cas-token install`, a SoftHSM2 token. The popup's states, the certificate details, and
 * Fill form on CAS-like pages: each certificate field gets exactly the token certificate's value in
 * the form's convention, every other field stays empty; undo puts everything back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFormDate } from '../../shared/certificate/validity-dates.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { demoRegistrationAfterFill } from '../support/fill-expectations.js';
import { launchExtensionBrowser } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { useSoftHsm } from '../support/softhsm.js';
import { opensslView } from '../support/openssl-certificate-view.js';

const softhsm = useSoftHsm();
let server: RunningDemoServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startDemoServer({ mounts: { '/': 'demo/site', '/fixtures/': 'test/fixtures/pages' } });
  const store = softhsm.provisioned();
  browser = await launchExtensionBrowser({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath } });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function qualifiedCertificate() {
  const certificate = softhsm.provisioned().tokens[0]!.certificates.find((c) => c.purpose === 'qualified-signing')!;
  return { certificate, openssl: opensslView(certificate.certificatePath) };
}

describe('popup with a token present', () => {
  it('shows the qualified signing certificate by default with its details', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/registration.html`);
    const popup = await browser.openPopup(page);
    await popup.locator('[data-testid=popup-state][data-state=ready]').waitFor({ timeout: 20_000 });
    const { openssl } = qualifiedCertificate();
    expect(await popup.getByTestId('detail-serial').textContent()).toBe(openssl.serialNumber);
    expect(await popup.getByTestId('detail-issuer').textContent()).toBe(openssl.issuer);
    expect(await popup.getByTestId('detail-email').textContent()).toBe('stefan.ionescu@example.com');
    expect(await popup.getByTestId('detail-valid-to').textContent()).toBe(formatFormDate(openssl.notAfter, 'DD.MM.YYYY'));
    expect(await popup.getByTestId('detail-cui').textContent()).toBe('12345678');
    await popup.close();
    await page.close();
  });

  it('fills the demo registration form: the certificate fields exactly, nothing else; undo restores', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/registration.html`);
    const popup = await browser.openPopup(page);
    await popup.getByTestId('fill-form').click({ timeout: 20_000 });
    await popup.getByTestId('fill-result').waitFor({ timeout: 20_000 });
    expect(await popup.getByTestId('fill-result').textContent()).toMatch(/5/);
    const { openssl } = qualifiedCertificate();
    const values = Object.fromEntries(await page.$$eval('input, select', (fields) => fields.map((f) => [f.id, (f as HTMLInputElement).value])));
    expect(values).toEqual(demoRegistrationAfterFill(openssl, 'stefan.ionescu@example.com'));
    await popup.getByTestId('undo-fill').click();
    await popup.getByTestId('undo-result').waitFor();
    const after = await page.$$eval('input', (fields) => fields.map((f) => (f as HTMLInputElement).value));
    expect(after.every((v) => v === '')).toBe(true);
    await popup.close();
    await page.close();
  });
});
