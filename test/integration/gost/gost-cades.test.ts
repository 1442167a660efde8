/**
 * CAdES-BES with GOST R 34.10-2012 keys on the GOST test token, detached (.p7s) and attached (.sig),
 * verified by OpenSSL's gost engine (`openssl cms -verify -engine gost -binary … -CAfile ca.pem`), with
 * negative controls (r||s swapped, one byte changed, other content: openssl must reject); the structure
 * read back: digestAlgorithm and signatureAlgorithm as OpenSSL writes them, the signed attributes in DER
 * order, messageDigest and signingCertificateV2 equal to what `openssl dgst -engine gost` computes.
 * Batches with one login; PAdES and XAdES refused before the PIN. Then the same through `cas-token sign`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { createBatchSigner } from '../../../shared/signature/batch-signer.js';
import { signCades, signDocument, signPades, signXades } from '../../../shared/signature/index.js';
import type { BatchSigner } from '../../../shared/signature/batch-signer.js';
import type { TokenService } from '../../../native-host/pkcs11/token-service.js';
import { GOST_TEST_PIN, openssl, opensslGostCmsVerify, useGostTestToken } from '../../support/gost-token.js';
import type { GostEndEntity, GostPki, GostToken } from '../../support/gost-token.js';
import { CLI_ENTRY, runCli } from '../../support/run-cli.js';

const gost = useGostTestToken('cas-token-gost-cades-', { label: 'Rutoken TFOMS', serial: '3A5F0C21' });
let dir: string;
let pki: GostPki;
let token: GostToken;
let service: TokenService;
let signCalls = 0;
const users: Record<'g256' | 'g512' | 'g2001', GostEndEntity> = {} as never;
const IDS = { g256: '01', g512: '02', g2001: '03' } as const;

function signerFor(user: 'g256' | 'g512' | 'g2001', expected = 1): BatchSigner {
  return createBatchSigner({
    certificate: users[user].certificateDer,
    expected,
    signDigests: async (digests, hashAlgorithm) => {
      signCalls += 1;
      return (await service.signDigests({ certificate: { id: IDS[user] }, hashAlgorithm, scheme: 'auto', digests, pin: GOST_TEST_PIN })).signatures;
    },
  });
}

/** A file with every byte value and CR/LF pairs: `-binary` must keep it as it is. */
function binaryDocument(label: string): Uint8Array {
  const text = new TextEncoder().encode(`Реестр счетов ТФОМС ${label}\r\n`);
  return Uint8Array.from([...text, ...Array.from({ length: 256 }, (_, i) => i), 0x0d, 0x0a, ...randomBytes(3000)]);
}

let fileCount = 0;
function write(bytes: Uint8Array, name = `file-${++fileCount}`): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** openssl cms -verify with the gost engine, trusting only the GOST test CA. */
function verifyDetached(content: Uint8Array, signature: Uint8Array): { ok: boolean; output: string } {
  return opensslGostCmsVerify(pki.caPemPath, write(signature), { content: write(content) });
}

function streebogHex(data: Uint8Array, hash: HashAlgorithm): string {
  return openssl(['dgst', '-engine', 'gost', hash === 'GOST3411-2012-256' ? '-md_gost12_256' : '-md_gost12_512', '-r'], undefined, data)
    .toString()
    .trim()
    .split(/\s+/)[0]!;
}

function signerInfoOf(signature: Uint8Array): { signedData: pkijs.SignedData; signerInfo: pkijs.SignerInfo } {
  const contentInfo = pkijs.ContentInfo.fromBER(signature.slice().buffer);
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  return { signedData, signerInfo: signedData.signerInfos[0]! };
}

/** The same CMS with the SignerInfo's signature replaced (same length: the bytes swapped in place). */
function withSignature(cms: Uint8Array, signature: Uint8Array, replacement: Uint8Array): Uint8Array {
  const at = Buffer.from(cms).indexOf(Buffer.from(signature));
  expect(at).toBeGreaterThan(0);
  const copy = cms.slice();
  copy.set(replacement, at);
  return copy;
}

beforeAll(() => {
  ({ dir, pki, token } = gost);
  users.g256 = pki.issue('ivanov256', 'gost2012_256', '0x0097B8752D16ACBF80E7119829', '/C=RU/O=GBUZ Clinic TEST/CN=Ivanov Ivan Ivanovich/emailAddress=ivanov@clinic.test');
  users.g512 = pki.issue('ivanov512', 'gost2012_512', '0x01A2B3C4D5', '/C=RU/O=GBUZ Clinic TEST/CN=Ivanov 512');
  users.g2001 = pki.issue('old2001', 'gost2001', '0x2001', '/C=RU/O=GBUZ Clinic TEST/CN=Old 2001');
  for (const [user, id] of Object.entries(IDS) as ['g256' | 'g512' | 'g2001', string][]) token.addUser(id, users[user], `cert ${user}`);
  service = gost.service();
});

