/**
 * Provisions SoftHSM2 tokens that look like the ones Romanian CAS users hold: a demo CA (named like a
 * real qualified CA, clearly marked DEMO), keys generated ON the token, certificates issued by the CA
 * and written back to the token beside their keys (same CKA_ID).
 *
 * Used by `npm start` for the demo token and by the tests (one store per run). Everything lives in
 * `dir`: `softhsm2.conf`, `tokens/` (the SoftHSM2 store) and `work/` (CA, CSRs, certificates).
 *
 * Tools: softhsm2-util, pkcs11-tool (OpenSC), openssl 3 with the pkcs11 engine (libengine-pkcs11-openssl).
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SOFTHSM2_MODULE_PATH = '/usr/lib/softhsm/libsofthsm2.so';

export type ProvisionedKeyType = 'rsa-2048' | 'ec-p256';

/** What the certificate is for: the qualified signing one (nonRepudiation + QCStatements) or authentication. */
export type CertificatePurpose = 'qualified-signing' | 'authentication';

export interface CertificateSpec {
  /** CKA_ID, hex (e.g. `01`), shared by the certificate and its key pair. */
  id: string;
  /** CKA_LABEL of the certificate and of its keys. */
  label: string;
  keyType: ProvisionedKeyType;
  /** The certificate serial number, hex, whole bytes (as `openssl x509 -serial` prints it). */
  serialNumberHex: string;
  /**
   * Subject attributes in certificate (DER) order, with OpenSSL names: C, ST, L, O, OU, CN,
   * serialNumber, organizationIdentifier, GN, SN, title. `emailAddress` is added from `email`.
   */
  subject: [attribute: string, value: string][];
  /** The holder's e-mail and where the certificate carries it. */
  email?: { address: string; placement: 'subject' | 'san' | 'both' };
  purpose: CertificatePurpose;
  /** notAfter = now + this many days (notBefore = now). Default 365. */
  validDays?: number;
  /** `false` imports the certificate without its private key (the key stays off the token). Default true. */
  keyOnToken?: boolean;
}

export interface TokenSpec {
  label: string;
  pin: string;
  soPin: string;
  certificates: CertificateSpec[];
}

export interface ProvisionOptions {
  dir: string;
  tokens: TokenSpec[];
}

export interface ProvisionedCertificate {
  id: string;
  label: string;
  keyType: ProvisionedKeyType;
  purpose: CertificatePurpose;
  /** Upper-case hex, whole bytes. */
  serialNumberHex: string;
  /** PEM file of the issued certificate. */
  certificatePath: string;
  /** DER order, `, ` separated, OpenSSL short names (as the spec gave it, with the e-mail when in the subject). */
  subject: string;
  email?: string;
  keyOnToken: boolean;
}

export interface ProvisionedToken {
  label: string;
  pin: string;
  soPin: string;
  certificates: ProvisionedCertificate[];
}

export interface ProvisionedSoftHsm {
  dir: string;
  env: { SOFTHSM2_CONF: string };
  modulePath: string;
  /** The SoftHSM2 token store: one sub-directory per token. */
  tokenDir: string;
  caCertificatePath: string;
  caKeyPath: string;
  caSubject: string;
  tokens: ProvisionedToken[];
}

/** The demo CA: named like certSIGN's qualified CA (organizationIdentifier included), clearly a demo. */
export const DEMO_CA_SUBJECT: [string, string][] = [
  ['C', 'RO'],
  ['O', 'DEMO CERTSIGN SA'],
  ['CN', 'DEMO CERTSIGN QUALIFIED CA'],
  ['organizationIdentifier', 'VATRO-00000000'],
];

/**
 * The demo token, as a doctor's token from a Romanian CA would look: a qualified RSA signing certificate
 * (serial with the top bit set, e-mail in the subject) and an EC authentication certificate (serial whose
 * first hex digit is 0, e-mail only in the SubjectAltName), both for a holder with diacritics in the name.
 */
