/**
 * XAdES enveloped signatures of large XML (reports, invoices with annexes: 50 MB, 200 MB) without a DOM:
 * the same signature as signXades (exclusive C14N of the whole document, the signatures filtered out,
 * the UBL placement), computed from a stream of the file's bytes.
 *
 * 1. One pass with a SAX parser (saxes) checks the document, finds where the signature goes (byte
 *    offsets: before the root's end tag, or in UBL's signature extension) and hashes the canonical form
 *    (xml-canonical-stream.ts) as it goes.
 * 2. When the placement adds UBL elements that are signed (a new ext:UBLExtensions or ext:UBLExtension),
 *    a second pass hashes the document with them spliced in.
 * 3. The caller writes the original bytes up to the insertion point, the signature, then the rest.
 *
 * Memory: the parser's current text node and tag, a few chunks; not the document. What this path does
 * not do, it refuses with a typed error: other encodings than UTF-8, DOCTYPEs declaring entities or
 * attribute defaults, and documents that already carry a signature (the small-file path checks which
 * signatures a new one would break; sign such files as CAdES).
 */
import { CasTokenError } from '../protocol/cas-token-error.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { nodeHash } from './signer.js';
import type { Signer } from './signer.js';
import { checkFormatForCertificate } from './signature-algorithms.js';
import { NOT_WELL_FORMED, XmlByteStream } from './xml-byte-stream.js';
import { ExclusiveCanonicalizer } from './xml-canonical-stream.js';
import type { CanonicalTag } from './xml-canonical-stream.js';
import { DSIG_NS, EXT_NS, SIG_NS, UBL_DOCUMENTS, UBL_SIGNATURE_MARKUP, signatureMarkup } from './xades.js';
import type { XadesOptions } from './xades.js';

/** A document read from its start as many times as needed, and in ranges. */
export interface XmlByteSource {
  chunks(): Iterable<Uint8Array>;
  /** The bytes [from, to), clipped to the document's end. */
  range(from: number, to: number): Uint8Array;
}

/** The signed document: `source[0, cutStart)` + before + signature + after + `source[cutEnd, …)`. */
export interface StreamedXadesResult {
  cutStart: number;
  cutEnd: number;
  before: Uint8Array;
  signature: Uint8Array;
  after: Uint8Array;
}

interface Span {
  start: number;
  startTagEnd: number;
  endTagStart: number;
  end: number;
  selfClosing: boolean;
  name: string;
  /** Where the last child element starts and ends (UBL containers only). */
  lastChild?: { start: number; end: number };
}

type Role = 'root' | 'extensions' | 'extension' | 'content' | 'apex' | undefined;

interface Scan {
  root: Span & { uri: string; local: string };
  extensions?: Span;
  apex?: Span;
  signatures: number;
}

interface Cut {
  cutStart: number;
  cutEnd: number;
  before: string;
  after: string;
  ubl: boolean;
  /** Whether what is inserted (less the signature) changes the signed document: a second pass hashes it. */
  signed: boolean;
}

const encoder = new TextEncoder();

const notSupported = (why: string): CasTokenError =>
  new CasTokenError('INVALID_ARGUMENT', `This large XML ${why}, which XAdES signing of large files does not support; sign it as CAdES (.p7s) instead.`);

/**
 * The canonical form's digest: its text gathered into strings of about 8 K characters (the canonical
 * form comes a few characters at a time: one encoding call each would cost more than the hashing),
 * each encoded (UTF-8) into one kept buffer, hashed each time it is nearly full. Not Node's
 * Hash.update(text): it costs the same per character only while the text is Latin-1, and a document
 * with Romanian or Russian letters is not — hashed so, it was ~4 times slower.
 */
function canonicalHash(hashAlgorithm: HashAlgorithm): { write: (text: string) => void; digest: () => Uint8Array } {
  const hash = nodeHash(hashAlgorithm);
  if (!hash) throw new CasTokenError('INVALID_ARGUMENT', `Large XML is signed as XAdES with SHA-2 in the command line only, not with ${hashAlgorithm}.`);
  const buffer = new Uint8Array(CANONICAL_BUFFER_BYTES);
  let used = 0;
  let pending = '';
  // Each text comes whole from the parser (the decoder never splits a letter past U+FFFF, nor the parser a text): no surrogate pair is cut here.
  const encodePending = (): void => {
    const text = pending;
    pending = '';
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4).
    if (used + text.length * 3 > buffer.length) {
      hash.update(buffer.subarray(0, used));
      used = 0;
    }
    if (text.length * 3 > buffer.length) hash.update(encoder.encode(text));
    else used += encoder.encodeInto(text, buffer.subarray(used)).written;
  };
  return {
    write: (text) => {
      pending += text;
      if (pending.length >= CANONICAL_TEXT_CHARS) encodePending();
    },
    digest: () => {
      encodePending();
      hash.update(buffer.subarray(0, used));
      return new Uint8Array(hash.digest());
    },
  };
}
const CANONICAL_TEXT_CHARS = 8 * 1024;
const CANONICAL_BUFFER_BYTES = 256 * 1024;

