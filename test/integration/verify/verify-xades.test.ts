/**
 * XAdES / XML-DSig verification (`verifyFile` on XML) against `xmlsec1 --verify`, trusting only the test
 * root: enveloped XAdES made by our signer (RSA, EC), then edited after signing, with a changed
 * signature value, signed by an unknown CA and by a certificate expired at signing time; a detached
 * XML-DSig made by xmlsec1 itself over a file, verified with and without that file and after it changed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCertificates } from '../../../shared/certificate/certificate-input.js';
import { signXades } from '../../../shared/signature/xades.js';
import { verifyFile } from '../../../shared/verification/verify-file.js';
import type { VerificationReport } from '../../../shared/verification/verification-report.js';
import { failureOf } from '../../support/failure-of.js';
import { pkiSigner, softwareSigner } from '../../support/software-signer.js';
import { xmlsecVerify } from '../../support/independent-verifiers.js';
import { useVerifyPki } from './verify-pki.js';

const { work, pkis } = useVerifyPki('cas-token-verify-xades-');
const prescription = readFileSync(join(import.meta.dirname, '../../fixtures/documents/reteta.xml'));
const rootAnchor = (): Uint8Array[] => readCertificates(readFileSync(pkis().pki.rootCaPemPath));

async function verifyXmlBytes(name: string, xml: Uint8Array, content?: Uint8Array): Promise<VerificationReport> {
  return verifyFile({ name, bytes: xml, ...(content ? { content } : {}), trustAnchors: rootAnchor() });
}

/** An XML-DSig `<Signature>` for xmlsec1 to fill in (digest, signature value, certificates). */
function signatureTemplate({ id, canonicalization, signatureMethod, uri, enveloped }: { id?: string; canonicalization: string; signatureMethod: string; uri: string; enveloped: boolean }): string {
  return `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"${id ? ` Id="${id}"` : ''}>
  <SignedInfo>
    <CanonicalizationMethod Algorithm="${canonicalization}"/>
    <SignatureMethod Algorithm="${signatureMethod}"/>
    <Reference URI="${uri}">${enveloped ? '\n      <Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms>' : ''}
      <DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
      <DigestValue/>
    </Reference>
  </SignedInfo>
  <SignatureValue/>
  <KeyInfo><X509Data/></KeyInfo>
</Signature>
`;
}

const DETACHED_TEMPLATE = `<?xml version="1.0" encoding="UTF-8"?>
${signatureTemplate({ id: 'detached-1', canonicalization: 'http://www.w3.org/2001/10/xml-exc-c14n#', signatureMethod: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', uri: 'factura.txt', enveloped: false })}`;

/** xmlsec1 over the detached reference: a relative URI is a file of the work folder (xmlsec1 calls that type "remote"). */
function xmlsecDetached(command: '--sign' | '--verify', args: string[]): { ok: boolean; output: string } {
  const run = spawnSync('xmlsec1', [command, '--enabled-reference-uris', 'remote', ...args], { cwd: work, encoding: 'utf8' });
  return { ok: run.status === 0, output: run.stdout + run.stderr };
}

