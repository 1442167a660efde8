/**
 * What OpenSSL says about a certificate file, normalised to our naming where the two differ only by
 * documented convention (OpenSSL `emailAddress` = our `E`, `organizationIdentifier` = `2.5.4.97`,
 * an unknown `1.2.643.100.4=#hex` = our `INNLE=text`). Used to check our details field by field.
 */
import { execFileSync } from 'node:child_process';

const run = (args: string[]): string => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function normaliseName(line: string): string {
  return line
    .replace(/^(issuer|subject)=/, '')
    .trim()
    .replace(/(^|, | \+ )emailAddress=/g, '$1E=')
    .replace(/(^|, | \+ )organizationIdentifier=/g, '$12.5.4.97=')
    .replace(/(^|, | \+ )1\.2\.643\.100\.4=#([0-9A-Fa-f]+)/g, (_m, sep: string, hex: string) => `${sep}INNLE=${Buffer.from(hex, 'hex').toString('latin1')}`);
}

const KEY_USAGE_NAMES: Record<string, string> = {
  'Digital Signature': 'digitalSignature',
  'Non Repudiation': 'nonRepudiation',
  'Key Encipherment': 'keyEncipherment',
  'Data Encipherment': 'dataEncipherment',
  'Key Agreement': 'keyAgreement',
  'Certificate Sign': 'keyCertSign',
  'CRL Sign': 'cRLSign',
  'Encipher Only': 'encipherOnly',
  'Decipher Only': 'decipherOnly',
};

export interface OpensslView {
  serialNumber: string;
  issuer: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  fingerprintSha1: string;
  fingerprintSha256: string;
  emails: string[];
  keyBits?: number;
  keyUsage: string[];
  signatureAlgorithm: string;
}

const iso = (openssl: string): string => new Date(openssl.replace(/^not(Before|After)=/, '')).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function opensslView(pemOrDerFile: string, inform: 'PEM' | 'DER' = 'PEM'): OpensslView {
  const base = ['x509', '-inform', inform, '-in', pemOrDerFile, '-noout'];
  const nameopt = ['-nameopt', 'sep_comma_plus_space,sname,utf8,dump_unknown', '-nameopt', '-esc_msb'];
  const [serial, issuer, subject, notBefore, notAfter] = run([...base, ...nameopt, '-serial', '-issuer', '-subject', '-startdate', '-enddate'])
    .trim()
    .split('\n');
  const text = run([...base, '-text']);
  const bits = /Public-Key: \((\d+) bit\)/.exec(text) ?? /with (\d+) bit modulus/.exec(text);
  let keyUsageText = '';
  try {
    keyUsageText = run([...base, '-ext', 'keyUsage']);
  } catch {
    keyUsageText = '';
  }
  const keyUsage = keyUsageText
    .split('\n')
    .slice(1)
    .join(',')
    .split(',')
    .map((s) => KEY_USAGE_NAMES[s.trim()])
    .filter((s): s is string => s !== undefined);
  const emails = run([...base, '-email'])
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    serialNumber: serial!.replace('serial=', ''),
    issuer: normaliseName(issuer!),
    subject: normaliseName(subject!),
    notBefore: iso(notBefore!),
    notAfter: iso(notAfter!),
    fingerprintSha1: run([...base, '-fingerprint', '-sha1'])
      .trim()
      .split('=')[1]!
      .replace(/:/g, ''),
    fingerprintSha256: run([...base, '-fingerprint', '-sha256'])
      .trim()
      .split('=')[1]!
      .replace(/:/g, ''),
    emails,
    ...(bits ? { keyBits: Number(bits[1]) } : {}),
    keyUsage,
    signatureAlgorithm: /Signature Algorithm: (.+)/.exec(text)![1]!.trim(),
  };
}

/** The DER bytes of the QcCompliance OID (0.4.0.1862.1.1) as they appear inside a QCStatements extension. */
export const QC_COMPLIANCE_DER = Buffer.from('060604008e460101', 'hex');
