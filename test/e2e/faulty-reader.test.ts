/**
 * Readers that are not simple, in real Chromium with the real host and a SoftHSM2 token behind the
 * fault-injecting module in test/support/faulty-token:
 *  - a reader with a PIN pad (protected authentication path): the PIN window shows who asks and what
 *    is signed but has no PIN field, only the notice to type the PIN on the keypad; Sign lets the token
 *    take it from there, and the site verifies the signature with OpenSSL. (The keypad is the one
 *    stand-in: the module reports the PIN-pad flag and "types" the PIN when the login has none.)
 *  - the token pulled out in the middle of a 1,000-digest batch asked by a page: the page gets
 *    NO_TOKEN (after progress that shows it was mid-way), the PIN window closes, the page sees no token;
 *    put back, the next batch signs and verifies, without restarting the browser.
 */
import { X509Certificate, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_TOKEN_SPEC } from '../../scripts/softhsm/provision.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { signatureCheckRoute } from '../../scripts/demo/signature-check-route.js';
import { launchExtensionBrowser, openSdkPage } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { buildFaultyToken } from '../support/faulty-token.js';
import type { FaultyToken } from '../support/faulty-token.js';
import { useSoftHsm } from '../support/softhsm.js';
import { clickClosing, inClosingWindow } from '../support/closing-window.js';

const KEYPAD_PIN = '482915';
let reader: FaultyToken;
const softhsm = useSoftHsm([{ ...DEMO_TOKEN_SPEC, pin: KEYPAD_PIN }]);
const work = mkdtempSync(join(tmpdir(), 'cas-token-pinpad-'));
let server: RunningDemoServer;
let browser: ExtensionBrowser;
let page: Page;
const pageMessages: string[] = [];

beforeAll(async () => {
  const store = softhsm.provisioned();
  reader = buildFaultyToken(work);
  reader.readPinFromKeypad(KEYPAD_PIN);
  server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' }, routes: [signatureCheckRoute(store.caCertificatePath)] });
  browser = await launchExtensionBrowser({ env: { ...store.env, ...reader.env, CAS_TOKEN_MODULES: reader.modulePath } });
  page = await openSdkPage(browser, `${server.origin}/sign.html`, pageMessages);
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
    await clickClosing(consent, 'consent-allow');
    // Bare digests: their own consent.
    const digestConsent = await next;
    next = browser.context.waitForEvent('page', { timeout: 20_000 });
    await clickClosing(digestConsent, 'consent-allow');
    const prompt = await next;
    await prompt.getByTestId('pin-pad').waitFor();
    expect(await prompt.getByTestId('pin-input').count()).toBe(0);
    expect(await prompt.getByTestId('prompt-origin').textContent()).toBe(server.origin);
    expect(await prompt.getByTestId('pin-digests').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await prompt.getByTestId('pin-confirm').check(); // the qualified key, on the user's permission
    await clickClosing(prompt, 'pin-submit');
    await page.waitForFunction(() => (window as unknown as { lastHashResult?: unknown }).lastHashResult !== undefined, undefined, { timeout: 30_000 });
    const result = (await page.evaluate(() => (window as unknown as { lastHashResult: unknown }).lastHashResult)) as { verdict?: { valid: boolean; tool: string } };
    expect(result.verdict).toEqual(expect.objectContaining({ valid: true, tool: 'openssl pkeyutl' }));
    expect(pageMessages.join('\n')).not.toContain(KEYPAD_PIN);
  });

  it('a token pulled out mid-batch gives the page NO_TOKEN; put back, the next batch signs without a restart', { timeout: 120_000 }, async () => {
    reader.pullOutAfter(300); // and no PIN pad any more: this reader wants the PIN typed in our window
    const texts = Array.from({ length: 1000 }, (_, i) => `Factura ${i + 1}`);
    const signAll = () =>
      page.evaluate(async (texts) => {
        const sdk = (window as unknown as { CasToken: typeof import('../../extension/sdk/index.js') }).CasToken;
        const hashes = await Promise.all(texts.map(async (text) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))));
        const progress: number[] = [];
        try {
          const signed = await sdk.signHashes({ hashes, hashAlgorithm: 'SHA-256', onProgress: (p) => progress.push(p.done) });
          return { ok: true as const, progress, signatures: signed.signatures, certificate: signed.certificate };
        } catch (error) {
          return { ok: false as const, progress, code: (error as { code: string }).code };
        }
      }, texts);
    const typeTheRightPin = async (): Promise<void> => {
      const prompt = await browser.context.waitForEvent('page', { timeout: 20_000 });
      const field = prompt.getByTestId('pin-input');
      await field.fill(KEYPAD_PIN);
      await prompt.getByTestId('pin-confirm').check();
      await prompt.locator('[data-testid=pin-submit]:not([disabled])').waitFor();
      const closed = prompt.waitForEvent('close', { timeout: 30_000 });
      await inClosingWindow(prompt, () => field.press('Enter'));
      await closed; // NO_TOKEN is not a reason to keep the window for another PIN
    };

    const [pulled] = await Promise.all([signAll(), typeTheRightPin()]);
    expect(pulled).toMatchObject({ ok: false, code: 'NO_TOKEN' });
    expect(Math.max(...pulled.progress)).toBeGreaterThanOrEqual(250); // it was in the middle of the batch
    expect(Math.max(...pulled.progress)).toBeLessThanOrEqual(300);
    const away = await page.evaluate(() => (window as unknown as { CasToken: typeof import('../../extension/sdk/index.js') }).CasToken.status());
    expect(away.tokens).toBe(0);

    reader.putBack();
    const [again] = await Promise.all([signAll(), typeTheRightPin()]);
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    const certificate = new X509Certificate(Buffer.from(again.certificate, 'base64'));
    expect(again.signatures.every((signature, i) => verify('sha256', Buffer.from(texts[i]!), certificate.publicKey, Buffer.from(signature, 'base64')))).toBe(true);
  });
});
