/**
 * GOST R 34.10-2012 CAdES made by OpenSSL's gost engine (`openssl cms -sign -engine gost`): WebCrypto has
 * no GOST, so the signature value cannot be checked here and the verdict is indeterminate with
 * UNSUPPORTED_ALGORITHM, never valid. What can be checked still is: the Streebog digest of the content
 * against messageDigest (changed content: invalid, as `openssl cms -verify -engine gost` says too) and the
 * signer's details.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyFile } from '../../../shared/verification/verify-file.js';
import { createGostPki, openssl, opensslVerdict } from '../../support/gost-token.js';
import type { GostEndEntity, GostPki } from '../../support/gost-token.js';

let pki: GostPki;
let user: GostEndEntity;
const content = new TextEncoder().encode('Реестр счетов ТФОМС за апрель\r\n');

beforeAll(() => {
  pki = createGostPki();
  user = pki.issue('ivanov', 'gost2012_256', '0x0A11', '/C=RU/O=TFOMS TEST/CN=Иванов Иван');
  writeFileSync(join(pki.dir, 'reestr.txt'), content);
  openssl(['cms', '-sign', '-engine', 'gost', '-binary', '-in', 'reestr.txt', '-signer', user.certificatePemPath, '-inkey', user.keyPemPath, '-md', 'md_gost12_256', '-outform', 'DER', '-out', 'reestr.txt.sig'], pki.dir);
});
afterAll(() => pki?.dispose());

function opensslGostVerify(contentPath: string): boolean {
  return opensslVerdict(['cms', '-verify', '-engine', 'gost', '-binary', '-inform', 'DER', '-in', 'reestr.txt.sig', '-content', contentPath, '-CAfile', pki.caPemPath, '-purpose', 'any', '-out', '/dev/null'], pki.dir).ok;
}

describe('verifyFile on GOST CAdES', () => {
  it('an intact GOST signature openssl accepts: indeterminate (algorithm not supported here), digest checked, signer shown', async () => {
    expect(opensslGostVerify('reestr.txt')).toBe(true);
    const report = await verifyFile({ name: 'reestr.txt.sig', bytes: new Uint8Array(readFileSync(join(pki.dir, 'reestr.txt.sig'))), content, trustAnchors: [pki.caDer] });
    expect(report.signatures[0]).toMatchObject({
      verdict: 'indeterminate',
      reasons: ['UNSUPPORTED_ALGORITHM'],
      digestAlgorithm: 'GOST R 34.11-2012 256',
      signatureAlgorithm: 'GOST R 34.10-2012 256',
      checks: { signedDataIntact: 'passed', signatureValue: 'not-checked' },
      signer: { serialNumber: user.serialNumber, subjectCommonName: 'Иванов Иван', issuer: 'C=RU, O=CAS Token TEST, CN=CAS Token TEST GOST CA' },
    });
  });

  it('changed content: openssl rejects it, ours says invalid (the Streebog digest differs)', async () => {
    const changed = new TextEncoder().encode('Реестр счетов ТФОМС за май\r\n');
    writeFileSync(join(pki.dir, 'changed.txt'), changed);
    expect(opensslGostVerify('changed.txt')).toBe(false);
    const report = await verifyFile({ name: 'reestr.txt.sig', bytes: new Uint8Array(readFileSync(join(pki.dir, 'reestr.txt.sig'))), content: changed, trustAnchors: [pki.caDer] });
    expect(report.signatures[0]).toMatchObject({ verdict: 'invalid', checks: { signedDataIntact: 'failed' } });
    expect(report.signatures[0]!.reasons[0]).toBe('SIGNED_DATA_CHANGED');
  });
});
