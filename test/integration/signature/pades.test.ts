/**
 * PAdES-B-B as an incremental update over PDFs with a cross-reference stream and with a classic table,
 * several pages, an existing AcroForm with filled text fields; signed once and twice (RSA then EC);
 * visible and invisible, certified. Checked by every PDF verifier Debian has — pdfsig (every signature
 * valid), MuPDF's `mutool sign -v` (every signature found, digests intact) and `qpdf --check` — by
 * `openssl cms -verify` over the /ByteRange trusting only the root, by a strict cross-reference walk
 * (pdfsig would silently repair a broken one), and by reading the form back with pdf-lib. Changed bytes inside the signed ranges must make pdfsig say invalid.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFSignature, PDFTextField } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { signPades } from '../../../shared/signature/pades.js';
import { pkiSigner } from '../../support/software-signer.js';
import { useTestPki } from '../../support/test-pki.js';
import { expectAcceptedEverywhere, opensslCmsPrint, opensslCmsVerify, pdfSignaturesVerifiedByOpenssl, pdfsig, verifyPdfEverywhere } from '../../support/independent-verifiers.js';
import { readCrossReferences } from './pdf-cross-references.js';
import { samplePdf } from './sample-pdfs.js';
import type { SamplePdfOptions } from './sample-pdfs.js';

const { work, pki } = useTestPki('cas-token-pades-');
const font = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')));

const startsWith = (whole: Uint8Array, prefix: Uint8Array): boolean => Buffer.from(whole.subarray(0, prefix.length)).equals(Buffer.from(prefix));
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** The last signature's /ByteRange and the DER inside its /Contents (trailing zero padding removed). */
function lastSignatureOf(pdf: Uint8Array): { byteRange: number[]; cms: Uint8Array; dictionary: string } {
  const text = latin1(pdf);
  const at = text.lastIndexOf('/ByteRange');
  const byteRange = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at))!.slice(1).map(Number);
  const hex = text.slice(byteRange[1]! + 1, byteRange[2]! - 1);
  const padded = Buffer.from(hex, 'hex');
  // DER SEQUENCE with a long-form length: 30 82 LL LL (or 30 83 …).
  const lengthBytes = padded[1]! & 0x7f;
  const length = padded.subarray(2, 2 + lengthBytes).reduce((n, b) => n * 256 + b, 0);
  const dictionaryStart = text.lastIndexOf('<<', at);
  return { byteRange, cms: new Uint8Array(padded.subarray(0, 2 + lengthBytes + length)), dictionary: text.slice(dictionaryStart, byteRange[2]! + 200) };
}

function signedBytes(pdf: Uint8Array, byteRange: number[]): Uint8Array {
  const [a, b, c, d] = byteRange as [number, number, number, number];
  return Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
}

/** What a reader of the signed form sees: field names by type, SigFlags, the widgets on each page. */
async function formOf(pdf: Uint8Array): Promise<{ textFields: Record<string, string>; signatureFields: string[]; sigFlags: number | undefined; widgetsOnPage: number[] }> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  const form = document.getForm();
  const textFields: Record<string, string> = {};
  const signatureFields: string[] = [];
  for (const field of form.getFields()) {
    if (field instanceof PDFTextField) textFields[field.getName()] = field.getText() ?? '';
    if (field instanceof PDFSignature) signatureFields.push(field.getName());
  }
  const sigFlags = form.acroForm.dict.lookup(PDFName.of('SigFlags'));
  const widgetsOnPage = document.getPages().map((page) => {
    const annots = page.node.lookup(PDFName.of('Annots'));
    return annots instanceof PDFArray ? annots.asArray().filter((ref) => (document.context.lookup(ref) as PDFDict).get(PDFName.of('FT'))?.toString() === '/Sig').length : 0;
  });
  return { textFields, signatureFields, sigFlags: sigFlags instanceof PDFNumber ? sigFlags.asNumber() : undefined, widgetsOnPage };
}

