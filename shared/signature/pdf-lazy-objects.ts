/**
 * Objects of a PDF read one at a time, on demand, through the checked cross-reference chain: what an
 * invisible signature needs (trailer, catalog, AcroForm and its fields, the page tree down to one
 * page) is a handful of objects, so a 20 MB file costs a few objects' parsing instead of pdf-lib's
 * `PDFDocument.load`, which parses every object of the file (and holds them all).
 *
 * The result is a pdf-lib `PDFContext` whose lookups load the object they are asked for: pdf-lib's
 * `PDFDict.lookup`, `PDFArray.lookup` and `context.lookup` work on it as on a loaded document, and new
 * objects can be made with `context.obj`. An object that cannot be found or parsed throws
 * `LazyObjectUnavailable`: the caller then falls back to the full parse.
 */
import { PDFContext, PDFName, PDFNumber, PDFObjectParser, PDFRawStream, PDFRef } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import type { CrossReferenceChain } from './pdf-cross-reference-chain.js';
import { decodedStreamBytes } from './pdf-stream-bytes.js';
import type { FlateInflate } from './pdf-stream-bytes.js';

export class LazyObjectUnavailable extends Error {}

const isWhite = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;

/** `N G obj` at `offset`: where the object's body starts. */
function bodyStart(pdf: Uint8Array, offset: number): number {
  let at = offset;
  while (at < pdf.length && isWhite(pdf[at])) at++;
  for (let token = 0; token < 2; token++) {
    while (at < pdf.length && pdf[at]! >= 0x30 && pdf[at]! <= 0x39) at++;
    while (at < pdf.length && isWhite(pdf[at])) at++;
  }
  if (pdf[at] !== 0x6f || pdf[at + 1] !== 0x62 || pdf[at + 2] !== 0x6a) throw new LazyObjectUnavailable(`no object header at byte ${offset}`);
  return at + 3;
}

/** A PDFContext over `pdf` whose indirect objects are read when first looked up; `inflate`: a native FlateDecode for its object streams. */
export function lazyPdfContext(pdf: Uint8Array, chain: CrossReferenceChain, inflate?: FlateInflate): PDFContext {
  const context = PDFContext.create();
  const parsedStreams = new Map<number, { data: Uint8Array; offsets: number[]; first: number }>();

  const parseAt = (at: number, bytes: Uint8Array): PDFObject => {
    try {
      // parseObject stops after the object: only its own bytes are read.
      return PDFObjectParser.forBytes(at === 0 ? bytes : bytes.subarray(at), context).parseObject();
    } catch (error) {
      throw new LazyObjectUnavailable(error instanceof Error ? error.message : String(error));
    }
  };

  const objectStream = (streamNumber: number): { data: Uint8Array; offsets: number[]; first: number } => {
    const known = parsedStreams.get(streamNumber);
    if (known) return known;
    const stream = load(PDFRef.of(streamNumber, 0));
    if (!(stream instanceof PDFRawStream)) throw new LazyObjectUnavailable(`object ${streamNumber} is not an object stream`);
    const n = stream.dict.get(PDFName.of('N'));
    const first = stream.dict.get(PDFName.of('First'));
    if (!(n instanceof PDFNumber) || !(first instanceof PDFNumber)) throw new LazyObjectUnavailable(`object stream ${streamNumber} has no /N or /First`);
    let data: Uint8Array;
    try {
      data = decodedStreamBytes(stream, inflate);
    } catch (error) {
      throw new LazyObjectUnavailable(`object stream ${streamNumber} cannot be decoded`);
    }
    // The header: N pairs "objectNumber offset" before /First.
    const offsets: number[] = [];
    let at = 0;
    const integer = (): number => {
      while (at < data.length && isWhite(data[at])) at++;
      let value = 0;
      const start = at;
      while (at < data.length && data[at]! >= 0x30 && data[at]! <= 0x39) value = value * 10 + (data[at++]! - 0x30);
      if (at === start) throw new LazyObjectUnavailable(`object stream ${streamNumber} has a broken header`);
      return value;
    };
    for (let i = 0; i < n.asNumber(); i++) {
      integer();
      offsets.push(integer());
    }
    const parsed = { data, offsets, first: first.asNumber() };
    parsedStreams.set(streamNumber, parsed);
    return parsed;
  };

  function load(ref: PDFRef): PDFObject | undefined {
    const location = chain.objects.get(ref.objectNumber);
    if (!location || location.kind === 'free') return undefined;
    if (location.kind === 'offset') {
      if (location.generation !== ref.generationNumber) return undefined;
      return parseAt(bodyStart(pdf, location.offset), pdf);
    }
    if (ref.generationNumber !== 0) return undefined;
    const stream = objectStream(location.stream);
    const offset = stream.offsets[location.index];
    if (offset === undefined) throw new LazyObjectUnavailable(`object stream ${location.stream} has no object ${location.index}`);
    return parseAt(stream.first + offset, stream.data);
  }

  // pdf-lib's lookups all go through indirectObjects.get: a map that loads what it does not hold yet.
  const objects = (context as unknown as { indirectObjects: Map<PDFRef, PDFObject> }).indirectObjects;
  const get = objects.get.bind(objects);
  objects.get = (ref: PDFRef): PDFObject | undefined => {
    const held = get(ref);
    if (held !== undefined || objects.has(ref)) return held;
    const object = load(ref);
    if (object !== undefined) objects.set(ref, object);
    return object;
  };
  context.largestObjectNumber = Math.max(0, chain.size - 1);
  const trailer = chain.trailer;
  const entry = (key: string): PDFObject | undefined => trailer.get(PDFName.of(key));
  context.trailerInfo = {
    Root: entry('Root'),
    Encrypt: entry('Encrypt'),
    Info: entry('Info'),
    ID: entry('ID'),
  };
  return context;
}
