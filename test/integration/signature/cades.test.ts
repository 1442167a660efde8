/**
 * CAdES-BES detached signatures (`.p7s`) over arbitrary files, RSA (PKCS#1 v1.5 and PSS) and EC P-256,
 * verified by `openssl cms -verify` trusting only the test root CA (the intermediate travels inside).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { signCades } from '../../../shared/signature/cades.js';
import { createDetachedSignedData, signedDataAround } from '../../../shared/signature/cms-signed-data.js';
import { digestOf } from '../../../shared/signature/signer.js';
import type { SignerScheme } from '../../../shared/signature/signer.js';
import { pkiSigner, softwareSigner } from '../../support/software-signer.js';
import { useTestPki } from '../../support/test-pki.js';
import { opensslCmsPrint, opensslCmsVerify, opensslCmsVerifyAttached } from '../../support/independent-verifiers.js';

const { work, pki } = useTestPki('cas-token-cades-');

/** A file with every byte value and CR/LF pairs: `-binary` must keep it as it is. */
function binaryDocument(label: string): Uint8Array {
  const text = new TextEncoder().encode(`Decont lunar ${label} — Clinica Demo\r\n`);
  return Uint8Array.from([...text, ...Array.from({ length: 256 }, (_, i) => i), 0x0d, 0x0a, 0x0a]);
}

describe('CAdES-BES detached', () => {
  it.each([
    ['rsa', 'rsa-pkcs1', 'SHA-256'],
    ['rsa', 'rsa-pkcs1', 'SHA-512'],
    ['rsa', 'rsa-pss', 'SHA-256'],
    ['rsa', 'rsa-pss', 'SHA-384'],
    ['ec', 'ecdsa', 'SHA-256'],
    ['ec', 'ecdsa', 'SHA-384'],
  ] as ['rsa' | 'ec', SignerScheme, HashAlgorithm][])('the %s key (%s, %s) gives a signature openssl cms accepts', async (kind, scheme, hashAlgorithm) => {
    const data = binaryDocument(`${kind} ${scheme} ${hashAlgorithm}`);
    const signature = await signCades(data, pkiSigner(pki(), kind, scheme), { hashAlgorithm });
    const verdict = opensslCmsVerify(work, `decont-${kind}-${scheme}-${hashAlgorithm}.bin`, data, signature, pki().rootCaPemPath);
    expect(verdict.output).toMatch(/Verification successful/);
    expect(verdict.ok).toBe(true);
  });

  it('holds contentType, messageDigest, signingTime and signingCertificateV2, and not the document', async () => {
    const signingTime = new Date('2024-05-02T09:30:00Z');
    const printed = opensslCmsPrint(work, 'attributes.p7s', await signCades(binaryDocument('attributes'), pkiSigner(pki(), 'rsa'), { signingTime }));
    for (const attribute of ['contentType', 'messageDigest', 'signingTime', 'id-smime-aa-signingCertificateV2']) expect(printed).toContain(attribute);
    expect(printed).toMatch(/UTCTIME:May\s+2 09:30:00 2024 GMT/);
    expect(printed).toMatch(/eContent: <ABSENT>/); // detached
  });

  it.each([
    ['rsa', 'rsa-pkcs1', 'SHA-256', 'sha256WithRSAEncryption'],
    ['rsa', 'rsa-pkcs1', 'SHA-512', 'sha512WithRSAEncryption'],
    ['rsa', 'rsa-pss', 'SHA-384', 'rsassaPss'],
    ['ec', 'ecdsa', 'SHA-384', 'ecdsa-with-SHA384'],
  ] as ['rsa' | 'ec', SignerScheme, HashAlgorithm, string][])('the SignerInfo of the %s key (%s, %s) names %s', async (kind, scheme, hashAlgorithm, algorithmName) => {
    const printed = opensslCmsPrint(work, `algorithm-${scheme}-${hashAlgorithm}.p7s`, await signCades(binaryDocument('algorithm'), pkiSigner(pki(), kind, scheme), { hashAlgorithm }));
    const signerInfo = printed.slice(printed.indexOf('signerInfos:'));
    const signatureAlgorithm = /signatureAlgorithm:\s*\n\s*algorithm: (\S+)/.exec(signerInfo.slice(signerInfo.lastIndexOf('signatureAlgorithm:')))?.[1];
    expect(signatureAlgorithm).toBe(algorithmName);
  });

  it('signingCertificateV2 carries the hash of the signing certificate and its issuer and serial', async () => {
    const printed = opensslCmsPrint(work, 'ess.p7s', await signCades(binaryDocument('ess'), pkiSigner(pki(), 'ec')));
    const ess = printed.slice(printed.indexOf('id-smime-aa-signingCertificateV2'), printed.lastIndexOf('signatureAlgorithm:'));
    const certHash = createHash('sha256').update(pki().ec.certificateDer).digest('hex').toUpperCase();
    expect(/OCTET STRING\s+\[HEX DUMP\]:([0-9A-F]+)/.exec(ess)?.[1]).toBe(certHash);
    expect(ess).toMatch(/cont \[ 4 \]/); // issuerSerial: directoryName of the issuer…
    expect(ess).toContain(':CAS Token TEST Qualified CA');
    expect(/INTEGER\s+:([0-9A-F]+)/.exec(ess)?.[1]).toBe('C59D000100022AD3'); // …and the serial
  });

  it('embeds the signing certificate and the chain the signer gives', async () => {
    const printed = opensslCmsPrint(work, 'certificates.p7s', await signCades(binaryDocument('certs'), pkiSigner(pki(), 'ec')));
    expect(printed).toMatch(/subject: C=RO, O=Farmacia Demo SRL, CN=/);
    expect(printed).toMatch(/subject: C=RO, O=CAS Token TEST, CN=CAS Token TEST Qualified CA/);
  });

  it('without the intermediate embedded, a verifier that trusts only the root cannot build the chain', async () => {
    const data = binaryDocument('no chain');
    const signature = await signCades(data, softwareSigner(pki().rsa));
    expect(opensslCmsVerify(work, 'no-chain.bin', data, signature, pki().rootCaPemPath).ok).toBe(false);
  });

  it('fails verification when one byte of the content changed (the check can fail)', async () => {
    const data = binaryDocument('original');
    const signature = await signCades(data, pkiSigner(pki(), 'rsa'));
    const changed = Uint8Array.from(data);
    changed[20] = changed[20]! ^ 0x01;
    expect(opensslCmsVerify(work, 'original.bin', data, signature, pki().rootCaPemPath).ok).toBe(true);
    expect(opensslCmsVerify(work, 'changed.bin', changed, signature, pki().rootCaPemPath).ok).toBe(false);
  });
});

