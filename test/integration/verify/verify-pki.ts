/**
 * The certificates the verification tests sign with, made with OpenSSL: the test PKI (root → qualified
 * intermediate → RSA and EC end entities), plus
 *   - a qualified end entity of the same intermediate with QCStatements (QcCompliance, QcSSCD),
 *   - an end entity of the same intermediate that expired before today (valid Jan–Mar 2024),
 *   - a whole second PKI, whose root the verifiers are never given (an unknown CA).
 * `openssl ca` sets the past validity dates that `openssl x509 -req` cannot.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createTestPki, useTestPki } from '../../support/test-pki.js';
import type { TestEndEntity, TestPki } from '../../support/test-pki.js';

export interface VerifyPki {
  pki: TestPki;
  /** Issued by the trusted intermediate, with QcCompliance and QcSSCD statements. */
  qualified: TestEndEntity;
  /** Issued by the trusted intermediate, valid 2024-01-01 – 2024-03-01 only. */
  expired: TestEndEntity;
  /** A PKI the verifiers do not trust. */
  unknown: TestPki;
}

const CA_CONFIG = `[ca]
default_ca = test
[test]
database = index.txt
new_certs_dir = .
serial = serial.txt
default_md = sha256
policy = any
unique_subject = no
email_in_dn = no
[any]
countryName = optional
organizationName = optional
commonName = supplied
[ee]
basicConstraints=critical,CA:FALSE
keyUsage=critical,nonRepudiation,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[qualified]
basicConstraints=critical,CA:FALSE
keyUsage=critical,nonRepudiation
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
1.3.6.1.5.5.7.1.3=DER:30143008060604008E4601013008060604008E460104
`;

function issueWithOpenSslCa(pki: TestPki, name: string, subject: string, serial: string, section: 'ee' | 'qualified', dates: string[]): TestEndEntity {
  const dir = pki.dir;
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial.txt'), `${serial}\n`);
  run(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-utf8', '-subj', subject]);
  run([
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'intermediate.pem',
    '-keyfile',
    'intermediate.key',
    '-in',
    `${name}.csr`,
    '-out',
    `${name}.pem`,
    ...dates,
    '-extensions',
    section,
    '-notext',
    '-preserveDN',
    '-utf8',
  ]);
  const pem = readFileSync(join(dir, `${name}.pem`), 'utf8');
  const der = new Uint8Array(Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''), 'base64'));
  return {
    kind: 'rsa',
    certificateDer: der,
    certificatePemPath: join(dir, `${name}.pem`),
    keyPemPath: join(dir, `${name}.key`),
    privateKey: createPrivateKey(readFileSync(join(dir, `${name}.key`))),
    subjectCommonName: subject.replace(/^.*CN=/, ''),
  };
}

/** The PKIs for one test file: made before its tests, removed after. */
export function useVerifyPki(prefix: string): { work: string; pkis: () => VerifyPki } {
  const { work, pki } = useTestPki(prefix);
  let made: VerifyPki | undefined;
  beforeAll(() => {
    const trusted = pki();
    const qualified = issueWithOpenSslCa(trusted, 'qualified', '/C=RO/O=Farmacia Demo SRL/CN=Mihai Qualified', '3C00AA01', 'qualified', ['-days', '30']);
    const expired = issueWithOpenSslCa(trusted, 'expired', '/C=RO/O=Clinica Expirata SRL/CN=Expired Signer', '0E0F1A2B', 'ee', ['-startdate', '20240101000000Z', '-enddate', '20240301000000Z']);
    made = { pki: trusted, qualified, expired, unknown: createTestPki() };
  });
  afterAll(() => made?.unknown.dispose());
  return {
    work,
    pkis: () => {
      if (!made) throw new Error('the PKIs are made in beforeAll: use pkis() inside tests and hooks');
      return made;
    },
  };
}
