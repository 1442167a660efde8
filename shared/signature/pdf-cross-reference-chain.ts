/**
 * The cross-reference chain a PAdES incremental update links to, checked before anything is signed.
 *
 * pdf-lib reads a PDF by scanning its objects from the start, so it reads a file whose cross-reference
 * sections are wrong without a word. Viewers do not: they follow `startxref` and /Prev, and when an
 * offset is wrong they "repair" the file by scanning it, which drops or misplaces an incremental
 * update: MuPDF then shows no signature at all. So a document whose chain is unsound is refused
 * (DOCUMENT_DAMAGED) instead of being signed into a signature nobody sees.
 *
 * Checked: the last `startxref` points at an `xref` table or at an `N G obj` cross-reference stream
 * (/Type /XRef); every section of the /Prev chain (and a hybrid file's /XRefStm) is readable; every
 * in-use entry points at `N G obj` with its own number and generation; every object compressed in an
 * object stream (by its newest entry) names a stream that is itself an in-use object now. Byte comparisons only (no string of the file is
 * built): a few milliseconds for a 20 MB PDF. pdf-lib parses the trailer and stream dictionaries and
 * inflates the streams, as it does anyway when it loads the file.
 */
import { PDFArray, PDFContext, PDFDict, PDFName, PDFNumber, PDFObjectParser, PDFRawStream } from 'pdf-lib';
import { CasTokenError } from '../protocol/cas-token-error.js';
import { decodedStreamBytes } from './pdf-stream-bytes.js';
import type { FlateInflate } from './pdf-stream-bytes.js';

export interface CrossReferenceSectionInfo {
  offset: number;
  kind: 'table' | 'stream';
}

export interface CrossReferenceChain {
  /** Where the last `startxref` points. */
  startOffset: number;
  /** The section `startxref` points at is a cross-reference stream (PDF 1.5+), not a classic `xref` table. */
  isStream: boolean;
  /** The newest section's /Size. */
  size: number;
  /** Every section read, newest first (/XRefStm sections of hybrid files included). */
  sections: CrossReferenceSectionInfo[];
  /** The newest section's trailer dictionary (a cross-reference stream's own dictionary). */
  trailer: PDFDict;
  /** Where each object's newest version is: what a reader needs to fetch one object without parsing the file. */
  objects: ObjectLocations;
}

/** An object's newest cross-reference entry: at a byte offset, or the `index`-th object of an object stream. */
export type PdfObjectLocation = { kind: 'offset'; offset: number; generation: number } | { kind: 'compressed'; stream: number; index: number } | { kind: 'free' };

/** The most indirect objects a PDF may have (ISO 32000-1, Annex C, table C.1; MuPDF's limit too). */
export const MAX_OBJECT_NUMBER = 8_388_607;

const NONE = 0;
const FREE = 1;
const OFFSET = 2;
const COMPRESSED = 3;

/**
 * What the cross-reference sections say of each object, by object number, in typed arrays: a report
 * of a few hundred KB lists hundreds of objects and a batch reads hundreds of such files, so no object
 * and no map entry is made per entry (they cost more than reading the entry). Grown as larger numbers
 * appear, never past MAX_OBJECT_NUMBER.
 */
export class ObjectLocations {
  /** The location kept for each object (NONE, FREE, OFFSET, COMPRESSED). */
  private kinds = new Uint8Array(256);
  /** What the newest section listing the object says (the same codes): a hybrid file's stream may still fill in what its table calls free. */
  private newestKinds = new Uint8Array(256);
  /** Byte offset (OFFSET) or object stream number (COMPRESSED). */
  private firsts = new Float64Array(256);
  /** Generation (OFFSET) or index in the object stream (COMPRESSED). */
  private seconds = new Float64Array(256);

  get(objectNumber: number): PdfObjectLocation | undefined {
    const kind = objectNumber < this.kinds.length ? this.kinds[objectNumber] : NONE;
    if (kind === OFFSET) return { kind: 'offset', offset: this.firsts[objectNumber]!, generation: this.seconds[objectNumber]! };
    if (kind === COMPRESSED) return { kind: 'compressed', stream: this.firsts[objectNumber]!, index: this.seconds[objectNumber]! };
    return kind === FREE ? { kind: 'free' } : undefined;
  }

  /** The object is in use now, by the newest section listing it (as opposed to free or not listed at all). */
  inUseNow(objectNumber: number): boolean {
    return objectNumber < this.newestKinds.length && this.newestKinds[objectNumber] === OFFSET;
  }

