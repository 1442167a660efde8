/**
 * PDFs whose cross-reference chain is damaged are refused with DOCUMENT_DAMAGED (by openPdfForSigning,
 * which the extension runs before the PIN window, and by signPades), instead of being signed into a
 * file whose viewers must repair it and then show no signature. The damage is real: qpdf --check,
 * an independent reader, reports each input as damaged. Good PDFs written by other programs (qpdf with
 * object streams and predictors, qpdf linearized, MuPDF, Cairo) still sign, and every verifier accepts
 * the result.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { openPdfForSigning, signPades } from '../../../shared/signature/pades.js';
import { checkCrossReferenceChain } from '../../../shared/signature/pdf-cross-reference-chain.js';
import { pkiSigner } from '../../support/software-signer.js';
import { useTestPki } from '../../support/test-pki.js';
import { expectAcceptedEverywhere, qpdfCheck, verifyPdfEverywhere } from '../../support/independent-verifiers.js';
import { readCrossReferences } from './pdf-cross-references.js';
import { samplePdf } from './sample-pdfs.js';

const { work, pki } = useTestPki('cas-token-damaged-pdf-');

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const bytesOf = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));

/** The file with its last `startxref` value replaced. */
function withStartxref(pdf: Uint8Array, offset: number): Uint8Array {
  const text = latin1(pdf);
  const at = text.lastIndexOf('startxref');
  return bytesOf(text.slice(0, at) + text.slice(at).replace(/startxref\s+\d+/, `startxref\n${offset}`));
}

const startxrefOf = (pdf: Uint8Array): number => Number(/startxref\s+(\d+)/.exec(latin1(pdf).slice(latin1(pdf).lastIndexOf('startxref')))![1]);

/**
 * Bytes inserted after the header line, as a careless edit or a broken transfer does, with `startxref`
 * moved along so it still finds the section: every offset IN the section is now wrong by that much.
 */
function shiftedOffsets(pdf: Uint8Array): Uint8Array {
  const text = latin1(pdf);
  const lineEnd = text.indexOf('\n') + 1;
  const inserted = '% inserted by an editor\n';
  return withStartxref(bytesOf(text.slice(0, lineEnd) + inserted + text.slice(lineEnd)), startxrefOf(pdf) + inserted.length);
}

/** A classic table where two in-use entries are swapped: each object's offset holds the other object. */
function swappedEntries(pdf: Uint8Array): Uint8Array {
  const text = latin1(pdf);
  const table = text.lastIndexOf('\nxref');
  const entries = [...text.slice(table).matchAll(/(\d{10}) 00000 n/g)];
  const [first, second] = [entries[1]!, entries[2]!];
  const at = (m: RegExpMatchArray): number => table + m.index!;
  let out = text.slice(0, at(first)) + second[1] + text.slice(at(first) + 10);
  out = out.slice(0, at(second)) + first[1] + out.slice(at(second) + 10);
  return bytesOf(out);
}

/** `startxref` pointing into the data of the first stream that is not a cross-reference stream. */
function startxrefIntoStream(pdf: Uint8Array): Uint8Array {
  const text = latin1(pdf);
  for (const match of text.matchAll(/stream\r?\n/g)) {
    const dictionary = text.slice(text.lastIndexOf('obj', match.index!), match.index!);
    if (!dictionary.includes('/XRef') && !text.slice(match.index! - 3, match.index!).includes('end')) return withStartxref(pdf, match.index! + match[0].length + 4);
  }
  throw new Error('no stream');
}

/** The newest section's /Prev moved by a few bytes (same number of digits, so nothing else moves). */
function wrongPrevious(pdf: Uint8Array): Uint8Array {
  const text = latin1(pdf);
  const at = text.lastIndexOf('/Prev ');
  const previous = /\/Prev (\d+)/.exec(text.slice(at))![1]!;
  const moved = String(Number(previous) + 3);
  expect(moved.length).toBe(previous.length);
  return bytesOf(text.slice(0, at) + `/Prev ${moved}` + text.slice(at + 6 + previous.length));
}

/** MuPDF had to repair the file to open it (what a signature added to it might not survive). */
function mutoolRepairs(pdf: Uint8Array): boolean {
  const path = join(work, `mutool-${pdf.length}.pdf`);
  writeFileSync(path, pdf);
  const output = spawnSync('mutool', ['info', path], { encoding: 'utf8' });
  return /repair/i.test(`${output.stdout}${output.stderr}`);
}

const truncated = (pdf: Uint8Array): Uint8Array => pdf.slice(0, Math.floor(pdf.length * 0.6));