describe('verifyFile on XML signatures, checked against xmlsec1', () => {
  it.each(['rsa', 'ec'] as const)('an enveloped XAdES (%s) of ours is valid for both, with the signer serial and issuer', async (kind) => {
    const signed = await signXades(new Uint8Array(prescription), pkiSigner(pkis().pki, kind), { signingTime: new Date() });
    expect(xmlsecVerify(work, `reteta-${kind}.xml`, signed, pkis().pki.rootCaPemPath).ok).toBe(true);
    const report = await verifyXmlBytes(`reteta-${kind}.xml`, signed);
    expect(report).toMatchObject({ type: 'xml', verdict: 'valid' });
    expect(report.signatures[0]).toMatchObject({
      verdict: 'valid',
      format: 'xades',
      signatureAlgorithm: kind === 'rsa' ? 'RSA PKCS#1 v1.5' : 'ECDSA',
      digestAlgorithm: 'SHA-256',
      checks: { signedDataIntact: 'passed', signatureValue: 'passed', certificateValidAtSigningTime: 'passed' },
      chain: { status: 'trusted' },
      signer: { serialNumber: kind === 'rsa' ? '0774B02F37FABD1E' : 'C59D000100022AD3', issuer: 'C=RO, O=CAS Token TEST, CN=CAS Token TEST Qualified CA' },
    });
    expect(report.signatures[0]!.signingTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('XML edited after signing: xmlsec1 rejects it, ours says invalid (signed data changed)', async () => {
    const signed = await signXades(new Uint8Array(prescription), pkiSigner(pkis().pki, 'rsa'));
    const text = new TextDecoder().decode(signed);
    expect(text).toContain('Hipertensiune');
    const edited = new TextEncoder().encode(text.replace('Hipertensiune', 'Hipotensiune'));
    expect(xmlsecVerify(work, 'edited.xml', edited, pkis().pki.rootCaPemPath).ok).toBe(false);
    const report = await verifyXmlBytes('edited.xml', edited);
    expect(report.signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['SIGNED_DATA_CHANGED'], checks: { signedDataIntact: 'failed' } });
  });

  it('a changed signature value: xmlsec1 rejects it, ours says invalid (signature value wrong)', async () => {
    const signed = await signXades(new Uint8Array(prescription), pkiSigner(pkis().pki, 'rsa'));
    const text = new TextDecoder().decode(signed);
    const value = /<ds:SignatureValue[^>]*>([^<]+)</.exec(text)![1]!;
    const flipped = value[10] === 'A' ? 'B' : 'A';
    const changed = new TextEncoder().encode(text.replace(value, value.slice(0, 10) + flipped + value.slice(11)));
    expect(xmlsecVerify(work, 'flipped.xml', changed, pkis().pki.rootCaPemPath).ok).toBe(false);
    const report = await verifyXmlBytes('flipped.xml', changed);
    expect(report.signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['SIGNATURE_VALUE_WRONG'], checks: { signedDataIntact: 'passed', signatureValue: 'failed' } });
  });

  it('signed by a certificate from an unknown CA: xmlsec1 rejects it, ours says indeterminate', async () => {
    const { unknown, pki } = pkis();
    const signed = await signXades(new Uint8Array(prescription), softwareSigner(unknown.rsa, { certificateChain: [unknown.intermediateCaDer] }));
    expect(xmlsecVerify(work, 'unknown-ca.xml', signed, pki.rootCaPemPath).ok).toBe(false);
    expect(xmlsecVerify(work, 'unknown-ca-own.xml', signed, unknown.rootCaPemPath).ok).toBe(true);
    const report = await verifyXmlBytes('unknown-ca.xml', signed);
    expect(report.signatures[0]).toMatchObject({ verdict: 'indeterminate', reasons: ['CHAIN_NOT_TRUSTED'], checks: { signatureValue: 'passed' } });
  });

  it('signed by a certificate expired at signing time: xmlsec1 rejects it, ours says indeterminate', async () => {
    const { expired, pki } = pkis();
    const signed = await signXades(new Uint8Array(prescription), softwareSigner(expired, { certificateChain: [pki.intermediateCaDer] }));
    expect(xmlsecVerify(work, 'expired.xml', signed, pki.rootCaPemPath).ok).toBe(false);
    const report = await verifyXmlBytes('expired.xml', signed);
    expect(report.signatures[0]).toMatchObject({ verdict: 'indeterminate', reasons: ['CERTIFICATE_EXPIRED_AT_SIGNING_TIME'], signer: { serialNumber: '0E0F1A2B' } });
  });

  it('a detached XML-DSig made by xmlsec1: valid with its content, indeterminate without, invalid over changed content — as xmlsec1 says', async () => {
    const { pki } = pkis();
    const content = new TextEncoder().encode('Factura 42\r\nTotal: 100 lei\r\n');
    writeFileSync(join(work, 'factura.txt'), content);
    writeFileSync(join(work, 'template.xml'), DETACHED_TEMPLATE);
    const signing = xmlsecDetached('--sign', ['--privkey-pem', `${pki.rsa.keyPemPath},${pki.rsa.certificatePemPath},${pki.intermediateCaPemPath}`, '--output', 'factura.txt.xml', 'template.xml']);
    expect(signing.ok, signing.output).toBe(true);
    const signature = new Uint8Array(readFileSync(join(work, 'factura.txt.xml')));
    expect(xmlsecDetached('--verify', ['--trusted-pem', pki.rootCaPemPath, 'factura.txt.xml']).ok).toBe(true);

    const valid = await verifyXmlBytes('factura.txt.xml', signature, content);
    expect(valid.signatures[0]).toMatchObject({ verdict: 'valid', contentSource: 'given', xmlSignatureId: 'detached-1', signer: { serialNumber: '0774B02F37FABD1E' } });
    const missing = await verifyXmlBytes('factura.txt.xml', signature);
    expect(missing.signatures[0]).toMatchObject({ verdict: 'indeterminate', reasons: ['SIGNED_CONTENT_MISSING'], contentSource: 'missing' });

    const changed = new TextEncoder().encode('Factura 42\r\nTotal: 900 lei\r\n');
    writeFileSync(join(work, 'factura.txt'), changed);
    expect(xmlsecDetached('--verify', ['--trusted-pem', pki.rootCaPemPath, 'factura.txt.xml']).ok).toBe(false);
    const invalid = await verifyXmlBytes('factura.txt.xml', signature, changed);
    expect(invalid.signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['SIGNED_DATA_CHANGED'] });
  });

  it('an enveloped XML-DSig made by xmlsec1 (inclusive C14N): valid for both, and invalid for both once edited', async () => {
    const { pki } = pkis();
    const template = `<?xml version="1.0" encoding="UTF-8"?>
<factura xmlns="urn:example:factura"><numar>42</numar><total moneda="RON">100.00</total>
${signatureTemplate({ canonicalization: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315', signatureMethod: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256', uri: '', enveloped: true })}</factura>
`;
    writeFileSync(join(work, 'factura-template.xml'), template);
    const signing = spawnSync(
      'xmlsec1',
      ['--sign', '--privkey-pem', `${pki.ec.keyPemPath},${pki.ec.certificatePemPath},${pki.intermediateCaPemPath}`, '--output', 'factura-xmlsec.xml', 'factura-template.xml'],
      { cwd: work, encoding: 'utf8' },
    );
    expect(signing.status, signing.stderr).toBe(0);
    const signed = new Uint8Array(readFileSync(join(work, 'factura-xmlsec.xml')));
    expect(xmlsecVerify(work, 'factura-xmlsec-check.xml', signed, pki.rootCaPemPath).ok).toBe(true);
    expect((await verifyXmlBytes('factura-xmlsec.xml', signed)).signatures[0]).toMatchObject({ verdict: 'valid', signatureAlgorithm: 'ECDSA', signer: { serialNumber: 'C59D000100022AD3' } });
    const edited = new TextEncoder().encode(new TextDecoder().decode(signed).replace('100.00', '900.00'));
    expect(xmlsecVerify(work, 'factura-xmlsec-edited.xml', edited, pki.rootCaPemPath).ok).toBe(false);
    expect((await verifyXmlBytes('factura-xmlsec-edited.xml', edited)).signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['SIGNED_DATA_CHANGED'] });
  });

  it('XML without a signature is NO_SIGNATURE_FOUND; XML that is not well-formed is SIGNED_FILE_DAMAGED', async () => {
    expect(await failureOf(verifyXmlBytes('unsigned.xml', new Uint8Array(prescription)))).toMatchObject({ code: 'NO_SIGNATURE_FOUND' });
    expect(await failureOf(verifyXmlBytes('broken.xml', new TextEncoder().encode('<?xml version="1.0"?><a><b></a>')))).toMatchObject({ code: 'SIGNED_FILE_DAMAGED' });
  });
});
