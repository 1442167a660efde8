/**
 * Appends objects to a PDF as an incremental update: the original bytes stay exactly as they were
 * (earlier signatures keep verifying), new and replaced objects follow, then a cross-reference section
 * of the same kind as the file's last one (a classic table, or a cross-reference stream for PDF 1.5+
 * files that use them), with /Prev pointing at the previous section.
 */
import { latin1Bytes } from '../encoding/latin1.js';
import { checkCrossReferenceChain } from './pdf-cross-reference-chain.js';

export interface PdfObjectUpdate {
  objectNumber: number;
  generation?: number;
  /** The object's body: a dictionary, an array, or `<<…>>\nstream\n…\nendstream`. Latin-1 bytes. */
  body: Uint8Array;
}

export interface TrailerEntries {
  /** `N 0 R` of the catalog. */
  root: string;
  info?: string;
  /** The trailer /ID array as PDF syntax, e.g. `[<ab…><ab…>]`. */
  id?: string;
  size: number;
  /** The file's last cross-reference section when already read (`lastCrossReference`); read again otherwise. */
  previous?: CrossReferenceSection;
}

export interface CrossReferenceSection {
  /** Where the last `startxref` points. */
  offset: number;
  /** A cross-reference stream (PDF 1.5+), not a classic `xref` table. */
  isStream: boolean;
  /** The section's /Size: one more than the highest object number the file uses (object and xref streams included). */
  size: number;
}

/**
 * The file's last cross-reference section, after checking the whole chain (DOCUMENT_DAMAGED when a
 * viewer would have to repair it). Its /Size matters: pdf-lib's `largestObjectNumber` does not count
 * object streams nor the xref stream itself, so numbering new objects from it alone would overwrite them.
 */
export function lastCrossReference(pdf: Uint8Array): CrossReferenceSection {
  const chain = checkCrossReferenceChain(pdf);
  return { offset: chain.startOffset, isStream: chain.isStream, size: chain.size };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Groups sorted object numbers into /Index runs: [[first, count], …]. */
function runsOf(numbers: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const n of numbers) {
    const last = runs.at(-1);
    if (last && last[0] + last[1] === n) last[1] += 1;
    else runs.push([n, 1]);
  }
  return runs;
}

export function appendIncrementalUpdate(pdf: Uint8Array, updates: PdfObjectUpdate[], trailer: TrailerEntries): Uint8Array {
  const previous = trailer.previous ?? lastCrossReference(pdf);
  return concat([pdf, incrementalUpdateSection(pdf, updates, { ...trailer, previous })]);
}

/** The last byte of the file: whether the update must start with a line break. */
const endsWithLineBreak = (pdf: Uint8Array): boolean => pdf[pdf.length - 1] === 0x0a || pdf[pdf.length - 1] === 0x0d;

/**
 * Only the appended section (objects, cross-reference section, trailer): the signed file is the
 * original bytes followed by it, so a caller that streams files writes the original as it is and
 * this after it; nothing of the original is copied.
 */
export function incrementalUpdateSection(pdf: Uint8Array, updates: PdfObjectUpdate[], trailer: TrailerEntries & { previous: CrossReferenceSection }): Uint8Array {
  const previous = trailer.previous;
  const parts: Uint8Array[] = [];
  let position = pdf.length;
  const push = (bytes: Uint8Array): void => {
    parts.push(bytes);
    position += bytes.length;
  };
  if (!endsWithLineBreak(pdf)) push(latin1Bytes('\n'));

  const offsets = new Map<number, { offset: number; generation: number }>();
  for (const update of [...updates].sort((a, b) => a.objectNumber - b.objectNumber)) {
    const generation = update.generation ?? 0;
    offsets.set(update.objectNumber, { offset: position, generation });
    push(latin1Bytes(`${update.objectNumber} ${generation} obj\n`));
    push(update.body);
    push(latin1Bytes('\nendobj\n'));
  }

  const size = Math.max(trailer.size, previous.size, ...updates.map((u) => u.objectNumber + 1));
  const trailerFields = `/Size ${size} /Root ${trailer.root}${trailer.info ? ` /Info ${trailer.info}` : ''}${trailer.id ? ` /ID ${trailer.id}` : ''} /Prev ${previous.offset}`;
  const xrefOffset = position;
  if (!previous.isStream) {
    let table = 'xref\n';
    for (const [first, count] of runsOf([...offsets.keys()])) {
      table += `${first} ${count}\n`;
      for (let n = first; n < first + count; n++) {
        const entry = offsets.get(n)!;
        table += `${String(entry.offset).padStart(10, '0')} ${String(entry.generation).padStart(5, '0')} n\r\n`;
      }
    }
    push(latin1Bytes(`${table}trailer\n<< ${trailerFields} >>\nstartxref\n${xrefOffset}\n%%EOF\n`));
  } else {
    // A cross-reference stream: the stream object itself needs an entry too.
    const streamNumber = size;
    offsets.set(streamNumber, { offset: xrefOffset, generation: 0 });
    const numbers = [...offsets.keys()].sort((a, b) => a - b);
    const rows: number[] = [];
    for (const n of numbers) {
      const { offset, generation } = offsets.get(n)!;
      rows.push(1, (offset >>> 24) & 0xff, (offset >>> 16) & 0xff, (offset >>> 8) & 0xff, offset & 0xff, (generation >>> 8) & 0xff, generation & 0xff);
    }
    const data = Uint8Array.from(rows);
    const index = runsOf(numbers).flat().join(' ');
    const fields = trailerFields.replace(`/Size ${size}`, `/Size ${size + 1}`);
    push(latin1Bytes(`${streamNumber} 0 obj\n<< /Type /XRef ${fields} /W [1 4 2] /Index [${index}] /Length ${data.length} >>\nstream\n`));
    push(data);
    push(latin1Bytes(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`));
  }
  return concat(parts);
}
