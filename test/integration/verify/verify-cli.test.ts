/**
 * `cas-token verify` as a user runs it (the built command through its bin script): the verdicts and
 * the signer's serial and issuer in --json, the exit codes (0 valid, 3 invalid, 4 indeterminate, 1 a file
 * that could not be verified), trust anchors from --ca files, bundles and folders and from the config
 * file's trustAnchors, the content of a .p7s found beside it, and bad input — a 200 MB file, a file that
 * is not a signature — answered at once with a typed error.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signCades } from '../../../shared/signature/cades.js';
import { signPades } from '../../../shared/signature/pades.js';
import { signXades } from '../../../shared/signature/xades.js';
import { runCli } from '../../support/run-cli.js';
import { pkiSigner, softwareSigner } from '../../support/software-signer.js';
import { samplePdf } from '../signature/sample-pdfs.js';
import { useVerifyPki } from './verify-pki.js';

const { work, pkis } = useVerifyPki('cas-token-verify-cli-');
/** A config folder of its own, so the user's real config file never counts. */
const noConfig = (): NodeJS.ProcessEnv => ({ XDG_CONFIG_HOME: join(work, 'no-config') });

interface JsonSignature {
  file: string;
  verdict: string;
  reasons?: string[];
  signer?: { serialNumber: string; issuer: string };
  error?: { code: string };
}

function verifyJson(args: string[], env = noConfig()): { status: number | null; signatures: JsonSignature[]; stderr: string } {
  const run = runCli(['verify', ...args, '--json'], env);
  return { status: run.status, signatures: JSON.parse(run.stdout) as JsonSignature[], stderr: run.stderr };
}

