/**
 * Certificate details on certificates OpenSSL makes here for each trap in docs/DOMAIN.md (see
 * test/support/certificate-fixtures.ts): exact expected strings, and every field against `openssl x509`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCertificates } from '../../../shared/certificate/certificate-input.js';
import { describeCertificate } from '../../../shared/certificate/describe-certificate.js';
import type { CertificateDetails } from '../../../shared/certificate/certificate-details.js';
import { CERTIFICATE_FIXTURES, writeCertificateFixtures } from '../../support/certificate-fixtures.js';
import { opensslView } from '../../support/openssl-certificate-view.js';

let paths: Record<string, string>;
beforeAll(() => {
  paths = writeCertificateFixtures(mkdtempSync(join(tmpdir(), 'cas-token-fixtures-')));
});

async function details(name: string): Promise<CertificateDetails> {
  return describeCertificate(readCertificates(readFileSync(paths[name]!))[0]!);
}

describe('OpenSSL-made certificates with the traps', () => {
  it.each(CERTIFICATE_FIXTURES.map((f) => [f.name, f] as const))('%s', async (name, fixture) => {
    const d = await details(name);
    const expected = fixture.expected;
    if ('subject' in expected) expect(d.subject).toBe(expected.subject);
    if ('serialNumber' in expected) expect(d.serialNumber).toBe(expected.serialNumber);
    if ('serialNumberWindows' in expected) expect(d.serialNumberWindows).toBe(expected.serialNumberWindows);
    if ('serialNumberDecimal' in expected) expect(d.serialNumberDecimal).toBe(expected.serialNumberDecimal);
    if ('inn' in expected) expect([d.identifiers.inn, d.identifiers.ogrn, d.identifiers.snils]).toEqual([expected.inn, expected.ogrn, expected.snils]);
    if ('keyAlgorithm' in expected) expect(d.publicKey.algorithm).toBe(expected.keyAlgorithm);
    if ('curve' in expected) expect(d.publicKey.curve).toBe(expected.curve);
    if ('keySize' in expected) expect(d.publicKey.size).toBe(expected.keySize);
    if ('notAfterYear' in expected) expect(new Date(d.notAfter).getUTCFullYear()).toBe(expected.notAfterYear);
    if ('email' in expected) expect(d.email).toBe(expected.email);
    if ('emails' in expected) expect(d.emails).toEqual(expected.emails);
    if ('cui' in expected) expect(d.identifiers.cui).toBe(expected.cui);
    if ('qualifiedSigning' in expected) expect(d.qualifiedSigning).toBe(expected.qualifiedSigning);
    if ('qcCompliance' in expected) expect(d.qcCompliance).toBe(expected.qcCompliance);
    if ('keyUsage' in expected) expect(d.keyUsage).toEqual(expected.keyUsage);

    // And every field against what OpenSSL prints of the same file.
    const openssl = opensslView(paths[name]!);
    expect(d.serialNumber).toBe(openssl.serialNumber);
    expect(d.subject).toBe(openssl.subject);
    expect(d.issuer).toBe(openssl.issuer);
    expect(d.notBefore).toBe(openssl.notBefore);
    expect(d.notAfter).toBe(openssl.notAfter);
    expect(d.fingerprintSha256).toBe(openssl.fingerprintSha256);
    expect(d.fingerprintSha1).toBe(openssl.fingerprintSha1);
    expect(d.signatureAlgorithm).toBe(openssl.signatureAlgorithm);
  });

  it('reads the same certificate from PEM, DER and a PKCS#7 bundle', async () => {
    const { execFileSync } = await import('node:child_process');
    const pem = paths['bmpstring-romanian']!;
    const der = execFileSync('openssl', ['x509', '-in', pem, '-outform', 'DER']);
    const p7 = execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', pem, '-certfile', paths['t61string-latin1']!, '-outform', 'DER']);
    const fromPem = readCertificates(readFileSync(pem));
    expect(Buffer.from(fromPem[0]!).equals(der)).toBe(true);
    expect(Buffer.from(readCertificates(new Uint8Array(der))[0]!).equals(der)).toBe(true);
    expect(readCertificates(new Uint8Array(p7))).toHaveLength(2);
    expect(() => readCertificates(new TextEncoder().encode('not a certificate'))).toThrow(/No certificate found/);
  });
});
