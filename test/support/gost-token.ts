/**
 * A GOST R 34.10-2012 token and a GOST test CA for the tests. SoftHSM2 from Debian has no GOST
 * mechanisms, so the token is our own small PKCS#11 module over OpenSSL's gost engine
 * (gost-token/gost-pkcs11.c), compiled here with the system C compiler against the PKCS#11 headers
 * pkcs11js ships and -lcrypto. The CA, the keys and the certificates are made by `openssl … -engine gost`
 * (libengine-gost-openssl), the independent implementation every signature is checked against.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { describeCertificate } from '../../shared/certificate/describe-certificate.js';
import { TokenService } from '../../native-host/pkcs11/token-service.js';
import { opensslVerdict } from './independent-verifiers.js';
import type { Verdict } from './independent-verifiers.js';

const SOURCE = fileURLToPath(new URL('./gost-token/gost-pkcs11.c', import.meta.url));
const HEADERS = fileURLToPath(new URL('../../node_modules/pkcs11js/includes/pkcs11', import.meta.url));

export const GOST_TEST_PIN = '1234';

/** Key algorithms `openssl genpkey -engine gost` makes; gost2001 only to prove it is refused. */
export type GostKeyAlgorithm = 'gost2012_256' | 'gost2012_512' | 'gost2001';

export function openssl(args: string[], cwd?: string, input?: Uint8Array): Buffer {
  return execFileSync('openssl', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], input });
}

export { opensslVerdict };

export interface GostToken {
  modulePath: string;
  /** The token's store: N.attrs files and the key / certificate files they name. */
  storeDir: string;
  /** What the process loading the module needs in its environment. */
  env: Record<string, string>;
  label: string;
  /** A key pair (PEM private key, as openssl writes it) under CKA_ID `id`. */
  addKeyPair(id: string, keyPemPath: string, label?: string): void;
  /** A certificate object (DER) under CKA_ID `id` ('' for a CA certificate without one). */
  addCertificate(id: string, der: Uint8Array, label: string): void;
  /** A user's key pair and certificate, both under CKA_ID `id`, the certificate labelled `label`. */
  addUser(id: string, user: { keyPemPath: string; certificateDer: Uint8Array }, label: string): void;
}

