/**
 * CAdES verification (`verifyFile` on .p7s / .p7m) against `openssl cms -verify`, trusting only the test
 * root: for every fixture our verdict and OpenSSL's agree — signatures made by our signer and by
 * `openssl cms -sign`, detached and attached; and those OpenSSL rejects: changed content, a changed
 * signature value, the wrong signer certificate, an unknown CA, a certificate expired at signing time.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signCades } from '../../../shared/signature/cades.js';
import { readCertificates } from '../../../shared/certificate/certificate-input.js';
import { verifyFile } from '../../../shared/verification/verify-file.js';
import type { VerificationReport } from '../../../shared/verification/verification-report.js';
import { pkiSigner, softwareSigner } from '../../support/software-signer.js';
import { opensslCmsVerify } from '../../support/independent-verifiers.js';
import { opensslCmsSign } from '../../support/openssl-cms-sign.js';
import { useVerifyPki } from './verify-pki.js';

const { work, pkis } = useVerifyPki('cas-token-verify-cades-');
const content = new TextEncoder().encode('Decont lunar aprilie — Clinica Demo\r\nTotal: 1.234,56 lei\r\n');
const rootAnchor = (): Uint8Array[] => readCertificates(readFileSync(pkis().pki.rootCaPemPath));

async function verifyDetached(name: string, signature: Uint8Array, signedContent: Uint8Array | null = content, trustAnchors = rootAnchor()): Promise<VerificationReport> {
  return verifyFile({ name, bytes: signature, ...(signedContent ? { content: signedContent } : {}), trustAnchors });
}

/** The signature value's last byte flipped (it sits at the end of the DER for one signer without unsigned attributes). */
function flipSignatureValue(signature: Uint8Array): Uint8Array {
  const changed = signature.slice();
  changed[changed.length - 1]! ^= 0x01;
  return changed;
}

