/**
 * A strict reader of a PDF's cross-reference chain, for tests: from the last `startxref` it follows
 * /Prev (and /XRefStm) through classic tables and cross-reference streams, and checks that every
 * in-use entry points at `N G obj` and every compressed entry at a real object stream.
 *
 * Poppler (pdfsig) silently rebuilds a broken cross-reference table, so "pdfsig says valid" alone does not
 * prove an incremental update is well formed; this does. Its own code, not the code under test.
 */
import { inflateSync } from 'node:zlib';

export interface CrossReferenceReport {
  /** Newest first. */
  sections: ('table' | 'stream')[];
  /** What is wrong; empty for a sound file. */
  problems: string[];
  /** Object number → where the newest section puts it. */
  objects: Map<number, { type: 'offset'; offset: number; generation: number } | { type: 'compressed'; stream: number }>;
}

const text = (pdf: Uint8Array, from: number, to: number): string => Buffer.from(pdf.subarray(from, Math.min(to, pdf.length))).toString('latin1');

function intOf(dictionary: string, key: string): number | undefined {
  const match = new RegExp(`/${key}\\s+(\\d+)`).exec(dictionary);
  return match ? Number(match[1]) : undefined;
}

/** PNG predictors (only None and Up, as xref streams use) over rows of `columns` bytes. */
function unpredict(data: Buffer, columns: number): Buffer {
  const rows: number[] = [];
  let previous = new Array<number>(columns).fill(0);
  for (let at = 0; at < data.length; at += columns + 1) {
    const filter = data[at]!;
    const row = Array.from(data.subarray(at + 1, at + 1 + columns));
    if (filter === 2) row.forEach((value, i) => (row[i] = (value + previous[i]!) & 0xff));
    else if (filter !== 0) throw new Error(`PNG predictor ${filter} is not supported here`);
    rows.push(...row);
    previous = row;
  }
  return Buffer.from(rows);
}

