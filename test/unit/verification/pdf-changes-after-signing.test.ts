/**
 * What an incremental update after a signed revision changed, as `changesAfterRevision` classifies it:
 * each kind made on a real pdf-lib PDF (classic table and cross-reference stream) with the appender the
 * signer uses, so the objects are exactly where and how other programs put them.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFString, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { appendIncrementalUpdate } from '../../../shared/signature/pdf-incremental-update.js';
import type { PdfObjectUpdate } from '../../../shared/signature/pdf-incremental-update.js';
import { changesAfterRevision } from '../../../shared/verification/pdf-changes-after-signing.js';

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

async function basePdf(objectStreams: boolean): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Decont');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage().drawText('Decont servicii medicale', { x: 50, y: 760, font, size: 14 });
  const field = pdf.getForm().createTextField('Nume');
  field.setText('Ion');
  field.addToPage(pdf.getPage(0), { x: 50, y: 700, width: 200, height: 20, font });
  return pdf.save({ useObjectStreams: objectStreams });
}

/** The base PDF, then one incremental update made by `change`; what the update changed. */
async function changesOf(objectStreams: boolean, change: (document: PDFDocument, next: () => number) => PdfObjectUpdate[]): Promise<string[]> {
  const base = await basePdf(objectStreams);
  const document = await PDFDocument.load(base, { updateMetadata: false });
  let next = document.context.largestObjectNumber + 20;
  const updates = change(document, () => next++);
  const updated = appendIncrementalUpdate(base, updates, {
    root: (document.context.trailerInfo.Root as PDFRef).toString(),
    info: (document.context.trailerInfo.Info as PDFRef).toString(),
    size: next,
  });
  return changesAfterRevision(updated, base.length, await PDFDocument.load(updated, { updateMetadata: false }));
}

describe.each([false, true])('changes after a signed revision (object streams: %s)', (objectStreams) => {
  it('nothing appended: no change', async () => {
    const base = await basePdf(objectStreams);
    expect(await changesAfterRevision(base, base.length, await PDFDocument.load(base))).toEqual([]);
  });

  it('a page content stream added to the page: other changes', async () => {
    expect(
      await changesOf(objectStreams, (document, next) => {
        const page = document.getPage(0);
        const stream = next();
        page.node.set(PDFName.of('Contents'), document.context.obj([page.node.get(PDFName.of('Contents')) as PDFRef, PDFRef.of(stream)]));
        return [
          { objectNumber: stream, body: latin1('<< /Length 20 >>\nstream\nBT (PAID) Tj ET    \nendstream') },
          { objectNumber: page.ref.objectNumber, body: latin1(page.node.toString()) },
        ];
      }),
    ).toEqual(['other']);
  });

  it('a text field given another value: form filling', async () => {
    expect(
      await changesOf(objectStreams, (document) => {
        const field = document.getForm().getTextField('Nume');
        field.acroField.dict.set(PDFName.of('V'), PDFString.of('Maria'));
        return [{ objectNumber: field.ref.objectNumber, body: latin1(field.acroField.dict.toString()) }];
      }),
    ).toEqual(['form-filling']);
  });

  it('a comment added to the page: annotations', async () => {
    expect(
      await changesOf(objectStreams, (document, next) => {
        const page = document.getPage(0);
        const note = next();
        const entry = page.node.get(PDFName.of('Annots'));
        const annots = page.node.lookup(PDFName.of('Annots'), PDFArray);
        annots.push(PDFRef.of(note));
        const holder = entry instanceof PDFRef ? { objectNumber: entry.objectNumber, body: latin1(annots.toString()) } : { objectNumber: page.ref.objectNumber, body: latin1(page.node.toString()) };
        return [{ objectNumber: note, body: latin1('<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] /Contents (Verificat) >>') }, holder];
      }),
    ).toEqual(['annotations']);
  });

  it('the document information changed: metadata', async () => {
    expect(
      await changesOf(objectStreams, (document) => {
        const info = document.context.trailerInfo.Info as PDFRef;
        const dict = document.context.lookup(info, PDFDict);
        dict.set(PDFName.of('Title'), PDFString.of('Alt titlu'));
        return [{ objectNumber: info.objectNumber, body: latin1(dict.toString()) }];
      }),
    ).toEqual(['metadata']);
  });

  it('a page removed from the page tree: other changes', async () => {
    expect(
      await changesOf(objectStreams, (document) => {
        const pages = document.catalog.get(PDFName.of('Pages')) as PDFRef;
        return [{ objectNumber: pages.objectNumber, body: latin1('<< /Type /Pages /Kids [] /Count 0 >>') }];
      }),
    ).toEqual(['other']);
  });
});
