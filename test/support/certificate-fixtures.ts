/**
 * Certificates made with OpenSSL for the traps in docs/DOMAIN.md: NumericString INN/OGRN/SNILS, BMPString and
 * T61String names, GeneralizedTime, a serial with the top bit set, a leading zero digit, digits only,
 * e-mail only in the SubjectAltName, multi-valued RDNs, QCStatements. The definitions live here; the
 * tests make the certificates fresh in a temp dir (`writeCertificateFixtures(dir)`), so nothing depends
 * on ../shared.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CertificateFixture {
  name: string;
  /** `openssl req` arguments after the common ones. */
  args: string[];
  config?: string;
  /** What our details must say, exactly. */
  expected: Record<string, unknown>;
}

const QC_STATEMENTS = '1.3.6.1.5.5.7.1.3=DER:300a3008060604008e460101';

export const CERTIFICATE_FIXTURES: CertificateFixture[] = [
  {
    name: 'russian-numeric-identifiers',
    args: [
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-days',
      '12000',
      '-set_serial',
      '0x0274A5',
      '-utf8',
      '-subj',
      '/C=RU/O=ООО Тест/INN=007712345678/OGRN=1027700132195/SNILS=12345678901/CN=Иванов Иван',
    ],
    expected: {
      subject: 'C=RU, O=ООО Тест, INN=007712345678, OGRN=1027700132195, SNILS=12345678901, CN=Иванов Иван',
      serialNumber: '0274A5',
      inn: '007712345678',
      ogrn: '1027700132195',
      snils: '12345678901',
      keyAlgorithm: 'EC',
      curve: 'P-256',
      notAfterYear: new Date(Date.now() + 12000 * 86_400_000).getUTCFullYear(),
    },
  },
  {
    name: 'bmpstring-romanian',
    config: '[req]\ndistinguished_name=dn\nstring_mask=MASK:0x800\nprompt=no\n[dn]\nC=RO\nO=Farmacia Ștefan\nCN=Ioana Mărășescu\n',
    args: ['-newkey', 'rsa:2048', '-days', '30', '-set_serial', '0xC59D000100022AD3', '-utf8'],
    expected: { subject: 'C=RO, O=Farmacia Ștefan, CN=Ioana Mărășescu', serialNumber: 'C59D000100022AD3', serialNumberWindows: '00 c5 9d 00 01 00 02 2a d3', keyAlgorithm: 'RSA', keySize: 2048 },
  },
  {
    name: 't61string-latin1',
    config: '[req]\ndistinguished_name=dn\nstring_mask=MASK:0x4\nprompt=no\nutf8=yes\n[dn]\nC=RO\nO=Cabinet Médical\nCN=Hélène Popescu\n',
    args: ['-newkey', 'rsa:2048', '-days', '30', '-set_serial', '0x20110420940301'],
    expected: { subject: 'C=RO, O=Cabinet Médical, CN=Hélène Popescu', serialNumber: '20110420940301', serialNumberDecimal: BigInt('0x20110420940301').toString(10) },
  },
  {
    name: 'qualified-email-only-in-san',
    args: [
      '-newkey',
      'rsa:2048',
      '-days',
      '365',
      '-set_serial',
      '0x0774B02F37FABD1E',
      '-utf8',
      '-subj',
      '/C=RO/O=DEMO CABINET SRL/organizationIdentifier=VATRO-18288250/CN=Ana Ionescu/serialNumber=200412234AA132',
      '-addext',
      'subjectAltName=email:ana.ionescu@cabinet-demo.ro',
      '-addext',
      'keyUsage=critical,nonRepudiation',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      QC_STATEMENTS,
    ],
    expected: {
      subject: 'C=RO, O=DEMO CABINET SRL, 2.5.4.97=VATRO-18288250, CN=Ana Ionescu, serialNumber=200412234AA132',
      serialNumber: '0774B02F37FABD1E',
      email: 'ana.ionescu@cabinet-demo.ro',
      cui: '18288250',
      qualifiedSigning: true,
      qcCompliance: true,
      keyUsage: ['nonRepudiation'],
    },
  },
  {
    name: 'email-in-both-multivalued-rdn',
    args: [
      '-newkey',
      'rsa:2048',
      '-days',
      '30',
      '-set_serial',
      '0x7F',
      '-multivalue-rdn',
      '-subj',
      '/C=RO/O=Clinica Demo/CN=Dan Pop+serialNumber=PNORO-1800101000000/emailAddress=dan@clinica.ro',
      '-addext',
      'subjectAltName=email:dan.pop@clinica.ro,email:DAN@clinica.ro',
      '-addext',
      'keyUsage=critical,digitalSignature',
    ],
    expected: {
      subject: 'C=RO, O=Clinica Demo, CN=Dan Pop + serialNumber=PNORO-1800101000000, E=dan@clinica.ro',
      serialNumber: '7F',
      email: 'dan@clinica.ro',
      emails: ['dan@clinica.ro', 'dan.pop@clinica.ro'],
      qualifiedSigning: false,
    },
  },
];

/** Makes every fixture in `dir` as `<name>.pem`; returns their paths by name. */
export function writeCertificateFixtures(dir: string): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const fixture of CERTIFICATE_FIXTURES) {
    const out = join(dir, `${fixture.name}.pem`);
    const key = join(dir, `${fixture.name}.key`);
    const config = fixture.config ? join(dir, `${fixture.name}.cnf`) : undefined;
    if (config) writeFileSync(config, fixture.config!);
    execFileSync('openssl', ['req', '-x509', '-nodes', '-keyout', key, '-out', out, ...(config ? ['-config', config] : []), ...fixture.args], { stdio: 'pipe' });
    paths[fixture.name] = out;
  }
  return paths;
}
