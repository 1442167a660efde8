/**
 * CA certificates embedded in what `cas-token sign` makes, so verifiers need only the ROOT as trust
 * anchor. On a real SoftHSM2 token: a key made on the token (`cas-token csr`) is certified by the test
 * PKI's intermediate CA, installed with `import-cert --ca` (the intermediate and the root go on the token
 * as authorities); a second key is certified by another intermediate that lives only in the folder the
 * config file names (`caCertificates`). The host's `certificates` reply carries each chain (intermediates,
 * never the root). Signed PDF, .p7s and XML verify with only the root: `openssl cms -verify -CAfile root`
 * (no -certfile), the PDF's CMS as pdfsig extracts it, `xmlsec1 --trusted-pem root` (no --untrusted-pem);
 * without the chain the same checks fail (they can fail).
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCertificateChain } from '../../../native-host/signing/certificate-chain.js';
import { readConfiguredCaCertificates } from '../../../native-host/signing/configured-ca-certificates.js';
import { readUserConfig } from '../../../native-host/user-config.js';
import { readCertificates } from '../../../shared/certificate/certificate-input.js';
import { runCli } from '../../support/run-cli.js';
import { useSoftHsm } from '../../support/softhsm.js';
import { createTestPki, issueCertificate } from '../../support/test-pki.js';
import type { TestPki } from '../../support/test-pki.js';
import { expectAcceptedEverywhere, opensslCmsVerify, pdfSignaturesVerifiedByOpenssl, verifyPdfEverywhere, xmlsecVerify } from '../../support/independent-verifiers.js';
import { samplePdf } from './sample-pdfs.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-chain-'));
let pki: TestPki;
/** The second intermediate, only in the config's CA folder. */
let otherIntermediatePem: string;
let env: NodeJS.ProcessEnv;
let module: string;
const configHome = join(work, 'config');
const caFolder = join(work, 'ca-folder');

const der = (pemPath: string): Uint8Array => readCertificates(readFileSync(pemPath))[0]!;
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const openssl = (args: string[]): string => execFileSync('openssl', args, { cwd: pki.dir, encoding: 'utf8', stdio: 'pipe' });

/** A key pair made ON the token and its request, issued by `issuer` (a CA of the test PKI). */
function certifyKeyOnToken(name: string, keyType: string, subject: string, issuer: string, serial: string): string {
  const request = join(work, `${name}.csr.pem`);
  const made = runCli(['csr', '--module', module, '--token', 'CAS Demo', '--subject', subject, '--key-type', keyType, '--pin-env', 'TOKEN_PIN', '--out', request], env);
  expect(made.stderr).toBe('');
  const issued = join(work, `${name}.pem`);
  issueCertificate({ request, caCertificatePath: `${issuer}.pem`, caKeyPath: `${issuer}.key`, serialHex: serial, extfile: 'extensions.cnf', extensions: 'ee', out: issued, cwd: pki.dir });
  return issued;
}

