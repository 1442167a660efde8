/**
 * XAdES-BES enveloped signatures over real documents (an RO e-Factura invoice, a prescription), RSA and
 * EC P-256, verified by xmlsec1 trusting only the test root CA; a changed byte must fail it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { signXades } from '../../../shared/signature/xades.js';
import { pkiSigner } from '../../support/software-signer.js';
import { createTestPki } from '../../support/test-pki.js';
import type { TestPki } from '../../support/test-pki.js';
import { xmlsecVerify } from './independent-verifiers.js';

const fixtures = join(import.meta.dirname, '../../fixtures/documents');
const invoice = readFileSync(join(fixtures, 'factura-ubl.xml'));
const prescription = readFileSync(join(fixtures, 'reteta.xml'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'cas-token-xades-'));
let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => {
  pki?.dispose();
  rmSync(work, { recursive: true, force: true });
});

const XADES = 'http://uri.etsi.org/01903/v1.3.2#';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

describe('XAdES-BES enveloped', () => {
  it.each([
    ['rsa', 'SHA-256'],
    ['rsa', 'SHA-512'],
    ['ec', 'SHA-256'],
    ['ec', 'SHA-384'],
  ] as ['rsa' | 'ec', HashAlgorithm][])('an invoice signed with the %s key and %s verifies with xmlsec1', async (kind, hashAlgorithm) => {
    const signed = await signXades(new Uint8Array(invoice), pkiSigner(pki, kind), { hashAlgorithm });
    const verdict = xmlsecVerify(work, `factura-${kind}-${hashAlgorithm}.xml`, signed, pki.rootCaPemPath);
    expect(verdict.output).toMatch(/^OK/m);
    expect(verdict.ok).toBe(true);
  });

  it('a prescription given as a string, with a CDATA section and diacritics, verifies with xmlsec1 (EC)', async () => {
    const signed = await signXades(prescription, pkiSigner(pki, 'ec'));
    expect(xmlsecVerify(work, 'reteta-ec.xml', signed, pki.rootCaPemPath).ok).toBe(true);
    const text = new TextDecoder().decode(signed);
    expect(text).toContain('Hipertensiune arterială esențială');
    expect(text).toContain('dimineața, după masă');
  });

  it('an ISO-8859-2 document is read by its declaration and comes out as UTF-8 that still verifies', async () => {
    // "Farmacia Ştefan - reţetă" in ISO-8859-2: Ş = 0xAA, ţ = 0xFE, ă = 0xE3.
    const head = Buffer.from('<?xml version="1.0" encoding="ISO-8859-2"?>\n<furnizor>Farmacia ', 'latin1');
    const latin2 = new Uint8Array(Buffer.concat([head, Buffer.from([0xaa, 0x74, 0x65, 0x66, 0x61, 0x6e]), Buffer.from(' - re'), Buffer.from([0xfe, 0x65, 0x74, 0xe3]), Buffer.from('</furnizor>')]));
    const signed = await signXades(latin2, pkiSigner(pki, 'rsa'));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(signed);
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(text).toContain('<furnizor>Farmacia Ştefan - reţetă');
    expect(xmlsecVerify(work, 'latin2.xml', signed, pki.rootCaPemPath).ok).toBe(true);
  });

  it('keeps the document and appends one ds:Signature with the XAdES signed properties and the certificates', async () => {
    const signingTime = new Date('2024-05-02T09:30:00Z');
    const signed = await signXades(new Uint8Array(invoice), pkiSigner(pki, 'rsa'), { signingTime });
    const document = new DOMParser().parseFromString(new TextDecoder().decode(signed), 'text/xml');
    const root = document.documentElement!;
    expect(root.localName).toBe('Invoice');
    expect(root.getElementsByTagNameNS('urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2', 'ID')[0]?.textContent).toBe('FARM-2024-0417');
    const signatures = document.getElementsByTagNameNS(DSIG, 'Signature');
    expect(signatures.length).toBe(1);
    expect(signatures[0]!.parentNode).toBe(root); // enveloped

    const references = [...Array.from(document.getElementsByTagNameNS(DSIG, 'Reference'))];
    expect(references.map((r) => r.getAttribute('URI'))).toContain(''); // the whole document
    const signedPropertiesReference = references.find((r) => r.getAttribute('Type') === 'http://uri.etsi.org/01903#SignedProperties');
    const signedProperties = document.getElementsByTagNameNS(XADES, 'SignedProperties')[0]!;
    expect(signedPropertiesReference?.getAttribute('URI')).toBe(`#${signedProperties.getAttribute('Id')}`);

    expect(new Date(signedProperties.getElementsByTagNameNS(XADES, 'SigningTime')[0]!.textContent!).toISOString()).toBe(signingTime.toISOString());
    const certDigest = document.getElementsByTagNameNS(XADES, 'SigningCertificateV2')[0]?.getElementsByTagNameNS(DSIG, 'DigestValue')[0]?.textContent;
    const expectedDigest = createHash('sha256').update(pki.rsa.certificateDer).digest('base64');
    expect(certDigest).toBe(expectedDigest);

    const embedded = Array.from(document.getElementsByTagNameNS(DSIG, 'X509Certificate')).map((c) => c.textContent!.replace(/\s+/g, ''));
    expect(embedded).toEqual([Buffer.from(pki.rsa.certificateDer).toString('base64'), Buffer.from(pki.intermediateCaDer).toString('base64')]);
  });

  it('a changed amount in the signed invoice fails xmlsec1 (the check can fail)', async () => {
    const signed = new TextDecoder().decode(await signXades(new Uint8Array(invoice), pkiSigner(pki, 'rsa')));
    expect(signed).toContain('13570.32');
    const tampered = new TextEncoder().encode(signed.replace('13570.32', '13570.99'));
    expect(xmlsecVerify(work, 'factura-tampered.xml', tampered, pki.rootCaPemPath).ok).toBe(false);
  });

  it('a changed signing time (a signed property) fails xmlsec1', async () => {
    const signed = new TextDecoder().decode(await signXades(prescription, pkiSigner(pki, 'ec'), { signingTime: new Date('2024-05-02T09:30:00Z') }));
    const tampered = new TextEncoder().encode(signed.replace('2024-05-02T09:30:00', '2024-05-01T09:30:00'));
    expect(new TextDecoder().decode(tampered)).not.toBe(signed);
    expect(xmlsecVerify(work, 'reteta-time-tampered.xml', tampered, pki.rootCaPemPath).ok).toBe(false);
  });

  it('refuses XML that is not well formed with INVALID_ARGUMENT', async () => {
    await expect(signXades('<factura><neinchis></factura>', pkiSigner(pki, 'rsa'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
