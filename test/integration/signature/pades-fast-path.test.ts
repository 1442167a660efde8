/**
 * The two ways PAdES reads a PDF (shared/signature/pades.ts): an invisible signature reads only the
 * objects its update needs (objects on demand), a visible one — and a PDF the fast reader cannot walk —
 * pdf-lib's whole-document parse. Each test checks which reader was taken AND that the result is
 * accepted by poppler, MuPDF and qpdf, earlier signatures included; and that the signed file is the
 * original bytes followed by the appended section.
 */
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { padesContents, preparePades, signPades } from '../../../shared/signature/pades.js';
import { checkCrossReferenceChain } from '../../../shared/signature/pdf-cross-reference-chain.js';
import type { PadesOptions } from '../../../shared/signature/pades.js';
import type { Signer } from '../../../shared/signature/signer.js';
import { pkiSigner } from '../../support/software-signer.js';
import { useTestPki } from '../../support/test-pki.js';
import { expectAcceptedEverywhere, pdfsig, qpdfCheck, verifyPdfEverywhere } from '../../support/independent-verifiers.js';
import { samplePdf } from './sample-pdfs.js';

const DEJAVU_SANS = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')));

const { work, pki } = useTestPki('cas-token-pades-fast-');

/** Signs as signPades does, and says which reader read the document. */
async function signReporting(pdf: Uint8Array, signer: Signer, options: PadesOptions = {}): Promise<{ signed: Uint8Array; reader: string }> {
  const prepared = await preparePades(pdf, signer, options);
  const signed = new Uint8Array(prepared.originalLength + prepared.section.length);
  signed.set(pdf, 0);
  signed.set(prepared.section, prepared.originalLength);
  signed.set(await padesContents(prepared, signer), prepared.contentsAt + 1);
  return { signed, reader: prepared.reader };
}

/** A PDF whose pages hang under an intermediate /Pages node that has no /Count: viewers cope, the fast reader does not walk it. */
async function pdfWithCountlessPageNode(): Promise<Uint8Array> {
  const document = await PDFDocument.load(await samplePdf({ objectStreams: false, pages: 3 }));
  const context = document.context;
  const rootPagesRef = document.catalog.get(PDFName.of('Pages')) as PDFRef;
  const rootPages = context.lookup(rootPagesRef, PDFDict);
  const kids = rootPages.lookup(PDFName.of('Kids'), PDFArray);
  const middle = context.obj({ Type: 'Pages', Kids: kids.asArray(), Parent: rootPagesRef });
  const middleRef = context.register(middle);
  for (const kid of kids.asArray()) context.lookup(kid, PDFDict).set(PDFName.of('Parent'), middleRef);
  rootPages.set(PDFName.of('Kids'), context.obj([middleRef]));
  rootPages.set(PDFName.of('Count'), PDFNumber.of(3));
  return document.save({ useObjectStreams: false, updateFieldAppearances: false, addDefaultPage: false });
}

