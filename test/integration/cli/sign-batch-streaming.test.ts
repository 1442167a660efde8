/**
 * `cas-token sign --in DIR` streams a month-end batch (native-host/signing/file-signing.ts): every
 * file signed under one PIN, each output the original bytes plus the appended section, nothing half
 * written left behind, a broken file named while the others are signed — and the resident memory of
 * a batch of large PDFs stays below what holding them all would take (GNU time's maximum RSS; a
 * generous bound, not a timing).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, runCli } from '../../support/run-cli.js';
import { useSoftHsm } from '../../support/softhsm.js';
import { buildFaultyToken } from '../../support/faulty-token.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-cli-stream-'));
let env: NodeJS.ProcessEnv;
let module: string;

beforeAll(() => {
  const store = softhsm.provisioned();
  env = { ...store.env, TOKEN_PIN: '1234', CAS_TOKEN_MODULES: '' };
  module = store.modulePath;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** An invoice of about `bytes` (an incompressible annex makes the size), with object streams or a classic table. */
async function invoice(bytes: number, objectStreams: boolean): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage().drawText('Factura 2026-11 - Farmacia Demo SRL', { font: await pdf.embedFont(StandardFonts.Helvetica) });
  if (bytes > 4096) pdf.attach(randomBytes(bytes - 4096), 'anexa.bin', { mimeType: 'application/octet-stream' });
  return pdf.save({ useObjectStreams: objectStreams });
}

const valid = (path: string): boolean => /Signature Validation: Signature is Valid\./.test(spawnSync('pdfsig', [path], { encoding: 'utf8' }).stdout);

describe('cas-token sign: a streamed batch', () => {
  it('signs 40 PDFs (both xref kinds) and a CSV under one PIN; a damaged PDF is named, the rest written whole, nothing .partial left', async () => {
    const inbox = join(work, 'month');
    const out = join(work, 'month-signed');
    mkdirSync(inbox, { recursive: true });
    const originals = new Map<string, Uint8Array>();
    const kinds = [await invoice(60_000, true), await invoice(60_000, false)];
    for (let i = 0; i < 40; i++) {
      const name = `factura-${String(i).padStart(2, '0')}.pdf`;
      originals.set(name, kinds[i % 2]!);
      writeFileSync(join(inbox, name), kinds[i % 2]!);
    }
    const damaged = Buffer.from(kinds[0]!);
    damaged.write('startxref\n99999999\n%%EOF\n', damaged.length - 40, 'latin1'); // points past the end
    writeFileSync(join(inbox, 'stricata.pdf'), damaged);
    writeFileSync(join(inbox, 'raport.csv'), 'cod,valoare\nA1,10\n');

    const run = runCli(['sign', '--module', module, '--cert', '01', '--pin-env', 'TOKEN_PIN', '--in', inbox, '--out', out], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/stricata\.pdf: .*DOCUMENT_DAMAGED|stricata\.pdf: .*damaged/i);
    expect(run.stderr).toMatch(/1 of 42 file\(s\) could not be signed/);
    const written = readdirSync(out).sort();
    expect(written).toEqual([...originals.keys(), 'raport.csv.p7s'].sort()); // no .partial, no stricata.pdf
    for (const [name, original] of originals) {
      const signed = readFileSync(join(out, name));
      expect(signed.subarray(0, original.length).equals(Buffer.from(original)), name).toBe(true);
      expect(signed.length - original.length, name).toBeLessThan(64 * 1024); // only the appended section
    }
    for (const name of ['factura-00.pdf', 'factura-01.pdf', 'factura-39.pdf']) expect(valid(join(out, name)), name).toBe(true);
    const cms = spawnSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        join(out, 'raport.csv.p7s'),
        '-content',
        join(inbox, 'raport.csv'),
        '-CAfile',
        softhsm.provisioned().caCertificatePath,
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8' },
    );
    expect(cms.stderr).toMatch(/Verification successful/);
  });

  it('a token pulled out mid-batch: the files signed before it left are written whole and valid, the others named (NO_TOKEN), nothing .partial left', async () => {
    const faulty = buildFaultyToken(work);
    const inbox = join(work, 'pulled');
    const out = join(work, 'pulled-signed');
    mkdirSync(inbox, { recursive: true });
    const original = await invoice(40_000, true);
    for (let i = 0; i < 12; i++) writeFileSync(join(inbox, `factura-${String(i).padStart(2, '0')}.pdf`), original);
    faulty.pullOutAfter(5); // five signatures, then the token leaves
    const run = runCli(['sign', '--module', faulty.modulePath, '--cert', '01', '--pin-env', 'TOKEN_PIN', '--format', 'pades', '--in', inbox, '--out', out], { ...env, ...faulty.env });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/7 of 12 file\(s\) could not be signed/);
    expect(run.stderr.match(/factura-\d+\.pdf: Token "CAS Demo" was removed or is not present.*\[NO_TOKEN\]/g)).toHaveLength(7);
    expect(run.stderr).toMatch(/signed 5\/12\n/); // the progress line ended before the failures are named
    const written = readdirSync(out);
    expect(written).toHaveLength(5); // each signature the token made became a file; no .partial
    for (const name of written) {
      const signed = readFileSync(join(out, name));
      expect(signed.subarray(0, original.length).equals(Buffer.from(original)), name).toBe(true);
      expect(valid(join(out, name)), name).toBe(true);
    }
  });

  it('a batch of 16 PDFs of 16 MB (256 MB) is signed with far less resident memory than the batch (streamed), each valid', async () => {
    const inbox = join(work, 'large');
    const out = join(work, 'large-signed');
    mkdirSync(inbox, { recursive: true });
    writeFileSync(join(inbox, 'mare-00.pdf'), await invoice(16 * 1024 * 1024, true));
    for (let i = 1; i < 16; i++) copyFileSync(join(inbox, 'mare-00.pdf'), join(inbox, `mare-${String(i).padStart(2, '0')}.pdf`));
    const run = spawnSync(
      '/usr/bin/time',
      ['-f', 'MAXRSS=%M', process.execPath, CLI_ENTRY, 'sign', '--module', module, '--cert', '01', '--pin-env', 'TOKEN_PIN', '--format', 'pades', '--in', inbox, '--out', out],
      {
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const maxRssKb = Number(/MAXRSS=(\d+)/.exec(run.stderr)![1]);
    // Holding the batch would take 256 MB for the files alone; streamed, a couple of files plus node.
    expect(maxRssKb / 1024).toBeLessThan(256);
    expect(readdirSync(out)).toHaveLength(16);
    expect(valid(join(out, 'mare-00.pdf'))).toBe(true);
    expect(valid(join(out, 'mare-15.pdf'))).toBe(true);
  });
});
