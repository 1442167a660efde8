/**
 * What the incremental updates after a signed revision changed, object by object: each object the
 * later bytes define (directly or inside an object stream) is compared with the same object in the
 * signed revision and classified as a signature (signature dictionaries and fields, the DSS), form
 * filling (fields and their widgets), annotations, metadata (document information, XMP), or other
 * changes (page content, the page tree, resources: what a signature must not let through unseen).
 * Containers that only point at these (the catalog's /AcroForm, a page's /Annots, the /Fields array,
 * new fonts and appearance streams) count as nothing on their own.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream, decodePDFRawStream } from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import type { PdfChangeKind } from './verification-report.js';

const ANNOTATION_SUBTYPES = new Set([
  'Text',
  'Link',
  'FreeText',
  'Line',
  'Square',
  'Circle',
  'Polygon',
  'PolyLine',
  'Highlight',
  'Underline',
  'Squiggly',
  'StrikeOut',
  'Stamp',
  'Caret',
  'Ink',
  'Popup',
  'FileAttachment',
  'Sound',
  'Movie',
  'Screen',
  'PrinterMark',
  'TrapNet',
  'Watermark',
  '3D',
  'Redact',
]);
/** Catalog entries signing itself adds or changes. */
const SIGNING_CATALOG_KEYS = new Set(['AcroForm', 'Perms', 'DSS', 'Extensions']);
const METADATA_KEYS = new Set(['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreationDate', 'ModDate', 'Trapped']);

const nameOf = (dict: PDFDict, key: string): string | undefined => {
  const value = dict.get(PDFName.of(key));
  return value instanceof PDFName ? value.decodeText() : undefined;
};

function serialize(object: PDFObject | undefined): string {
  if (object === undefined) return '';
  if (object instanceof PDFRawStream) return `${object.dict.toString()}#${Array.from(object.contents).join(',')}`;
  return object.toString();
}

/** Object number → the object, the newest definition pdf-lib kept. */
function objectsByNumber(context: PDFContext): Map<number, PDFObject> {
  const map = new Map<number, PDFObject>();
  for (const [ref, object] of context.enumerateIndirectObjects()) map.set(ref.objectNumber, object);
  return map;
}

/** Object numbers defined in `bytes` (`N G obj`), and those inside object streams defined there. */
function objectNumbersDefinedIn(bytes: Uint8Array, objects: Map<number, PDFObject>): Set<number> {
  const numbers = new Set<number>();
  const text = new TextDecoder('latin1').decode(bytes);
  for (const match of text.matchAll(/(?:^|[\s>\]])(\d{1,10})\s+(\d{1,5})\s+obj\b/g)) numbers.add(Number(match[1]));
  for (const n of [...numbers]) {
    const object = objects.get(n);
    if (!(object instanceof PDFRawStream) || nameOf(object.dict, 'Type') !== 'ObjStm') continue;
    try {
      const count = (object.dict.get(PDFName.of('N')) as PDFNumber | undefined)?.asNumber() ?? 0;
      const header = new TextDecoder('latin1')
        .decode(decodePDFRawStream(object).decode())
        .trim()
        .split(/\s+/)
        .slice(0, count * 2);
      for (let i = 0; i < header.length; i += 2) numbers.add(Number(header[i]));
    } catch {
      // an object stream that cannot be decoded: its objects stay unclassified (pdf-lib could not read them either)
    }
  }
  return numbers;
}

function changedKeys(current: PDFDict, previous: PDFObject | undefined): string[] {
  const before = previous instanceof PDFDict ? previous : undefined;
  const keys = new Set<string>();
  for (const [key, value] of current.entries()) if (serialize(before?.get(key)) !== serialize(value)) keys.add(key.decodeText());
  for (const [key] of before?.entries() ?? []) if (!current.has(key)) keys.add(key.decodeText());
  return [...keys];
}

function lookupDict(context: PDFContext, object: PDFObject | undefined): PDFDict | undefined {
  const value = object instanceof PDFRef ? context.lookup(object) : object;
  return value instanceof PDFDict ? value : undefined;
}

/** A field dictionary's /FT, inherited from its parents. */
function fieldType(context: PDFContext, dict: PDFDict): string | undefined {
  let node: PDFDict | undefined = dict;
  for (let depth = 0; node && depth < 32; depth++) {
    const type = nameOf(node, 'FT');
    if (type) return type;
    node = lookupDict(context, node.get(PDFName.of('Parent')));
  }
  return undefined;
}

