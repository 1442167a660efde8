/**
 * A small PKI for the signature format tests, made with OpenSSL in a temp dir:
 *
 *   root CA (RSA-2048, self-signed, the only trust anchor verifiers get)
 *     └─ intermediate "qualified" CA (RSA-2048)
 *          ├─ RSA-2048 end entity (nonRepudiation, like a qualified signing certificate)
 *          └─ EC P-256 end entity (nonRepudiation)
 *
 * Verifiers only trust the root, so a signature verifies only when it embeds the intermediate: the
 * tests give the signer `certificateChain: [intermediate]`, as the token-backed signer does.
 * The private keys are software keys (node:crypto KeyObjects): only for testing the formats.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export type TestKeyKind = 'rsa' | 'ec';

export interface TestEndEntity {
  kind: TestKeyKind;
  /** The certificate, DER. */
  certificateDer: Uint8Array;
  certificatePemPath: string;
  keyPemPath: string;
  privateKey: KeyObject;
  subjectCommonName: string;
}

export interface TestPki {
  dir: string;
  /** The root CA, PEM: the trust anchor to hand verifiers (`-CAfile`, `--trusted-pem`). */
  rootCaPemPath: string;
  /** The intermediate CA, DER: embed it as the signer's certificate chain. */
  intermediateCaDer: Uint8Array;
  intermediateCaPemPath: string;
  rsa: TestEndEntity;
  ec: TestEndEntity;
  /** Removes the temp dir. */
  dispose(): void;
}

const CA_EXTENSIONS = '[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n';
const END_ENTITY_EXTENSIONS = '[ee]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,nonRepudiation,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n';

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function pemToDer(path: string): Uint8Array {
  const pem = readFileSync(path, 'utf8');
  const base64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

export interface Issuance {
  /** The PKCS#10 request, PEM (a path, relative to `cwd` when given). */
  request: string;
  caCertificatePath: string;
  caKeyPath: string;
  /** The new certificate's serial number, hex without 0x. */
  serialHex: string;
  out: string;
  days?: number;
  /** An OpenSSL extensions file, and the section of it to use. */
  extfile?: string;
  extensions?: string;
  cwd?: string;
}

/** `openssl x509 -req`: a CA issues the certificate a request asks for (SHA-256, 30 days unless told). */
export function issueCertificate(issuance: Issuance): void {
  const { request, caCertificatePath, caKeyPath, serialHex, out, days = 30, extfile, extensions, cwd } = issuance;
  execFileSync(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      request,
      '-CA',
      caCertificatePath,
      '-CAkey',
      caKeyPath,
      '-set_serial',
      `0x${serialHex}`,
      '-days',
      String(days),
      '-sha256',
      ...(extfile ? ['-extfile', extfile] : []),
      ...(extensions ? ['-extensions', extensions] : []),
      '-out',
      out,
    ],
    { cwd, stdio: 'pipe' },
  );
}

/** A self-signed EC P-256 certificate (`<name>.pem`, its key `<name>.key` in `dir`); `args`: more `openssl req` options. */
export function selfSignedEcCertificate(dir: string, name: string, subject: string, args: string[]): string {
  const pem = join(dir, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', pem, '-utf8', '-subj', subject, ...args], {
    stdio: 'pipe',
  });
  return pem;
}

/** A key + a CSR + a certificate issued by `issuer` (files `<name>.key`, `<name>.pem` in `dir`). */
function issue(dir: string, name: string, keyArgs: string[], subject: string, issuer: string, section: 'ca' | 'ee', serialHex: string): void {
  openssl(['req', '-new', '-newkey', ...keyArgs, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-utf8', '-subj', subject], dir);
  issueCertificate({ request: `${name}.csr`, caCertificatePath: `${issuer}.pem`, caKeyPath: `${issuer}.key`, serialHex, out: `${name}.pem`, extfile: 'extensions.cnf', extensions: section, cwd: dir });
}

/** Makes the whole PKI (about half a second: three RSA keys and one EC key). */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'cas-token-test-pki-'));
  writeFileSync(join(dir, 'extensions.cnf'), `${CA_EXTENSIONS}\n${END_ENTITY_EXTENSIONS}`);
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'root.key',
      '-out',
      'root.pem',
      '-days',
      '30',
      '-sha256',
      '-utf8',
      '-subj',
      '/C=RO/O=CAS Token TEST/CN=CAS Token TEST Root CA',
      '-set_serial',
      '1',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ] /* the default config's v3_ca: CA:TRUE, key identifiers */,
    dir,
  );
  issue(dir, 'intermediate', ['rsa:2048'], '/C=RO/O=CAS Token TEST/CN=CAS Token TEST Qualified CA', 'root', 'ca', '1001');
  issue(dir, 'rsa', ['rsa:2048'], '/C=RO/O=Cabinet Medical Demo SRL/CN=Ștefan Ionescu', 'intermediate', 'ee', '0774B02F37FABD1E');
  issue(dir, 'ec', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/C=RO/O=Farmacia Demo SRL/CN=Ioana Mărășescu', 'intermediate', 'ee', 'C59D000100022AD3');

  const endEntity = (kind: TestKeyKind, subjectCommonName: string): TestEndEntity => ({
    kind,
    certificateDer: pemToDer(join(dir, `${kind}.pem`)),
    certificatePemPath: join(dir, `${kind}.pem`),
    keyPemPath: join(dir, `${kind}.key`),
    privateKey: createPrivateKey(readFileSync(join(dir, `${kind}.key`))),
    subjectCommonName,
  });
  return {
    dir,
    rootCaPemPath: join(dir, 'root.pem'),
    intermediateCaDer: pemToDer(join(dir, 'intermediate.pem')),
    intermediateCaPemPath: join(dir, 'intermediate.pem'),
    rsa: endEntity('rsa', 'Ștefan Ionescu'),
    ec: endEntity('ec', 'Ioana Mărășescu'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A test PKI and a work folder for one test file: the PKI made before its tests, both removed after.
 * `pki()` reads the PKI once it exists (inside tests and hooks).
 */
export function useTestPki(prefix: string): { work: string; pki: () => TestPki } {
  const work = mkdtempSync(join(tmpdir(), prefix));
  let made: TestPki | undefined;
  beforeAll(() => {
    made = createTestPki();
  });
  afterAll(() => {
    made?.dispose();
    rmSync(work, { recursive: true, force: true });
  });
  return {
    work,
    pki: () => {
      if (!made) throw new Error('the test PKI is made in beforeAll: use pki() inside tests and hooks');
      return made;
    },
  };
}