export const DEMO_TOKEN_SPEC: TokenSpec = {
  label: 'CAS Demo',
  pin: '1234',
  soPin: '12345678',
  certificates: [
    {
      id: '01',
      label: 'Semnatura calificata',
      keyType: 'rsa-2048',
      serialNumberHex: 'C59D2B7E41A0F3168E5D9C04B7A2E61F',
      subject: [
        ['C', 'RO'],
        ['O', 'DEMO CABINET MEDICAL IONESCU SRL'],
        ['organizationIdentifier', 'VATRO-12345678'],
        ['CN', 'Ștefan Ionescu-Mărășești'],
        ['serialNumber', '200412234AA132'],
      ],
      email: { address: 'stefan.ionescu@example.com', placement: 'subject' },
      purpose: 'qualified-signing',
      validDays: 365,
    },
    {
      id: '02',
      label: 'Autentificare',
      keyType: 'ec-p256',
      serialNumberHex: '0774B02F9A61C3E5D8',
      subject: [
        ['C', 'RO'],
        ['L', 'Mărășești'],
        ['O', 'DEMO CABINET MEDICAL IONESCU SRL'],
        ['CN', 'Ștefan Ionescu-Mărășești'],
      ],
      email: { address: 'stefan.ionescu@example.com', placement: 'san' },
      purpose: 'authentication',
      validDays: 365,
    },
  ],
};

/** SoftHSM2's configuration for a store whose tokens are in `tokenDir` (an absolute path: SoftHSM2 takes no relative one). */
export function softHsmConfText(tokenDir: string): string {
  return `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\n`;
}

/** Creates a fresh SoftHSM2 store in `dir` with the tokens asked for. Replaces an earlier store there. */
export async function provisionSoftHsm(options: ProvisionOptions): Promise<ProvisionedSoftHsm> {
  const dir = resolve(options.dir);
  const tokenDir = join(dir, 'tokens');
  const workDir = join(dir, 'work');
  await rm(tokenDir, { recursive: true, force: true });
  await rm(workDir, { recursive: true, force: true });
  await mkdir(tokenDir, { recursive: true });
  await mkdir(workDir, { recursive: true });

  const softHsmConf = join(dir, 'softhsm2.conf');
  await writeFile(softHsmConf, softHsmConfText(tokenDir));
  const engineConf = join(workDir, 'openssl-pkcs11-engine.cnf');
  await writeFile(engineConf, opensslEngineConfig(SOFTHSM2_MODULE_PATH));
  const tools = new ProvisioningTools({ ...process.env, SOFTHSM2_CONF: softHsmConf }, engineConf);

  const ca = await createDemoCa(tools, workDir);
  const tokens: ProvisionedToken[] = [];
  for (const spec of options.tokens) tokens.push(await provisionToken(tools, workDir, ca, spec));

  return {
    dir,
    env: { SOFTHSM2_CONF: softHsmConf },
    modulePath: SOFTHSM2_MODULE_PATH,
    tokenDir,
    caCertificatePath: ca.certificatePath,
    caKeyPath: ca.keyPath,
    caSubject: subjectText(DEMO_CA_SUBJECT),
    tokens,
  };
}

interface DemoCa {
  certificatePath: string;
  keyPath: string;
}