/** What one new or changed object is; undefined for containers and new resources that change nothing alone. */
function classify(context: PDFContext, object: PDFObject, previous: PDFObject | undefined, infoNumber: number | undefined, objectNumber: number): PdfChangeKind | undefined {
  const dict = object instanceof PDFDict ? object : object instanceof PDFStream ? object.dict : undefined;
  if (dict) {
    const type = nameOf(dict, 'Type');
    const subtype = nameOf(dict, 'Subtype');
    if (type === 'XRef' || type === 'ObjStm') return undefined;
    if (type === 'Sig' || type === 'DocTimeStamp' || (dict.has(PDFName.of('ByteRange')) && dict.has(PDFName.of('Contents')))) return 'signature';
    if (type === 'DSS' || type === 'VRI' || dict.has(PDFName.of('VRI'))) return 'signature';
    if (type === 'Metadata' || objectNumber === infoNumber) return 'metadata';
    if (subtype === 'Widget' || dict.has(PDFName.of('FT')) || (dict.has(PDFName.of('T')) && dict.has(PDFName.of('Parent')))) {
      return fieldType(context, dict) === 'Sig' ? 'signature' : 'form-filling';
    }
    if (type === 'Annot' || (subtype !== undefined && ANNOTATION_SUBTYPES.has(subtype))) return 'annotations';
    if (previous === undefined) return undefined; // a new font, appearance stream, resource: harmless until something uses it
    if (object instanceof PDFStream) return subtype === 'Form' ? undefined : 'other'; // a page's content stream rewritten
    const keys = changedKeys(dict, previous);
    if (type === 'Catalog') {
      const rest = keys.filter((key) => !SIGNING_CATALOG_KEYS.has(key));
      if (rest.length === 0) return undefined;
      return rest.every((key) => key === 'Metadata') ? 'metadata' : 'other';
    }
    if (type === 'Page') return keys.every((key) => key === 'Annots') ? undefined : 'other';
    if (dict.has(PDFName.of('Fields'))) return undefined; // the AcroForm
    if (!type && keys.length > 0 && keys.every((key) => METADATA_KEYS.has(key))) return 'metadata';
    return keys.length === 0 ? undefined : 'other';
  }
  if (object instanceof PDFArray) {
    if (previous === undefined) return undefined;
    // /Annots or /Fields growing by widgets and annotations is what signing and filling do; anything else is not.
    const before = new Set(previous instanceof PDFArray ? previous.asArray().map((item) => item.toString()) : []);
    const added = object.asArray().filter((item) => !before.has(item.toString()));
    const removed = previous instanceof PDFArray && previous.size() > object.size() - added.length;
    if (removed) return 'other';
    for (const item of added) {
      const target = lookupDict(context, item);
      if (!target) return 'other';
      const subtype = nameOf(target, 'Subtype');
      const isField = subtype === 'Widget' || target.has(PDFName.of('FT')) || target.has(PDFName.of('T'));
      if (!isField && nameOf(target, 'Type') !== 'Annot' && !(subtype !== undefined && ANNOTATION_SUBTYPES.has(subtype))) return 'other';
    }
    return undefined;
  }
  return previous === undefined ? undefined : 'other';
}

/**
 * The kinds of change the bytes after `revisionEnd` make, in a fixed order (signature, form-filling,
 * annotations, metadata, other); empty when they change nothing.
 */
export async function changesAfterRevision(pdf: Uint8Array, revisionEnd: number, current: PDFDocument): Promise<PdfChangeKind[]> {
  if (revisionEnd >= pdf.length) return [];
  let previousObjects = new Map<number, PDFObject>();
  try {
    const previous = await PDFDocument.load(pdf.subarray(0, revisionEnd), { ignoreEncryption: true, throwOnInvalidObject: false, updateMetadata: false });
    previousObjects = objectsByNumber(previous.context);
  } catch {
    // the signed revision alone cannot be read: every object after it counts as new
  }
  const currentObjects = objectsByNumber(current.context);
  const info = current.context.trailerInfo.Info;
  const infoNumber = info instanceof PDFRef ? info.objectNumber : undefined;
  const kinds = new Set<PdfChangeKind>();
  for (const objectNumber of objectNumbersDefinedIn(pdf.subarray(revisionEnd), currentObjects)) {
    const object = currentObjects.get(objectNumber);
    if (object === undefined) continue;
    const previous = previousObjects.get(objectNumber);
    if (previous !== undefined && serialize(previous) === serialize(object)) continue;
    const kind = classify(current.context, object, previous, infoNumber, objectNumber);
    if (kind) kinds.add(kind);
  }
  return (['signature', 'form-filling', 'annotations', 'metadata', 'other'] as const).filter((kind) => kinds.has(kind));
}