describe('verifyFile on CAdES, checked against openssl cms -verify', () => {
  it.each(['rsa', 'ec'] as const)('a detached %s signature of ours is valid for both, with the signer serial and issuer of the certificate', async (kind) => {
    const { pki } = pkis();
    const signature = await signCades(content, pkiSigner(pki, kind));
    const report = await verifyDetached(`decont-${kind}.p7s`, signature);
    expect(opensslCmsVerify(work, `decont-${kind}.bin`, content, signature, pki.rootCaPemPath).ok).toBe(true);
    expect(report).toMatchObject({ type: 'cms', verdict: 'valid' });
    const [only] = report.signatures;
    expect(only).toMatchObject({
      verdict: 'valid',
      reasons: [],
      format: 'cades',
      digestAlgorithm: 'SHA-256',
      signatureAlgorithm: kind === 'rsa' ? 'RSA PKCS#1 v1.5' : 'ECDSA',
      contentSource: 'given',
      checks: { signedDataIntact: 'passed', signatureValue: 'passed', certificateValidAtSigningTime: 'passed', nonRepudiation: true },
      chain: { status: 'trusted' },
      revocation: { status: 'not-checked' },
      signer: { serialNumber: kind === 'rsa' ? '0774B02F37FABD1E' : 'C59D000100022AD3', issuer: 'C=RO, O=CAS Token TEST, CN=CAS Token TEST Qualified CA' },
    });
    expect(only!.chain.certificates.map((c) => c.trustAnchor)).toEqual([false, false, true]);
    expect(only!.notes).toContain('REVOCATION_NOT_CHECKED');
    expect(Date.now() - Date.parse(only!.signingTime!)).toBeLessThan(10 * 60_000);
  });

  it('an attached signature of ours (.p7m) is valid without --content, for both', async () => {
    const { pki } = pkis();
    const signature = await signCades(content, pkiSigner(pki, 'rsa'), { attached: true });
    const path = join(work, 'attached.p7m');
    writeFileSync(path, signature);
    const opensslOutput = execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path, '-CAfile', pki.rootCaPemPath, '-purpose', 'any'], { stdio: 'pipe' });
    expect(Buffer.from(opensslOutput).equals(Buffer.from(content))).toBe(true);
    const report = await verifyFile({ name: 'attached.p7m', bytes: signature, trustAnchors: rootAnchor() });
    expect(report.signatures[0]).toMatchObject({ verdict: 'valid', contentSource: 'attached' });
  });

  it('a signature made by openssl cms -sign with a qualified certificate is valid for both and shows its QCStatements', async () => {
    const { pki, qualified } = pkis();
    writeFileSync(join(work, 'factura.txt'), content);
    const signature = opensslCmsSign({ cwd: work, input: 'factura.txt', signer: qualified, certfile: pki.intermediateCaPemPath });
    expect(opensslCmsVerify(work, 'factura-check.txt', content, signature, pki.rootCaPemPath).ok).toBe(true);
    const report = await verifyDetached('factura.txt.p7s', signature);
    expect(report.signatures[0]).toMatchObject({ verdict: 'valid', signer: { serialNumber: '3C00AA01', qcCompliance: true } });
    expect(report.signatures[0]!.qcStatements.map((s) => s.name)).toEqual(['QcCompliance', 'QcSSCD']);
    expect(report.signatures[0]!.notes).not.toContain('NOT_QUALIFIED');
  });

  it.each([
    ['-keyid', 'the signer named by its subject key identifier'],
    ['-noattr', 'no signed attributes: the signature is over the content itself'],
  ])('openssl cms -sign %s (%s): valid for both, and invalid for both over changed content', async (option) => {
    const { pki } = pkis();
    writeFileSync(join(work, `option${option}.txt`), content);
    const signature = opensslCmsSign({ cwd: work, input: `option${option}.txt`, signer: pki.ec, certfile: pki.intermediateCaPemPath, options: [option] });
    expect(opensslCmsVerify(work, `option${option}-check.txt`, content, signature, pki.rootCaPemPath).ok).toBe(true);
    expect((await verifyDetached(`option${option}.p7s`, signature)).signatures[0]).toMatchObject({ verdict: 'valid', signer: { serialNumber: 'C59D000100022AD3' } });
    const changed = new TextEncoder().encode('Decont lunar mai\r\n');
    expect(opensslCmsVerify(work, `option${option}-changed.txt`, changed, signature, pki.rootCaPemPath).ok).toBe(false);
    expect((await verifyDetached(`option${option}.p7s`, signature, changed)).signatures[0]).toMatchObject({ verdict: 'invalid', checks: { signedDataIntact: 'failed' } });
  });

  it('a digest this verifier does not have (SHA3-256): openssl accepts it, ours says indeterminate (unsupported algorithm), never valid', async () => {
    const { pki } = pkis();
    writeFileSync(join(work, 'sha3.txt'), content);
    const signature = opensslCmsSign({ cwd: work, input: 'sha3.txt', signer: pki.rsa, certfile: pki.intermediateCaPemPath, options: ['-md', 'sha3-256'] });
    expect(opensslCmsVerify(work, 'sha3-check.txt', content, signature, pki.rootCaPemPath).ok).toBe(true);
    const report = await verifyDetached('sha3.p7s', signature);
    expect(report.signatures[0]).toMatchObject({ verdict: 'indeterminate', reasons: ['UNSUPPORTED_ALGORITHM'], digestAlgorithm: 'SHA3-256' });
  });

  it('changed content: openssl rejects it, ours says invalid (signed data changed)', async () => {
    const { pki } = pkis();
    const signature = await signCades(content, pkiSigner(pki, 'rsa'));
    const changed = content.slice();
    changed[changed.length - 5] = 0x39;
    expect(opensslCmsVerify(work, 'changed.bin', changed, signature, pki.rootCaPemPath).ok).toBe(false);
    const report = await verifyDetached('changed.p7s', signature, changed);
    expect(report.verdict).toBe('invalid');
    expect(report.signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['SIGNED_DATA_CHANGED'], checks: { signedDataIntact: 'failed' } });
  });

  it('a changed signature value: openssl rejects it, ours says invalid (signature value wrong)', async () => {
    const { pki } = pkis();
    const signature = flipSignatureValue(await signCades(content, pkiSigner(pki, 'rsa')));
    expect(opensslCmsVerify(work, 'flipped.bin', content, signature, pki.rootCaPemPath).ok).toBe(false);
    const report = await verifyDetached('flipped.p7s', signature);
    expect(report.signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['SIGNATURE_VALUE_WRONG'], checks: { signedDataIntact: 'passed', signatureValue: 'failed' } });
  });

  it('the wrong signer certificate (another key signed): openssl rejects it, ours says invalid', async () => {
    const { pki, qualified } = pkis();
    const wrong = softwareSigner({ ...pki.rsa, certificateDer: qualified.certificateDer }, { certificateChain: [pki.intermediateCaDer] });
    const signature = await signCades(content, wrong);
    expect(opensslCmsVerify(work, 'wrong-signer.bin', content, signature, pki.rootCaPemPath).ok).toBe(false);
    const report = await verifyDetached('wrong-signer.p7s', signature);
    expect(report.signatures[0]).toMatchObject({ verdict: 'invalid', signer: { serialNumber: '3C00AA01' } });
    expect(report.signatures[0]!.reasons[0]).toBe('SIGNATURE_VALUE_WRONG');
  });

  it('a certificate from an unknown CA: openssl rejects it, ours says indeterminate (chain not trusted)', async () => {
    const { pki, unknown } = pkis();
    const signature = await signCades(content, softwareSigner(unknown.rsa, { certificateChain: [unknown.intermediateCaDer] }));
    expect(opensslCmsVerify(work, 'unknown-ca.bin', content, signature, pki.rootCaPemPath).ok).toBe(false);
    expect(opensslCmsVerify(work, 'unknown-ca-own-root.bin', content, signature, unknown.rootCaPemPath).ok).toBe(true);
    const report = await verifyDetached('unknown-ca.p7s', signature);
    expect(report.signatures[0]).toMatchObject({
      verdict: 'indeterminate',
      reasons: ['CHAIN_NOT_TRUSTED'],
      chain: { status: 'not-trusted' },
      checks: { signedDataIntact: 'passed', signatureValue: 'passed' },
    });
  });

  it('a certificate expired at signing time: openssl rejects it, ours says indeterminate (expired at signing time)', async () => {
    const { pki, expired } = pkis();
    const signature = await signCades(content, softwareSigner(expired, { certificateChain: [pki.intermediateCaDer] }));
    const openssl = opensslCmsVerify(work, 'expired.bin', content, signature, pki.rootCaPemPath);
    expect(openssl.ok).toBe(false);
    expect(openssl.output).toMatch(/certificate has expired/);
    const report = await verifyDetached('expired.p7s', signature);
    expect(report.signatures[0]).toMatchObject({
      verdict: 'indeterminate',
      reasons: ['CERTIFICATE_EXPIRED_AT_SIGNING_TIME'],
      checks: { certificateValidAtSigningTime: 'failed' },
      signer: { serialNumber: '0E0F1A2B' },
    });
  });

  it('a certificate valid at the claimed signing time but expired now: openssl rejects it, ours says indeterminate (no proof of the time)', async () => {
    const { pki, expired } = pkis();
    const signature = await signCades(content, softwareSigner(expired, { certificateChain: [pki.intermediateCaDer] }), { signingTime: new Date('2024-02-01T10:00:00Z') });
    expect(opensslCmsVerify(work, 'signed-in-time.bin', content, signature, pki.rootCaPemPath).ok).toBe(false);
    const report = await verifyDetached('signed-in-time.p7s', signature);
    expect(report.signatures[0]).toMatchObject({ verdict: 'indeterminate', signingTime: '2024-02-01T10:00:00Z', checks: { certificateValidAtSigningTime: 'passed' } });
    expect(report.signatures[0]!.reasons).toContain('CERTIFICATE_EXPIRED_SINCE_SIGNING');
  });

  it('without any trust anchor an intact signature is indeterminate, never valid', async () => {
    const signature = await signCades(content, pkiSigner(pkis().pki, 'ec'));
    const report = await verifyDetached('no-anchor.p7s', signature, content, []);
    expect(report.signatures[0]).toMatchObject({ verdict: 'indeterminate', reasons: ['NO_TRUST_ANCHOR'], checks: { signedDataIntact: 'passed', signatureValue: 'passed' } });
  });

  it('a detached signature without its content is indeterminate (content missing), openssl cannot verify it either', async () => {
    const { pki } = pkis();
    const signature = await signCades(content, pkiSigner(pki, 'rsa'));
    const path = join(work, 'alone.p7s');
    writeFileSync(path, signature);
    expect(() => execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path, '-CAfile', pki.rootCaPemPath, '-purpose', 'any'], { stdio: 'pipe' })).toThrow();
    const report = await verifyDetached('alone.p7s', signature, null);
    expect(report.signatures[0]).toMatchObject({ verdict: 'indeterminate', reasons: ['SIGNED_CONTENT_MISSING'], contentSource: 'missing', checks: { signatureValue: 'passed' } });
  });
});
