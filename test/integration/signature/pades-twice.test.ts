/**
 * PAdES on real PDFs with the SoftHSM2 token: the original bytes stay untouched (incremental update),
 * both xref kinds work, a PDF signed twice with two certificates shows two valid signatures in pdfsig,
 * a visible signature, and a tampered byte makes pdfsig say invalid.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPades } from '../../../shared/signature/pades.js';
import { useSoftHsm } from '../../support/softhsm.js';
import { tokenSigning } from '../../support/token-signer.js';
import type { TokenSigning } from '../../support/token-signer.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-pades-'));
let signing: TokenSigning;
beforeAll(() => {
  signing = tokenSigning(softhsm.provisioned());
});
afterAll(() => signing?.close());

async function samplePdf(useObjectStreams: boolean, withForm = false): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= 3; i++) pdf.addPage().drawText(`Decont pagina ${i}`, { x: 50, y: 700, font });
  if (withForm) pdf.getForm().createTextField('furnizor').addToPage(pdf.getPage(0), { x: 50, y: 600 });
  return pdf.save({ useObjectStreams });
}

function pdfsig(bytes: Uint8Array, name: string): string {
  const file = join(work, name);
  writeFileSync(file, bytes);
  const run = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  return run.stdout + run.stderr;
}

const validCount = (output: string): number => (output.match(/Signature Validation: Signature is Valid\./g) ?? []).length;

describe('PAdES-B-B incremental', () => {
  it.each([
    ['an xref stream (object streams)', true, false],
    ['a classic xref table', false, false],
    ['an existing AcroForm', false, true],
  ])('signs a PDF with %s, keeping the original bytes', async (_kind, objectStreams, withForm) => {
    const original = await samplePdf(objectStreams, withForm);
    const signed = await signPades(original, signing.signer('01'));
    expect(Buffer.from(signed.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
    const output = pdfsig(signed, `one-${objectStreams}-${withForm}.pdf`);
    expect(output).toMatch(/ETSI\.CAdES\.detached/);
    expect(validCount(output)).toBe(1);
  });

  it('a PDF signed twice with two certificates shows two valid signatures', async () => {
    const once = await signPades(await samplePdf(true), signing.signer('01'));
    const twice = await signPades(once, signing.signer('02'));
    expect(Buffer.from(twice.subarray(0, once.length)).equals(Buffer.from(once))).toBe(true);
    const output = pdfsig(twice, 'twice.pdf');
    expect(output).toMatch(/Signature #2/);
    expect(validCount(output)).toBe(2);
  });

  it('draws a visible signature on the chosen page', async () => {
    const signed = await signPades(await samplePdf(false), signing.signer('01'), { visible: { page: 2, rect: [50, 50, 250, 110], text: 'Semnat: Ștefan Ionescu' } });
    expect(validCount(pdfsig(signed, 'visible.pdf'))).toBe(1);
    const rendered = spawnSync('pdftotext', ['-f', '2', '-l', '2', join(work, 'visible.pdf'), '-'], { encoding: 'utf8' }).stdout;
    expect(rendered).toContain('Semnat: Stefan Ionescu');
  });

  it('a changed byte in the signed range makes the signature invalid', async () => {
    const signed = await signPades(await samplePdf(false), signing.signer('01'));
    const tampered = Uint8Array.from(signed);
    const at = Buffer.from(tampered).indexOf('/Type /Page'); // a byte of the original, inside the signed range
    expect(at).toBeGreaterThan(0);
    tampered[at + 7] = 'X'.charCodeAt(0);
    expect(validCount(pdfsig(tampered, 'tampered.pdf'))).toBe(0);
  });
});
