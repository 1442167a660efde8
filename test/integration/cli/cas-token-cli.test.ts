/**
 * The `cas-token` command on a real SoftHSM2 token, as a user runs it: listings (human and JSON),
 * certificate files, CAdES signing verified by `openssl cms -verify`, batches verified by pdfsig /
 * xmlsec1 / openssl, and the errors a user meets (wrong PIN, unknown module, unknown certificate).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { opensslCmsVerifyAttached } from '../../support/independent-verifiers.js';
import { runCli } from '../../support/run-cli.js';
import { useSoftHsm } from '../../support/softhsm.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-cli-'));
let env: NodeJS.ProcessEnv;
let module: string;

function openssl(args: string[], input?: Buffer): string {
  return execFileSync('openssl', args, { encoding: 'utf8', ...(input ? { input } : {}) });
}

beforeAll(() => {
  const store = softhsm.provisioned();
  env = { ...store.env, TOKEN_PIN: '1234', WRONG_PIN: '0000', CAS_TOKEN_MODULES: '' };
  module = store.modulePath;
});

describe('cas-token listings', () => {
  it('certs --json prints every certificate with id, token and the fields a CAS form needs', () => {
    const run = runCli(['certs', '--module', module, '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const certs = JSON.parse(run.stdout) as Record<string, unknown>[];
    const provisioned = softhsm.provisioned().tokens[0]!.certificates;
    expect(certs).toHaveLength(provisioned.length);
    for (const expected of provisioned) {
      const cert = certs.find((c) => c.id === expected.id)!;
      const pem = expected.certificatePath;
      expect(cert.serialNumber).toBe(openssl(['x509', '-in', pem, '-noout', '-serial']).trim().replace('serial=', ''));
      expect(cert.serialNumberDecimal).toBe(BigInt('0x' + expected.serialNumberHex).toString(10));
      expect(cert.token).toBe('CAS Demo');
      expect(cert.email).toBe('stefan.ionescu@example.com');
      expect(cert.notAfter).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(new Date(cert.notAfter as string).getTime()).toBe(new Date(openssl(['x509', '-in', pem, '-noout', '-enddate']).trim().replace('notAfter=', '')).getTime());
      expect(cert.issuer).toBe(softhsm.provisioned().caSubject);
      expect(typeof cert.subject).toBe('string');
    }
  });

  it('tokens prints a readable table with the trimmed label', () => {
    const run = runCli(['tokens', '--module', module], env);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^Label\s+Manufacturer\s+Model\s+Serial/);
    expect(run.stdout).toMatch(/\nCAS Demo\s+SoftHSM project/);
  });

  it('cert FILE prints the details of a certificate file, in JSON on request', () => {
    const pem = softhsm.provisioned().tokens[0]!.certificates[0]!.certificatePath;
    const json = JSON.parse(runCli(['cert', pem, '--json']).stdout) as { serialNumber: string; fingerprintSha256: string }[];
    expect(json).toHaveLength(1);
    expect(json[0]!.fingerprintSha256).toBe(openssl(['x509', '-in', pem, '-noout', '-fingerprint', '-sha256']).trim().split('=')[1]!.replace(/:/g, ''));
    const human = runCli(['cert', pem]);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^Serial number:\s+C59D/m);
  });

  it('names an unloadable module in one line with a non-zero exit', () => {
    const run = runCli(['certs', '--module', '/nonexistent/libeTPkcs11.so'], env);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/libeTPkcs11\.so/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('cas-token sign', () => {
  it('makes a CAdES detached signature that openssl cms -verify accepts against the CA', () => {
    const input = join(work, 'decont.txt');
    writeFileSync(input, 'Decont lunar noiembrie 2026 — Farmacia Demo\n');
    const serial = softhsm.provisioned().tokens[0]!.certificates[0]!.serialNumberHex;
    const run = runCli(['sign', '--module', module, '--token', 'CAS Demo', '--cert', serial, '--pin-env', 'TOKEN_PIN', '--format', 'cades', '--in', input, '--out', input + '.p7s'], env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const verify = spawnSync(
      'openssl',
      ['cms', '-verify', '-binary', '-inform', 'DER', '-in', input + '.p7s', '-content', input, '-CAfile', softhsm.provisioned().caCertificatePath, '-out', '/dev/null'],
      { encoding: 'utf8' },
    );
    expect(verify.stderr).toMatch(/Verification successful/);
    const attributes = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', input + '.p7s']);
    for (const oid of ['contentType', 'messageDigest', 'signingTime', 'id-smime-aa-signingCertificateV2']) expect(attributes).toContain(oid);
  });

  it('--attached puts the file inside the signature: openssl cms -verify gives back the very bytes, nothing half-written is left', () => {
    // 3 MB of every byte value: the content is copied from the file in pieces between the signature's DER.
    const input = join(work, 'anexa-decont.bin');
    writeFileSync(input, Buffer.from(Uint8Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => (i * 31) % 256)));
    const output = join(work, 'anexa-decont.bin.sig');
    const run = runCli(['sign', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', '--format', 'cades', '--attached', '--in', input, '--out', output], env);
    expect(run.stderr).toMatch(/^Using certificate [0-9A-F]+ \(.*\) on token "CAS Demo"\.\n$/); // no --cert: it says which one
    expect(run.status).toBe(0);
    const verdict = opensslCmsVerifyAttached(output, softhsm.provisioned().caCertificatePath);
    expect(verdict.output).toMatch(/Verification successful/);
    expect(Buffer.from(verdict.content).equals(readFileSync(input))).toBe(true);
    expect(readdirSync(work).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('an XML report over 8 MB is signed XAdES streamed: xmlsec1 accepts it, the report’s own bytes are kept around the signature, nothing half-written is left', () => {
    // Rows carrying a scanned annex each (long text, few nodes: xmlsec1's XPath filter takes minutes over millions of small nodes).
    const input = join(work, 'raport-lunar.xml');
    const annex = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MjQyNDI0MjQyNDI0MjQyNDI0MjQyNDI0MjQyNDI0Mj'.repeat(1024);
    const row = `  <rand><cod>W64352001</cod><anexa>${annex}</anexa></rand>\n`;
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n<raport luna="2026-11">\n';
    writeFileSync(input, `${head}${row.repeat(Math.ceil((9 * 1024 * 1024) / row.length))}</raport>\n`);
    const output = join(work, 'raport-lunar-signed.xml');
    const run = runCli(['sign', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', '--format', 'xades', '--in', input, '--out', output], env);
    expect(run.status, run.stderr).toBe(0);
    const signed = readFileSync(output);
    expect(signed.subarray(0, head.length + row.length).toString()).toBe(head + row);
    expect(signed.subarray(signed.length - '</raport>\n'.length).toString()).toBe('</raport>\n');
    const verify = spawnSync('xmlsec1', ['--verify', '--trusted-pem', softhsm.provisioned().caCertificatePath, '--id-attr:Id', 'SignedProperties', output], { encoding: 'utf8' });
    expect(verify.stderr).toMatch(/^OK/m);
    expect(readdirSync(work).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('a folder holding one file, or an --out folder that exists, signs into that folder under the same name', async () => {
    const pdf = await PDFDocument.create();
    pdf.addPage().drawText('Factura 2026-11/001', { font: await pdf.embedFont(StandardFonts.Helvetica) });
    const folder = mkdtempSync(join(work, 'one-in-'));
    writeFileSync(join(folder, 'factura-001.pdf'), await pdf.save());
    const signArgs = ['sign', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', '--format', 'pades'];
    // --in a folder, --out a folder not made yet.
    const out = join(work, `one-out-${Date.now()}`);
    const fromFolder = runCli([...signArgs, '--in', folder, '--out', out], env);
    expect(fromFolder.status, fromFolder.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(['factura-001.pdf']);
    expect(spawnSync('pdfsig', [join(out, 'factura-001.pdf')], { encoding: 'utf8' }).stdout).toMatch(/Signature is Valid/);
    // One file named, --out an existing folder: written inside it, not over it.
    const existing = mkdtempSync(join(work, 'existing-out-'));
    const intoExisting = runCli([...signArgs, '--in', join(folder, 'factura-001.pdf'), '--out', existing], env);
    expect(intoExisting.status, intoExisting.stderr).toBe(0);
    expect(readdirSync(existing)).toEqual(['factura-001.pdf']);
    expect(spawnSync('pdfsig', [join(existing, 'factura-001.pdf')], { encoding: 'utf8' }).stdout).toMatch(/Signature is Valid/);
  });

  it('makes a raw signature of the file digest that openssl dgst -verify accepts', () => {
    const input = join(work, 'raw.bin');
    writeFileSync(input, Buffer.from('raw bytes to sign'));
    const certificate = softhsm.provisioned().tokens[0]!.certificates.find((c) => c.keyType === 'ec-p256')!;
    const run = runCli(['sign', '--module', module, '--cert', certificate.id, '--pin-env', 'TOKEN_PIN', '--format', 'raw', '--in', input], env);
    expect(run.status).toBe(0);
    writeFileSync(join(work, 'ec.pub'), openssl(['x509', '-in', certificate.certificatePath, '-noout', '-pubkey']));
    const verify = spawnSync('openssl', ['dgst', '-sha256', '-verify', join(work, 'ec.pub'), '-signature', input + '.sig', input], { encoding: 'utf8' });
    expect(verify.stdout).toMatch(/Verified OK/);
  });

  it('refuses a wrong PIN in one line with the code, writes nothing, and never echoes the PIN', () => {
    const input = join(work, 'wrong-pin.txt');
    writeFileSync(input, 'x');
    const run = runCli(['sign', '--module', module, '--cert', '01', '--pin-env', 'WRONG_PIN', '--format', 'cades', '--in', input], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\[PIN_INCORRECT\]/);
    expect(run.stderr).not.toContain('0000');
    expect(readdirSync(work)).not.toContain('wrong-pin.txt.p7s');
  });

  it('lists the available certificates when the one asked for is not on the token', () => {
    const run = runCli(['sign', '--module', module, '--cert', 'DEADBEEF', '--pin-env', 'TOKEN_PIN', '--in', join(work, 'decont.txt')], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\[CERTIFICATE_NOT_FOUND\]/);
    expect(run.stderr).toMatch(/C59D/);
  });

  it('signs a batch (PDF, XML, other) with one login: PAdES, XAdES, CAdES, each verified independently', async () => {
    const inbox = join(work, 'batch');
    const out = join(work, 'signed');
    execFileSync('mkdir', ['-p', inbox]);
    const pdf = await PDFDocument.create();
    pdf.addPage().drawText('Factura 42', { font: await pdf.embedFont(StandardFonts.Helvetica) });
    writeFileSync(join(inbox, 'factura.pdf'), await pdf.save());
    writeFileSync(join(inbox, 'reteta.xml'), '<?xml version="1.0" encoding="UTF-8"?>\n<Reteta><Pacient>Ion Popescu</Pacient></Reteta>\n');
    writeFileSync(join(inbox, 'raport.csv'), 'cod,valoare\nA1,10\n');
    const run = runCli(['sign', '--module', module, '--cert', '01', '--pin-env', 'TOKEN_PIN', '--in', inbox, '--out', out], env);
    expect(run.stderr.replace(/\rsigned \d+\/\d+\n?/g, '')).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['factura.pdf', 'raport.csv.p7s', 'reteta.xml']);
    const pdfsig = spawnSync('pdfsig', [join(out, 'factura.pdf')], { encoding: 'utf8' });
    expect(pdfsig.stdout).toMatch(/Signature Validation: Signature is Valid\./);
    const ca = softhsm.provisioned().caCertificatePath;
    const xml = spawnSync('xmlsec1', ['--verify', '--trusted-pem', ca, '--id-attr:Id', 'SignedProperties', join(out, 'reteta.xml')], { encoding: 'utf8' });
    expect(xml.stderr).toMatch(/^OK/m);
    const cms = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(out, 'raport.csv.p7s'), '-content', join(inbox, 'raport.csv'), '-CAfile', ca, '-out', '/dev/null'], {
      encoding: 'utf8',
    });
    expect(cms.stderr).toMatch(/Verification successful/);
    expect(
      readFileSync(join(out, 'factura.pdf'))
        .subarray(0, readFileSync(join(inbox, 'factura.pdf')).length)
        .equals(readFileSync(join(inbox, 'factura.pdf'))),
    ).toBe(true);
  });

  it('certifies a PDF with --certify 1; signing it again is refused with DOCUMENT_LOCKED while the rest of a batch is signed', async () => {
    const pdf = await PDFDocument.create();
    pdf.addPage().drawText('Decont lunar', { font: await pdf.embedFont(StandardFonts.Helvetica) });
    const original = join(work, 'decont.pdf');
    writeFileSync(original, await pdf.save());
    const certified = join(work, 'decont-certified.pdf');
    const run = runCli(['sign', '--module', module, '--cert', '01', '--pin-env', 'TOKEN_PIN', '--certify', '1', '--in', original, '--out', certified], env);
    expect(run.status).toBe(0);
    expect(spawnSync('pdfsig', [certified], { encoding: 'utf8' }).stdout).toMatch(/Signature Validation: Signature is Valid\./);

    const inbox = join(work, 'locked-batch');
    const out = join(work, 'locked-signed');
    execFileSync('mkdir', ['-p', inbox]);
    writeFileSync(join(inbox, 'a-certified.pdf'), readFileSync(certified));
    writeFileSync(join(inbox, 'b-factura.pdf'), readFileSync(original));
    const batch = runCli(['sign', '--module', module, '--cert', '01', '--pin-env', 'TOKEN_PIN', '--in', inbox, '--out', out], env);
    expect(batch.status).not.toBe(0);
    expect(batch.stderr).toMatch(/a-certified\.pdf: .*certified with no changes allowed.*\[DOCUMENT_LOCKED\]/);
    expect(readdirSync(out)).toEqual(['b-factura.pdf']); // the other file did not wait for it
    expect(spawnSync('pdfsig', [join(out, 'b-factura.pdf')], { encoding: 'utf8' }).stdout).toMatch(/Signature Validation: Signature is Valid\./);
    expect(runCli(['sign', '--module', module, '--cert', '01', '--pin-env', 'TOKEN_PIN', '--certify', '4', '--in', original], env).stderr).toMatch(/--certify takes 1 .*\[INVALID_ARGUMENT\]/);
  });
});
