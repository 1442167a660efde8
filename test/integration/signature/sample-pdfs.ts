/**
 * PDFs to sign, made with pdf-lib the way county forms and reports come: pdf-lib's default save writes
 * object streams and a cross-reference STREAM (the trap for incremental updates); `objectStreams: false`
 * gives a classic xref table. Optional text fields make an existing AcroForm.
 */
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';

export interface SamplePdfOptions {
  pages?: number;
  /** true: object streams + xref stream (pdf-lib's default); false: classic xref table. */
  objectStreams: boolean;
  /** Text fields (name → value) on page 1: an existing AcroForm. */
  textFields?: Record<string, string>;
  title?: string;
  /** Every page's /Rotate (a landscape scan, a page turned for reading). */
  rotate?: number;
}

export async function samplePdf(options: SamplePdfOptions): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(options.title ?? 'Decont luna aprilie');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= (options.pages ?? 1); i++) {
    const page = pdf.addPage();
    page.drawText(`Decont servicii medicale - pagina ${i}`, { x: 50, y: 760, font, size: 14 });
    if (options.rotate) page.setRotation(degrees(options.rotate));
  }
  const form = pdf.getForm();
  let y = 700;
  for (const [name, value] of Object.entries(options.textFields ?? {})) {
    const field = form.createTextField(name);
    field.setText(value);
    field.addToPage(pdf.getPage(0), { x: 50, y, width: 300, height: 20, font });
    y -= 30;
  }
  return pdf.save({ useObjectStreams: options.objectStreams });
}