describe('CAdES-BES with GOST R 34.10-2012', () => {
  for (const [user, hash, keyOid, digestOid] of [
    ['g256', 'GOST3411-2012-256', '1.2.643.7.1.1.1.1', '1.2.643.7.1.1.2.2'],
    ['g512', 'GOST3411-2012-512', '1.2.643.7.1.1.1.2', '1.2.643.7.1.1.2.3'],
  ] as const) {
    it(`detached, ${hash}: openssl cms -verify -engine gost accepts it; r||s swapped, a changed byte, other content are rejected`, async () => {
      const data = binaryDocument(hash);
      const cms = await signCades(data, signerFor(user));
      const verdict = verifyDetached(data, cms);
      expect(verdict.output).toMatch(/Verification successful/);
      expect(verdict.ok).toBe(true);

      const signature = new Uint8Array(signerInfoOf(cms).signerInfo.signature.valueBlock.valueHexView);
      const half = signature.length / 2;
      expect(signature).toHaveLength(hash === 'GOST3411-2012-256' ? 64 : 128);
      const swapped = Uint8Array.from([...signature.subarray(half), ...signature.subarray(0, half)]);
      expect(verifyDetached(data, withSignature(cms, signature, swapped)).ok).toBe(false);
      const changed = signature.slice();
      changed[half + 1]! ^= 0x01;
      expect(verifyDetached(data, withSignature(cms, signature, changed)).ok).toBe(false);
      const other = data.slice();
      other[other.length - 1]! ^= 0xff;
      expect(verifyDetached(other, cms).ok).toBe(false);
    });

    it(`detached, ${hash}: algorithms as OpenSSL writes them, DER-sorted signed attributes, Streebog digests as openssl computes them`, async () => {
      const data = binaryDocument(`structure ${hash}`);
      const signingTime = new Date('2026-03-02T08:15:00Z');
      const cms = await signCades(data, signerFor(user), { signingTime });
      const { signedData, signerInfo } = signerInfoOf(cms);
      expect(signedData.encapContentInfo.eContent).toBeUndefined(); // detached
      expect(signedData.digestAlgorithms.map((a) => a.algorithmId)).toEqual([digestOid]);
      expect(signerInfo.digestAlgorithm.algorithmId).toBe(digestOid);
      expect(signerInfo.digestAlgorithm.algorithmParams).toBeInstanceOf(asn1js.Null);
      expect(signerInfo.signatureAlgorithm.algorithmId).toBe(keyOid);
      expect(signerInfo.signatureAlgorithm.algorithmParams).toBeInstanceOf(asn1js.Null);

      const attributes = signerInfo.signedAttrs!.attributes;
      const ders = attributes.map((a) => Buffer.from(a.toSchema().toBER(false)));
      expect([...ders].sort(Buffer.compare)).toEqual(ders);
      const byType = new Map(attributes.map((a) => [a.type, a.values[0]]));
      expect(new Set(byType.keys())).toEqual(new Set(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.5', '1.2.840.113549.1.9.16.2.47']));
      expect((byType.get('1.2.840.113549.1.9.3') as asn1js.ObjectIdentifier).valueBlock.toString()).toBe('1.2.840.113549.1.7.1');
      expect(Buffer.from((byType.get('1.2.840.113549.1.9.4') as asn1js.OctetString).valueBlock.valueHexView).toString('hex')).toBe(streebogHex(data, hash));
      expect((byType.get('1.2.840.113549.1.9.5') as asn1js.UTCTime).toDate().toISOString()).toBe(signingTime.toISOString());
      // SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 { hashAlgorithm (Streebog), certHash, issuerSerial } }
      const essCertId = ((byType.get('1.2.840.113549.1.9.16.2.47') as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
      const [hashAlgorithm, certHash] = essCertId.valueBlock.value as [asn1js.Sequence, asn1js.OctetString];
      expect((hashAlgorithm.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString()).toBe(digestOid);
      expect(Buffer.from(certHash.valueBlock.valueHexView).toString('hex')).toBe(streebogHex(users[user].certificateDer, hash));
    });

    it(`attached, ${hash}: openssl verifies it without the file and gives the content back; a changed byte is rejected`, async () => {
      const data = binaryDocument(`attached ${hash}`);
      const cms = await signCades(data, signerFor(user), { attached: true });
      const out = join(dir, `extracted-${user}`);
      const verdict = opensslGostCmsVerify(pki.caPemPath, write(cms), { out });
      expect(verdict.ok).toBe(true);
      expect(new Uint8Array(readFileSync(out))).toEqual(data);
      const signature = new Uint8Array(signerInfoOf(cms).signerInfo.signature.valueBlock.valueHexView);
      const changed = signature.slice();
      changed[0]! ^= 0x80;
      expect(opensslGostCmsVerify(pki.caPemPath, write(withSignature(cms, signature, changed))).ok).toBe(false);
    });
  }

  it('signs a batch of documents with one login', async () => {
    const documents = [binaryDocument('a'), binaryDocument('b'), binaryDocument('c')];
    const before = signCalls;
    const signer = signerFor('g256', documents.length);
    const signatures = await Promise.all(documents.map((data) => signer.forOneDocument((one) => signCades(data, one))));
    expect(signCalls - before).toBe(1);
    signatures.forEach((cms, index) => expect(verifyDetached(documents[index]!, cms).ok).toBe(true));
  });

  it('refuses PAdES and XAdES with a GOST key, a SHA-2 digest, and GOST 2001 keys, before anything reaches the token', async () => {
    const before = signCalls;
    for (const format of ['pades', 'xades'] as const) {
      const failure = await signDocument(format, new Uint8Array([1, 2, 3]), signerFor('g256')).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CasTokenError);
      expect((failure as CasTokenError).code).toBe('FORMAT_NOT_SUPPORTED');
    }
    for (const direct of [signPades(new Uint8Array([1]), signerFor('g512')), signXades('<a/>', signerFor('g512'))]) {
      expect(((await direct.catch((error: unknown) => error)) as CasTokenError).code).toBe('FORMAT_NOT_SUPPORTED');
    }
    const sha = await signCades(binaryDocument('sha'), signerFor('g512'), { hashAlgorithm: 'SHA-256' }).catch((error: unknown) => error);
    expect((sha as CasTokenError).code).toBe('INVALID_ARGUMENT');
    const old = await signCades(binaryDocument('old'), signerFor('g2001')).catch((error: unknown) => error);
    expect((old as CasTokenError).code).toBe('MECHANISM_NOT_SUPPORTED');
    expect((old as CasTokenError).message).toMatch(/2001/);
    expect(signCalls).toBe(before);
  });
});

describe('cas-token sign with a GOST key', () => {
  const cli = (args: string[], env: Record<string, string> = {}) => runCli(['sign', '--module', token.modulePath, ...args], { ...token.env, ...env });

  it('is built', () => {
    // The CLI tests run the compiled command, as users do (`npm run build` before `npm test`).
    expect(existsSync(CLI_ENTRY)).toBe(true);
    expect(existsSync(join(CLI_ENTRY, '../../dist/node/native-host/cli/main.js'))).toBe(true);
  });

  it('--format cades writes a .p7s that openssl verifies; --attached a .sig with the file inside', () => {
    const data = binaryDocument('cli');
    const input = write(data, 'registry.xml');
    const run = cli(['--cert', users.g256.serialNumber, '--pin-env', 'GOST_PIN', '--format', 'cades', '--in', input, '--out', `${input}.p7s`], { GOST_PIN: GOST_TEST_PIN });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const verdict = opensslGostCmsVerify(pki.caPemPath, `${input}.p7s`, { content: input });
    expect(verdict.ok).toBe(true);
    expect(verifyDetached(new Uint8Array([...data, 0x20]), new Uint8Array(readFileSync(`${input}.p7s`))).ok).toBe(false);

    const attached = cli(['--cert', users.g512.serialNumber, '--pin-env', 'GOST_PIN', '--format', 'cades', '--attached', '--in', input], { GOST_PIN: GOST_TEST_PIN });
    expect(attached.status).toBe(0);
    expect(attached.stdout).toContain(`${input}.sig`);
    const out = join(dir, 'cli-extracted');
    expect(opensslGostCmsVerify(pki.caPemPath, `${input}.sig`, { out }).ok).toBe(true);
    expect(new Uint8Array(readFileSync(out))).toEqual(data);
  });

  it('signs a folder with one PIN, each .p7s verified', () => {
    const folder = join(dir, 'batch');
    const outFolder = join(dir, 'batch-signed');
    mkdirSync(folder);
    const documents = ['a.txt', 'b.bin', 'c.pdf'].map((name) => {
      const data = binaryDocument(name);
      writeFileSync(join(folder, name), data);
      return { name, data };
    });
    const run = cli(['--cert', users.g256.serialNumber, '--pin-env', 'GOST_PIN', '--format', 'cades', '--in', folder, '--out', outFolder], { GOST_PIN: GOST_TEST_PIN });
    expect(run.status).toBe(0);
    for (const { name, data } of documents) expect(verifyDetached(data, new Uint8Array(readFileSync(join(outFolder, `${name}.p7s`)))).ok).toBe(true);
  });

  it('refuses PAdES with a GOST key before the PIN, and a wrong PIN after it', () => {
    const pdf = write(new TextEncoder().encode('%PDF-1.7\n%%EOF\n'), 'act.pdf');
    const pades = cli(['--cert', users.g256.serialNumber, '--pin-env', 'NO_SUCH_PIN_VARIABLE', '--format', 'pades', '--in', pdf]);
    expect(pades.status).not.toBe(0);
    expect(pades.stderr).toContain('FORMAT_NOT_SUPPORTED');
    expect(pades.stderr).not.toMatch(/PIN/);
    const wrongPin = cli(['--cert', users.g256.serialNumber, '--pin-env', 'GOST_PIN', '--format', 'cades', '--in', pdf], { GOST_PIN: '0000' });
    expect(wrongPin.status).not.toBe(0);
    expect(wrongPin.stderr).toContain('PIN_INCORRECT');
  });
});