beforeAll(() => {
  pki = createTestPki();
  const store = softhsm.provisioned();
  module = store.modulePath;
  // XDG_CONFIG_HOME: this run's own config file, never the machine user's.
  env = { ...store.env, TOKEN_PIN: '1234', CAS_TOKEN_MODULES: '', XDG_CONFIG_HOME: configHome };
  mkdirSync(join(configHome, 'cas-token'), { recursive: true });
  mkdirSync(caFolder, { recursive: true });

  // Key A: certified by the intermediate, installed with the whole chain (intermediate AND root) by --ca.
  const issuedA = certifyKeyOnToken('signer-a', 'ec-p256', 'C=RO, O=Clinica Demo Lant, CN=Medic Lant', 'intermediate', '0A11CE');
  const bundle = join(work, 'signer-a-chain.pem');
  writeFileSync(bundle, [issuedA, pki.intermediateCaPemPath, pki.rootCaPemPath].map((path) => readFileSync(path, 'utf8')).join(''));
  const installed = runCli(['import-cert', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', '--ca', bundle], env);
  expect(installed.stderr).toBe('');
  expect(installed.stdout).toMatch(/with 2 CA certificate/);

  // Key B: certified by a second intermediate that is NOT on the token, only in the config's folder.
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'intermediate2.key', '-out', 'intermediate2.csr', '-subj', '/C=RO/O=CAS Token TEST/CN=CAS Token TEST Qualified CA 2']);
  issueCertificate({
    request: 'intermediate2.csr',
    caCertificatePath: 'root.pem',
    caKeyPath: 'root.key',
    serialHex: '1002',
    extfile: 'extensions.cnf',
    extensions: 'ca',
    out: 'intermediate2.pem',
    cwd: pki.dir,
  });
  otherIntermediatePem = join(pki.dir, 'intermediate2.pem');
  const issuedB = certifyKeyOnToken('signer-b', 'rsa-2048', 'C=RO, O=Farmacia Demo Lant, CN=Farmacist Lant', 'intermediate2', '0B0B0B');
  expect(runCli(['import-cert', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', issuedB], env).status).toBe(0);
  writeFileSync(join(caFolder, 'ca2.crt'), readFileSync(otherIntermediatePem));
  writeFileSync(join(caFolder, 'notes.txt'), 'not a certificate, and not read');
  writeFileSync(join(configHome, 'cas-token', 'config.json'), JSON.stringify({ caCertificates: [caFolder] }));
}, 120_000);

afterAll(() => {
  pki?.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('the chain, found and checked', () => {
  it('the host lists each signing certificate with its intermediates, never the root, from the token and from the config folder', async () => {
    const { startNativeHost } = await import('../../support/native-host-process.js');
    const host = startNativeHost({ ...env, CAS_TOKEN_MODULES: module });
    try {
      const reply = (await host.request({ id: 'c1', command: 'certificates' })) as { ok: boolean; result: { details: { serialNumber: string; isCA: boolean }; chain?: string[] }[] };
      expect(reply.ok).toBe(true);
      const bySerial = new Map(reply.result.map((c) => [c.details.serialNumber, c]));
      expect(bySerial.get('0A11CE')!.chain).toEqual([base64(pki.intermediateCaDer)]);
      expect(bySerial.get('0B0B0B')!.chain).toEqual([base64(der(otherIntermediatePem))]);
      // The demo certificates come straight from the demo root: nothing to embed.
      for (const provisioned of softhsm.provisioned().tokens[0]!.certificates) expect(bySerial.get(provisioned.serialNumberHex)!.chain).toBeUndefined();
      // The CA certificates --ca installed are listed as such, without a chain of their own.
      const authorities = reply.result.filter((c) => c.details.isCA);
      expect(authorities).toHaveLength(2);
      for (const authority of authorities) expect(authority.chain).toBeUndefined();
    } finally {
      await host.close();
    }
  });

  it('issuer by issuer, nearest first, stopping at the self-signed root; an issuer must have signed it', () => {
    const root = der(pki.rootCaPemPath);
    const intermediate = pki.intermediateCaDer;
    // An impostor: the intermediate's name, issued by the root, but its own key and no key identifier
    // (so only the signature check can tell it is not the issuer).
    openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'impostor.key', '-out', 'impostor.csr', '-subj', '/C=RO/O=CAS Token TEST/CN=CAS Token TEST Qualified CA']);
    writeFileSync(join(pki.dir, 'impostor.cnf'), '[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
    openssl([
      'x509',
      '-req',
      '-in',
      'impostor.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-set_serial',
      '0x666',
      '-days',
      '30',
      '-extfile',
      'impostor.cnf',
      '-extensions',
      'ca',
      '-out',
      'impostor.pem',
    ]);
    const impostor = der(join(pki.dir, 'impostor.pem'));
    expect(new X509Certificate(impostor).subject).toBe(new X509Certificate(intermediate).subject);
    const withoutKeyIds = join(pki.dir, 'ee-no-akid.pem');
    writeFileSync(join(pki.dir, 'ee-no-akid.cnf'), '[ee]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,nonRepudiation\n');
    openssl([
      'x509',
      '-req',
      '-in',
      'rsa.csr',
      '-CA',
      'intermediate.pem',
      '-CAkey',
      'intermediate.key',
      '-set_serial',
      '0x777',
      '-days',
      '30',
      '-extfile',
      'ee-no-akid.cnf',
      '-extensions',
      'ee',
      '-out',
      withoutKeyIds,
    ]);

    expect(buildCertificateChain(pki.rsa.certificateDer, [root, intermediate])).toEqual([intermediate]);
    expect(buildCertificateChain(pki.rsa.certificateDer, [pki.ec.certificateDer, root, impostor, intermediate, intermediate])).toEqual([intermediate]);
    expect(buildCertificateChain(der(withoutKeyIds), [impostor, root, intermediate])).toEqual([intermediate]);
    expect(buildCertificateChain(der(withoutKeyIds), [impostor, root])).toEqual([]); // right name, wrong key
    expect(buildCertificateChain(pki.rsa.certificateDer, [root])).toEqual([]); // the intermediate is missing
    expect(buildCertificateChain(intermediate, [root, intermediate])).toEqual([]);
    expect(buildCertificateChain(root, [root])).toEqual([]);
    expect(buildCertificateChain(new Uint8Array([1, 2, 3]), [root])).toEqual([]);
    // A deeper hierarchy: a sub-CA under the intermediate.
    openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'sub.key', '-out', 'sub.csr', '-subj', '/C=RO/O=CAS Token TEST/CN=CAS Token TEST Sub CA']);
    openssl([
      'x509',
      '-req',
      '-in',
      'sub.csr',
      '-CA',
      'intermediate.pem',
      '-CAkey',
      'intermediate.key',
      '-set_serial',
      '0x1003',
      '-days',
      '30',
      '-extfile',
      'extensions.cnf',
      '-extensions',
      'ca',
      '-out',
      'sub.pem',
    ]);
    openssl(['x509', '-req', '-in', 'ec.csr', '-CA', 'sub.pem', '-CAkey', 'sub.key', '-set_serial', '0x1004', '-days', '30', '-extfile', 'extensions.cnf', '-extensions', 'ee', '-out', 'deep.pem']);
    const sub = der(join(pki.dir, 'sub.pem'));
    expect(buildCertificateChain(der(join(pki.dir, 'deep.pem')), [root, intermediate, sub])).toEqual([sub, intermediate]);
  });

  it('the config file names a folder or a file, or a list; what cannot be read is reported, not thrown', () => {
    const config = (values: Record<string, unknown>): ReturnType<typeof readUserConfig> => ({ path: 'config.json', values });
    expect(readConfiguredCaCertificates(config({ caCertificates: caFolder })).certificates).toEqual([der(otherIntermediatePem)]);
    expect(readConfiguredCaCertificates(config({ caCertificates: [pki.intermediateCaPemPath, caFolder] })).certificates).toEqual([pki.intermediateCaDer, der(otherIntermediatePem)]);
    const missing = readConfiguredCaCertificates(config({ caCertificates: [join(work, 'nowhere'), join(caFolder, 'notes.txt')] }));
    expect(missing.certificates).toEqual([]);
    expect(missing.problems).toHaveLength(2);
    expect(readConfiguredCaCertificates(config({ caCertificates: 42 })).problems[0]).toContain('must be a folder or file path');
    expect(readConfiguredCaCertificates(config({})).certificates).toEqual([]);
    expect(readUserConfig({ env: { XDG_CONFIG_HOME: configHome }, platform: 'linux' }).values).toEqual({ caCertificates: [caFolder] });
  });
});

describe('cas-token sign embeds the chain: verifiers need only the root', () => {
  it('a PDF, a .p7s and an XML signed with the key whose intermediate is on the token', async () => {
    const pdfPath = join(work, 'decont.pdf');
    writeFileSync(pdfPath, await samplePdf({ objectStreams: true, pages: 2 }));
    const textPath = join(work, 'raport.txt');
    writeFileSync(textPath, 'Raport lunar, semnat cu lanțul complet.\n');
    const xmlPath = join(work, 'reteta.xml');
    writeFileSync(xmlPath, readFileSync(new URL('../../fixtures/documents/reteta.xml', import.meta.url)));
    const out = join(work, 'signed-a');
    const run = runCli(['sign', '--module', module, '--token', 'CAS Demo', '--cert', '0A11CE', '--pin-env', 'TOKEN_PIN', '--out', out, '--in', pdfPath, '--in', textPath, '--in', xmlPath], env);
    expect(run.stderr).not.toMatch(/\[[A-Z_]+\]/); // progress only, no error
    expect(run.status).toBe(0);

    const signedPdf = new Uint8Array(readFileSync(join(out, 'decont.pdf')));
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'chain-a.pdf', signedPdf), 1);
    const [cms] = pdfSignaturesVerifiedByOpenssl(work, 'chain-a-openssl.pdf', signedPdf, pki.rootCaPemPath);
    expect(cms!.output).toMatch(/Verification successful/);

    const p7s = opensslCmsVerify(work, 'chain-a.txt', readFileSync(textPath), readFileSync(join(out, 'raport.txt.p7s')), pki.rootCaPemPath);
    expect(p7s.output).toMatch(/Verification successful/);

    const xml = xmlsecVerify(work, 'chain-a.xml', readFileSync(join(out, 'reteta.xml')), pki.rootCaPemPath);
    expect(xml.ok, xml.output).toBe(true);
  });

  it('the key whose intermediate is only in the config folder: PDF, .p7s and XML verify with it, fail without it', async () => {
    const inputs = join(work, 'inputs-b');
    mkdirSync(inputs, { recursive: true });
    writeFileSync(
      join(inputs, 'factura.bin'),
      Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff),
    );
    writeFileSync(join(inputs, 'decont.pdf'), await samplePdf({ objectStreams: false }));
    writeFileSync(join(inputs, 'reteta.xml'), readFileSync(new URL('../../fixtures/documents/reteta.xml', import.meta.url)));
    const verdicts = (name: string, extraEnv: NodeJS.ProcessEnv): boolean[] => {
      const out = join(work, name);
      const run = runCli(['sign', '--module', module, '--cert', '0B0B0B', '--pin-env', 'TOKEN_PIN', '--in', inputs, '--out', out], { ...env, ...extraEnv });
      expect(run.status, run.stderr).toBe(0);
      const cades = opensslCmsVerify(work, `${name}.bin`, readFileSync(join(inputs, 'factura.bin')), readFileSync(join(out, 'factura.bin.p7s')), pki.rootCaPemPath);
      const pdf = new Uint8Array(readFileSync(join(out, 'decont.pdf')));
      expectAcceptedEverywhere(verifyPdfEverywhere(work, `${name}.pdf`, pdf), 1); // the signature itself is sound either way
      const pades = pdfSignaturesVerifiedByOpenssl(work, `${name}-openssl.pdf`, pdf, pki.rootCaPemPath)[0]!;
      const xades = xmlsecVerify(work, `${name}.xml`, readFileSync(join(out, 'reteta.xml')), pki.rootCaPemPath);
      if (extraEnv.XDG_CONFIG_HOME) expect(cades.output).toMatch(/unable to get local issuer certificate/);
      return [cades.ok, pades.ok, xades.ok];
    };
    expect(verdicts('with-folder', {})).toEqual([true, true, true]);
    // Without the config file the intermediate is missing, and every verifier says so.
    expect(verdicts('without-folder', { XDG_CONFIG_HOME: join(work, 'no-config') })).toEqual([false, false, false]);
  });

  it('a damaged PDF is refused with DOCUMENT_DAMAGED; an empty file is signed (CAdES) with a warning', async () => {
    const pdf = await samplePdf({ objectStreams: false });
    const damagedPath = join(work, 'damaged.pdf');
    writeFileSync(damagedPath, pdf.slice(0, Math.floor(pdf.length / 2)));
    const refused = runCli(['sign', '--module', module, '--cert', '0A11CE', '--pin-env', 'TOKEN_PIN', '--in', damagedPath, '--out', join(work, 'damaged-signed.pdf')], env);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/This PDF is damaged: it does not end with "startxref"/);
    expect(refused.stderr).toMatch(/\[DOCUMENT_DAMAGED\]/);

    const emptyPath = join(work, 'gol.txt');
    writeFileSync(emptyPath, '');
    const signed = runCli(['sign', '--module', module, '--cert', '0A11CE', '--pin-env', 'TOKEN_PIN', '--in', emptyPath], env);
    expect(signed.status).toBe(0);
    expect(signed.stderr).toMatch(/warning: .*gol\.txt is empty \(0 bytes\)/);
    expect(opensslCmsVerify(work, 'gol-check.txt', new Uint8Array(0), readFileSync(`${emptyPath}.p7s`), pki.rootCaPemPath).output).toMatch(/Verification successful/);
  });
});
