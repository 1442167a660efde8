/**
 * The test token for the Windows packages: windows-test-token/windows-test-token.c cross-compiled with
 * mingw-w64 into a PKCS#11 DLL with one slot, one token ("CAS Wine Token") and one certificate
 * object, made here with OpenSSL (a self-signed P-256 certificate; the token has no key, so it signs
 * nothing). Under Wine it stands for a USB token, which Wine cannot have. Test support only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('./windows-test-token/windows-test-token.c', import.meta.url));
const HEADERS = fileURLToPath(new URL('../../node_modules/pkcs11js/includes/pkcs11', import.meta.url));

export const WINDOWS_TEST_TOKEN = {
  label: 'CAS Wine Token',
  serial: 'WINE0001',
  manufacturer: 'CAS Token tests',
  model: 'Wine DLL',
  certificateLabel: 'Wine test certificate',
  certificateId: '01020304',
};

export interface WindowsTestToken {
  dll: string;
  /** The certificate on the token, DER. */
  certificateDer: Buffer;
  /** Its serial number as `openssl x509 -serial` prints it. */
  certificateSerialHex: string;
}

export function buildWindowsTestToken(dir: string): WindowsTestToken {
  const der = join(dir, 'test-token-certificate.der');
  const key = join(dir, 'test-token-key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-subj',
      '/C=RO/O=Cabinet Medical Wine/CN=Dr. Wine Test',
      '-days',
      '365',
      '-outform',
      'DER',
      '-out',
      der,
    ],
    { stdio: 'pipe' },
  );
  const certificateDer = readFileSync(der);
  const bytes = (data: Uint8Array): string => [...data].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(',');
  writeFileSync(
    join(dir, 'windows-test-token-certificate.h'),
    `static const unsigned char TEST_CERTIFICATE_DER[] = {${bytes(certificateDer)}};\n` +
      `static const unsigned char TEST_CERTIFICATE_ID[] = {${bytes(Buffer.from(WINDOWS_TEST_TOKEN.certificateId, 'hex'))}};\n` +
      `#define TEST_CERTIFICATE_LABEL "${WINDOWS_TEST_TOKEN.certificateLabel}"\n`,
  );
  const dll = join(dir, 'cas-test-token.dll');
  // -Wno-attributes: pkcs11.h declares the entry points dllimport, which a DLL defining them overrides.
  execFileSync('x86_64-w64-mingw32-gcc', ['-shared', '-O1', '-Wall', '-Werror', '-Wno-attributes', '-I', dir, '-I', HEADERS, '-o', dll, SOURCE, '-s'], { stdio: 'pipe' });
  const serial = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', der, '-noout', '-serial'], { encoding: 'utf8' });
  return { dll, certificateDer, certificateSerialHex: serial.trim().replace(/^serial=/, '') };
}
