/**
 * The FOMS certificate change with GOST R 34.10-2012 keys, through the built `cas-token` command on the
 * GOST test token: `csr --key-type gost2012-256|gost2012-512 [--paramset …] --from-cert SERIAL` makes the
 * key pair on the token and a PKCS#10 request that `openssl req -verify -engine gost` accepts (a changed
 * signature byte is rejected), with the subject copied byte for byte (INN, OGRN, SNILS NumericStrings);
 * the GOST test CA issues the certificate, `import-cert` installs it next to the key, and a CAdES
 * signature with it verifies.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GOST_TEST_PIN, openssl, opensslGostCmsVerify, opensslVerdict, useGostTestToken } from '../../support/gost-token.js';
import type { GostEndEntity, GostPki, GostToken } from '../../support/gost-token.js';
import { CLI_ENTRY, runCli } from '../../support/run-cli.js';

const SUBJECT = '/C=RU/ST=77 Moscow/O=GBUZ Gorodskaya Poliklinika TEST/CN=Иванов Иван Иванович/INN=007712345678/OGRN=1027700132195/SNILS=11223344595/emailAddress=ivanov@poliklinika.test';

const gost = useGostTestToken('cas-token-gost-csr-', { label: 'JaCarta TFOMS', serial: '0A1B2C3D' });
let dir: string;
let pki: GostPki;
let token: GostToken;
let current: GostEndEntity;

const cli = (args: string[]) => runCli([...args, '--module', token.modulePath, '--pin-env', 'GOST_PIN'], { ...token.env, GOST_PIN: GOST_TEST_PIN });

function subjectDer(der: Uint8Array, kind: 'certificate' | 'request'): Buffer {
  const buffer = der.slice().buffer;
  const parsed = kind === 'certificate' ? pkijs.Certificate.fromBER(buffer) : pkijs.CertificationRequest.fromBER(buffer);
  return Buffer.from(parsed.subject.toSchema().toBER(false));
}

function pemToDer(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

beforeAll(() => {
  ({ dir, pki, token } = gost);
  current = pki.issue('current', 'gost2012_256', '0x0097B8752D16ACBF80E7119829', SUBJECT);
  token.addUser('01', current, 'Ivanov 2025');
});

describe('cas-token csr / import-cert with GOST keys', () => {
  it('is built', () => {
    expect(existsSync(join(CLI_ENTRY, '../../dist/node/native-host/cli/main.js'))).toBe(true);
  });

  for (const [keyType, paramset, keyOid, paramsetOid] of [
    ['gost2012-256', undefined, '1.2.643.7.1.1.1.1', '1.2.643.7.1.2.1.1.1'],
    ['gost2012-256', 'cryptopro-A', '1.2.643.7.1.1.1.1', '1.2.643.2.2.35.1'],
    ['gost2012-512', undefined, '1.2.643.7.1.1.1.2', '1.2.643.7.1.2.1.2.1'],
  ] as const) {
    it(`${keyType}${paramset ? ` (${paramset})` : ''}: a request openssl verifies, the subject kept byte for byte, installed and used after issuance`, () => {
      const name = `${keyType}-${paramset ?? 'default'}`;
      const out = join(dir, `${name}.pem`);
      const made = cli(['csr', '--key-type', keyType, ...(paramset ? ['--paramset', paramset] : []), '--from-cert', current.serialNumber, '--out', out, '--json']);
      expect(made.stderr).toBe('');
      expect(made.status).toBe(0);
      const { keyId } = JSON.parse(made.stdout) as { keyId: string };

      // `openssl req -verify` (3.0) exits 0 even when the signature is bad: its words are the verdict.
      const verdict = opensslVerdict(['req', '-engine', 'gost', '-in', out, '-noout', '-verify']);
      expect(verdict.output).toMatch(/self-signature verify OK/);
      expect(verdict.output).not.toMatch(/failure/);
      const requestDer = pemToDer(readFileSync(out, 'utf8'));
      expect(subjectDer(requestDer, 'request')).toEqual(subjectDer(current.certificateDer, 'certificate'));
      const request = pkijs.CertificationRequest.fromBER(requestDer.slice().buffer);
      expect(request.subjectPublicKeyInfo.algorithm.algorithmId).toBe(keyOid);
      expect(request.signatureAlgorithm.algorithmId).toBe(keyType === 'gost2012-256' ? '1.2.643.7.1.1.3.2' : '1.2.643.7.1.1.3.3');
      const params = (request.subjectPublicKeyInfo.algorithm.algorithmParams as { valueBlock: { value: { valueBlock: { toString(): string } }[] } }).valueBlock.value[0]!;
      expect(params.valueBlock.toString()).toBe(paramsetOid);

      // Negative control: one byte of the signature changed → openssl rejects the request.
      const signatureBytes = new Uint8Array(request.signatureValue.valueBlock.valueHexView);
      const at = Buffer.from(requestDer).lastIndexOf(Buffer.from(signatureBytes));
      const damaged = requestDer.slice();
      damaged[at + 10]! ^= 0x04;
      const damagedPath = join(dir, `${name}-damaged.der`);
      writeFileSync(damagedPath, damaged);
      const rejected = opensslVerdict(['req', '-engine', 'gost', '-inform', 'DER', '-in', damagedPath, '-noout', '-verify']);
      expect(rejected.output).toMatch(/self-signature verify failure/);
      expect(rejected.output).not.toMatch(/verify OK/);

      // The CA issues; import-cert installs it next to the new key; then it signs.
      const serial = `0x7${keyId.slice(0, 10)}`;
      pki.issueForRequest(name, out, serial);
      const issuedPath = join(pki.dir, `${name}.pem`);
      const imported = cli(['import-cert', issuedPath]);
      expect(imported.stderr).toBe('');
      expect(imported.status).toBe(0);
      const issuedSerial = openssl(['x509', '-in', issuedPath, '-noout', '-serial'])
        .toString()
        .trim()
        .replace(/^serial=/, '');
      const listed = JSON.parse(cli(['certs', '--json']).stdout) as { id: string; serialNumber: string; emails: string[] }[];
      const installed = listed.find((c) => c.serialNumber === issuedSerial);
      expect(installed?.id).toBe(keyId);
      expect(installed?.emails).toEqual(['ivanov@poliklinika.test']);

      const document = join(dir, `${name}-report.xml`);
      writeFileSync(document, `<report>${name}</report>\r\n`);
      const signed = cli(['sign', '--cert', issuedSerial, '--format', 'cades', '--in', document, '--out', `${document}.p7s`]);
      expect(signed.status).toBe(0);
      expect(opensslGostCmsVerify(pki.caPemPath, `${document}.p7s`, { content: document }).ok).toBe(true);
    });
  }

  it('refuses a parameter set the key size does not have, before the PIN', () => {
    const run = runCli(
      ['csr', '--key-type', 'gost2012-512', '--paramset', 'cryptopro-A', '--from-cert', current.serialNumber, '--out', join(dir, 'no.pem'), '--module', token.modulePath, '--pin-env', 'NO_SUCH_PIN'],
      token.env,
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/INVALID_ARGUMENT/);
  });
});