async function createDemoCa(tools: ProvisioningTools, workDir: string): Promise<DemoCa> {
  const config = join(workDir, 'ca.cnf');
  await writeFile(
    config,
    [requestSection(DEMO_CA_SUBJECT), '[ca_ext]', 'basicConstraints = critical, CA:TRUE, pathlen:0', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash', ''].join('\n'),
  );
  const keyPath = join(workDir, 'ca.key');
  const certificatePath = join(workDir, 'ca.pem');
  await tools.openssl([
    'req',
    '-x509',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certificatePath,
    '-days',
    '3650',
    '-sha256',
    '-config',
    config,
    '-extensions',
    'ca_ext',
    '-set_serial',
    '0x5A17C0DE0001',
  ]);
  return { certificatePath, keyPath };
}

async function provisionToken(tools: ProvisioningTools, workDir: string, ca: DemoCa, spec: TokenSpec): Promise<ProvisionedToken> {
  await tools.softHsmUtil(['--init-token', '--free', '--label', spec.label, '--pin', spec.pin, '--so-pin', spec.soPin]);
  const certificates: ProvisionedCertificate[] = [];
  for (const certificate of spec.certificates) certificates.push(await provisionCertificate(tools, workDir, ca, spec, certificate));
  return { label: spec.label, pin: spec.pin, soPin: spec.soPin, certificates };
}

async function provisionCertificate(tools: ProvisioningTools, workDir: string, ca: DemoCa, token: TokenSpec, spec: CertificateSpec): Promise<ProvisionedCertificate> {
  const id = normaliseHex(spec.id).toLowerCase();
  const serialNumberHex = normaliseHex(spec.serialNumberHex);
  const keyOnToken = spec.keyOnToken ?? true;
  const base = join(workDir, `${safeFileName(token.label)}-${id}`);
  const subject = spec.email && spec.email.placement !== 'san' ? [...spec.subject, ['emailAddress', spec.email.address] as [string, string]] : spec.subject;

  const requestConfig = `${base}.req.cnf`;
  await writeFile(requestConfig, requestSection(subject));
  const csrPath = `${base}.csr`;
  if (keyOnToken) {
    await tools.pkcs11Tool(token, ['--keypairgen', '--key-type', spec.keyType === 'rsa-2048' ? 'rsa:2048' : 'EC:prime256v1', '--id', id, '--label', spec.label, '--usage-sign']);
    const keyUri = `pkcs11:token=${encodeURIComponent(token.label)};id=${percentEncodeHex(id)};type=private;pin-value=${encodeURIComponent(token.pin)}`;
    await tools.opensslWithTokenEngine(['req', '-new', '-engine', 'pkcs11', '-keyform', 'engine', '-key', keyUri, '-config', requestConfig, '-out', csrPath]);
  } else {
    const keyPath = `${base}.off-token.key`;
    const algorithm = spec.keyType === 'rsa-2048' ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    await tools.openssl(['genpkey', ...algorithm, '-out', keyPath]);
    await tools.openssl(['req', '-new', '-key', keyPath, '-config', requestConfig, '-out', csrPath]);
  }

  const extensionsPath = `${base}.ext.cnf`;
  await writeFile(extensionsPath, endEntityExtensions(spec));
  const certificatePath = `${base}.pem`;
  await tools.openssl([
    'x509',
    '-req',
    '-in',
    csrPath,
    '-CA',
    ca.certificatePath,
    '-CAkey',
    ca.keyPath,
    '-set_serial',
    `0x${serialNumberHex}`,
    '-days',
    String(spec.validDays ?? 365),
    '-sha256',
    '-extfile',
    extensionsPath,
    '-extensions',
    'ext',
    '-out',
    certificatePath,
  ]);
  const derPath = `${base}.der`;
  await tools.openssl(['x509', '-in', certificatePath, '-outform', 'DER', '-out', derPath]);
  await tools.pkcs11Tool(token, ['--write-object', derPath, '--type', 'cert', '--id', id, '--label', spec.label]);

  const provisioned: ProvisionedCertificate = {
    id,
    label: spec.label,
    keyType: spec.keyType,
    purpose: spec.purpose,
    serialNumberHex,
    certificatePath,
    subject: subjectText(subject),
    keyOnToken,
  };
  if (spec.email) provisioned.email = spec.email.address;
  return provisioned;
}

function endEntityExtensions(spec: CertificateSpec): string {
  const lines = ['[ext]', 'basicConstraints = critical, CA:FALSE', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid:always'];
  if (spec.purpose === 'qualified-signing') {
    lines.push('keyUsage = critical, nonRepudiation', 'certificatePolicies = 0.4.0.194112.1.2', '1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qc_statements');
  } else {
    lines.push('keyUsage = critical, digitalSignature', 'extendedKeyUsage = clientAuth, emailProtection');
  }
  if (spec.email && spec.email.placement !== 'subject') lines.push(`subjectAltName = email:${configValue(spec.email.address)}`);
  if (spec.purpose === 'qualified-signing') {
    // QCStatements: QcCompliance (0.4.0.1862.1.1) and QcSSCD (0.4.0.1862.1.4), built by OpenSSL's ASN1 generator.
    lines.push('', '[qc_statements]', 'qcCompliance = SEQUENCE:qc_compliance', 'qcSscd = SEQUENCE:qc_sscd');
    lines.push('', '[qc_compliance]', 'statementId = OID:0.4.0.1862.1.1', '', '[qc_sscd]', 'statementId = OID:0.4.0.1862.1.4');
  }
  return lines.join('\n') + '\n';
}

/** An OpenSSL `req` section that makes exactly this subject (DER order, UTF8String where free to choose). */
function requestSection(subject: [string, string][]): string {
  const names = subject.map(([attribute, value], index) => `${index}.${attribute} = ${configValue(value)}`);
  return ['[req]', 'distinguished_name = dn', 'prompt = no', 'utf8 = yes', 'string_mask = utf8only', '', '[dn]', ...names, ''].join('\n');
}

function opensslEngineConfig(modulePath: string): string {
  return [
    'openssl_conf = openssl_init',
    '[openssl_init]',
    'engines = engine_section',
    '[engine_section]',
    'pkcs11 = pkcs11_section',
    '[pkcs11_section]',
    'engine_id = pkcs11',
    `MODULE_PATH = ${modulePath}`,
    'init = 0',
    '',
  ].join('\n');
}

const SHORT_NAMES: Record<string, string> = { organizationIdentifier: '2.5.4.97' };

function subjectText(subject: [string, string][]): string {
  return subject.map(([attribute, value]) => `${SHORT_NAMES[attribute] ?? attribute}=${value}`).join(', ');
}

/** Escapes what OpenSSL's config parser would otherwise read as comments, variables or escapes. */
function configValue(value: string): string {
  return value.replace(/[\\$#"]/g, (character) => `\\${character}`);
}

function normaliseHex(hex: string): string {
  const clean = hex.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]+$/.test(clean)) throw new Error(`Not hex: "${hex}"`);
  return clean.length % 2 === 1 ? `0${clean}` : clean;
}

function percentEncodeHex(hex: string): string {
  return hex.replace(/(..)/g, '%$1');
}

function safeFileName(label: string): string {
  return label.replace(/[^A-Za-z0-9_-]+/g, '_');
}

/** The command-line tools, each run with the store's environment; a failure says which command and why. */
class ProvisioningTools {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    /** An OpenSSL config that points the pkcs11 engine at SoftHSM2; only for commands that use a key on the token. */
    private readonly engineConfig: string,
  ) {}

  openssl(args: string[]): Promise<string> {
    return this.run('openssl', args);
  }

  opensslWithTokenEngine(args: string[]): Promise<string> {
    return this.run('openssl', args, { OPENSSL_CONF: this.engineConfig });
  }

  softHsmUtil(args: string[]): Promise<string> {
    return this.run('softhsm2-util', args);
  }

  pkcs11Tool(token: TokenSpec, args: string[]): Promise<string> {
    return this.run('pkcs11-tool', ['--module', SOFTHSM2_MODULE_PATH, '--token-label', token.label, '--login', '--pin', token.pin, ...args]);
  }

  private async run(command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
    try {
      const { stdout } = await run(command, args, { env: { ...this.env, ...extraEnv }, maxBuffer: 16 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stderr?: string };
      if (failure.code === 'ENOENT') {
        throw new Error(`${command} is not installed: sudo apt-get install softhsm2 opensc openssl libengine-pkcs11-openssl`);
      }
      const detail = (failure.stderr ?? failure.message).trim().split('\n').slice(-3).join(' | ');
      throw new Error(`${command} ${args[0] ?? ''} failed: ${detail}`);
    }
  }
}