const excludedFor = (ubl: boolean) =>
  ubl ? (uri: string, local: string) => uri === SIG_NS && local === 'UBLDocumentSignatures' : (uri: string, local: string) => uri === DSIG_NS && local === 'Signature';

/** Pass 1: checks, the spans the placement needs, and the canonical digest of the document as it is. */
function scanAndHash(source: XmlByteSource, hashAlgorithm: HashAlgorithm): { scan: Scan; digest: Uint8Array } {
  const stream = new XmlByteStream();
  const { parser } = stream;
  const hash = canonicalHash(hashAlgorithm);
  let ubl = false; // known at the root, before anything can be left out
  let excluded = excludedFor(false);
  const canonicalizer = new ExclusiveCanonicalizer(hash.write, (uri, local) => excluded(uri, local));
  canonicalizer.attach(parser);
  /** Per open element: its role, its span (UBL containers and the root), whether the child the role looks for was seen. */
  const open: { role: Role; span?: Span; seen: boolean }[] = [];
  let root: Scan['root'] | undefined;
  let extensions: Span | undefined;
  let apex: Span | undefined;
  let signatures = 0;
  let tagStart = -1;
  parser.on('xmldecl', ({ encoding }) => {
    if (encoding && !/^(utf-?8|us-ascii|ascii)$/i.test(encoding)) stream.fail(notSupported(`is encoded as ${encoding}`));
  });
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/.test(doctype)) stream.fail(notSupported('has a DOCTYPE declaring entities'));
    else if (/<!ATTLIST[^>]*["']/.test(doctype)) stream.fail(notSupported('has a DOCTYPE giving attributes default values'));
  });
  const tracksChildren = (role: Role) => role === 'extensions' || role === 'apex';
  parser.on('opentagstart', () => {
    const parent = open[open.length - 1];
    tagStart = !parent || tracksChildren(parent.role) ? stream.tagStartOffset() : -1;
  });
  // saxes has one handler per event: these replace the canonicalizer's own opentag and closetag handlers, and call them.
  parser.on('opentag', (node) => {
    const tag = node as CanonicalTag & { isSelfClosing: boolean };
    const parent = open[open.length - 1];
    let role: Role;
    if (!parent) {
      role = 'root';
      ubl = UBL_DOCUMENTS.includes(tag.uri);
      excluded = excludedFor(ubl);
      if (tag.uri === DSIG_NS) stream.fail(new CasTokenError('INVALID_ARGUMENT', 'This XML is itself a signature, not a document to sign.'));
    } else if (parent.role === 'root' && ubl && !extensions && tag.uri === EXT_NS && tag.local === 'UBLExtensions') role = 'extensions';
    else if (parent.role === 'extensions') role = 'extension';
    else if (parent.role === 'extension' && !parent.seen && tag.uri === EXT_NS && tag.local === 'ExtensionContent') role = 'content';
    else if (parent.role === 'content' && !parent.seen && !apex && tag.uri === SIG_NS && tag.local === 'UBLDocumentSignatures') role = 'apex';
    if (role === 'content' || role === 'apex') parent!.seen = true;
    if (tag.uri === DSIG_NS && tag.local === 'Signature') signatures++;
    const span: Span | undefined =
      role === 'root' || role === 'extensions' || role === 'apex'
        ? { start: tagStart, startTagEnd: stream.byteOffset(parser.position), endTagStart: -1, end: -1, selfClosing: tag.isSelfClosing, name: tag.name }
        : undefined;
    if (parent?.span && tracksChildren(parent.role)) parent.span.lastChild = { start: tagStart, end: -1 };
    if (role === 'root') root = Object.assign(span!, { uri: tag.uri, local: tag.local });
    if (role === 'extensions') extensions = span;
    if (role === 'apex') apex = span;
    open.push({ role, ...(span ? { span } : {}), seen: false });
    canonicalizer.onOpenTag(tag);
  });
  parser.on('closetag', (node) => {
    canonicalizer.onCloseTag(node as CanonicalTag);
    const { span } = open.pop()!;
    const parent = open[open.length - 1];
    const childOfContainer = parent?.span && tracksChildren(parent.role);
    if (!span && !childOfContainer) return;
    const end = stream.byteOffset(parser.position);
    if (childOfContainer) parent.span!.lastChild!.end = end;
    if (span) {
      span.end = end;
      span.endTagStart = (node as { isSelfClosing: boolean }).isSelfClosing ? span.start : stream.tagStartOffset();
    }
  });
  for (const chunk of source.chunks()) stream.write(chunk);
  stream.close();
  if (!root) throw new CasTokenError('INVALID_ARGUMENT', NOT_WELL_FORMED);
  return { scan: { root, ...(extensions ? { extensions } : {}), ...(apex ? { apex } : {}), signatures }, digest: hash.digest() };
}