type Damage = [label: string, damage: (pdf: Uint8Array) => Uint8Array, detail: RegExp];
const DAMAGES: Damage[] = [
  ['shifted offsets (bytes inserted after the header)', shiftedOffsets, /puts object \d+ \d+ at byte \d+, where no object starts/],
  ['startxref pointing into a stream', startxrefIntoStream, /"startxref" points at byte \d+, where there is neither a cross-reference table nor a cross-reference stream/],
  ['a truncated file', truncated, /does not end with "startxref".*cut short/],
];

async function refusal(pdf: Uint8Array): Promise<unknown> {
  return openPdfForSigning(pdf).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('damaged PDFs are refused with DOCUMENT_DAMAGED, before the PIN', () => {
  it.each(
    DAMAGES.flatMap(([label, damage, detail]) =>
      (
        [
          ['classic table', false],
          ['xref stream', true],
        ] as const
      ).map(([kind, objectStreams]) => [label, kind, objectStreams, damage, detail] as const),
    ),
  )('%s, %s', async (label, kind, objectStreams, damage, detail) => {
    const good = await samplePdf({ objectStreams, pages: 2, textFields: { furnizor: 'Cabinet Medical Demo SRL' } });
    expect(await refusal(good)).toBeUndefined();
    const damaged = damage(good);
    const name = `${label.replace(/\W+/g, '-')}-${kind.replace(/\W+/g, '-')}.pdf`;
    // An independent reader agrees the input is damaged.
    expect(qpdfCheck(work, name, damaged).ok).toBe(false);

    const error = await refusal(damaged);
    expect(error).toMatchObject({ code: 'DOCUMENT_DAMAGED', message: expect.stringMatching(detail) });
    expect((error as Error).message).toMatch(/^This PDF is damaged: .*save it again/);
    await expect(signPades(damaged, pkiSigner(pki(), 'rsa'))).rejects.toMatchObject({ code: 'DOCUMENT_DAMAGED' });
  });

  it("a classic table with two entries swapped (each object at the other's offset)", async () => {
    const damaged = swappedEntries(await samplePdf({ objectStreams: false, pages: 2 }));
    expect(qpdfCheck(work, 'swapped.pdf', damaged).ok).toBe(false);
    expect(await refusal(damaged)).toMatchObject({ code: 'DOCUMENT_DAMAGED', message: expect.stringMatching(/puts object (\d+) 0 at byte \d+, where object (?!\1 )\d+ 0 is/) });
  });

  it.each([
    ['classic table', false],
    ['xref stream', true],
  ])('an already signed PDF (%s) whose newest /Prev points beside the earlier section', async (_kind, objectStreams) => {
    const signed = await signPades(await samplePdf({ objectStreams }), pkiSigner(pki(), 'rsa'));
    expect(readCrossReferences(signed).problems).toEqual([]);
    const damaged = wrongPrevious(signed);
    expect(readCrossReferences(damaged).problems).not.toEqual([]); // the test's own strict reader agrees
    expect(await refusal(damaged)).toMatchObject({ code: 'DOCUMENT_DAMAGED', message: expect.stringMatching(/the \/Prev of the section at byte \d+ points at/) });
  });

  it('an update that frees the object stream other objects are still said to be in', async () => {
    const good = await samplePdf({ objectStreams: true });
    const chain = checkCrossReferenceChain(good);
    const compressed = [...readCrossReferences(good).objects.values()].find((entry) => entry.type === 'compressed');
    const objectStream = (compressed as { stream: number }).stream;
    // A new cross-reference stream whose only entry frees the object stream (type 0).
    const head = `\n${chain.size} 0 obj\n<< /Type /XRef /Size ${chain.size + 1} /Root 1 0 R /Prev ${chain.startOffset} /W [1 4 2] /Index [${objectStream} 1 ${chain.size} 1] /Length 14 >>\nstream\n`;
    const rows = [0, 0, 0, 0, 0, 0, 1, 1, ...[24, 16, 8, 0].map((shift) => ((good.length + 1) >>> shift) & 0xff), 0, 0];
    const damaged = new Uint8Array([...good, ...bytesOf(head), ...rows, ...bytesOf(`\nendstream\nendobj\nstartxref\n${good.length + 1}\n%%EOF\n`)]);
    expect(await refusal(damaged)).toMatchObject({ code: 'DOCUMENT_DAMAGED', message: expect.stringMatching(new RegExp(`in object stream ${objectStream}, which is not an object of the file now`)) });
  });

  it('object numbers past the 8,388,607 a PDF may have: refused when listed (MuPDF repairs such a file), and when the signature would number its own objects past it', async () => {
    const good = await samplePdf({ objectStreams: false });
    const root = /\/Root (\d+ \d+ R)/.exec(latin1(good))![1]!;
    /** An update section whose only entry frees object `n`: the next free number is n + 1. */
    const listing = (n: number): Uint8Array =>
      bytesOf(
        `${latin1(good)}xref\n0 1\n0000000000 65535 f\r\n${n} 1\n0000000000 65535 f\r\ntrailer\n<< /Size ${n + 1} /Root ${root} /Prev ${startxrefOf(good)} >>\nstartxref\n${good.length}\n%%EOF\n`,
      );
    const tooMany = listing(8_388_608);
    expect(mutoolRepairs(tooMany)).toBe(true);
    expect(await refusal(tooMany)).toMatchObject({ code: 'DOCUMENT_DAMAGED', message: expect.stringContaining('it lists object 8388608, more than a PDF may have (8388607)') });

    // MuPDF opens a file that uses the last number, but would repair it once signed (its new objects past the limit): refused before the PIN.
    const atTheLimit = listing(8_388_607);
    expect(mutoolRepairs(atTheLimit)).toBe(false);
    await expect(signPades(atTheLimit, pkiSigner(pki(), 'rsa'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining("the signature's own objects would go past it") });

    // Room left for the signature's objects: signed, and every verifier accepts it.
    const signed = await signPades(listing(8_388_500), pkiSigner(pki(), 'rsa'));
    expect(mutoolRepairs(signed)).toBe(false);
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'object-number-limit.pdf', signed), 1);
  });

  it('bytes that are not a PDF stay INVALID_ARGUMENT, an empty file too', async () => {
    expect(await refusal(bytesOf('<html>not a pdf</html>'))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await refusal(new Uint8Array(0))).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('empty') });
  });
});