function expectSoundCrossReferences(signed: Uint8Array, originalKind: 'table' | 'stream'): void {
  const report = readCrossReferences(signed);
  expect(report.problems).toEqual([]);
  expect(report.sections[0]).toBe(originalKind); // the update's section is of the original's kind
  expect(report.sections.length).toBeGreaterThanOrEqual(2);
}

const inputs: [string, SamplePdfOptions][] = [
  ['one page, object streams + xref stream (pdf-lib default)', { objectStreams: true }],
  ['one page, classic xref table', { objectStreams: false }],
  ['five pages, xref stream', { objectStreams: true, pages: 5 }],
  ['an AcroForm with filled text fields, classic table', { objectStreams: false, pages: 2, textFields: { furnizor: 'Cabinet Medical Demo SRL', cui: 'RO18288250' } }],
  [
    'an AcroForm with filled text fields, xref stream',
    { objectStreams: true, pages: 2, textFields: { furnizor: 'Farmacia Ștefan SRL'.normalize('NFD').replace(/[\u0300-\u036f]/g, ''), contract: '123/2024' } },
  ],
];

describe('PAdES-B-B incremental update', () => {
  it.each(inputs.flatMap(([label, options]) => (['rsa', 'ec'] as const).map((kind) => [label, kind, options] as const)))(
    '%s, %s key: original bytes kept, one valid signature, sound xref, form intact',
    async (label, kind, options) => {
      const original = await samplePdf(options);
      const signed = await signPades(original, pkiSigner(pki(), kind));
      expect(startsWith(signed, original)).toBe(true);

      const verdict = pdfsig(work, `${label.replace(/\W+/g, '-')}-${kind}.pdf`, signed);
      expect(verdict.output).not.toMatch(/Syntax Error|Internal Error/); // poppler did not have to repair anything
      expect(verdict.signatures).toBe(1);
      expect(verdict.valid).toBe(1);
      expect(verdict.output).toMatch(/Signature Type: ETSI\.CAdES\.detached/);
      expect(verdict.output).toMatch(/Total document signed/);
      expect(verdict.output).toContain(`Signer Certificate Common Name: ${pki()[kind].subjectCommonName}`);

      expectSoundCrossReferences(signed, options.objectStreams ? 'stream' : 'table');
      expectAcceptedEverywhere(verifyPdfEverywhere(work, `everywhere-${label.replace(/\W+/g, '-')}-${kind}.pdf`, signed), 1);
      expect(pdfSignaturesVerifiedByOpenssl(work, `chain-${label.replace(/\W+/g, '-')}-${kind}.pdf`, signed, pki().rootCaPemPath).map((v) => v.ok)).toEqual([true]);

      const form = await formOf(signed);
      expect(form.textFields).toEqual(options.textFields ?? {});
      expect(form.signatureFields).toEqual(['Signature1']);
      expect(form.sigFlags).toBe(3);
      expect(form.widgetsOnPage).toEqual([1, ...Array.from({ length: (options.pages ?? 1) - 1 }, () => 0)]);
    },
  );

  it('the CMS covers exactly the /ByteRange (openssl cms verifies it), has no signingTime, and /M carries the time', async () => {
    const signingTime = new Date('2024-05-02T09:30:00Z');
    const signed = await signPades(await samplePdf({ objectStreams: true }), pkiSigner(pki(), 'ec'), { signingTime, reason: 'Decont lunar (aprilie', location: 'București', name: 'Ioana Mărășescu' });
    const { byteRange, cms, dictionary } = lastSignatureOf(signed);
    expect(byteRange[0]).toBe(0);
    expect(byteRange[2]! + byteRange[3]!).toBe(signed.length);
    const verdict = opensslCmsVerify(work, 'byte-range.bin', signedBytes(signed, byteRange), cms, pki().rootCaPemPath);
    expect(verdict.output).toMatch(/Verification successful/);

    const printed = opensslCmsPrint(work, 'pades-cms.p7s', cms);
    expect(printed).not.toContain('signingTime'); // ETSI EN 319 142-1: the time goes in /M, not in the CMS
    for (const attribute of ['contentType', 'messageDigest', 'id-smime-aa-signingCertificateV2']) expect(printed).toContain(attribute);

    expect(dictionary).toMatch(/\/Filter \/Adobe\.PPKLite/);
    expect(dictionary).toMatch(/\/SubFilter \/ETSI\.CAdES\.detached/);
    expect(dictionary).toContain("/M (D:20240502093000+00'00')");
    const document = await PDFDocument.load(signed, { updateMetadata: false });
    const signatureField = document
      .getForm()
      .getFields()
      .find((f) => f instanceof PDFSignature)!;
    const value = signatureField.acroField.dict.lookup(PDFName.of('V'), PDFDict);
    const textOf = (key: string): string | undefined => (value.lookup(PDFName.of(key)) as { decodeText?: () => string } | undefined)?.decodeText?.();
    expect({ reason: textOf('Reason'), location: textOf('Location'), name: textOf('Name') }).toEqual({ reason: 'Decont lunar (aprilie', location: 'București', name: 'Ioana Mărășescu' });
    expect(pdfsig(work, 'signing-time.pdf', signed).output).toMatch(/Signing Time: May 02 2024 09:30:00/);
  });

  it.each([
    ['an xref stream', true],
    ['a classic table', false],
  ])('a PDF with %s and a form, signed twice (RSA, then EC), shows both signatures valid', async (_kind, objectStreams) => {
    const original = await samplePdf({ objectStreams, pages: 3, textFields: { furnizor: 'Clinica Demo', cui: '18288250' } });
    const once = await signPades(original, pkiSigner(pki(), 'rsa'));
    const twice = await signPades(once, pkiSigner(pki(), 'ec'), { visible: { page: 3, rect: [300, 40, 560, 100], text: 'Semnat de reprezentantul legal', font } });
    expect(startsWith(twice, once)).toBe(true);

    const verdict = pdfsig(work, `twice-${objectStreams}.pdf`, twice);
    expect(verdict.output).not.toMatch(/Syntax Error|Internal Error/);
    expect(verdict.signatures).toBe(2);
    expect(verdict.valid).toBe(2);
    expect(verdict.output).toMatch(
      /Signature #1:[\s\S]*Common Name: Ștefan Ionescu[\s\S]*Not total document signed[\s\S]*Signature #2:[\s\S]*Common Name: Ioana Mărășescu[\s\S]*Total document signed/,
    );
    expectSoundCrossReferences(twice, objectStreams ? 'stream' : 'table');
    expect(readCrossReferences(twice).sections.length).toBe(3);
    expectAcceptedEverywhere(verifyPdfEverywhere(work, `everywhere-twice-${objectStreams}.pdf`, twice), 2);
    expect(pdfSignaturesVerifiedByOpenssl(work, `chain-twice-${objectStreams}.pdf`, twice, pki().rootCaPemPath).map((v) => v.ok)).toEqual([true, true]);

    const form = await formOf(twice);
    expect(form.signatureFields).toEqual(['Signature1', 'Signature2']);
    expect(form.textFields).toEqual({ furnizor: 'Clinica Demo', cui: '18288250' });
    expect(form.widgetsOnPage).toEqual([1, 0, 1]);
  });

  it('a visible signature is drawn on the chosen page only, with the given text', async () => {
    const signed = await signPades(await samplePdf({ objectStreams: true, pages: 5 }), pkiSigner(pki(), 'rsa'), {
      visible: { page: 4, rect: [50, 50, 300, 110], text: 'Semnat digital de\nȘtefan Ionescu', font },
    });
    const file = join(work, 'visible.pdf');
    writeFileSync(file, signed);
    expect(pdfsig(work, 'visible.pdf', signed).valid).toBe(1);
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'everywhere-visible.pdf', signed), 1);
    const pageText = (page: number): string => spawnSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }).stdout;
    expect(pageText(4)).toMatch(/Semnat digital de\s+Ștefan Ionescu/); // DejaVu Sans: diacritics as written
    for (const page of [1, 2, 3, 5]) expect(pageText(page)).not.toContain('Semnat digital');
    expect((await formOf(signed)).widgetsOnPage).toEqual([0, 0, 0, 1, 0]);
    expect(latin1(signed.subarray(signed.length - 12000))).toMatch(/\/Rect \[50 50 300 110\][^>]*\/AP << \/N \d+ 0 R >>/);
  });

  it('a visible signature without text shows the signer and the date as DD.MM.YYYY', async () => {
    const signingTime = new Date('2024-05-02T12:00:00Z'); // 2 May in every time zone from UTC-11 to UTC+11
    const signed = await signPades(await samplePdf({ objectStreams: false }), pkiSigner(pki(), 'ec'), { signingTime, name: 'Ioana Mărășescu', visible: { page: 1, rect: [300, 40, 560, 100], font } });
    const file = join(work, 'visible-default.pdf');
    writeFileSync(file, signed);
    const pageText = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout;
    expect(pageText).toMatch(/Semnat digital de Ioana Mărășescu\s+Data: 02\.05\.2024 \d\d:\d\d/);
  });

  it('an invisible signature (the default) has an empty rectangle and no appearance', async () => {
    const original = await samplePdf({ objectStreams: false });
    const signed = await signPades(original, pkiSigner(pki(), 'rsa'));
    const update = latin1(signed.subarray(original.length));
    expect(update).toMatch(/\/FT \/Sig[^>]*\/Rect \[0 0 0 0\]/);
    expect(update).not.toContain('/AP');
  });

  it('a changed byte in the original part of the signed range makes pdfsig say invalid (the check can fail)', async () => {
    const signed = await signPades(await samplePdf({ objectStreams: false, title: 'Decont aprilie' }), pkiSigner(pki(), 'rsa'));
    expect(pdfsig(work, 'untouched.pdf', signed).valid).toBe(1);
    // pdf-lib writes the title in /Info as UTF-16BE hex: change one digit of "aprilie" (a → b).
    const titleHex = Buffer.from('aprilie', 'utf16le').swap16().toString('hex');
    const at = latin1(signed).toLowerCase().indexOf(titleHex);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(lastSignatureOf(signed).byteRange[1]!);
    const tampered = Uint8Array.from(signed);
    tampered[at + 3] = '2'.charCodeAt(0);
    const verdict = pdfsig(work, 'tampered-original.pdf', tampered);
    expect(verdict.signatures).toBe(1);
    expect(verdict.valid).toBe(0);
    expect(verifyPdfEverywhere(work, 'everywhere-tampered-original.pdf', tampered).mutool).toMatchObject({ signatures: 1, unchanged: 0, digestErrors: 1 });
  });

  it('a changed byte after /Contents (the signing time in /M) makes pdfsig say invalid', async () => {
    const signed = await signPades(await samplePdf({ objectStreams: true }), pkiSigner(pki(), 'ec'), { signingTime: new Date('2024-05-02T09:30:00Z') });
    const { byteRange } = lastSignatureOf(signed);
    const at = Buffer.from(signed).lastIndexOf('D:20240502');
    expect(at).toBeGreaterThan(byteRange[2]!);
    const tampered = Uint8Array.from(signed);
    tampered[at + 'D:2024050'.length] = '3'.charCodeAt(0);
    const verdict = pdfsig(work, 'tampered-time.pdf', tampered);
    expect(verdict.signatures).toBe(1);
    expect(verdict.valid).toBe(0);
    expect(verifyPdfEverywhere(work, 'everywhere-tampered-time.pdf', tampered).mutool).toMatchObject({ signatures: 1, unchanged: 0, digestErrors: 1 });
  });

  it('certifies (DocMDP, changes allowed: 2): pdfsig says valid, /Perms names it, and a later signature keeps both valid', async () => {
    const original = await samplePdf({ objectStreams: false, pages: 1, textFields: { furnizor: 'Cabinet Medical Demo SRL' } });
    const certified = await signPades(original, pkiSigner(pki(), 'rsa'), { certify: 2 });
    expect(pdfsig(work, 'certified-p2.pdf', certified)).toMatchObject({ signatures: 1, valid: 1 });
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'everywhere-certified-p2.pdf', certified), 1);
    expectSoundCrossReferences(certified, 'table');
    // Read back by pdf-lib: the catalog's /Perms /DocMDP is the signature dictionary, with /P 2.
    const document = await PDFDocument.load(certified, { updateMetadata: false });
    const docMdp = (document.catalog.lookup(PDFName.of('Perms')) as PDFDict).lookup(PDFName.of('DocMDP')) as PDFDict;
    expect(docMdp.lookup(PDFName.of('Type'))).toBe(PDFName.of('Sig'));
    expect(docMdp.lookup(PDFName.of('SubFilter'))).toBe(PDFName.of('ETSI.CAdES.detached'));
    const reference = (docMdp.lookup(PDFName.of('Reference')) as PDFArray).lookup(0) as PDFDict;
    expect(reference.lookup(PDFName.of('TransformMethod'))).toBe(PDFName.of('DocMDP'));
    expect(((reference.lookup(PDFName.of('TransformParams')) as PDFDict).lookup(PDFName.of('P')) as PDFNumber).asNumber()).toBe(2);

    const countersigned = await signPades(certified, pkiSigner(pki(), 'ec'));
    expect(startsWith(countersigned, certified)).toBe(true);
    expect(pdfsig(work, 'certified-p2-countersigned.pdf', countersigned)).toMatchObject({ signatures: 2, valid: 2 });
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'everywhere-certified-p2-countersigned.pdf', countersigned), 2);
    expect((await formOf(countersigned)).textFields).toEqual({ furnizor: 'Cabinet Medical Demo SRL' });
  });

  it('a PDF certified with no changes allowed (1) is refused with DOCUMENT_LOCKED instead of breaking its certification', async () => {
    const locked = await signPades(await samplePdf({ objectStreams: true }), pkiSigner(pki(), 'ec'), { certify: 1 });
    expect(pdfsig(work, 'certified-p1.pdf', locked)).toMatchObject({ signatures: 1, valid: 1 });
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'everywhere-certified-p1.pdf', locked), 1);
    await expect(signPades(locked, pkiSigner(pki(), 'rsa'))).rejects.toMatchObject({ code: 'DOCUMENT_LOCKED', message: expect.stringContaining('certified') });
  });

  it('certifies only a document not yet signed, and only with 1, 2 or 3', async () => {
    const signed = await signPades(await samplePdf({ objectStreams: true }), pkiSigner(pki(), 'rsa'));
    await expect(signPades(signed, pkiSigner(pki(), 'rsa'), { certify: 2 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('first signature') });
    await expect(signPades(await samplePdf({ objectStreams: true }), pkiSigner(pki(), 'rsa'), { certify: 4 as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses a page that does not exist (SIGNATURE_PLACEMENT_INVALID) and bytes that are not a PDF (INVALID_ARGUMENT)', async () => {
    const original = await samplePdf({ objectStreams: true, pages: 2 });
    await expect(signPades(original, pkiSigner(pki(), 'rsa'), { visible: { page: 3, rect: [0, 0, 100, 50], font } })).rejects.toMatchObject({ code: 'SIGNATURE_PLACEMENT_INVALID' });
    await expect(signPades(new TextEncoder().encode('<html>not a pdf</html>'), pkiSigner(pki(), 'rsa'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