/** The canonical digest of a whole document given as chunks (a second pass, or the first when PIs precede the root). */
export function canonicalDigest(chunks: Iterable<Uint8Array>, hashAlgorithm: HashAlgorithm, ubl: boolean): Uint8Array {
  const hash = canonicalHash(hashAlgorithm);
  const stream = new XmlByteStream();
  new ExclusiveCanonicalizer(hash.write, excludedFor(ubl)).attach(stream.parser);
  for (const chunk of chunks) stream.write(chunk);
  stream.close();
  return hash.digest();
}

/** The document's chunks with `before + after` in place of [cutStart, cutEnd): the signed document, less the signature. */
function* spliced(source: XmlByteSource, cut: Cut): Iterable<Uint8Array> {
  const insertion = encoder.encode(cut.before + cut.after);
  let at = 0;
  let inserted = false;
  for (const chunk of source.chunks()) {
    const from = at;
    at += chunk.length;
    if (from < cut.cutStart) yield chunk.subarray(0, Math.min(chunk.length, cut.cutStart - from));
    if (!inserted && at >= cut.cutStart) {
      yield insertion;
      inserted = true;
    }
    if (at > cut.cutEnd) yield chunk.subarray(Math.max(0, cut.cutEnd - from));
  }
  if (!inserted) yield insertion;
}

/** The whitespace a span's raw text starts or ends with (at most 200 bytes looked at), to lay new elements out alike. */
function leadingSpace(source: XmlByteSource, at: number): string {
  return /^\s*/.exec(new TextDecoder().decode(source.range(at, at + 200)))![0];
}

function trailingSpace(source: XmlByteSource, from: number, to: number): string {
  return /\s*$/.exec(new TextDecoder().decode(source.range(Math.max(from, to - 200), to)))![0];
}

/** `open` + signature + `close` as the last content of `span` (turning `<x/>` into `<x>…</x>`), as signXades does. */
function insertInto(span: Span, open: string, close: string, afterLastChild: boolean): Omit<Cut, 'ubl' | 'signed'> {
  if (span.selfClosing) return { cutStart: span.startTagEnd - 2, cutEnd: span.startTagEnd, before: `>${open}`, after: `${close}</${span.name}>` };
  const at = afterLastChild && span.lastChild ? span.lastChild.end : span.endTagStart;
  return { cutStart: at, cutEnd: at, before: open, after: close };
}

/** Where the signature goes: the same places as signXades chooses. */
function placement(source: XmlByteSource, scan: Scan): Cut {
  const { root } = scan;
  if (!UBL_DOCUMENTS.includes(root.uri)) return { ...insertInto(root, '', '', false), ubl: false, signed: false };
  const { signatureInformation, extension, extensions } = UBL_SIGNATURE_MARKUP;
  if (!scan.extensions) {
    const [open, close] = extensions();
    const indent = leadingSpace(source, root.startTagEnd);
    return { cutStart: root.startTagEnd, cutEnd: root.startTagEnd, before: indent + open, after: close, ubl: true, signed: true };
  }
  if (scan.apex) return { ...insertInto(scan.apex, signatureInformation[0], signatureInformation[1], true), ubl: true, signed: false };
  const span = scan.extensions;
  const indent = span.lastChild ? trailingSpace(source, span.startTagEnd, span.lastChild.start) : '';
  const [open, close] = extension(true);
  return { ...insertInto(span, indent + open, close, true), ubl: true, signed: true };
}

/**
 * Signs a large XML document as XAdES (enveloped), streamed; the result's parts are written around the
 * original bytes by the caller. INVALID_ARGUMENT for XML that is not well-formed or that this path
 * does not support (see above), DOCUMENT_LOCKED for a document that already carries a signature.
 */
export async function signXadesStreamed(source: XmlByteSource, signer: Signer, options: XadesOptions = {}): Promise<StreamedXadesResult> {
  checkFormatForCertificate('xades', signer.certificate); // GOST keys: CAdES only
  const hashAlgorithm = options.hashAlgorithm ?? 'SHA-256';
  const { scan, digest: asItIs } = scanAndHash(source, hashAlgorithm);
  if (scan.signatures > 0) {
    throw new CasTokenError(
      'DOCUMENT_LOCKED',
      'This large XML already carries a signature, and large files are signed without checking which signatures another would break. Sign a copy without that signature, or sign the file as CAdES (.p7s).',
    );
  }
  const cut = placement(source, scan);
  const digest = cut.signed ? canonicalDigest(spliced(source, cut), hashAlgorithm, cut.ubl) : asItIs;
  const signature = await signatureMarkup(digest, cut.ubl, signer, options);
  return { cutStart: cut.cutStart, cutEnd: cut.cutEnd, before: encoder.encode(cut.before), signature: encoder.encode(signature), after: encoder.encode(cut.after) };
}
