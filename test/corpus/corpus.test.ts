/**
 * The corpus check (`npm run check:corpus`): every real certificate in ../shared/corpus/certs (Romanian,
 * Russian GOST, other EU CAs), each field of our details compared with what OpenSSL prints.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCertificates } from '../../shared/certificate/certificate-input.js';
import { describeCertificate } from '../../shared/certificate/describe-certificate.js';
import { QC_COMPLIANCE_DER, opensslView } from '../support/openssl-certificate-view.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/certs/', import.meta.url));
if (!existsSync(corpus)) throw new Error(`The certificate corpus is missing: expected ${corpus} (the shared/ folder beside the clone).`);
const files = readdirSync(corpus).filter((name) => name.endsWith('.pem')).sort();

describe('real certificates compared with OpenSSL', () => {
  it('has the whole corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(38);
  });

  it.each(files)('%s', async (name) => {
    const path = join(corpus, name);
    const ders = readCertificates(readFileSync(path));
    expect(ders).toHaveLength(1);
    const details = await describeCertificate(ders[0]!);
    const openssl = opensslView(path);
    expect(details.serialNumber).toBe(openssl.serialNumber);
    expect(BigInt('0x' + details.serialNumber).toString(10)).toBe(details.serialNumberDecimal);
    expect(details.serialNumberWindows.replace(/ /g, '').replace(/^00(?=[89a-f])/, '').toUpperCase()).toBe(openssl.serialNumber);
    expect(details.issuer).toBe(openssl.issuer);
    expect(details.subject).toBe(openssl.subject);
    expect(details.notBefore).toBe(openssl.notBefore);
    expect(details.notAfter).toBe(openssl.notAfter);
    expect(details.fingerprintSha1).toBe(openssl.fingerprintSha1);
    expect(details.fingerprintSha256).toBe(openssl.fingerprintSha256);
    expect(details.emails.map((e) => e.toLowerCase()).sort()).toEqual([...new Set(openssl.emails.map((e) => e.toLowerCase()))].sort());
    if (openssl.keyBits !== undefined) expect(details.publicKey.size).toBe(openssl.keyBits);
    expect(details.keyUsage).toEqual(openssl.keyUsage);
    expect(details.nonRepudiation).toBe(openssl.keyUsage.includes('nonRepudiation'));
    expect(details.qcCompliance).toBe(Buffer.from(ders[0]!).includes(QC_COMPLIANCE_DER));
    expect(details.signatureAlgorithm).toBe(openssl.signatureAlgorithm);
  });
});
