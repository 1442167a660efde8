/** The Verify page pairs a detached signature with the file it signs, by name, among the files picked together. */
import { describe, expect, it } from 'vitest';
import { pairSignatureFiles } from '../../../extension/ui/verify/pair-files.js';

const files = (...names: string[]) => names.map((name) => ({ name }));
const shown = (names: string[]) => pairSignatureFiles(files(...names)).map((pair) => (pair.content ? `${pair.signature.name} + ${pair.content.name}` : pair.signature.name));

describe('pairing signatures with their content', () => {
  it('cerere.pdf.p7s goes with cerere.pdf, which is then not verified alone; other files stay on their own', () => {
    expect(shown(['cerere.pdf', 'cerere.pdf.p7s', 'factura.pdf'])).toEqual(['cerere.pdf.p7s + cerere.pdf', 'factura.pdf']);
  });

  it('decont.sig goes with the one decont.* picked; with two candidates nothing is guessed', () => {
    expect(shown(['decont.sig', 'decont.xml'])).toEqual(['decont.sig + decont.xml']);
    expect(shown(['decont.p7s', 'decont.xml', 'decont.pdf'])).toEqual(['decont.p7s', 'decont.xml', 'decont.pdf']);
  });

  it('a signature alone stays alone (the page then says its content is missing), case does not matter for the extension', () => {
    expect(shown(['raport.PDF.P7S'])).toEqual(['raport.PDF.P7S']);
    expect(shown(['raport.PDF.P7S', 'raport.PDF'])).toEqual(['raport.PDF.P7S + raport.PDF']);
  });
});