describe('CAdES-BES attached, written around the content', () => {
  it('the DER before and after the content, with the content between, is the attached signature, and openssl cms gives back the content', async () => {
    // Over 64 KiB: the content stays one primitive OCTET STRING (BER writers cut larger ones in pieces).
    const data = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251);
    const signer = pkiSigner(pki(), 'rsa'); // PKCS#1 v1.5: the same input gives the same signature
    const signingTime = new Date('2026-12-01T09:30:00Z');
    const digest = await digestOf(data, 'SHA-256');
    const { before, after } = await signedDataAround(digest, data.length, signer, { hashAlgorithm: 'SHA-256', signingTime });
    const whole = Uint8Array.from([...before, ...data, ...after]);
    expect(Buffer.from(whole).equals(Buffer.from(await createDetachedSignedData(digest, signer, { hashAlgorithm: 'SHA-256', signingTime, attachedContent: data })))).toBe(true);
    const path = join(work, 'around.sig');
    writeFileSync(path, whole);
    const verdict = opensslCmsVerifyAttached(path, pki().rootCaPemPath);
    expect(verdict.output).toMatch(/Verification successful/);
    expect(Buffer.from(verdict.content).equals(Buffer.from(data))).toBe(true);
  });

  it('a content that is not the one hashed fails verification (the check can fail)', async () => {
    const data = binaryDocument('hashed');
    const { before, after } = await signedDataAround(await digestOf(data, 'SHA-256'), data.length, pkiSigner(pki(), 'ec'), { hashAlgorithm: 'SHA-256' });
    const other = Uint8Array.from(data);
    other[3] = other[3]! ^ 0x20;
    const path = join(work, 'around-other.sig');
    writeFileSync(path, Uint8Array.from([...before, ...other, ...after]));
    expect(opensslCmsVerifyAttached(path, pki().rootCaPemPath).ok).toBe(false);
  });
});
