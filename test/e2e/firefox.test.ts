/**
 * Firefox ESR with the built extension and the real native host: the native round trip (page SDK →
 * content bridge → event page → host → SoftHSM2 → back) and form filling through the background.
 * The site is pre-approved the way an administrator does it (managed storage), so no consent window
 * shows; the consent and PIN windows themselves are answered in firefox-prompt-windows.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchFirefoxWithExtension } from '../support/firefox-extension.js';
import type { FirefoxWithExtension } from '../support/firefox-extension.js';
import { opensslView } from '../support/openssl-certificate-view.js';
import { useSoftHsm } from '../support/softhsm.js';

const softhsm = useSoftHsm();
let server: RunningDemoServer;
let firefox: FirefoxWithExtension;
let page: Page;

beforeAll(async () => {
  server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' } });
  const store = softhsm.provisioned();
  firefox = await launchFirefoxWithExtension({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath }, allowedOrigins: [server.origin] });
  page = await firefox.browser.newPage();
  await page.goto(`${server.origin}/sign.html`);
  await page.waitForSelector('#status.ok', { timeout: 20_000 });
}, 120_000);
afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

describe('Firefox ESR', () => {
  it('reads the token certificates through the native host', async () => {
    const certificates = (await page.evaluate(async () => {
      const sdk = (window as unknown as { CasToken: { getCertificates(): Promise<{ id: string; details: { serialNumber: string } }[]> } }).CasToken;
      return sdk.getCertificates();
    })) as { id: string; details: { serialNumber: string } }[];
    const expected = softhsm
      .provisioned()
      .tokens[0]!.certificates.map((c) => c.serialNumberHex)
      .sort();
    expect(certificates.map((c) => c.details.serialNumber).sort()).toEqual(expected);
  });

  it('fills the registration form through the background', async () => {
    await page.goto(`${server.origin}/registration.html`);
    await page.addScriptTag({ type: 'module', content: "import * as CasToken from '/sdk/cas-token.js'; window.CasToken = CasToken;" });
    await page.waitForFunction(() => 'CasToken' in window);
    const result = (await page.evaluate(async () => (window as unknown as { CasToken: { fillForm(): Promise<{ filled: number }> } }).CasToken.fillForm())) as { filled: number };
    expect(result.filled).toBe(5);
    const qualified = softhsm.provisioned().tokens[0]!.certificates.find((c) => c.purpose === 'qualified-signing')!;
    const openssl = opensslView(qualified.certificatePath);
    const values = (await page.evaluate(() => Object.fromEntries(Array.from(document.querySelectorAll('input')).map((i) => [i.id, i.value])))) as Record<string, string>;
    expect(values.serie).toBe(openssl.serialNumber);
    expect(values.emitent).toBe(openssl.issuer);
    expect(values.emailCertificat).toBe('stefan.ionescu@example.com');
    expect(values.telefon).toBe('');
    expect(values.emailReprezentant).toBe('');
  });
});