describe('cas-token verify', () => {
  it('a signed PDF with --ca: exit 0, and --json gives the verdict, the signer serial and the issuer', async () => {
    const { pki } = pkis();
    const pdf = join(work, 'decont.pdf');
    writeFileSync(pdf, await signPades(await samplePdf({ objectStreams: true }), pkiSigner(pki, 'rsa')));
    const run = verifyJson(['--ca', pki.rootCaPemPath, pdf]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.signatures).toMatchObject([
      { file: pdf, verdict: 'valid', reasons: [], signer: { serialNumber: '0774B02F37FABD1E', issuer: 'C=RO, O=CAS Token TEST, CN=CAS Token TEST Qualified CA' } },
    ]);
  });

  it('prints each signature for people, the signer in the form of `cas-token cert`', async () => {
    const { pki } = pkis();
    const pdf = join(work, 'people.pdf');
    writeFileSync(pdf, await signPades(await samplePdf({ objectStreams: false }), pkiSigner(pki, 'ec')));
    const run = runCli(['verify', '--ca', pki.rootCaPemPath, pdf], noConfig());
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Verdict:\s+VALID$/m);
    expect(run.stdout).toMatch(/^ {2}Serial number:\s+C59D000100022AD3$/m);
    expect(run.stdout).toMatch(/^ {2}Issuer:\s+C=RO, O=CAS Token TEST, CN=CAS Token TEST Qualified CA$/m);
    expect(run.stdout).toMatch(/^Covers whole document:\s+yes$/m);
    expect(run.stdout).toMatch(/^Revocation:\s+not checked$/m);
  });

  it('a .p7s with its content beside it and a tampered XML: exit 3, one valid and one invalid', async () => {
    const { pki } = pkis();
    const content = new TextEncoder().encode('Decont lunar\r\n');
    writeFileSync(join(work, 'decont.txt'), content);
    writeFileSync(join(work, 'decont.txt.p7s'), await signCades(content, pkiSigner(pki, 'ec')));
    const xml = new TextDecoder().decode(await signXades('<reteta><medicament>Paracetamol 500 mg</medicament></reteta>', pkiSigner(pki, 'rsa')));
    writeFileSync(join(work, 'reteta.xml'), xml.replace('500 mg', '1000 mg'));
    const run = verifyJson(['--ca', pki.rootCaPemPath, join(work, 'decont.txt.p7s'), join(work, 'reteta.xml')]);
    expect(run.status).toBe(3);
    expect(run.signatures.map((s) => [s.verdict, s.reasons?.[0], s.signer?.serialNumber])).toEqual([
      ['valid', undefined, 'C59D000100022AD3'],
      ['invalid', 'SIGNED_DATA_CHANGED', '0774B02F37FABD1E'],
    ]);
  });

  it('--content names the content of a detached signature kept elsewhere', async () => {
    const { pki } = pkis();
    const content = new TextEncoder().encode('Factura 7\r\n');
    mkdirSync(join(work, 'elsewhere'), { recursive: true });
    writeFileSync(join(work, 'elsewhere', 'factura-7.txt'), content);
    writeFileSync(join(work, 'semnatura.p7s'), await signCades(content, pkiSigner(pki, 'rsa')));
    expect(verifyJson(['--ca', pki.rootCaPemPath, join(work, 'semnatura.p7s')]).signatures).toMatchObject([{ verdict: 'indeterminate', reasons: ['SIGNED_CONTENT_MISSING'] }]);
    const run = verifyJson(['--ca', pki.rootCaPemPath, '--content', join(work, 'elsewhere', 'factura-7.txt'), join(work, 'semnatura.p7s')]);
    expect(run).toMatchObject({ status: 0, signatures: [{ verdict: 'valid' }] });
  });

  it('without any trust anchor: exit 4, indeterminate (no trust anchor), never valid', async () => {
    const { pki } = pkis();
    const pdf = join(work, 'no-anchor.pdf');
    writeFileSync(pdf, await signPades(await samplePdf({ objectStreams: true }), pkiSigner(pki, 'rsa')));
    const run = verifyJson([pdf]);
    expect(run.status).toBe(4);
    expect(run.signatures).toMatchObject([{ verdict: 'indeterminate', reasons: ['NO_TRUST_ANCHOR'] }]);
  });

  it("trust anchors from a folder with a PEM bundle, and from the config file's trustAnchors", async () => {
    const { pki, unknown } = pkis();
    const anchors = join(work, 'anchors');
    mkdirSync(anchors, { recursive: true });
    writeFileSync(join(anchors, 'bundle.pem'), readFileSync(unknown.rootCaPemPath, 'utf8') + readFileSync(pki.rootCaPemPath, 'utf8'));
    const pdf = join(work, 'anchors.pdf');
    writeFileSync(pdf, await signPades(await samplePdf({ objectStreams: true }), softwareSigner(unknown.rsa, { certificateChain: [unknown.intermediateCaDer] })));
    expect(verifyJson(['--ca', anchors, pdf])).toMatchObject({ status: 0, signatures: [{ verdict: 'valid' }] });
    expect(verifyJson(['--ca', pki.rootCaPemPath, pdf])).toMatchObject({ status: 4, signatures: [{ verdict: 'indeterminate', reasons: ['CHAIN_NOT_TRUSTED'] }] });

    const configHome = join(work, 'config-home');
    mkdirSync(join(configHome, 'cas-token'), { recursive: true });
    const trusted = join(work, 'trusted');
    mkdirSync(trusted, { recursive: true });
    copyFileSync(unknown.rootCaPemPath, join(trusted, 'other-root.crt'));
    writeFileSync(join(configHome, 'cas-token', 'config.json'), JSON.stringify({ trustAnchors: trusted }));
    expect(verifyJson([pdf], { XDG_CONFIG_HOME: configHome })).toMatchObject({ status: 0, signatures: [{ verdict: 'valid' }] });
  });

  it('a 200 MB file is refused at once from its size (FILE_TOO_LARGE, exit 1); the other files are still verified', async () => {
    const { pki } = pkis();
    const huge = join(work, 'huge.pdf');
    writeFileSync(huge, '%PDF-1.7\n');
    truncateSync(huge, 200 * 1024 * 1024); // sparse: no 200 MB written to the disk
    const pdf = join(work, 'beside-huge.pdf');
    writeFileSync(pdf, await signPades(await samplePdf({ objectStreams: true }), pkiSigner(pki, 'rsa')));
    const run = verifyJson(['--ca', pki.rootCaPemPath, huge, pdf]);
    expect(run.status).toBe(1);
    expect(run.signatures).toMatchObject([
      { file: huge, verdict: 'error', error: { code: 'FILE_TOO_LARGE' } },
      { file: pdf, verdict: 'valid' },
    ]);
    const human = runCli(['verify', '--ca', pki.rootCaPemPath, huge], noConfig());
    expect(human.status).toBe(1);
    expect(human.stderr).toMatch(/huge\.pdf has 200\.0 MiB; files up to 100 MiB are verified\. \[FILE_TOO_LARGE\]/);
  });

  it('a file that is not a signature is NO_SIGNATURE_FOUND (exit 1), with one clear line', () => {
    const text = join(work, 'notes.txt');
    writeFileSync(text, 'just some notes\n');
    const run = runCli(['verify', '--ca', pkis().pki.rootCaPemPath, text], noConfig());
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')[0]).toBe(`cas-token: ${text}: notes.txt is not a signed PDF, a CMS signature (.p7s, .p7m, .sig) or a signed XML file. [NO_SIGNATURE_FOUND]`);
  });

  it('a certificate bundle (.p7b: a SignedData with certificates and no signer) says it holds certificates, no signature (NO_SIGNATURE_FOUND, exit 1)', () => {
    const { pki } = pkis();
    const bundle = join(work, 'lant.p7b');
    execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', pki.intermediateCaPemPath, '-certfile', pki.rootCaPemPath, '-out', bundle]);
    const human = runCli(['verify', '--ca', pki.rootCaPemPath, bundle], noConfig());
    expect(human.status).toBe(1);
    expect(human.stdout).toBe('');
    expect(human.stderr.trim().split('\n')[0]).toBe(`cas-token: ${bundle}: lant.p7b holds 2 certificates and no signature: it is a certificate bundle, not a signed file. [NO_SIGNATURE_FOUND]`);
    const json = verifyJson(['--ca', pki.rootCaPemPath, bundle]);
    expect(json.status).toBe(1);
    expect(json.signatures).toMatchObject([{ file: bundle, verdict: 'error', error: { code: 'NO_SIGNATURE_FOUND' } }]);
  });

  it('help names the command, its options and its exit codes; verify without a file is a usage error (exit 2)', () => {
    const bare = runCli(['verify'], noConfig());
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('cas-token: name a signed file');
    const run = runCli(['help']);
    expect(run.stdout).toContain('cas-token verify FILE [FILE…] [--ca FILE|DIR]… [--content FILE] [--json]');
    expect(run.stdout).toMatch(/Exit 0 all valid, 3 invalid,\s+4 indeterminate, 1 a file could not be verified/);
  });
});