  /** Called for each entry, newest section first: the first listing of an object is its newest; `override` (a hybrid file's stream) replaces a kept "free". */
  record(objectNumber: number, kind: number, first: number, second: number, override: boolean): boolean {
    if (objectNumber >= this.kinds.length) this.grow(objectNumber);
    const newest = this.newestKinds[objectNumber] === NONE;
    if (newest) this.newestKinds[objectNumber] = kind;
    if (newest || (override && this.kinds[objectNumber] === FREE && kind !== FREE)) {
      this.kinds[objectNumber] = kind;
      this.firsts[objectNumber] = first;
      this.seconds[objectNumber] = second;
    }
    return newest;
  }

  private grow(objectNumber: number): void {
    if (objectNumber > MAX_OBJECT_NUMBER) throw damaged(`it lists object ${objectNumber}, more than a PDF may have (${MAX_OBJECT_NUMBER})`);
    const length = Math.min(MAX_OBJECT_NUMBER + 1, Math.max(objectNumber + 1, this.kinds.length * 2));
    const wider = <T extends Uint8Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(length);
      next.set(old);
      return next;
    };
    this.kinds = wider(this.kinds, (n) => new Uint8Array(n));
    this.newestKinds = wider(this.newestKinds, (n) => new Uint8Array(n));
    this.firsts = wider(this.firsts, (n) => new Float64Array(n));
    this.seconds = wider(this.seconds, (n) => new Float64Array(n));
  }
}

/** How far from the end of the file `startxref` may be (trailing bytes after %%EOF included). */
const TAIL_BYTES = 2048;
/** More sections than any real file has; a chain this long is a loop or an attack. */
const MAX_SECTIONS = 4096;

const ADVICE = 'Viewers would have to repair it, and a signature added to it might not show. Open it in a PDF program and save it again (or print it to PDF), then sign the new copy.';

function damaged(detail: string): CasTokenError {
  return new CasTokenError('DOCUMENT_DAMAGED', `This PDF is damaged: ${detail}. ${ADVICE}`);
}

// The lexing below runs once per cross-reference entry (tens of thousands in a big file), mostly before
// the JIT has warmed up: no allocation, no string, a few comparisons per byte.
const isWhite = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
/** A byte that ends a keyword: whitespace, a PDF delimiter ( ) < > [ ] { } / %, or the end of the file. */
function endsToken(b: number | undefined): boolean {
  if (b === undefined || isWhite(b)) return true;
  return b === 0x28 || b === 0x29 || b === 0x3c || b === 0x3e || b === 0x5b || b === 0x5d || b === 0x7b || b === 0x7d || b === 0x2f || b === 0x25;
}

function skipWhite(pdf: Uint8Array, at: number): number {
  while (at < pdf.length && isWhite(pdf[at])) at++;
  return at;
}

/** Whitespace and `%` comments (as between a table's lines and its `trailer`). */
function skipWhiteAndComments(pdf: Uint8Array, at: number): number {
  for (;;) {
    at = skipWhite(pdf, at);
    if (pdf[at] !== 0x25) return at;
    while (at < pdf.length && pdf[at] !== 0x0a && pdf[at] !== 0x0d) at++;
  }
}

function keywordAt(pdf: Uint8Array, at: number, keyword: string): boolean {
  for (let i = 0; i < keyword.length; i++) if (pdf[at + i] !== keyword.charCodeAt(i)) return false;
  return true;
}

/** Where the last `integerAt` ended. */
let integerEnd = 0;

/** A non-negative integer of at most 15 digits at `at` (its end in `integerEnd`), or -1. */
function integerAt(pdf: Uint8Array, at: number): number {
  let value = 0;
  let end = at;
  while (end - at < 15) {
    const b = pdf[end];
    if (b === undefined || b < 0x30 || b > 0x39) break;
    value = value * 10 + (b - 0x30);
    end++;
  }
  integerEnd = end;
  return end === at || isDigit(pdf[end]) ? -1 : value;
}

/** Whether `N G obj` starts at `offset` (after optional whitespace, as every viewer's lexer allows). */
function objectHeaderMatches(pdf: Uint8Array, offset: number, objectNumber: number, generation: number): boolean {
  let at = offset;
  for (let skipped = 0; at < pdf.length && isWhite(pdf[at]) && skipped < 16; skipped++) at++;
  if (integerAt(pdf, at) !== objectNumber || !isWhite(pdf[integerEnd])) return false;
  if (integerAt(pdf, skipWhite(pdf, integerEnd)) !== generation || !isWhite(pdf[integerEnd])) return false;
  at = skipWhite(pdf, integerEnd);
  return pdf[at] === 0x6f && pdf[at + 1] === 0x62 && pdf[at + 2] === 0x6a && endsToken(pdf[at + 3]);
}