/** Compiles the module into `dir` and gives it an empty store. */
export function buildGostToken(dir: string, options: { label?: string; serial?: string; pin?: string } = {}): GostToken {
  const modulePath = join(dir, 'gost-pkcs11.so');
  execFileSync('cc', ['-shared', '-fPIC', '-O1', '-Wall', '-I', HEADERS, '-o', modulePath, SOURCE, '-lcrypto'], { stdio: 'pipe' });
  const storeDir = join(dir, 'gost-store');
  mkdirSync(storeDir, { recursive: true });
  const label = options.label ?? 'GOST test token';
  const nextHandle = (): number => {
    const handles = readdirSync(storeDir)
      .map((name) => /^(\d+)\.attrs$/.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    return handles.length ? Math.max(...handles) + 1 : 1;
  };
  const writeObject = (fields: Record<string, string>): number => {
    const handle = nextHandle();
    writeFileSync(
      join(storeDir, `${handle}.attrs`),
      Object.entries(fields)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    return handle;
  };
  const token: GostToken = {
    modulePath,
    storeDir,
    label,
    env: {
      GOST_PKCS11_DIR: storeDir,
      GOST_PKCS11_LABEL: label,
      GOST_PKCS11_SERIAL: options.serial ?? 'GOST0001',
      GOST_PKCS11_PIN: options.pin ?? GOST_TEST_PIN,
    },
    addKeyPair(id, keyPemPath, keyLabel = `key ${id}`) {
      const file = `key-${id}-${nextHandle()}.pem`;
      writeFileSync(join(storeDir, file), readFileSync(keyPemPath));
      writeObject({ class: 'priv', id, label: keyLabel, file });
      writeObject({ class: 'pub', id, label: keyLabel, file });
    },
    addCertificate(id, der, certificateLabel) {
      const file = `certificate-${nextHandle()}.der`;
      writeFileSync(join(storeDir, file), der);
      writeObject({ class: 'cert', id, label: certificateLabel, file, category: id === '' ? '2' : '1' });
    },
    addUser(id, user, label) {
      token.addKeyPair(id, user.keyPemPath);
      token.addCertificate(id, user.certificateDer, label);
    },
  };
  return token;
}

/** A TokenService over the token's module, in this process (the module reads its store from the environment). */
export function gostTokenService(token: GostToken): TokenService {
  Object.assign(process.env, token.env);
  return new TokenService({ modules: [{ path: token.modulePath, source: 'argument' }], describeCertificate });
}

export interface GostEndEntity {
  algorithm: GostKeyAlgorithm;
  keyPemPath: string;
  certificatePemPath: string;
  certificateDer: Uint8Array;
  /** As `openssl x509 -serial` prints it. */
  serialNumber: string;
}

export interface GostPki {
  dir: string;
  /** The self-signed GOST 2012-256 CA: the trust anchor (`-CAfile`). */
  caPemPath: string;
  caDer: Uint8Array;
  /** A key (openssl genpkey -engine gost) and a certificate for it issued by the CA. */
  issue(name: string, algorithm: GostKeyAlgorithm, serial: string, subject?: string, paramset?: string): GostEndEntity;
  /** A certificate for an existing public key (PEM) or a request (PEM), issued by the CA. */
  issueForRequest(name: string, requestPemPath: string, serial: string): Uint8Array;
  dispose(): void;
}

const EXTENSIONS = ['[ee]', 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,nonRepudiation,digitalSignature', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid', ''].join('\n');

function pemToDer(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

/** A GOST test CA (GOST 2012-256, Streebog-256 signatures), made by openssl with the gost engine. */
export function createGostPki(): GostPki {
  const dir = mkdtempSync(join(tmpdir(), 'cas-token-gost-pki-'));
  writeFileSync(join(dir, 'extensions.cnf'), EXTENSIONS);
  openssl(['genpkey', '-engine', 'gost', '-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A', '-out', 'ca.key'], dir);
  openssl(
    [
      'req',
      '-engine',
      'gost',
      '-new',
      '-x509',
      '-key',
      'ca.key',
      '-md_gost12_256',
      '-days',
      '30',
      '-utf8',
      '-subj',
      '/C=RU/O=CAS Token TEST/CN=CAS Token TEST GOST CA',
      '-set_serial',
      '1',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      'ca.pem',
    ] /* the default config's v3_ca: CA:TRUE, key identifiers */,
    dir,
  );
  const sign = (name: string, requestPemPath: string, serial: string): Uint8Array => {
    openssl(
      [
        'x509',
        '-engine',
        'gost',
        '-req',
        '-in',
        requestPemPath,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-set_serial',
        serial,
        '-days',
        '30',
        '-md_gost12_256',
        '-extfile',
        'extensions.cnf',
        '-extensions',
        'ee',
        '-out',
        `${name}.pem`,
      ],
      dir,
    );
    return pemToDer(readFileSync(join(dir, `${name}.pem`), 'utf8'));
  };
  return {
    dir,
    caPemPath: join(dir, 'ca.pem'),
    caDer: pemToDer(readFileSync(join(dir, 'ca.pem'), 'utf8')),
    issue(name, algorithm, serial, subject = `/C=RU/O=TFOMS TEST/CN=${name}`, paramset = 'A') {
      openssl(['genpkey', '-engine', 'gost', '-algorithm', algorithm, '-pkeyopt', `paramset:${paramset}`, '-out', `${name}.key`], dir);
      openssl(
        [
          'req',
          '-engine',
          'gost',
          '-new',
          '-key',
          `${name}.key`,
          { gost2012_256: '-md_gost12_256', gost2012_512: '-md_gost12_512', gost2001: '-md_gost94' }[algorithm],
          '-utf8',
          '-subj',
          subject,
          '-out',
          `${name}.csr`,
        ],
        dir,
      );
      const certificateDer = sign(name, `${name}.csr`, serial);
      return {
        algorithm,
        keyPemPath: join(dir, `${name}.key`),
        certificatePemPath: join(dir, `${name}.pem`),
        certificateDer,
        serialNumber: openssl(['x509', '-in', `${name}.pem`, '-noout', '-serial'], dir)
          .toString()
          .trim()
          .replace(/^serial=/, ''),
      };
    },
    issueForRequest: (name, requestPemPath, serial) => sign(name, requestPemPath, serial),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What a test file signs with: a GOST test CA, a GOST test token in a folder of the file's own, and a TokenService over it on first use. */
export interface GostTestSetUp {
  readonly dir: string;
  readonly pki: GostPki;
  readonly token: GostToken;
  /** A TokenService over the token (made on first call, closed after the file's tests). */
  service(): TokenService;
}

/**
 * A GOST test CA and token for one test file: made before its tests (its own beforeAll, registered after
 * this call, sees them), removed after them. `prefix` names the temporary folder.
 */
export function useGostTestToken(prefix: string, options: { label?: string; serial?: string } = {}): GostTestSetUp {
  let made: { dir: string; pki: GostPki; token: GostToken } | undefined;
  let service: TokenService | undefined;
  const ready = (): NonNullable<typeof made> => {
    if (!made) throw new Error('the GOST test token is made in beforeAll');
    return made;
  };
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made = { dir, pki: createGostPki(), token: buildGostToken(dir, options) };
  });
  afterAll(() => {
    service?.close();
    made?.pki.dispose();
    if (made) rmSync(made.dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return ready().dir;
    },
    get pki() {
      return ready().pki;
    },
    get token() {
      return ready().token;
    },
    service: () => (service ??= gostTokenService(ready().token)),
  };
}

/**
 * `openssl cms -verify -engine gost -binary` of a DER CMS file, trusting only `caPemPath`: over
 * `content` (a detached signature) or the content inside, written to `out` (default: nowhere).
 */
export function opensslGostCmsVerify(caPemPath: string, signaturePath: string, { content, out = '/dev/null' }: { content?: string; out?: string } = {}): Verdict {
  return opensslVerdict([
    'cms',
    '-verify',
    '-engine',
    'gost',
    '-binary',
    '-inform',
    'DER',
    '-in',
    signaturePath,
    ...(content ? ['-content', content] : []),
    '-CAfile',
    caPemPath,
    '-purpose',
    'any',
    '-out',
    out,
  ]);
}
