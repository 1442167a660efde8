/**
 * The verification engine is browser-safe: `shared/verification/verify-file.ts` bundled for the browser
 * (rolldown, the bundler vite uses) and run in real Chromium (a page on localhost) gives the same
 * verdicts and signer as in Node — a valid PDF, a tampered PDF, a GOST CAdES made by openssl
 * (node-gost-crypto loaded on demand there too) and an XAdES.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { rolldown } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPades } from '../../../shared/signature/pades.js';
import { signXades } from '../../../shared/signature/xades.js';
import { pkiSigner } from '../../support/software-signer.js';
import { createGostPki, openssl } from '../../support/gost-token.js';
import { samplePdf } from '../signature/sample-pdfs.js';
import { useVerifyPki } from './verify-pki.js';

const { pkis } = useVerifyPki('cas-token-verify-browser-');
const bundleDir = mkdtempSync(join(tmpdir(), 'cas-token-verify-bundle-'));
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  const bundle = await rolldown({ input: join(import.meta.dirname, '../../../shared/verification/verify-file.ts'), platform: 'browser', logLevel: 'silent' });
  await bundle.write({ dir: bundleDir, format: 'es', entryFileNames: 'verify-file.js' });
  server = createServer((request, response) => {
    const path = normalize(join(bundleDir, (request.url ?? '/').split('?')[0]!));
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>verify</title>');
    } else if (path.startsWith(bundleDir)) {
      let body: Buffer | undefined;
      try {
        body = readFileSync(path);
      } catch {
        body = undefined;
      }
      if (body) response.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
      else response.writeHead(404).end();
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  rmSync(bundleDir, { recursive: true, force: true });
});

interface BrowserVerdict {
  verdict: string;
  reasons: string[];
  serialNumber?: string;
  issuer?: string;
}

/** verifyFile in the page: the bytes and the trust anchors cross as base64. */
async function verifyInBrowser(bytes: Uint8Array, trustAnchor: Uint8Array): Promise<BrowserVerdict[]> {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/`);
    // A string, not a function: vitest would rewrite a function's import() for Node.
    const script = `(async () => {
      const decode = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const module = await import(location.origin + '/verify-file.js');
      const report = await module.verifyFile({ name: 'file', bytes: decode(${JSON.stringify(Buffer.from(bytes).toString('base64'))}), trustAnchors: [decode(${JSON.stringify(Buffer.from(trustAnchor).toString('base64'))})] });
      return report.signatures.map((s) => ({ verdict: s.verdict, reasons: s.reasons, serialNumber: s.signer?.serialNumber, issuer: s.signer?.issuer }));
    })()`;
    return (await page.evaluate(script)) as BrowserVerdict[];
  } finally {
    await page.close();
  }
}

const rootDer = (): Uint8Array =>
  new Uint8Array(
    Buffer.from(
      readFileSync(pkis().pki.rootCaPemPath, 'utf8')
        .replace(/-----[^-]+-----/g, '')
        .replace(/\s+/g, ''),
      'base64',
    ),
  );

describe('verifyFile bundled for the browser, in Chromium', () => {
  it('a signed PDF is valid there too, with the signer serial and issuer; the same PDF tampered is invalid', async () => {
    const pdf = await signPades(await samplePdf({ objectStreams: true }), pkiSigner(pkis().pki, 'ec'));
    expect(await verifyInBrowser(pdf, rootDer())).toEqual([{ verdict: 'valid', reasons: [], serialNumber: 'C59D000100022AD3', issuer: 'C=RO, O=CAS Token TEST, CN=CAS Token TEST Qualified CA' }]);
    const tampered = pdf.slice();
    tampered[pdf.indexOf(0x0a) + 2]! ^= 0x01;
    expect((await verifyInBrowser(tampered, rootDer()))[0]).toMatchObject({ verdict: 'invalid', reasons: ['SIGNED_DATA_CHANGED'] });
  });

  it('an attached GOST R 34.10-2012 CAdES made by openssl is valid there too (node-gost-crypto loaded on demand)', async () => {
    const gost = createGostPki();
    try {
      const user = gost.issue('petrov', 'gost2012_256', '0x0B22', '/C=RU/O=TFOMS TEST/CN=Petrov', 'A');
      writeFileSync(join(gost.dir, 'reestr.txt'), 'Реестр счетов\r\n');
      openssl(
        [
          'cms',
          '-sign',
          '-engine',
          'gost',
          '-nodetach',
          '-binary',
          '-in',
          'reestr.txt',
          '-signer',
          user.certificatePemPath,
          '-inkey',
          user.keyPemPath,
          '-md',
          'md_gost12_256',
          '-outform',
          'DER',
          '-out',
          'reestr.sig',
        ],
        gost.dir,
      );
      const signature = new Uint8Array(readFileSync(join(gost.dir, 'reestr.sig')));
      expect(await verifyInBrowser(signature, gost.caDer)).toEqual([{ verdict: 'valid', reasons: [], serialNumber: user.serialNumber, issuer: 'C=RU, O=CAS Token TEST, CN=CAS Token TEST GOST CA' }]);
    } finally {
      gost.dispose();
    }
  });

  it('an enveloped XAdES is valid there too', async () => {
    const xml = await signXades('<reteta><medicament>Paracetamol 500 mg</medicament></reteta>', pkiSigner(pkis().pki, 'rsa'));
    expect(await verifyInBrowser(xml, rootDer())).toEqual([{ verdict: 'valid', reasons: [], serialNumber: '0774B02F37FABD1E', issuer: 'C=RO, O=CAS Token TEST, CN=CAS Token TEST Qualified CA' }]);
  });
});