/** `N G obj` at `offset` (after optional whitespace): N and G, or undefined. */
export function objectHeaderAt(pdf: Uint8Array, offset: number): { objectNumber: number; generation: number } | undefined {
  if (offset < 0 || offset >= pdf.length) return undefined;
  const at = skipWhite(pdf, offset);
  const objectNumber = integerAt(pdf, at);
  if (objectNumber < 0) return undefined;
  const generation = integerAt(pdf, skipWhite(pdf, integerEnd));
  if (generation < 0) return undefined;
  return objectHeaderMatches(pdf, offset, objectNumber, generation) ? { objectNumber, generation } : undefined;
}

/** Where the last `startxref` (in the file's last 2 KB) says the newest cross-reference section is. */
export function startXrefOffset(pdf: Uint8Array): number {
  const from = Math.max(0, pdf.length - TAIL_BYTES);
  let at = -1;
  for (let i = pdf.length - 9; i >= from; i--) {
    if (pdf[i] === 0x73 && keywordAt(pdf, i, 'startxref')) {
      at = i;
      break;
    }
  }
  if (at < 0) throw damaged('it does not end with "startxref" (the file may be cut short: download or copy it again)');
  const offset = integerAt(pdf, skipWhite(pdf, at + 9));
  if (offset < 0) throw damaged('its "startxref" gives no offset');
  if (offset >= pdf.length) throw damaged(`"startxref" points at byte ${offset}, past the end of the file (${pdf.length} bytes): the file may be cut short`);
  return offset;
}

interface SectionFacts {
  kind: 'table' | 'stream';
  size: number | undefined;
  previous: number | undefined;
  hybridStream: number | undefined;
  trailer: PDFDict;
}

/** Entries as the sections list them, newest section first: in-use ones are checked at once. */
interface EntrySink {
  inUse(objectNumber: number, offset: number, generation: number, sectionOffset: number): void;
  compressed(objectNumber: number, streamNumber: number, index: number): void;
  free(objectNumber: number): void;
}

const dictionaryNumber = (dictionary: PDFDict, key: string): number | undefined => {
  const value = dictionary.get(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : undefined;
};

function parseObjectAt(pdf: Uint8Array, at: number): unknown {
  try {
    return PDFObjectParser.forBytes(pdf.subarray(at), PDFContext.create()).parseObject();
  } catch {
    return undefined;
  }
}

/** A classic table at `offset` (already known to start with `xref`), then its trailer. */
function readTable(pdf: Uint8Array, offset: number, sink: EntrySink): SectionFacts {
  let at = skipWhite(pdf, offset) + 4;
  for (;;) {
    at = skipWhiteAndComments(pdf, at);
    if (keywordAt(pdf, at, 'trailer')) break;
    const first = integerAt(pdf, at);
    const count = first < 0 ? -1 : integerAt(pdf, skipWhite(pdf, integerEnd));
    if (count < 0) throw damaged(`the cross-reference table at byte ${offset} has a broken line at byte ${at}`);
    at = integerEnd;
    // Each entry is 20 bytes ("oooooooooo ggggg n\r\n"); writers that end lines with one byte make 19.
    if (count * 18 > pdf.length - at) throw damaged(`the cross-reference table at byte ${offset} lists more entries than the file can hold`);
    for (let i = 0; i < count; i++) {
      const entryOffset = integerAt(pdf, skipWhite(pdf, at));
      const generation = entryOffset < 0 ? -1 : integerAt(pdf, skipWhite(pdf, integerEnd));
      const typeAt = generation < 0 ? -1 : skipWhite(pdf, integerEnd);
      const type = pdf[typeAt];
      if (generation < 0 || (type !== 0x6e && type !== 0x66) || !endsToken(pdf[typeAt + 1])) {
        throw damaged(`the cross-reference table at byte ${offset} has a broken entry for object ${first + i}`);
      }
      // An in-use entry at offset 0 points at nothing; viewers treat it as free, so do we.
      if (type === 0x6e && entryOffset !== 0) sink.inUse(first + i, entryOffset, generation, offset);
      else sink.free(first + i);
      at = typeAt + 1;
    }
  }
  const trailer = parseObjectAt(pdf, skipWhite(pdf, at + 7));
  if (!(trailer instanceof PDFDict)) throw damaged(`the trailer after the cross-reference table at byte ${offset} cannot be read`);
  return { kind: 'table', size: dictionaryNumber(trailer, 'Size'), previous: dictionaryNumber(trailer, 'Prev'), hybridStream: dictionaryNumber(trailer, 'XRefStm'), trailer };
}

/** PNG (10-15) and TIFF (2) predictors over rows of `columns` bytes, one byte per pixel as xref streams use. */
function unpredict(data: Uint8Array, predictor: number, columns: number): Uint8Array {
  if (predictor === 2) {
    const out = Uint8Array.from(data);
    for (let row = 0; row + columns <= out.length; row += columns) for (let i = 1; i < columns; i++) out[row + i] = (out[row + i]! + out[row + i - 1]!) & 0xff;
    return out;
  }
  const rows = Math.floor(data.length / (columns + 1));
  const out = new Uint8Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    const filter = data[row * (columns + 1)]!;
    const input = row * (columns + 1) + 1;
    const at = row * columns;
    for (let i = 0; i < columns; i++) {
      const raw = data[input + i]!;
      const left = i > 0 ? out[at + i - 1]! : 0;
      const up = row > 0 ? out[at - columns + i]! : 0;
      const upLeft = i > 0 && row > 0 ? out[at - columns + i - 1]! : 0;
      let value: number;
      if (filter === 0) value = raw;
      else if (filter === 1) value = raw + left;
      else if (filter === 2) value = raw + up;
      else if (filter === 3) value = raw + ((left + up) >> 1);
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else throw new Error(`PNG filter ${filter}`);
      out[at + i] = value & 0xff;
    }
  }
  return out;
}