/** A sample PDF run through another program. */
function rewritten(pdf: Uint8Array, name: string, command: (input: string, output: string) => [string, string[]]): Uint8Array {
  const input = join(work, `${name}-in.pdf`);
  const output = join(work, `${name}-out.pdf`);
  writeFileSync(input, pdf);
  const [tool, args] = command(input, output);
  execFileSync(tool, args, { stdio: 'pipe' });
  return new Uint8Array(readFileSync(output));
}

describe('sound PDFs from other writers still sign, and every verifier accepts them', () => {
  const WRITERS: [string, (input: string, output: string) => [string, string[]]][] = [
    ['qpdf, object streams (xref stream with a PNG predictor)', (i, o) => ['qpdf', ['--object-streams=generate', i, o]]],
    ['qpdf, linearized', (i, o) => ['qpdf', ['--linearize', i, o]]],
    ['qpdf, classic table', (i, o) => ['qpdf', ['--object-streams=disable', i, o]]],
    ['MuPDF (mutool clean)', (i, o) => ['mutool', ['clean', '-gg', i, o]]],
    ['Cairo (pdftocairo)', (i, o) => ['pdftocairo', ['-pdf', i, o]]],
  ];
  it.each(WRITERS)('%s: signed once and twice', async (label, command) => {
    const original = rewritten(await samplePdf({ objectStreams: true, pages: 2, textFields: label.startsWith('Cairo') ? {} : { furnizor: 'Farmacia Demo' } }), label.replace(/\W+/g, '-'), command);
    expect(qpdfCheck(work, `${label.replace(/\W+/g, '-')}-original.pdf`, original).ok).toBe(true);
    const once = await signPades(original, pkiSigner(pki(), 'rsa'));
    expectAcceptedEverywhere(verifyPdfEverywhere(work, `${label.replace(/\W+/g, '-')}-once.pdf`, once), 1);
    const twice = await signPades(once, pkiSigner(pki(), 'ec'));
    expectAcceptedEverywhere(verifyPdfEverywhere(work, `${label.replace(/\W+/g, '-')}-twice.pdf`, twice), 2);
  });

  it('the check costs little next to reading the PDF: 20 MB with 20,000 objects', async () => {
    const document = await PDFDocument.create();
    const font = await document.embedFont(StandardFonts.Helvetica);
    for (let i = 0; i < 500; i++) document.addPage().drawText(`Pagina ${i + 1}`, { font });
    for (let i = 0; i < 20_000; i++) document.context.register(document.context.obj({ Rand: i }));
    document.context.register(
      document.context.stream(
        new Uint8Array(19 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24),
        { Type: PDFName.of('XObject') },
      ),
    );
    for (const useObjectStreams of [false, true]) {
      const pdf = await document.save({ useObjectStreams });
      expect(pdf.length).toBeGreaterThan(19 * 1024 * 1024);
      let start = performance.now();
      const chain = checkCrossReferenceChain(pdf);
      const checking = performance.now() - start;
      expect(chain.size).toBeGreaterThan(20_000);
      start = performance.now();
      await PDFDocument.load(pdf, { updateMetadata: false });
      const reading = performance.now() - start;
      expect(checking).toBeLessThan(reading / 4);
    }
  }, 60_000);
});
