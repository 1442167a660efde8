/**
 * A token in a reader with a PIN pad (protected authentication path), in real Chromium with the real
 * host: the PIN window shows who asks and what is signed but has no PIN field, only the notice to type
 * the PIN on the keypad; Sign lets the token take it from there, and the site verifies the signature
 * with OpenSSL. No PIN crosses our messages at all. The reader is the one stand-in: the
 * fault-injecting module in test/support/faulty-token reports the PIN-pad flag and "types" the PIN
 * into SoftHSM2 when the login comes without one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_TOKEN_SPEC } from '../../scripts/softhsm/provision.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { signatureCheckRoute } from '../../scripts/demo/signature-check-route.js';
import { launchExtensionBrowser } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { buildFaultyToken } from '../support/faulty-token.js';
import { useSoftHsm } from '../support/softhsm.js';

const KEYPAD_PIN = '482915';
const softhsm = useSoftHsm([{ ...DEMO_TOKEN_SPEC, pin: KEYPAD_PIN }]);
const work = mkdtempSync(join(tmpdir(), 'cas-token-pinpad-'));
let server: RunningDemoServer;
let browser: ExtensionBrowser;
let page: Page;
const pageMessages: string[] = [];

beforeAll(async () => {
  const store = softhsm.provisioned();
  const reader = buildFaultyToken(work);
  reader.readPinFromKeypad(KEYPAD_PIN);
  server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' }, routes: [signatureCheckRoute(store.caCertificatePath)] });
  browser = await launchExtensionBrowser({ env: { ...store.env, ...reader.env, CAS_TOKEN_MODULES: reader.modulePath } });
  page = await browser.context.newPage();
  await page.exposeFunction('recordMessage', (text: string) => pageMessages.push(text));
  await page.addInitScript(() => window.addEventListener('message', (event) => (window as unknown as { recordMessage(t: string): void }).recordMessage(JSON.stringify(event.data))));
  await page.goto(`${server.origin}/sign.html`);
  await page.locator('#status.ok').waitFor({ timeout: 15_000 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('PIN-pad reader', () => {
  it('asks for no PIN in our window, signs with the keypad, and the site verifies the signature', async () => {
    let next = browser.context.waitForEvent('page', { timeout: 20_000 });
    await page.click('#sign-hash');
    const consent = await next;
    next = browser.context.waitForEvent('page', { timeout: 20_000 });
    await consent.getByTestId('consent-allow').click().catch((error: Error) => {
      if (!consent.isClosed()) throw error;
    });
    const prompt = await next;
    await prompt.getByTestId('pin-pad').waitFor();
    expect(await prompt.getByTestId('pin-input').count()).toBe(0);
    expect(await prompt.getByTestId('prompt-origin').textContent()).toBe(server.origin);
    expect(await prompt.getByTestId('pin-digest').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await prompt.getByTestId('pin-submit').click().catch((error: Error) => {
      if (!prompt.isClosed()) throw error;
    });
    await page.waitForFunction(() => (window as unknown as { lastHashResult?: unknown }).lastHashResult !== undefined, undefined, { timeout: 30_000 });
    const result = (await page.evaluate(() => (window as unknown as { lastHashResult: unknown }).lastHashResult)) as { verdict?: { valid: boolean; tool: string } };
    expect(result.verdict).toEqual(expect.objectContaining({ valid: true, tool: 'openssl pkeyutl' }));
    expect(pageMessages.join('\n')).not.toContain(KEYPAD_PIN);
  });
});
