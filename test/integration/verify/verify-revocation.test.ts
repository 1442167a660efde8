/**
 * Revocation from what the file embeds: a CAdES signature carrying its CA's CRL (in SignedData `crls`),
 * made with `openssl ca -revoke` / `-gencrl`. A signer revoked before signing is invalid, as
 * `openssl cms -verify -crl_check` (which reads the CRLs inside the CMS) says too; a CRL that does not
 * list the signer makes revocation "good"; without any, "not checked".
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { readCertificates } from '../../../shared/certificate/certificate-input.js';
import { signCades } from '../../../shared/signature/cades.js';
import { verifyFile } from '../../../shared/verification/verify-file.js';
import { pkiSigner } from '../../support/software-signer.js';
import type { TestPki } from '../../support/test-pki.js';
import { useVerifyPki } from './verify-pki.js';

const { work, pkis } = useVerifyPki('cas-token-verify-revocation-');
const content = new TextEncoder().encode('Decont lunar — cu CRL\r\n');

/** The intermediate's CRL (DER), listing `revoked` (certificate PEM paths) as revoked now. */
function intermediateCrl(pki: TestPki, revoked: string[], name: string): Uint8Array {
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: pki.dir, stdio: 'pipe' });
  };
  writeFileSync(join(pki.dir, 'index.txt'), '');
  for (const certificate of revoked) run(['ca', '-config', 'ca.cnf', '-cert', 'intermediate.pem', '-keyfile', 'intermediate.key', '-revoke', certificate]);
  run(['ca', '-gencrl', '-config', 'ca.cnf', '-cert', 'intermediate.pem', '-keyfile', 'intermediate.key', '-crldays', '30', '-out', `${name}.pem`]);
  run(['crl', '-in', `${name}.pem`, '-outform', 'DER', '-out', `${name}.der`]);
  return new Uint8Array(readFileSync(join(pki.dir, `${name}.der`)));
}

/** The signature with the CRL added to its SignedData `crls` (outside what is signed). */
function withCrl(signature: Uint8Array, crl: Uint8Array): Uint8Array {
  const info = new pkijs.ContentInfo({ schema: asn1js.fromBER(signature.slice().buffer).result });
  const signedData = new pkijs.SignedData({ schema: info.content });
  signedData.crls = [new pkijs.CertificateRevocationList({ schema: asn1js.fromBER(crl.slice().buffer).result })];
  return new Uint8Array(new pkijs.ContentInfo({ contentType: info.contentType, content: signedData.toSchema(true) }).toSchema().toBER(false));
}

function opensslCrlCheck(name: string, signature: Uint8Array, pki: TestPki): boolean {
  writeFileSync(join(work, name), content);
  writeFileSync(join(work, `${name}.p7s`), signature);
  try {
    execFileSync(
      'openssl',
      ['cms', '-verify', '-crl_check', '-binary', '-inform', 'DER', '-in', `${name}.p7s`, '-content', name, '-CAfile', pki.rootCaPemPath, '-purpose', 'any', '-out', '/dev/null'],
      { cwd: work, stdio: 'pipe' },
    );
    return true;
  } catch {
    return false;
  }
}

describe('revocation from CRLs embedded in the signature', () => {
  it('a signer revoked before signing: openssl -crl_check rejects it, ours says invalid (revoked)', async () => {
    const { pki } = pkis();
    const crl = intermediateCrl(pki, [pki.rsa.certificatePemPath], 'revoked-rsa');
    const signature = withCrl(await signCades(content, pkiSigner(pki, 'rsa')), crl);
    expect(opensslCrlCheck('revoked.txt', signature, pki)).toBe(false);
    const report = await verifyFile({ name: 'revoked.txt.p7s', bytes: signature, content, trustAnchors: readCertificates(readFileSync(pki.rootCaPemPath)) });
    expect(report.signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['CERTIFICATE_REVOKED'], revocation: { status: 'revoked', source: 'cms-crls' } });
  });

  it('a CRL that does not list the signer: openssl -crl_check accepts it, ours says valid with revocation good', async () => {
    const { pki } = pkis();
    const crl = intermediateCrl(pki, [pki.rsa.certificatePemPath], 'revoked-other');
    const signature = withCrl(await signCades(content, pkiSigner(pki, 'ec')), crl);
    expect(opensslCrlCheck('good.txt', signature, pki)).toBe(true);
    const report = await verifyFile({ name: 'good.txt.p7s', bytes: signature, content, trustAnchors: readCertificates(readFileSync(pki.rootCaPemPath)) });
    expect(report.signatures[0]).toMatchObject({ verdict: 'valid', revocation: { status: 'good', source: 'cms-crls' } });
    expect(report.signatures[0]!.notes).not.toContain('REVOCATION_NOT_CHECKED');
  });
});
