// @vitest-environment happy-dom
/**
 * From a real certificate (made by OpenSSL) to the demo CAS registration page: the values the filler
 * writes are what OpenSSL itself prints for that certificate (serial, issuer, dates in the user's time
 * zone, the SubjectAltName e-mail), and the provider's fields stay empty.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCertificate } from '../../../shared/certificate/describe-certificate.js';
import { readCertificates } from '../../../shared/certificate/certificate-input.js';
import { fillCertificateFields, undoFill } from '../../../extension/content/fill/fill-page.js';
import { fillValuesFromDetails } from '../../../extension/content/fill/fill-values.js';
import type { FillValues } from '../../../extension/content/fill/fill-values.js';
import { demoRegistrationAfterFill } from '../../support/fill-expectations.js';
import { opensslView } from '../../support/openssl-certificate-view.js';
import { selfSignedEcCertificate } from '../../support/test-pki.js';
import type { OpensslView } from '../../support/openssl-certificate-view.js';

let dir: string;
let openssl: OpensslView;
let values: FillValues;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cas-fill-'));
  // Top bit set (DER sign byte) and a leading zero digit; e-mail only in the SubjectAltName, as certSIGN does.
  const certificate = selfSignedEcCertificate(dir, 'certificate', '/C=RO/O=CERTSIGN SA/CN=CERTSIGN QUALIFIED 2023 RSA CA/organizationIdentifier=VATRO-18288250', [
    '-days',
    '365',
    '-set_serial',
    '0x8A0774B02F37FABD',
    '-addext',
    'subjectAltName=email:medic@cabinet-demo.ro',
  ]);
  openssl = opensslView(certificate);
  values = fillValuesFromDetails(await describeCertificate(readCertificates(readFileSync(certificate))[0]!), 'Europe/Bucharest');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a certificate on the demo registration page', () => {
  it("fills exactly what OpenSSL says, in the page's conventions, and nothing else", () => {
    const html = readFileSync(join(process.cwd(), 'demo/site/registration.html'), 'utf8');
    document.documentElement.innerHTML = html.replace(/^<!doctype html>/i, '').replace(/<script>[\s\S]*?<\/script>/g, '');
    const report = fillCertificateFields(document, values);
    const fields = Object.fromEntries(Array.from(document.querySelectorAll<HTMLInputElement>('input, select')).map((f) => [f.id, f.value]));
    expect(fields).toEqual(demoRegistrationAfterFill(openssl, 'medic@cabinet-demo.ro', 'Europe/Bucharest'));
    expect(report.filled).toHaveLength(5);
    expect(undoFill(document)).toBe(5);
  });

  it('the values carry every form of the serial and the issuer', () => {
    expect(values).toMatchObject({
      serialNumber: '8A0774B02F37FABD',
      serialNumberWindows: '00 8a 07 74 b0 2f 37 fa bd',
      serialNumberDecimal: BigInt('0x8A0774B02F37FABD').toString(),
      issuer: openssl.issuer,
      issuerRfc4514: '2.5.4.97=VATRO-18288250,CN=CERTSIGN QUALIFIED 2023 RSA CA,O=CERTSIGN SA,C=RO',
      validFrom: openssl.notBefore,
      validTo: openssl.notAfter,
      email: 'medic@cabinet-demo.ro',
      timeZone: 'Europe/Bucharest',
    });
  });

  it("without a time zone the user's own is used", async () => {
    const details = await describeCertificate(readCertificates(readFileSync(join(dir, 'certificate.pem')))[0]!);
    expect(fillValuesFromDetails(details).timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});