describe('PAdES readers: objects on demand for invisible signatures, the whole document otherwise', () => {
  it.each([
    ['classic xref table', { objectStreams: false }],
    ['object streams + xref stream', { objectStreams: true }],
    ['a form with text fields, xref stream, five pages', { objectStreams: true, pages: 5, textFields: { furnizor: 'Farmacia Demo SRL', cui: 'RO18288250' } }],
  ] as const)('%s: an invisible signature reads objects on demand; the file is the original plus a section; signed twice, both valid everywhere', async (label, options) => {
    const original = await samplePdf(options);
    const first = await signReporting(original, pkiSigner(pki(), 'rsa'));
    expect(first.reader).toBe('objects-on-demand');
    expect(Buffer.from(first.signed.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
    expectAcceptedEverywhere(verifyPdfEverywhere(work, `fast-${label.replace(/\W+/g, '-')}-1.pdf`, first.signed), 1);
    // The second signature reads the first one's update on demand too (its xref section, its form).
    const second = await signReporting(first.signed, pkiSigner(pki(), 'ec'));
    expect(second.reader).toBe('objects-on-demand');
    expectAcceptedEverywhere(verifyPdfEverywhere(work, `fast-${label.replace(/\W+/g, '-')}-2.pdf`, second.signed), 2);
  });

  it('a visible signature reads the whole document (pdf-lib), and an invisible one after it reads on demand: both valid', async () => {
    const original = await samplePdf({ objectStreams: true, pages: 2 });
    const visible = await signReporting(original, pkiSigner(pki(), 'rsa'), { visible: { page: 2, rect: [50, 50, 250, 110], text: 'Semnat', font: DEJAVU_SANS } });
    expect(visible.reader).toBe('whole-document');
    const invisible = await signReporting(visible.signed, pkiSigner(pki(), 'ec'));
    expect(invisible.reader).toBe('objects-on-demand');
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'visible-then-invisible.pdf', invisible.signed), 2);
  });

  it('a page tree node without /Count falls back to the whole-document reader, and the signature is valid', async () => {
    const original = await pdfWithCountlessPageNode();
    const { signed, reader } = await signReporting(original, pkiSigner(pki(), 'rsa'));
    expect(reader).toBe('whole-document');
    const verdicts = verifyPdfEverywhere(work, 'countless-node.pdf', signed);
    expect(verdicts.pdfsig, verdicts.pdfsig.output).toMatchObject({ signatures: 1, valid: 1 });
    expect(verdicts.mutool, verdicts.mutool.output).toMatchObject({ signatures: 1, unchanged: 1, digestErrors: 0 });
  });

  it('both readers refuse what they must before any signature: a certified (no changes) PDF is DOCUMENT_LOCKED either way', async () => {
    const certified = await signPades(await samplePdf({ objectStreams: true }), pkiSigner(pki(), 'rsa'), { certify: 1 });
    const refusals = await Promise.all(
      [{}, { visible: { page: 1, rect: [10, 10, 100, 40] as [number, number, number, number] } }].map((options) =>
        preparePades(certified, pkiSigner(pki(), 'ec'), options).then(
          () => 'signed',
          (error: { code?: string }) => error.code,
        ),
      ),
    );
    expect(refusals).toEqual(['DOCUMENT_LOCKED', 'DOCUMENT_LOCKED']);
  });
});

/** A copy of `pdf` whose object streams' zlib checksums are wrong (same length: every offset stays true). */
function withWrongObjectStreamChecksums(pdf: Uint8Array): { pdf: Uint8Array; streams: number } {
  const copy = new Uint8Array(pdf);
  const text = Buffer.from(pdf).toString('latin1');
  let streams = 0;
  for (const match of text.matchAll(/\/Type\s*\/ObjStm/g)) {
    const end = text.indexOf('endstream', match.index);
    let last = end - 1;
    while (copy[last] === 0x0a || copy[last] === 0x0d) last--;
    for (let i = last - 3; i <= last; i++) copy[i] = copy[i]! ^ 0xff; // the Adler-32 after the deflate data
    streams += 1;
  }
  return { pdf: copy, streams };
}

describe('PAdES reader with a native inflate (the CLI passes node:zlib)', () => {
  const signingTime = new Date('2026-11-30T10:00:00Z');
  const prepare = (pdf: Uint8Array, options: PadesOptions = {}) => preparePades(pdf, pkiSigner(pki(), 'rsa'), { signingTime, ...options });
  const counted = () => {
    const calls = { inflated: 0, refused: 0 };
    const inflate = (deflated: Uint8Array): Uint8Array => {
      try {
        const bytes = inflateSync(deflated);
        calls.inflated += 1;
        return bytes;
      } catch (error) {
        calls.refused += 1;
        throw error;
      }
    };
    return { calls, inflate };
  };

  it('reads the cross-reference and object streams with it: the same section and digest as with pdf-lib, valid everywhere', async () => {
    const original = await samplePdf({ objectStreams: true, pages: 3, textFields: { furnizor: 'Farmacia Demo SRL' } });
    const { calls, inflate } = counted();
    const native = await prepare(original, { inflate });
    const javascript = await prepare(original);
    expect(native.reader).toBe('objects-on-demand');
    expect(calls).toEqual({ inflated: expect.any(Number), refused: 0 });
    expect(calls.inflated).toBeGreaterThanOrEqual(2); // the cross-reference stream and at least one object stream
    expect(Buffer.from(native.section).equals(Buffer.from(javascript.section))).toBe(true);
    expect(Buffer.from(native.digest).equals(Buffer.from(javascript.digest))).toBe(true);
    const { signed } = await signReporting(original, pkiSigner(pki(), 'rsa'), { signingTime, inflate });
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'native-inflate.pdf', signed), 1);
  });

  it('data zlib refuses (a wrong checksum, which pdf-lib does not check) is read by pdf-lib as before: the same section', async () => {
    const damaged = withWrongObjectStreamChecksums(await samplePdf({ objectStreams: true, pages: 2 }));
    expect(damaged.streams).toBeGreaterThan(0);
    const { calls, inflate } = counted();
    const native = await prepare(damaged.pdf, { inflate });
    const javascript = await prepare(damaged.pdf);
    expect(calls.refused).toBeGreaterThan(0);
    expect(native.reader).toBe('objects-on-demand');
    expect(Buffer.from(native.section).equals(Buffer.from(javascript.section))).toBe(true);
  });
});

