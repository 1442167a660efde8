/**
 * Fill form in real Chromium on the CAS-like fixture pages (tables, bare labels, a controlled form that
 * re-renders from its own state, date inputs, a form inside an iframe, a Russian FOMS page): every field
 * ends up holding what its `data-expect` declares — the token certificate's value or nothing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from 'playwright-core';
import fc from 'fast-check';
import { readCertificates } from '../../shared/certificate/certificate-input.js';
import { describeCertificate } from '../../shared/certificate/describe-certificate.js';
import { fillValuesFromDetails } from '../../extension/content/fill/fill-values.js';
import type { FillValues } from '../../extension/content/fill/fill-values.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchExtensionBrowser } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { expectedValue } from '../support/fill-expectations.js';
import { mixedPage, mixedPageHtml } from '../support/label-variants.js';
import { useSoftHsm } from '../support/softhsm.js';

const softhsm = useSoftHsm();
let server: RunningDemoServer;
let browser: ExtensionBrowser;
let values: FillValues;

beforeAll(async () => {
  server = await startDemoServer({ mounts: { '/fixtures/': 'test/fixtures/pages' } });
  const store = softhsm.provisioned();
  browser = await launchExtensionBrowser({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath, TZ: 'Europe/Bucharest' } });
  const qualified = store.tokens[0]!.certificates.find((c) => c.purpose === 'qualified-signing')!;
  const details = await describeCertificate(readCertificates(readFileSync(qualified.certificatePath))[0]!);
  values = fillValuesFromDetails(details, 'Europe/Bucharest');
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function fieldsOf(frame: Frame): Promise<{ name: string; expect: string; value: string }[]> {
  return frame.$$eval('[data-expect]', (fields) => fields.map((f) => ({ name: (f as HTMLInputElement).name || f.id, expect: f.getAttribute('data-expect')!, value: (f as HTMLInputElement).value })));
}

describe('Fill form on CAS-like pages', () => {
  it.each([
    'table-layout.html',
    'bare-labels.html',
    'controlled-inputs.html',
    'russian-foms.html',
    'iframe-outer.html',
    'traps.html',
    'validity-one-field.html',
    'horizontal-table.html',
    'period-pair.html',
    'siui-certificat-utilizator.html',
  ])('%s', async (name) => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/fixtures/${name}`);
    await page.waitForLoadState('load');
    const popup = await browser.openPopup(page);
    await popup.getByTestId('fill-form').click({ timeout: 20_000 });
    await popup.getByTestId('fill-result').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(200); // a controlled form re-renders from its state meanwhile
    let checked = 0;
    for (const frame of page.frames()) {
      for (const field of await fieldsOf(frame)) {
        expect({ page: name, field: field.name, value: field.value }).toEqual({ page: name, field: field.name, value: expectedValue(field.expect, values) });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(3);
    if (name === 'controlled-inputs.html') {
      const state = JSON.parse((await page.locator('#state').textContent()) ?? '{}') as Record<string, string>;
      expect(state.serial).toBe(values.serialNumber); // the framework's own state saw the value
    }
    await popup.close();
    await page.close();
  });

  // The property test's generator (test/unit/fill/label-generalisation.property.test.ts), through the real
  // filler in Chromium: a certificate section among provider / contract / work point records, in each language.
  it.each(['ro', 'en', 'ru'])('a generated %s page mixing the certificate with other records fills only the certificate section', async (language) => {
    const [sections] = fc.sample(
      mixedPage.filter((s) => s.some((section) => section.kind === 'certificate') && s.length >= 3 && s[0]!.language === language),
      { numRuns: 1, seed: 1202 },
    );
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/fixtures/traps.html`);
    await page.setContent(mixedPageHtml(sections!));
    const popup = await browser.openPopup(page);
    await popup.getByTestId('fill-form').click({ timeout: 20_000 });
    await popup.getByTestId('fill-result').waitFor({ timeout: 20_000 });
    const fields = await fieldsOf(page.mainFrame());
    expect(fields.length).toBeGreaterThanOrEqual(6);
    for (const field of fields) expect({ field: field.name, value: field.value }).toEqual({ field: field.name, value: expectedValue(field.expect, values) });
    expect(fields.filter((f) => f.value !== '')).toHaveLength(2);
    await popup.close();
    await page.close();
  });
});