/** A cross-reference stream object at `offset` (`N G obj << /Type /XRef … >> stream … endstream`). */
function readStream(pdf: Uint8Array, offset: number, sink: EntrySink, what: string, inflate: FlateInflate | undefined): SectionFacts {
  const header = objectHeaderAt(pdf, offset);
  if (!header) throw damaged(`${what} points at byte ${offset}, where there is neither a cross-reference table nor a cross-reference stream`);
  integerAt(pdf, skipWhite(pdf, offset));
  integerAt(pdf, skipWhite(pdf, integerEnd));
  const stream = parseObjectAt(pdf, skipWhite(pdf, integerEnd) + 3); // after "obj"
  if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of('Type')) !== PDFName.of('XRef')) {
    throw damaged(`${what} points at object ${header.objectNumber} (byte ${offset}), which is not a cross-reference stream`);
  }
  const dictionary = stream.dict;
  const widths = dictionary.get(PDFName.of('W'));
  const size = dictionaryNumber(dictionary, 'Size');
  const w = widths instanceof PDFArray && widths.size() === 3 ? widths.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : -1)) : [];
  if (w.length !== 3 || w.some((n) => n < 0 || n > 8) || size === undefined) throw damaged(`the cross-reference stream at byte ${offset} has no valid /W or /Size`);
  let data: Uint8Array;
  try {
    data = decodedStreamBytes(stream, inflate);
    const parameters = dictionary.get(PDFName.of('DecodeParms'));
    const predictor = parameters instanceof PDFDict ? (dictionaryNumber(parameters, 'Predictor') ?? 1) : 1;
    if (predictor > 1) data = unpredict(data, predictor, parameters instanceof PDFDict ? (dictionaryNumber(parameters, 'Columns') ?? 1) : 1);
  } catch {
    throw damaged(`the cross-reference stream at byte ${offset} cannot be decoded`);
  }
  const index = dictionary.get(PDFName.of('Index'));
  const runs = index instanceof PDFArray ? index.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : -1)) : [0, size];
  if (runs.length % 2 !== 0 || runs.some((n) => n < 0)) throw damaged(`the cross-reference stream at byte ${offset} has a broken /Index`);
  const [typeWidth, offsetWidth, generationWidth] = w as [number, number, number];
  const rowLength = typeWidth + offsetWidth + generationWidth;
  const entries = runs.reduce((sum, n, i) => (i % 2 === 1 ? sum + n : sum), 0);
  if (rowLength === 0 || entries * rowLength > data.length) throw damaged(`the cross-reference stream at byte ${offset} holds fewer entries than its /Index lists`);
  const field = (from: number, width: number): number => {
    let value = 0;
    for (let b = 0; b < width; b++) value = value * 256 + data[from + b]!;
    return value;
  };
  let row = 0;
  for (let i = 0; i < runs.length; i += 2) {
    for (let objectNumber = runs[i]!; objectNumber < runs[i]! + runs[i + 1]!; objectNumber++, row += rowLength) {
      const type = typeWidth === 0 ? 1 : field(row, typeWidth);
      const second = field(row + typeWidth, offsetWidth);
      if (type === 1) sink.inUse(objectNumber, second, field(row + typeWidth + offsetWidth, generationWidth), offset);
      else if (type === 2) sink.compressed(objectNumber, second, field(row + typeWidth + offsetWidth, generationWidth));
      else if (type === 0) sink.free(objectNumber);
    }
  }
  return { kind: 'stream', size, previous: dictionaryNumber(dictionary, 'Prev'), hybridStream: undefined, trailer: dictionary };
}

