/**
 * GOST R 34.10-2012 CAdES made by OpenSSL's gost engine (`openssl cms -sign -engine gost`), checked by
 * ours (node-gost-crypto's GostSign) and by `openssl cms -verify -engine gost`, trusting only the GOST
 * test CA: for every parameter set we name, an intact signature is valid for both and a changed
 * signature value or changed content invalid for both — the twisted Edwards sets (tc26 256 A, the
 * default of our own key generation, and 512 C) included; a key on a curve we do not name is
 * `unsupported`, never guessed. A content whose Streebog broke node-gost-crypto's GostSign (its
 * modular inverse of the digest throws) is valid for both too.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import GostSign from 'node-gost-crypto/lib/gostSign.js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGostSignature } from '../../../shared/verification/gost-signature-check.js';
import { verifyFile } from '../../../shared/verification/verify-file.js';
import { createGostPki, openssl, opensslVerdict } from '../../support/gost-token.js';
import type { GostKeyAlgorithm, GostPki } from '../../support/gost-token.js';

let pki: GostPki;
const content = new TextEncoder().encode('Реестр счетов ТФОМС за апрель\r\n');
const changed = new TextEncoder().encode('Реестр счетов ТФОМС за май\r\n');

beforeAll(() => {
  pki = createGostPki();
  writeFileSync(join(pki.dir, 'reestr.txt'), content);
  writeFileSync(join(pki.dir, 'changed.txt'), changed);
});
afterAll(() => pki?.dispose());

/** A signer with this key and parameter set, and its detached signature of reestr.txt made by openssl. */
function opensslGostSignature(name: string, algorithm: GostKeyAlgorithm, paramset: string, serial: string): { signature: Uint8Array; serialNumber: string } {
  const user = pki.issue(name, algorithm, serial, `/C=RU/O=TFOMS TEST/CN=Иванов ${name}`, paramset);
  const md = algorithm === 'gost2012_512' ? 'md_gost12_512' : 'md_gost12_256';
  openssl(
    ['cms', '-sign', '-engine', 'gost', '-binary', '-in', 'reestr.txt', '-signer', user.certificatePemPath, '-inkey', user.keyPemPath, '-md', md, '-outform', 'DER', '-out', `${name}.sig`],
    pki.dir,
  );
  return { signature: new Uint8Array(readFileSync(join(pki.dir, `${name}.sig`))), serialNumber: user.serialNumber };
}

function opensslAccepts(signature: Uint8Array, contentFile: string): boolean {
  writeFileSync(join(pki.dir, 'check.sig'), signature);
  return opensslVerdict(
    ['cms', '-verify', '-engine', 'gost', '-binary', '-inform', 'DER', '-in', 'check.sig', '-content', contentFile, '-CAfile', pki.caPemPath, '-purpose', 'any', '-out', '/dev/null'],
    pki.dir,
  ).ok;
}

const flipLast = (bytes: Uint8Array): Uint8Array => {
  const copy = bytes.slice();
  copy[copy.length - 1]! ^= 0x01; // the signature value ends the DER (no unsigned attributes)
  return copy;
};

const verify = (signature: Uint8Array, signed: Uint8Array) => verifyFile({ name: 'reestr.txt.sig', bytes: signature, content: signed, trustAnchors: [pki.caDer] });

