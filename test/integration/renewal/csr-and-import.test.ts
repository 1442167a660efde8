/**
 * The certificate's year on a real SoftHSM2 token, through the `cas-token` command: a new key pair on
 * the token and its request (`openssl req -verify` accepts it, the subject is the current certificate's),
 * the test CA issues the certificate, `import-cert` installs it next to its key, `certs` lists it with
 * its key and it signs; a certificate issued for another key is refused.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';
import { useSoftHsm } from '../../support/softhsm.js';
import { issueCertificate } from '../../support/test-pki.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-renewal-'));
let env: NodeJS.ProcessEnv;
let module: string;
const nameopt = ['-nameopt', 'sep_comma_plus_space,sname,utf8', '-nameopt', '-esc_msb'];

beforeAll(() => {
  const store = softhsm.provisioned();
  env = { ...store.env, TOKEN_PIN: '1234', CAS_TOKEN_MODULES: '' };
  module = store.modulePath;
});

function issue(request: string, serial: string): string {
  const store = softhsm.provisioned();
  const out = join(work, `issued-${serial}.pem`);
  const extensions = join(work, 'ext.cnf');
  writeFileSync(extensions, 'keyUsage = critical, digitalSignature, nonRepudiation\n');
  issueCertificate({ request, caCertificatePath: store.caCertificatePath, caKeyPath: store.caKeyPath, serialHex: serial, days: 365, extfile: extensions, out });
  return out;
}

describe('renewal on the token', () => {
  it.each([
    ['rsa-2048', 'A1B2C3D4E5F60718'],
    ['ec-p256', '0B1C2D3E4F5061'],
    ['rsa-3072', '3072A1B2C3'],
    ['ec-p384', '0384ABCDEF'],
  ])('%s: request on the token, verified by OpenSSL, issued, installed, listed with its key, signs', (keyType, serial) => {
    const current = softhsm.provisioned().tokens[0]!.certificates.find((c) => c.purpose === 'qualified-signing')!;
    const request = join(work, `request-${keyType}.pem`);
    const made = runCli(
      [
        'csr',
        '--module',
        module,
        '--token',
        'CAS Demo',
        '--from-cert',
        current.serialNumberHex,
        '--key-type',
        keyType,
        '--label',
        `Reinnoire ${keyType}`,
        '--pin-env',
        'TOKEN_PIN',
        '--out',
        request,
        '--json',
      ],
      env,
    );
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const { keyId, requestDer } = JSON.parse(made.stdout) as { keyId: string; requestDer: string };
    const verify = spawnSync('openssl', ['req', '-in', request, '-verify', '-noout'], { encoding: 'utf8' });
    expect(verify.stdout + verify.stderr).toMatch(/verify OK|Certificate request self-signature verify OK/);
    expect(readFileSync(requestDer).length).toBeGreaterThan(200);
    const requestSubject = execFileSync('openssl', ['req', '-in', request, '-noout', '-subject', ...nameopt], { encoding: 'utf8' })
      .replace('subject=', '')
      .trim();
    const currentSubject = execFileSync('openssl', ['x509', '-in', current.certificatePath, '-noout', '-subject', ...nameopt], { encoding: 'utf8' })
      .replace('subject=', '')
      .trim();
    expect(requestSubject).toBe(currentSubject);
    // The private key is on the token, sensitive and not extractable.
    const objects = execFileSync('pkcs11-tool', ['--module', module, '--token-label', 'CAS Demo', '--login', '--pin', '1234', '--list-objects', '--type', 'privkey', '--id', keyId], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    expect(objects).toMatch(/sensitive/);
    expect(objects).toMatch(/never extractable|Access:.*never extractable/);

    const issued = issue(request, serial);
    const installed = runCli(['import-cert', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', issued], env);
    expect(installed.stderr).toBe('');
    expect(installed.stdout).toMatch(new RegExp(`id ${keyId}`));
    const listed = JSON.parse(runCli(['certs', '--module', module, '--json'], env).stdout) as { serialNumber: string; id: string; hasPrivateKey: string }[];
    const mine = listed.find((c) => c.serialNumber === serial)!;
    expect(mine.id).toBe(keyId);
    expect(['yes', 'unknown']).toContain(mine.hasPrivateKey);
    const document = join(work, `doc-${keyType}.txt`);
    writeFileSync(document, 'semnat cu noul certificat');
    expect(runCli(['sign', '--module', module, '--cert', serial, '--pin-env', 'TOKEN_PIN', '--format', 'cades', '--in', document], env).status).toBe(0);
    const cms = spawnSync(
      'openssl',
      ['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${document}.p7s`, '-content', document, '-CAfile', softhsm.provisioned().caCertificatePath, '-out', '/dev/null'],
      { encoding: 'utf8' },
    );
    expect(cms.stderr).toMatch(/Verification successful/);
    // Installing it again is harmless.
    expect(runCli(['import-cert', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', issued], env).stdout).toMatch(/already on the token/);
  });

  it('refuses a certificate issued for a key that is not on the token', () => {
    const key = join(work, 'other.key');
    const request = join(work, 'other.csr');
    execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', '/C=RO/CN=Alt Medic', '-out', request], { stdio: 'pipe' });
    const issued = issue(request, '7777');
    const run = runCli(['import-cert', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', issued], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\[KEY_NOT_FOUND\]/);
    expect(run.stderr).toMatch(/No key on token "CAS Demo" matches this certificate/);
  });

  it('takes a subject typed in the SIUI form, and a PKCS#7 chain with --ca', () => {
    const request = join(work, 'typed.pem');
    const subject = 'C=RO, O=FARMACIA DEMO, SRL, 2.5.4.97=VATRO-87654321, CN=Ana Pop';
    const made = runCli(['csr', '--module', module, '--subject', subject, '--key-type', 'ec-p384', '--pin-env', 'TOKEN_PIN', '--out', request], env);
    expect(made.status).toBe(0);
    const printed = execFileSync('openssl', ['req', '-in', request, '-noout', '-subject', ...nameopt], { encoding: 'utf8' });
    expect(printed.trim()).toBe('subject=C=RO, O=FARMACIA DEMO, SRL, organizationIdentifier=VATRO-87654321, CN=Ana Pop');
    const issued = issue(request, '0C0FFEE0');
    const chain = join(work, 'chain.p7b');
    execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', issued, '-certfile', softhsm.provisioned().caCertificatePath, '-outform', 'DER', '-out', chain]);
    const installed = runCli(['import-cert', '--module', module, '--pin-env', 'TOKEN_PIN', '--ca', chain], env);
    expect(installed.stderr).toBe('');
    expect(installed.stdout).toMatch(/with 1 CA certificate/);
  });
});

describe('renewal through the native host protocol', () => {
  it('generateRequest then importCertificate over framed messages', async () => {
    const { startNativeHost } = await import('../../support/native-host-process.js');
    const store = softhsm.provisioned();
    const host = startNativeHost({ ...store.env, CAS_TOKEN_MODULES: store.modulePath });
    try {
      const made = await host.request({
        id: 'g1',
        command: 'generateRequest',
        pin: '1234',
        keyType: 'ec-p256',
        label: 'Reinnoire 2027',
        subject: {
          attributes: [
            ['C', 'RO'],
            ['O', 'Farmacia Demo'],
            ['CN', 'Maria Popa'],
          ],
        },
      });
      expect(made).toMatchObject({ id: 'g1', ok: true });
      const result = (made as { result: { request: string; keyId: string } }).result;
      const request = join(work, 'host-request.pem');
      writeFileSync(request, result.request);
      expect(spawnSync('openssl', ['req', '-in', request, '-verify', '-noout'], { encoding: 'utf8' }).stderr + '').toMatch(/verify OK/i);
      const issued = issue(request, '5151');
      const imported = await host.request({ id: 'i1', command: 'importCertificate', pin: '1234', certificate: readFileSync(issued).toString('base64') });
      expect(imported).toMatchObject({ id: 'i1', ok: true, result: { id: result.keyId, alreadyInstalled: false } });
      const wrongPin = await host.request({ id: 'g2', command: 'generateRequest', pin: '0000', keyType: 'rsa-2048', subject: { attributes: [['CN', 'X']] } });
      expect(wrongPin).toMatchObject({ ok: false, error: { code: 'PIN_INCORRECT' } });
      const badAttribute = await host.request({ id: 'g3', command: 'generateRequest', pin: '1234', keyType: 'ec-p256', subject: { attributes: [['XYZ', 'X']] } });
      expect(badAttribute).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    } finally {
      await host.close();
    }
  });
});