/**
 * Reads and checks the chain of cross-reference sections from the last `startxref`; throws
 * DOCUMENT_DAMAGED (with a plain English detail) when a viewer would have to repair the file.
 * `inflate`: a native FlateDecode for the cross-reference streams (pdf-stream-bytes.ts).
 */
export function checkCrossReferenceChain(pdf: Uint8Array, inflate?: FlateInflate): CrossReferenceChain {
  const startOffset = startXrefOffset(pdf);
  const objects = new ObjectLocations();
  /** A hybrid file's /XRefStm is being read: its entries complete its table, whose entries for them say "free". */
  let readingHybridStream = false;
  const objectStreams = new Map<number, number>(); // stream number → one object whose newest entry puts it there
  const sink: EntrySink = {
    inUse(objectNumber, offset, generation, sectionOffset) {
      if (offset >= pdf.length || !objectHeaderMatches(pdf, offset, objectNumber, generation)) {
        const found = objectHeaderAt(pdf, offset);
        const there = offset >= pdf.length ? 'past the end of the file' : found ? `where object ${found.objectNumber} ${found.generation} is` : 'where no object starts';
        throw damaged(`the cross-reference section at byte ${sectionOffset} puts object ${objectNumber} ${generation} at byte ${offset}, ${there}`);
      }
      objects.record(objectNumber, OFFSET, offset, generation, readingHybridStream);
    },
    compressed(objectNumber, streamNumber, index) {
      if (objects.record(objectNumber, COMPRESSED, streamNumber, index, readingHybridStream) && !objectStreams.has(streamNumber)) objectStreams.set(streamNumber, objectNumber);
    },
    free(objectNumber) {
      objects.record(objectNumber, FREE, 0, 0, false);
    },
  };

  const sections: CrossReferenceSectionInfo[] = [];
  const seen = new Set<number>();
  let newestSection: SectionFacts | undefined;
  const pending: [offset: number, what: string, hybrid: boolean][] = [[startOffset, '"startxref"', false]];
  while (pending.length > 0) {
    const [offset, what, hybrid] = pending.shift()!;
    readingHybridStream = hybrid;
    if (seen.has(offset)) throw damaged(`its cross-reference sections form a loop at byte ${offset}`);
    if (sections.length >= MAX_SECTIONS) throw damaged(`it has more than ${MAX_SECTIONS} cross-reference sections`);
    if (offset >= pdf.length) throw damaged(`${what} points at byte ${offset}, past the end of the file`);
    seen.add(offset);
    const facts = keywordAt(pdf, skipWhite(pdf, offset), 'xref') ? readTable(pdf, offset, sink) : readStream(pdf, offset, sink, what, inflate);
    sections.push({ offset, kind: facts.kind });
    newestSection ??= facts;
    if (facts.hybridStream !== undefined) pending.push([facts.hybridStream, `the /XRefStm of the section at byte ${offset}`, true]);
    if (facts.previous !== undefined) pending.push([facts.previous, `the /Prev of the section at byte ${offset}`, false]);
  }
  for (const [streamNumber, objectNumber] of objectStreams) {
    if (!objects.inUseNow(streamNumber)) throw damaged(`object ${objectNumber} is said to be in object stream ${streamNumber}, which is not an object of the file now`);
  }
  if (newestSection!.size === undefined) throw damaged(`the cross-reference section at byte ${startOffset} has no /Size`);
  return { startOffset, isStream: newestSection!.kind === 'stream', size: newestSection!.size, sections, trailer: newestSection!.trailer, objects };
}
