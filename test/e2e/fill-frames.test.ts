/**
 * Fill form never writes the certificate into another site's frame without the user's say, in real
 * Chromium. The CAS page on http://localhost:PORT has its own fields, a same-origin iframe, an
 * about:blank frame it wrote, a sandboxed (opaque) srcdoc frame, and a frame of another site,
 * http://127.0.0.1:PORT2, whose script records every value that appears in its fields (and in an
 * about:blank frame of its own) and claims the CAS page's origin as its own.
 *
 * - The page SDK's fillForm(): the page's own frames are filled; the other site's frames and the
 *   opaque frame get nothing, not even for a moment.
 * - The popup's Fill form: the same first; then it names the other site and fills its frames only
 *   after the click; the opaque frame never.
 */
import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertificates } from '../../shared/certificate/certificate-input.js';
import { describeCertificate } from '../../shared/certificate/describe-certificate.js';
import { fillValuesFromDetails } from '../../extension/content/fill/fill-values.js';
import type { FillValues } from '../../extension/content/fill/fill-values.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchExtensionBrowser } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { expectedValue } from '../support/fill-expectations.js';
import { useSoftHsm } from '../support/softhsm.js';
import { clickClosing } from '../support/closing-window.js';

const softhsm = useSoftHsm();
let server: RunningDemoServer;
let otherSite: RunningDemoServer;
let otherOrigin: string;
let browser: ExtensionBrowser;
let values: FillValues;

beforeAll(async () => {
  server = await startDemoServer({ mounts: { '/': 'test/fixtures', '/sdk/': 'dist/sdk' } });
  otherSite = await startDemoServer({ mounts: { '/': 'test/fixtures' } });
  otherOrigin = otherSite.origin.replace('//localhost:', '//127.0.0.1:'); // another site: another host and port
  const store = softhsm.provisioned();
  browser = await launchExtensionBrowser({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath, TZ: 'Europe/Bucharest' } });
  const qualified = store.tokens[0]!.certificates.find((c) => c.purpose === 'qualified-signing')!;
  values = fillValuesFromDetails(await describeCertificate(readCertificates(readFileSync(qualified.certificatePath))[0]!), 'Europe/Bucharest');
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await otherSite?.close();
});

async function openCasPage(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/frames/cas-page.html?other=${encodeURIComponent(otherOrigin)}`);
  await page.locator('#status.ok').waitFor({ timeout: 15_000 });
  await page.frame({ name: 'other-origin' })!.waitForFunction(() => Array.isArray((window as unknown as { seen?: unknown }).seen));
  return page;
}

function frame(page: Page, name: string): Frame {
  const found = page.frames().find((f) => f.name() === name);
  if (!found) throw new Error(`no frame ${name}`);
  return found;
}

/** Each field of the frame: what it holds and what it would hold filled. */
async function fieldsOf(target: Frame): Promise<{ name: string; value: string; filled: string }[]> {
  const fields = await target.$$eval('[data-expect]', (all) => all.map((f) => ({ name: (f as HTMLInputElement).name, expect: f.getAttribute('data-expect')!, value: (f as HTMLInputElement).value })));
  expect(fields.length).toBeGreaterThan(0);
  return fields.map(({ name, expect: wanted, value }) => ({ name, value, filled: expectedValue(wanted, values) }));
}

async function expectFilled(page: Page, name: string): Promise<number> {
  const fields = await fieldsOf(name === 'top' ? page.mainFrame() : frame(page, name));
  for (const field of fields) expect({ frame: name, field: field.name, value: field.value }).toEqual({ frame: name, field: field.name, value: field.filled });
  return fields.length;
}

async function expectEmpty(page: Page, name: string): Promise<void> {
  for (const field of await fieldsOf(frame(page, name))) expect({ frame: name, field: field.name, value: field.value }).toEqual({ frame: name, field: field.name, value: '' });
}

/** What the other site's script saw in its fields (its own frame and its about:blank child). */
async function seenByOtherSite(page: Page): Promise<string[]> {
  return frame(page, 'other-origin').evaluate(() => (window as unknown as { seen: string[] }).seen);
}

const OWN_FRAMES = ['top', 'same-origin', 'same-origin-blank'];

describe('Fill form and the frames of other sites', () => {
  it('the page SDK fills the page own frames only: the other site and the opaque frame get nothing', async () => {
    const page = await openCasPage();
    const consentWindow = browser.context.waitForEvent('page', { timeout: 20_000 });
    const filling = page.evaluate(() => (window as unknown as { CasToken: { fillForm(): Promise<{ filled: number; fields: { value: string }[] }> } }).CasToken.fillForm());
    const consent = await consentWindow;
    await clickClosing(consent, 'consent-allow');
    const result = await filling;
    let own = 0;
    for (const name of OWN_FRAMES) own += await expectFilled(page, name);
    expect(result.filled).toBe(own);
    await page.waitForTimeout(500); // the other site's script looks every 20 ms
    await expectEmpty(page, 'other-origin');
    await expectEmpty(page, 'other-origin-blank');
    await expectEmpty(page, 'sandboxed');
    expect(await seenByOtherSite(page)).toEqual([]);
    expect(result.fields.map((f) => f.value)).not.toContain(values.email); // the e-mail field is only in the other site's frame
    await page.close();
  });

  it('the popup fills the page own frames, names the other site, and fills its frames only after the click', async () => {
    const page = await openCasPage();
    const popup = await browser.openPopup(page);
    await popup.getByTestId('fill-form').click({ timeout: 20_000 });
    await popup.getByTestId('fill-result').waitFor({ timeout: 20_000 });
    let own = 0;
    for (const name of OWN_FRAMES) own += await expectFilled(page, name);
    expect(await popup.getByTestId('fill-result').textContent()).toContain(String(own));
    const question = popup.getByTestId('other-frames');
    await question.waitFor();
    expect(await question.getAttribute('data-origins')).toBe(otherOrigin); // not the opaque frame's 'null'
    expect(await question.textContent()).toContain(otherOrigin);
    await page.waitForTimeout(500);
    await expectEmpty(page, 'other-origin');
    await expectEmpty(page, 'other-origin-blank');
    expect(await seenByOtherSite(page)).toEqual([]);

    await popup.getByTestId('fill-other-frames').click();
    await question.waitFor({ state: 'detached', timeout: 20_000 });
    const other = (await expectFilled(page, 'other-origin')) + (await expectFilled(page, 'other-origin-blank'));
    expect(await popup.getByTestId('fill-result').textContent()).toContain(String(own + other));
    await expectEmpty(page, 'sandboxed');
    await popup.close();
    await page.close();
  });
});
