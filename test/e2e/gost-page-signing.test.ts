/**
 * A Russian (FOMS) user's GOST R 34.10-2012 key, through the whole browser path in real Chromium: a page
 * signs a Streebog digest with the page SDK (digest permission, PIN window, host, token), and a document
 * as CAdES (the extension builds the CMS with Streebog); OpenSSL with the gost engine verifies both over
 * the document itself. The token is the test-only PKCS#11 module over OpenSSL's gost engine
 * (test/support/gost-token): SoftHSM2 has no GOST, and no GOST hardware is here. A PDF with the GOST key
 * is refused before any PIN window.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchExtensionBrowser, openSdkPage } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { GOST_TEST_PIN, openssl, opensslGostCmsVerify, opensslVerdict, useGostTestToken } from '../support/gost-token.js';
import type { GostEndEntity, GostPki } from '../support/gost-token.js';
import { allowOrigins, sdkFromClick } from '../support/sdk-from-click.js';
import { inClosingWindow } from '../support/closing-window.js';

const gost = useGostTestToken('cas-token-gost-page-', { label: 'Rutoken TEST' });
let dir: string;
let pki: GostPki;
let user: GostEndEntity;
let server: RunningDemoServer;
let browser: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  ({ dir, pki } = gost);
  const token = gost.token;
  user = pki.issue('Ivanov', 'gost2012_256', '0x4F1A2B', '/C=RU/O=TFOMS TEST/CN=Ivanov Ivan');
  token.addKeyPair('01', user.keyPemPath);
  token.addCertificate('01', user.certificateDer, 'Ivanov');
  server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' } });
  browser = await launchExtensionBrowser({ env: { ...token.env, CAS_TOKEN_MODULES: token.modulePath } });
  page = await openSdkPage(browser, `${server.origin}/sign.html`);
  await allowOrigins(browser, [server.origin], { digests: true }); // consent is tested elsewhere
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function typePin(check?: (prompt: Page) => Promise<void>): Promise<void> {
  const prompt = await browser.context.waitForEvent('page', { timeout: 20_000 });
  const field = prompt.getByTestId('pin-input');
  await field.waitFor();
  await check?.(prompt);
  if (await prompt.getByTestId('pin-confirm').count()) await prompt.getByTestId('pin-confirm').check();
  await field.fill(GOST_TEST_PIN);
  await inClosingWindow(prompt, () => field.press('Enter'));
}

describe('GOST R 34.10-2012 through the page SDK', () => {
  it('signs a Streebog-256 digest from the page; openssl dgst -engine gost verifies it over the document', async () => {
    const document = join(dir, 'reestr.txt');
    writeFileSync(document, 'Реестр счетов ОМС, ноябрь 2026\n');
    const digest = Buffer.from(openssl(['dgst', '-engine', 'gost', '-md_gost12_256', '-binary', document])).toString('base64');
    const signing = sdkFromClick(page, '(sdk, hash) => sdk.sign({ hash, hashAlgorithm: "GOST3411-2012-256" })', digest);
    // The PIN window names the key as FOMS users know it.
    await typePin(async (prompt) => expect(await prompt.getByTestId('pin-key').textContent()).toBe('GOST 2012-256'));
    const outcome = await signing;
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    const signed = (outcome as { value: { signature: string; algorithm: { scheme: string } } }).value;
    expect(signed.algorithm.scheme).toBe('gost');
    const publicKey = join(dir, 'ivanov.pub.pem');
    openssl(['x509', '-engine', 'gost', '-in', user.certificatePemPath, '-noout', '-pubkey', '-out', publicKey]);
    const signatureFile = join(dir, 'reestr.sig');
    writeFileSync(signatureFile, Buffer.from(signed.signature, 'base64'));
    expect(opensslVerdict(['dgst', '-engine', 'gost', '-md_gost12_256', '-verify', publicKey, '-signature', signatureFile, document]).output).toMatch(/Verified OK/);
    // One byte of the document changed: the same signature no longer verifies.
    writeFileSync(document, 'Реестр счетов ОМС, ноябрь 2027\n');
    expect(opensslVerdict(['dgst', '-engine', 'gost', '-md_gost12_256', '-verify', publicKey, '-signature', signatureFile, document]).ok).toBe(false);
  });

  it('signs a document as CAdES with Streebog, detached and attached; openssl cms -verify -engine gost accepts both; a PDF is refused before the PIN', async () => {
    const content = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Reestr period="2026-11"/>\n');
    const signing = sdkFromClick(page, '(sdk, data) => sdk.signDocument({ name: "reestr.xml", data, format: "cades" })', content.toString('base64'));
    await typePin();
    const outcome = await signing;
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    const signed = (outcome as { value: { data: Record<string, number> | string } }).value;
    const bytes = typeof signed.data === 'string' ? Buffer.from(signed.data, 'base64') : Buffer.from(Object.values(signed.data));
    writeFileSync(join(dir, 'reestr.xml'), content);
    writeFileSync(join(dir, 'reestr.xml.p7s'), bytes);
    const verdict = opensslGostCmsVerify(pki.caPemPath, join(dir, 'reestr.xml.p7s'), { content: join(dir, 'reestr.xml') });
    expect(verdict.output).toMatch(/Verification successful/);

    // Attached (.sig, what FOMS systems exchange): the document inside, given back as it was by openssl.
    const attaching = sdkFromClick(page, '(sdk, data) => sdk.signDocument({ name: "reestr.xml", data, format: "cades", attached: true })', content.toString('base64'));
    await typePin();
    const attached = await attaching;
    expect(attached.ok, JSON.stringify(attached)).toBe(true);
    const attachedData = (attached as { value: { data: Record<string, number> | string } }).value.data;
    writeFileSync(join(dir, 'reestr.xml.sig'), typeof attachedData === 'string' ? Buffer.from(attachedData, 'base64') : Buffer.from(Object.values(attachedData)));
    const inside = opensslGostCmsVerify(pki.caPemPath, join(dir, 'reestr.xml.sig'), { out: join(dir, 'reestr-inside.xml') });
    expect(inside.output).toMatch(/Verification successful/);
    expect(readFileSync(join(dir, 'reestr-inside.xml')).equals(content)).toBe(true);

    let opened = false;
    const onPage = (): void => void (opened = true);
    browser.context.on('page', onPage);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n').toString('base64');
    const refused = await sdkFromClick(page, '(sdk, data) => sdk.signDocument({ name: "akt.pdf", data })', pdf);
    browser.context.off('page', onPage);
    expect(refused).toMatchObject({ ok: false, code: 'FORMAT_NOT_SUPPORTED' });
    expect(opened).toBe(false);
  });
});