export function readCrossReferences(pdf: Uint8Array): CrossReferenceReport {
  const report: CrossReferenceReport = { sections: [], problems: [], objects: new Map() };
  const tail = text(pdf, pdf.length - 1024, pdf.length);
  const start = [...tail.matchAll(/startxref\s+(\d+)\s+%%EOF/g)].at(-1);
  if (!start) return { ...report, problems: ['no startxref … %%EOF at the end'] };
  const record = (objectNumber: number, entry: NonNullable<ReturnType<CrossReferenceReport['objects']['get']>>): void => {
    if (!report.objects.has(objectNumber)) report.objects.set(objectNumber, entry);
  };

  const pending = [Number(start[1])];
  const seen = new Set<number>();
  while (pending.length > 0) {
    const offset = pending.shift()!;
    if (seen.has(offset)) {
      report.problems.push(`cross-reference loop at ${offset}`);
      break;
    }
    seen.add(offset);
    const head = text(pdf, offset, offset + 64);
    let dictionary: string;
    let maxObject = -1;
    if (head.startsWith('xref')) {
      report.sections.push('table');
      const trailerAt = text(pdf, offset, pdf.length).indexOf('trailer');
      const lines = text(pdf, offset, offset + trailerAt)
        .split(/\r\n|\r|\n/)
        .slice(1)
        .map((l) => l.trim())
        .filter(Boolean);
      for (let i = 0; i < lines.length;) {
        const [first, count] = lines[i]!.split(/\s+/).map(Number) as [number, number];
        for (let n = 0; n < count; n++) {
          const entry = /^(\d{10}) (\d{5}) ([nf])$/.exec(lines[i + 1 + n] ?? '');
          if (!entry) report.problems.push(`table at ${offset}: bad entry for object ${first + n}`);
          else if (entry[3] === 'n') record(first + n, { type: 'offset', offset: Number(entry[1]), generation: Number(entry[2]) });
          maxObject = Math.max(maxObject, first + n);
        }
        i += 1 + count;
      }
      dictionary = text(pdf, offset + trailerAt, offset + trailerAt + 2048);
    } else {
      report.sections.push('stream');
      const object = /^(\d+)\s+(\d+)\s+obj\s*<</.exec(head);
      if (!object) {
        report.problems.push(`startxref/Prev ${offset} points at neither "xref" nor an object`);
        break;
      }
      const streamAt = text(pdf, offset, offset + 8192).indexOf('stream');
      dictionary = text(pdf, offset, offset + streamAt);
      const widths = /\/W\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(dictionary)?.slice(1).map(Number) as [number, number, number] | undefined;
      const length = intOf(dictionary, 'Length');
      if (!widths || length === undefined || !/\/Type\s*\/XRef/.test(dictionary)) {
        report.problems.push(`xref stream at ${offset}: missing /Type /XRef, /W or /Length`);
        break;
      }
      const dataAt = offset + streamAt + 'stream'.length + (pdf[offset + streamAt + 6] === 0x0d ? 2 : 1);
      let data: Buffer = Buffer.from(pdf.subarray(dataAt, dataAt + length));
      if (/\/Filter\s*\/FlateDecode/.test(dictionary)) data = inflateSync(data);
      const rowLength = widths[0] + widths[1] + widths[2];
      if (/\/Predictor\s+1[0-5]/.test(dictionary)) data = unpredict(data, intOf(dictionary, 'Columns') ?? rowLength);
      const size = intOf(dictionary, 'Size') ?? 0;
      const index = /\/Index\s*\[([\d\s]+)\]/.exec(dictionary)?.[1]!.trim().split(/\s+/).map(Number) ?? [0, size];
      const field = (row: number, which: 0 | 1 | 2, fallback: number): number => {
        if (widths[which] === 0) return fallback;
        let value = 0;
        const from = row * rowLength + (which === 0 ? 0 : which === 1 ? widths[0] : widths[0] + widths[1]);
        for (let b = 0; b < widths[which]; b++) value = value * 256 + data[from + b]!;
        return value;
      };
      let row = 0;
      for (let i = 0; i < index.length; i += 2) {
        for (let n = index[i]!; n < index[i]! + index[i + 1]!; n++, row++) {
          const type = field(row, 0, 1);
          if (type === 1) record(n, { type: 'offset', offset: field(row, 1, 0), generation: field(row, 2, 0) });
          else if (type === 2) record(n, { type: 'compressed', stream: field(row, 1, 0) });
          maxObject = Math.max(maxObject, n);
        }
      }
      if (row * rowLength !== data.length) report.problems.push(`xref stream at ${offset}: ${data.length} bytes of data for ${row} entries`);
    }
    const size = intOf(dictionary, 'Size');
    if (size === undefined) report.problems.push(`section at ${offset}: no /Size`);
    else if (size <= maxObject) report.problems.push(`section at ${offset}: /Size ${size} but object ${maxObject} listed`);
    const previous = intOf(dictionary, 'Prev');
    const hybrid = intOf(dictionary, 'XRefStm');
    if (hybrid !== undefined) pending.push(hybrid);
    if (previous !== undefined) pending.push(previous);
  }

  for (const [objectNumber, entry] of report.objects) {
    if (entry.type === 'offset') {
      const found = /^(\d+)\s+(\d+)\s+obj\b/.exec(text(pdf, entry.offset, entry.offset + 32));
      if (!found || Number(found[1]) !== objectNumber || Number(found[2]) !== entry.generation) {
        report.problems.push(`object ${objectNumber}: offset ${entry.offset} does not hold "${objectNumber} ${entry.generation} obj"`);
      }
    } else {
      const stream = report.objects.get(entry.stream);
      const holdsObjectStream = stream?.type === 'offset' && /\/Type\s*\/ObjStm/.test(text(pdf, stream.offset, stream.offset + 512));
      if (!holdsObjectStream) report.problems.push(`object ${objectNumber}: its object stream ${entry.stream} is not an object stream now`);
    }
  }
  return report;
}
