/**
 * The SoftHSM2 provisioning behind `npm start`'s demo token and every token test: what OpenSSL and
 * pkcs11-tool (not our code) see in the store it makes.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC, SOFTHSM2_MODULE_PATH } from '../../../scripts/softhsm/provision.js';
import type { ProvisionedSoftHsm, TokenSpec } from '../../../scripts/softhsm/provision.js';
import { useSoftHsm } from '../../support/softhsm.js';

const run = promisify(execFile);

const EXPIRING: TokenSpec = {
  label: 'Expira curand',
  pin: '1111',
  soPin: '22223333',
  certificates: [
    {
      id: '0a',
      label: 'Expira',
      keyType: 'rsa-2048',
      serialNumberHex: '20110420940301',
      subject: [
        ['C', 'RO'],
        ['CN', 'Dr. Ana Pop'],
      ],
      email: { address: 'ana.pop@example.com', placement: 'both' },
      purpose: 'qualified-signing',
      validDays: 10,
    },
  ],
};
const softhsm = useSoftHsm([DEMO_TOKEN_SPEC, EXPIRING]);

async function x509(certificatePath: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('openssl', ['x509', '-in', certificatePath, '-noout', '-nameopt', 'utf8,sep_comma_plus_space', ...args]);
  return stdout;
}

function demoCertificate(store: ProvisionedSoftHsm, id: string) {
  return store.tokens[0]!.certificates.find((c) => c.id === id)!;
}

describe('the demo token', () => {
  it('holds both certificates and both private keys under the same CKA_IDs, as pkcs11-tool lists them', async () => {
    const store = softhsm.provisioned();
    const { stdout } = await run('pkcs11-tool', ['--module', SOFTHSM2_MODULE_PATH, '--token-label', 'CAS Demo', '--login', '--pin', '1234', '--list-objects'], {
      env: { ...process.env, ...store.env },
    });
    const objects = stdout.split(/\n(?=\S)/).map((block) => ({
      kind: /^(Certificate|Private Key|Public Key) Object/.exec(block)?.[1],
      id: /ID:\s+(\S+)/.exec(block)?.[1],
      label: /label:\s+(.+)/.exec(block)?.[1]?.trim(),
    }));
    for (const [id, label] of [
      ['01', 'Semnatura calificata'],
      ['02', 'Autentificare'],
    ]) {
      expect(objects).toContainEqual({ kind: 'Certificate', id, label });
      expect(objects).toContainEqual({ kind: 'Private Key', id, label });
    }
  });

  it('has a qualified RSA signing certificate: top-bit serial, e-mail in the subject, nonRepudiation, QcCompliance', async () => {
    const store = softhsm.provisioned();
    const path = demoCertificate(store, '01').certificatePath;
    expect(await x509(path, '-serial')).toBe('serial=C59D2B7E41A0F3168E5D9C04B7A2E61F\n');
    const text = await x509(path, '-text');
    expect(text).toContain(
      'Subject: C=RO, O=DEMO CABINET MEDICAL IONESCU SRL, organizationIdentifier=VATRO-12345678, CN=Ștefan Ionescu-Mărășești, serialNumber=200412234AA132, emailAddress=stefan.ionescu@example.com',
    );
    expect(text).toContain('Issuer: C=RO, O=DEMO CERTSIGN SA, CN=DEMO CERTSIGN QUALIFIED CA, organizationIdentifier=VATRO-00000000');
    expect(text).toMatch(/Key Usage: critical\s+Non Repudiation\n/);
    expect(text).toContain('Public-Key: (2048 bit)');
    expect(text).not.toContain('Subject Alternative Name');
    // QCStatements: OpenSSL parses the extension's value and finds QcCompliance (and QcSSCD) in it.
    const { stdout: parsed } = await run('openssl', ['asn1parse', '-in', path]);
    const offset = /qcStatements\n\s*(\d+):d=\d+\s+hl=\d+\s+l=\s*\d+ prim: OCTET STRING/.exec(parsed)?.[1];
    expect(offset).toBeDefined();
    const { stdout: statements } = await run('openssl', ['asn1parse', '-in', path, '-strparse', offset!]);
    expect(statements).toMatch(/OBJECT\s+:0\.4\.0\.1862\.1\.1\n/);
    expect(statements).toMatch(/OBJECT\s+:0\.4\.0\.1862\.1\.4\n/);
  });

  it('has an EC P-256 authentication certificate: leading-zero serial, e-mail only in the SubjectAltName', async () => {
    const store = softhsm.provisioned();
    const path = demoCertificate(store, '02').certificatePath;
    expect(await x509(path, '-serial')).toBe('serial=0774B02F9A61C3E5D8\n');
    const text = await x509(path, '-text');
    expect(text).toContain('Subject: C=RO, L=Mărășești, O=DEMO CABINET MEDICAL IONESCU SRL, CN=Ștefan Ionescu-Mărășești\n');
    expect(text).toContain('email:stefan.ionescu@example.com');
    expect(text).toContain('NIST CURVE: P-256');
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(text).not.toContain('qcStatements');
  });

  it('has certificates that chain to the demo CA', async () => {
    const store = softhsm.provisioned();
    const paths = store.tokens.flatMap((t) => t.certificates.map((c) => c.certificatePath));
    const { stdout } = await run('openssl', ['verify', '-CAfile', store.caCertificatePath, ...paths]);
    expect(stdout.trim().split('\n')).toEqual(paths.map((p) => `${p}: OK`));
  });
});

describe('chosen validity and e-mail placement', () => {
  it('makes a certificate that expires in 10 days, with the e-mail both in the subject and the SubjectAltName', async () => {
    const store = softhsm.provisioned();
    const path = store.tokens[1]!.certificates[0]!.certificatePath;
    const { stdout } = await run('openssl', ['x509', '-in', path, '-noout', '-enddate', '-checkend', String(10 * 86400 - 600)]).catch((e: { stdout: string }) => e);
    const notAfter = new Date(/notAfter=(.*)/.exec(stdout)![1]!);
    expect(Math.round((notAfter.getTime() - Date.now()) / 86_400_000)).toBe(10);
    expect(stdout).toContain('Certificate will not expire');
    await expect(run('openssl', ['x509', '-in', path, '-noout', '-checkend', String(10 * 86400 + 600)])).rejects.toMatchObject({ stdout: expect.stringContaining('Certificate will expire') });
    const text = await x509(path, '-text', '-serial');
    expect(text).toContain('emailAddress=ana.pop@example.com');
    expect(text).toContain('email:ana.pop@example.com');
    expect(text).toContain('serial=20110420940301');
  });
});

describe('the provisioning command', () => {
  const cli = fileURLToPath(new URL('../../../dist/node/scripts/softhsm/provision-cli.js', import.meta.url));
  const dir = mkdtemp(join(tmpdir(), 'cas-token-provision-cli-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('provisions the demo token into --dir and prints what it made as JSON', async () => {
    expect(existsSync(cli), 'build first: npm run build:node').toBe(true);
    const target = join(await dir, 'demo');
    const started = Date.now();
    const { stdout } = await run(process.execPath, [cli, '--dir', target]);
    expect(Date.now() - started).toBeLessThan(10_000);
    const printed = JSON.parse(stdout) as ProvisionedSoftHsm;
    expect(printed).toMatchObject({ dir: target, env: { SOFTHSM2_CONF: join(target, 'softhsm2.conf') }, modulePath: SOFTHSM2_MODULE_PATH });
    expect(printed.tokens).toMatchObject([
      {
        label: 'CAS Demo',
        pin: '1234',
        certificates: [
          { id: '01', keyType: 'rsa-2048' },
          { id: '02', keyType: 'ec-p256' },
        ],
      },
    ]);
    const { stdout: slots } = await run('softhsm2-util', ['--show-slots'], { env: { ...process.env, SOFTHSM2_CONF: printed.env.SOFTHSM2_CONF } });
    expect(slots).toContain('Label:            CAS Demo');
  });
});