/**
 * `pdf` (object streams behind a cross-reference stream) made a hybrid-reference file, as Word and Excel
 * write PDFs (ISO 32000-1 §7.5.8.4): a classic table for PDF 1.4 readers lists the uncompressed objects
 * and marks the hidden ones free (the compressed objects, the object streams, the cross-reference
 * stream: the spec's own example); startxref points at a short update section, `xref 0 0`, whose
 * trailer names that table as /Prev and the cross-reference stream as /XRefStm, where newer readers
 * find the hidden objects before the table's free entries.
 */
function asHybridReferenceFile(pdf: Uint8Array): Uint8Array {
  const chain = checkCrossReferenceChain(pdf);
  const objectStreams = new Set<number>();
  for (let n = 0; n < chain.size; n++) {
    const location = chain.objects.get(n);
    if (location?.kind === 'compressed') objectStreams.add(location.stream);
  }
  const xrefStreamNumber = Number(/^(\d+)/.exec(Buffer.from(pdf.subarray(chain.startOffset, chain.startOffset + 20)).toString('latin1'))![1]);
  const rows = ['0000000000 65535 f\r\n'];
  for (let n = 1; n < chain.size; n++) {
    const location = chain.objects.get(n);
    const listed = location?.kind === 'offset' && !objectStreams.has(n) && n !== xrefStreamNumber;
    rows.push(listed ? `${String(location.offset).padStart(10, '0')} ${String(location.generation).padStart(5, '0')} n\r\n` : '0000000000 65535 f\r\n');
  }
  const root = chain.trailer.get(PDFName.of('Root'))!.toString();
  const tableOffset = pdf.length;
  const table = `xref\n0 ${chain.size}\n${rows.join('')}trailer\n<< /Size ${chain.size} /Root ${root} >>\n`;
  const updateOffset = tableOffset + table.length;
  const update = `xref\n0 0\ntrailer\n<< /Size ${chain.size} /Root ${root} /Prev ${tableOffset} /XRefStm ${chain.startOffset} >>\nstartxref\n${updateOffset}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(table + update, 'latin1')]);
}

describe('PAdES of a hybrid-reference PDF (Word and Excel write them: a classic table plus /XRefStm)', () => {
  it('reads it on demand, signs it twice, and poppler, MuPDF and qpdf accept every signature', async () => {
    const original = await samplePdf({ objectStreams: true, pages: 3, textFields: { furnizor: 'Farmacia Demo SRL' } });
    const hybrid = asHybridReferenceFile(original);
    expect(checkCrossReferenceChain(hybrid).sections.map((section) => section.kind)).toEqual(['table', 'stream', 'table']);
    // The file as made, before anything is signed: poppler reads it without a repair, qpdf finds it sound.
    expect(pdfsig(work, 'hybrid-0.pdf', hybrid).output).not.toMatch(/Syntax Error|Internal Error/);
    const asRead = qpdfCheck(work, 'hybrid-0.pdf', hybrid);
    expect(asRead.ok, asRead.output).toBe(true);
    const first = await signReporting(hybrid, pkiSigner(pki(), 'rsa'));
    expect(first.reader).toBe('objects-on-demand');
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'hybrid-1.pdf', first.signed), 1);
    const second = await signReporting(first.signed, pkiSigner(pki(), 'ec'), { inflate: inflateSync });
    expect(second.reader).toBe('objects-on-demand');
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'hybrid-2.pdf', second.signed), 2);
  });
});