describe('verifyFile on GOST CAdES, checked against openssl cms -verify -engine gost', () => {
  it.each([
    ['gost2012_256', 'A'],
    ['gost2012_256', 'B'],
    ['gost2012_256', 'C'],
    ['gost2012_256', 'XA'],
    ['gost2012_256', 'XB'],
    ['gost2012_256', 'TCB'],
    ['gost2012_256', 'TCC'],
    ['gost2012_256', 'TCD'],
    ['gost2012_256', 'TCA'],
    ['gost2012_512', 'A'],
    ['gost2012_512', 'B'],
    ['gost2012_512', 'C'],
  ] as [GostKeyAlgorithm, string][])('%s, parameter set %s: valid for both; a changed signature value or content invalid for both', async (algorithm, paramset) => {
    const { signature, serialNumber } = opensslGostSignature(
      `${algorithm}-${paramset}`,
      algorithm,
      paramset,
      `0x${(0xa100 + paramset.charCodeAt(0) * 4 + paramset.length + (algorithm.endsWith('512') ? 0x1000 : 0)).toString(16)}`,
    );
    expect(opensslAccepts(signature, 'reestr.txt')).toBe(true);
    const size = algorithm.endsWith('512') ? '512' : '256';
    expect((await verify(signature, content)).signatures[0]).toMatchObject({
      verdict: 'valid',
      digestAlgorithm: `GOST R 34.11-2012 ${size}`,
      signatureAlgorithm: `GOST R 34.10-2012 ${size}`,
      checks: { signedDataIntact: 'passed', signatureValue: 'passed' },
      chain: { status: 'trusted' },
      signer: { serialNumber, issuer: 'C=RU, O=CAS Token TEST, CN=CAS Token TEST GOST CA' },
    });
    expect(opensslAccepts(flipLast(signature), 'reestr.txt')).toBe(false);
    expect((await verify(flipLast(signature), content)).signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['SIGNATURE_VALUE_WRONG'] });
    expect(opensslAccepts(signature, 'changed.txt')).toBe(false);
    expect((await verify(signature, changed)).signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['SIGNED_DATA_CHANGED'] });
  });

  it('a key on a curve we do not name (the GOST 2001 test set, 1.2.643.2.2.35.0): its signature value is unsupported, never guessed', async () => {
    const { signature } = opensslGostSignature('unnamed-curve', 'gost2012_256', 'TCA', '0xb1ff');
    const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(signature.slice().buffer).content as unknown as asn1js.Sequence });
    const signerInfo = signedData.signerInfos[0]!;
    const signedAttributes = new Uint8Array(signerInfo.signedAttrs!.toSchema().toBER());
    signedAttributes[0] = 0x31; // the SET OF they are signed as, not their [0] IMPLICIT tag
    const value = signerInfo.signature.valueBlock.valueHexView;
    const publicKey = signedData.certificates!.map((c) => c as pkijs.Certificate).find((c) => c.serialNumber.isEqual(signerInfo.sid.serialNumber))!.subjectPublicKeyInfo;
    expect(await checkGostSignature(publicKey, signedAttributes, value)).toBe('passed');
    const params = asn1js.fromBER(publicKey.algorithm.algorithmParams.toBER()).result as asn1js.Sequence;
    params.valueBlock.value[0] = new asn1js.ObjectIdentifier({ value: '1.2.643.2.2.35.0' });
    const unnamed = new pkijs.PublicKeyInfo({ schema: publicKey.toSchema() });
    unnamed.algorithm.algorithmParams = params;
    expect(await checkGostSignature(unnamed, signedAttributes, value)).toBe('unsupported');
  });
});

/**
 * Content found by hashing "…, пачка N" for N = 1, 2, … until node-gost-crypto's GostSign.verify, which
 * this verifier used before, threw on the digest (`subtract is not defined`: its modular inverse of the
 * digest mod q ends in a branch calling a function that does not exist; about 1 digest in 10⁴). Signed
 * without signed attributes (-noattr), so the signed digest is the content's, whatever the key and the
 * signing time: the edge is reached in every run, and asserted.
 */
describe('a GOST signature whose digest broke the GostSign this verifier used before', () => {
  it.each([
    ['gost2012_256', 'A', 'Реестр счетов ТФОМС за апрель, пачка 9181\r\n'],
    ['gost2012_512', 'A', 'Реестр счетов ТФОМС за апрель, пачка 4054\r\n'],
  ] as [GostKeyAlgorithm, string, string][])('%s, parameter set %s: valid for openssl and for ours; a changed signature value invalid for both', async (algorithm, paramset, text) => {
    const length = algorithm === 'gost2012_512' ? 512 : 256;
    const edge = new TextEncoder().encode(text);
    const someSignature = new Uint8Array(length / 4).fill(0x01); // r and s below q: GostSign then inverts the digest
    const oldVerifier = new GostSign({
      name: 'GOST R 34.10',
      version: 2012,
      length,
      namedCurve: `${length === 256 ? 'S' : 'T'}-${length}-A`,
      procreator: 'CP',
      hash: { name: 'GOST R 34.11', version: 2012, length },
    });
    expect(() => oldVerifier.verify(new ArrayBuffer(length / 4), someSignature.buffer, edge.slice().buffer)).toThrow('subtract is not defined');

    const name = `edge-${algorithm}-${paramset}`;
    writeFileSync(join(pki.dir, `${name}.txt`), edge);
    const user = pki.issue(name, algorithm, `0x${(0xc100 + length).toString(16)}`, `/C=RU/O=TFOMS TEST/CN=Петров ${name}`, paramset);
    const md = length === 512 ? 'md_gost12_512' : 'md_gost12_256';
    openssl(
      [
        'cms',
        '-sign',
        '-engine',
        'gost',
        '-noattr',
        '-binary',
        '-in',
        `${name}.txt`,
        '-signer',
        user.certificatePemPath,
        '-inkey',
        user.keyPemPath,
        '-md',
        md,
        '-outform',
        'DER',
        '-out',
        `${name}.sig`,
      ],
      pki.dir,
    );
    const signature = new Uint8Array(readFileSync(join(pki.dir, `${name}.sig`)));
    expect(opensslAccepts(signature, `${name}.txt`)).toBe(true);
    expect((await verify(signature, edge)).signatures[0]).toMatchObject({
      verdict: 'valid',
      signatureAlgorithm: `GOST R 34.10-2012 ${length}`,
      checks: { signedDataIntact: 'passed', signatureValue: 'passed' },
      chain: { status: 'trusted' },
      signer: { serialNumber: user.serialNumber },
    });
    expect(opensslAccepts(flipLast(signature), `${name}.txt`)).toBe(false);
    expect((await verify(flipLast(signature), edge)).signatures[0]).toMatchObject({ verdict: 'invalid' });
  });
});
