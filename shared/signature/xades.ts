/**
 * XAdES-BES (B-B) enveloped signatures for XML (e-invoices, prescriptions) with xadesjs. xadesjs signs
 * through WebCrypto; its engine here hands `sign` for our token-backed keys to the Signer (hash the
 * canonical SignedInfo, the token signs the digest; ECDSA converted from DER to the r||s form XML-DSig
 * wants) and everything else to the platform's WebCrypto. In Node and service workers (no DOM) the XML
 * DOM comes from @xmldom/xmldom.
 *
 * What validators need, and how it is met:
 * - Exclusive C14N everywhere (SignedInfo, SignedProperties, the document): inclusive C14N of a
 *   subtree inherits the ancestors' xml:lang / xml:space and namespaces, which differ between where
 *   xadesjs computes and where the signature ends up.
 * - The document reference excludes every signature (`not(ancestor-or-self::ds:Signature)`; in UBL,
 *   every sig:UBLDocumentSignatures, as UBL 2.1 section 5.3.5 says), so a later signature leaves this
 *   one valid. A document already holding a signature that another would break is refused
 *   (DOCUMENT_LOCKED) before anything is signed.
 * - UBL 2.1 Invoice / CreditNote: the signature goes to ext:UBLExtensions/ext:UBLExtension/
 *   ext:ExtensionContent/sig:UBLDocumentSignatures/sac:SignatureInformation, as the UBL schemas want.
 * - The signature is inserted into the document's own text: the declaration, DTD and entity
 *   references, line ends and everything else outside the signature stay as they were.
 */
import * as xmldom from '@xmldom/xmldom';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import * as xadesjs from 'xadesjs';
import xpath from 'xpath';
import { CasTokenError } from '../protocol/cas-token-error.js';
import { XADES_MAX_BYTES } from '../protocol/limits.js';
import { DIGEST_LENGTHS } from '../protocol/token-types.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { checkFormatForCertificate, schemeForCertificate } from './signature-algorithms.js';
import type { Signer } from './signer.js';
import { bytesToBase64 } from '../encoding/base64.js';
import { serialForms } from '../certificate/certificate-serial.js';
import { nameForRfc4514, nameFromAsn1 } from '../certificate/distinguished-name.js';
import { ecCoordinateBytes } from '../protocol/oids.js';
import { ecdsaDerToRaw } from './ecdsa-signature.js';
import { ExclusiveCanonicalizer, canonicalizeDocument } from './xml-canonical-stream.js';

export interface XadesOptions {
  hashAlgorithm?: HashAlgorithm;
  signingTime?: Date;
}

export { XADES_MAX_BYTES };

const TOKEN_SIGNER = Symbol('cas-token signer');
type TokenKey = CryptoKey & { [TOKEN_SIGNER]: Signer };

function isTokenKey(key: unknown): key is TokenKey {
  return typeof key === 'object' && key !== null && TOKEN_SIGNER in key;
}

function curveSize(certificate: pkijs.Certificate): number {
  const params = certificate.subjectPublicKeyInfo.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined;
  return ecCoordinateBytes(params?.valueBlock?.toString());
}

let engineReady = false;

function ensureEngine(): void {
  if (engineReady) return;
  engineReady = true;
  if (typeof globalThis.DOMParser === 'undefined') {
    xadesjs.setNodeDependencies({
      XMLSerializer: xmldom.XMLSerializer,
      DOMParser: xmldom.DOMParser,
      DOMImplementation: xmldom.DOMImplementation,
      xpath,
    } as unknown as Parameters<typeof xadesjs.setNodeDependencies>[0]);
  }
  const platform = globalThis.crypto;
  const subtle = new Proxy(platform.subtle, {
    get(target, property) {
      if (property === 'sign') {
        return async (algorithm: AlgorithmIdentifier, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer> => {
          if (!isTokenKey(key)) return target.sign(algorithm, key, data);
          const hash = ((key.algorithm as RsaHashedKeyAlgorithm).hash.name ?? 'SHA-256') as HashAlgorithm;
          const digest = new Uint8Array(await target.digest(hash, data));
          const signature = await key[TOKEN_SIGNER].signDigest(digest, hash);
          if (key.algorithm.name !== 'ECDSA') return signature.slice().buffer as ArrayBuffer;
          const size = (key as unknown as { curveSize: number }).curveSize;
          return ecdsaDerToRaw(signature, size).buffer as ArrayBuffer;
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  xadesjs.Application.setEngine('CAS Token', { subtle, getRandomValues: platform.getRandomValues.bind(platform) } as unknown as Crypto);
}

const base64 = bytesToBase64;

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const XPATH_TRANSFORM = 'http://www.w3.org/TR/1999/REC-xpath-19991116';
const XADES_SIGNED_PROPERTIES = 'http://uri.etsi.org/01903#SignedProperties';
export const UBL_DOCUMENTS = ['urn:oasis:names:specification:ubl:schema:xsd:Invoice-2', 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2'];
export const EXT_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2';
export const SIG_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CommonSignatureComponents-2';
const SAC_NS = 'urn:oasis:names:specification:ubl:schema:xsd:SignatureAggregateComponents-2';
const SBC_NS = 'urn:oasis:names:specification:ubl:schema:xsd:SignatureBasicComponents-2';

/** Our document reference's filters: every signature (any XML), every UBL signature apex (UBL). */
const EXCLUDE_SIGNATURES = 'not(ancestor-or-self::ds:Signature)';
// Namespace-free, so exclusive C14N of SignedInfo (which drops the XPath's unused prefix declarations) still signs its meaning.
const EXCLUDE_UBL_SIGNATURES = `count(ancestor-or-self::*[local-name()='UBLDocumentSignatures' and namespace-uri()='${SIG_NS}'])=0`;

const NOT_WELL_FORMED = 'This is not well-formed XML.';

function notWellFormed(): never {
  throw new CasTokenError('INVALID_ARGUMENT', NOT_WELL_FORMED);
}

/** XML bytes as text: by the byte-order mark, else by the declared encoding (e.g. ISO-8859-2), else UTF-8. */
function decodeXml(bytes: Uint8Array): string {
  let label = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  else if (!(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    const declared = /^\s*<\?xml[^?]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
    if (declared) label = declared;
  }
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    throw new CasTokenError('INVALID_ARGUMENT', `This XML cannot be read as ${label}: check its encoding declaration.`);
  }
}

/** Where an element's tags are in the document's text. */
interface ElementSpan {
  name: string;
  start: number;
  startTagEnd: number;
  /** Where its end tag starts (-1 while open; = start for `<x/>`). */
  endTagStart: number;
  end: number;
  selfClosing: boolean;
}

interface ScannedXml {
  /** In document order, as the DOM lists them. */
  elements: ElementSpan[];
  /** Comments, CDATA sections, processing instructions and the DOCTYPE: text where `&name;` is not a reference. */
  opaque: [number, number][];
  doctype?: [number, number];
}

function indexOrFail(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? notWellFormed() : at;
}

/** The end of `<!DOCTYPE …>`, with an internal subset holding quoted literals, comments and PIs. */
function doctypeEnd(text: string, start: number): number {
  let quote = '';
  let subset = false;
  for (let i = start + 2; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (subset && text.startsWith('<!--', i)) i = indexOrFail(text, '-->', i + 4) + 2;
    else if (subset && text.startsWith('<?', i)) i = indexOrFail(text, '?>', i + 2) + 1;
    else if (c === '[') subset = true;
    else if (c === ']') subset = false;
    else if (c === '>' && !subset) return i + 1;
  }
  return notWellFormed();
}

const NAME = /[^\s/>]+/y;

/** The tags of well-formed XML with their offsets: enough to insert a signature into the text itself. */
function scanXml(text: string): ScannedXml {
  const elements: ElementSpan[] = [];
  const open: ElementSpan[] = [];
  const opaque: [number, number][] = [];
  let doctype: [number, number] | undefined;
  let at = 0;
  for (;;) {
    const lt = text.indexOf('<', at);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) at = indexOrFail(text, '-->', lt + 4) + 3;
    else if (text.startsWith('<![CDATA[', lt)) at = indexOrFail(text, ']]>', lt + 9) + 3;
    else if (text.startsWith('<?', lt)) at = indexOrFail(text, '?>', lt + 2) + 2;
    else if (text.startsWith('<!', lt)) {
      at = doctypeEnd(text, lt);
      doctype = [lt, at];
    } else if (text[lt + 1] === '/') {
      at = indexOrFail(text, '>', lt) + 1;
      const span = open.pop() ?? notWellFormed();
      span.endTagStart = lt;
      span.end = at;
    } else {
      let quote = '';
      let i = lt + 1;
      for (; i < text.length; i++) {
        const c = text[i];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      if (i >= text.length) notWellFormed();
      NAME.lastIndex = lt + 1;
      const name = NAME.exec(text)?.[0] ?? notWellFormed();
      const selfClosing = text[i - 1] === '/';
      const span: ElementSpan = { name, start: lt, startTagEnd: i + 1, endTagStart: selfClosing ? lt : -1, end: selfClosing ? i + 1 : -1, selfClosing };
      elements.push(span);
      if (!selfClosing) open.push(span);
      at = i + 1;
      continue;
    }
    opaque.push([lt, at]);
  }
  if (open.length > 0 || elements.length === 0) notWellFormed();
  return { elements, opaque, ...(doctype ? { doctype } : {}) };
}

const PREDEFINED_ENTITIES = new Set(['lt', 'gt', 'amp', 'apos', 'quot']);

/**
 * The internal subset's general entities, name → replacement text. Refused: external and parameter
 * entities, entities holding markup, and attribute defaults (validators disagree on whether they are
 * part of the signed document).
 */
function internalEntities(text: string, doctype: [number, number] | undefined): Map<string, string> {
  const entities = new Map<string, string>();
  if (!doctype) return entities;
  const open = text.indexOf('[', doctype[0]);
  if (open < 0 || open > doctype[1]) return entities;
  const subset = text.slice(open + 1, text.lastIndexOf(']', doctype[1])).replace(/<!--[\s\S]*?-->/g, '');
  const refuse = (why: string): never => {
    throw new CasTokenError('INVALID_ARGUMENT', `This XML's DOCTYPE ${why}, which XAdES signing does not support.`);
  };
  for (const attlist of subset.match(/<!ATTLIST[^>]*>/g) ?? []) if (/["']/.test(attlist)) refuse('gives attributes default values');
  for (const [, parameter, name, double, single, external] of subset.matchAll(/<!ENTITY\s+(%\s+)?([^\s]+)\s+(?:"([^"]*)"|'([^']*)'|(SYSTEM|PUBLIC))/g)) {
    if (parameter) refuse('declares parameter entities');
    if (external) refuse(`declares the external entity ${name}`);
    const literal = double ?? single ?? '';
    if (literal.includes('%')) refuse('uses parameter entities');
    const replacement = literal.replace(/&#(x[0-9a-fA-F]+|[0-9]+);/g, (_, code: string) => String.fromCodePoint(code[0] === 'x' ? parseInt(code.slice(1), 16) : parseInt(code, 10)));
    if (replacement.includes('<')) refuse(`declares the entity ${name} with markup in it`);
    if (!entities.has(name!)) entities.set(name!, replacement);
  }
  return entities;
}

/**
 * The text with internal entity references replaced by their replacement text, as an XML processor
 * sees it (and as validators canonicalise it): the DOM in Node (xmldom) does not expand them. Inside
 * tags (attribute values) quotes in the replacement text are data, not delimiters.
 */
function expandEntities(text: string, scanned: ScannedXml, entities: Map<string, string>): string {
  if (entities.size === 0) return text;
  let budget = 4 * XADES_MAX_BYTES;
  const expand = (name: string, inTag: boolean, depth: number): string => {
    const replacement = entities.get(name);
    if (replacement === undefined) {
      if (PREDEFINED_ENTITIES.has(name)) return `&${name};`;
      throw new CasTokenError('INVALID_ARGUMENT', `This XML uses the undeclared entity &${name};.`);
    }
    if (depth > 16) throw new CasTokenError('INVALID_ARGUMENT', `This XML's entity &${name}; refers to itself.`);
    const inner = replacement.replace(/&([^\s&;#]+);/g, (_, n: string) => expand(n, inTag, depth + 1));
    budget -= inner.length;
    if (budget < 0) throw new CasTokenError('MESSAGE_TOO_LARGE', "This XML's entities expand beyond what can be signed.");
    return inTag ? inner.replace(/"/g, '&quot;').replace(/'/g, '&apos;') : inner;
  };
  const tagEnds = new Map(scanned.elements.map((e) => [e.start, e.startTagEnd]));
  const parts: string[] = [];
  let at = 0;
  const expandSegment = (from: number, to: number) => {
    // Split the segment at tag boundaries to know whether a reference is in an attribute value.
    let position = from;
    while (position < to) {
      const lt = text.indexOf('<', position);
      const contentEnd = lt < 0 || lt >= to ? to : lt;
      parts.push(text.slice(position, contentEnd).replace(/&([^\s&;#]+);/g, (_, n: string) => expand(n, false, 0)));
      if (contentEnd === to) break;
      const tagEnd = tagEnds.get(lt) ?? indexOrFail(text, '>', lt) + 1;
      parts.push(text.slice(lt, tagEnd).replace(/&([^\s&;#]+);/g, (_, n: string) => expand(n, true, 0)));
      position = tagEnd;
    }
  };
  for (const [from, to] of scanned.opaque) {
    expandSegment(at, from);
    parts.push(text.slice(from, to));
    at = to;
  }
  expandSegment(at, text.length);
  return parts.join('');
}

function parseXml(text: string): Document {
  let document: Document;
  try {
    document = xadesjs.Parse(text);
  } catch {
    return notWellFormed();
  }
  if (!document?.documentElement || document.getElementsByTagName('parsererror').length > 0) notWellFormed();
  return document;
}

/** The DOM's elements in document order, each with its span in the text; fails when they disagree. */
function spansByElement(document: Document, scanned: ScannedXml): Map<Element, ElementSpan> {
  const spans = new Map<Element, ElementSpan>();
  let index = 0;
  const stack: Element[] = [document.documentElement];
  while (stack.length > 0) {
    const element = stack.pop()!;
    const span = scanned.elements[index++];
    if (!span || span.name !== element.tagName) notWellFormed();
    spans.set(element, span);
    const children = element.childNodes;
    for (let i = children.length - 1; i >= 0; i--) if (children[i]!.nodeType === 1) stack.push(children[i] as Element);
  }
  if (index !== scanned.elements.length) notWellFormed();
  return spans;
}

function childElement(parent: Element, namespace: string, localName: string): Element | undefined {
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === namespace && (node as Element).localName === localName) return node as Element;
  }
  return undefined;
}

function lastChildElement(parent: Element): Element | undefined {
  for (let node = parent.lastChild; node; node = node.previousSibling) if (node.nodeType === 1) return node as Element;
  return undefined;
}

/** Where the signature goes: text before it and after it, the element it becomes part of, its filter. */
interface Placement {
  /** The document's text with the signature's place empty. */
  before: string;
  after: string;
  /** The element whose content changes (for checking the signatures already there). */
  parent: Element;
  ubl: boolean;
  /** New UBL elements outside sig:UBLDocumentSignatures (so signed): markup, indentation, where in the DOM. */
  scaffold?: { markup: string; indent: string; parent: Element; before: Node | null };
}

/** Inserts `open` + signature + `close` as the last content of `span` (turning `<x/>` into `<x>…</x>`). */
function insertInto(text: string, span: ElementSpan, open: string, close: string, after?: ElementSpan): Pick<Placement, 'before' | 'after'> {
  if (span.selfClosing) {
    const slash = text.lastIndexOf('/', span.startTagEnd);
    return { before: `${text.slice(0, slash)}>${open}`, after: `${close}</${span.name}>${text.slice(span.startTagEnd)}` };
  }
  const at = after ? after.end : span.endTagStart;
  return { before: text.slice(0, at) + open, after: close + text.slice(at) };
}

/** The whitespace that indents the first child of `span` (to lay out new elements the same way). */
function indentOf(text: string, span: ElementSpan): string {
  return /^\s*/.exec(text.slice(span.startTagEnd, Math.min(span.startTagEnd + 200, text.length)))![0];
}

/** What is written around a signature in a UBL document: the sac:SignatureInformation in an existing apex, or a new ext:UBLExtension holding one. */
export const UBL_SIGNATURE_MARKUP = (() => {
  const signatureInformation = [`<sac:SignatureInformation xmlns:sac="${SAC_NS}">`, '</sac:SignatureInformation>'] as const;
  const documentSignatures = [
    `<sig:UBLDocumentSignatures xmlns:sig="${SIG_NS}" xmlns:sac="${SAC_NS}" xmlns:sbc="${SBC_NS}"><sac:SignatureInformation>`,
    '</sac:SignatureInformation></sig:UBLDocumentSignatures>',
  ] as const;
  const extension = (declareExt: boolean): [string, string] => [
    `<ext:UBLExtension${declareExt ? ` xmlns:ext="${EXT_NS}"` : ''}><ext:ExtensionURI>urn:oasis:names:specification:ubl:dsig:enveloped:xades</ext:ExtensionURI><ext:ExtensionContent>${documentSignatures[0]}`,
    `${documentSignatures[1]}</ext:ExtensionContent></ext:UBLExtension>`,
  ];
  /** A new ext:UBLExtensions, the root's first child. */
  const extensions = (): [string, string] => {
    const [open, close] = extension(false);
    return [`<ext:UBLExtensions xmlns:ext="${EXT_NS}">${open}`, `${close}</ext:UBLExtensions>`];
  };
  return { signatureInformation, extension, extensions };
})();

function placeSignature(text: string, document: Document, spans: Map<Element, ElementSpan>): Placement {
  const root = document.documentElement;
  const rootSpan = spans.get(root)!;
  if (!UBL_DOCUMENTS.includes(root.namespaceURI ?? '')) {
    // No whitespace around it: text outside ds:Signature would break the signatures already there.
    return { ...insertInto(text, rootSpan, '', ''), parent: root, ubl: false };
  }
  const { signatureInformation, extension } = UBL_SIGNATURE_MARKUP;
  const extensions = childElement(root, EXT_NS, 'UBLExtensions');
  if (!extensions) {
    // UBLExtensions must be the root's first child.
    const indent = indentOf(text, rootSpan);
    const [open, close] = UBL_SIGNATURE_MARKUP.extensions();
    return {
      before: text.slice(0, rootSpan.startTagEnd) + indent + open,
      after: close + text.slice(rootSpan.startTagEnd),
      parent: root,
      ubl: true,
      scaffold: { markup: open + close, indent, parent: root, before: root.firstChild },
    };
  }
  for (let node = extensions.firstChild; node; node = node.nextSibling) {
    const content = node.nodeType === 1 ? childElement(node as Element, EXT_NS, 'ExtensionContent') : undefined;
    const apex = content && childElement(content, SIG_NS, 'UBLDocumentSignatures');
    if (apex) {
      // One UBLDocumentSignatures holds all the document's signatures (UBL 2.1, 5.3.3).
      const last = lastChildElement(apex);
      return { ...insertInto(text, spans.get(apex)!, signatureInformation[0], signatureInformation[1], last && spans.get(last)), parent: apex, ubl: true };
    }
  }
  const span = spans.get(extensions)!;
  const last = lastChildElement(extensions);
  const indent = last ? /\s*$/.exec(text.slice(Math.max(span.startTagEnd, spans.get(last)!.start - 200), spans.get(last)!.start))![0] : '';
  const [extensionOpen, extensionClose] = extension(true);
  return {
    ...insertInto(text, span, indent + extensionOpen, extensionClose, last && spans.get(last)),
    parent: extensions,
    ubl: true,
    scaffold: { markup: extensionOpen + extensionClose, indent, parent: extensions, before: last ? last.nextSibling : null },
  };
}

function isAncestorOrSelf(ancestor: Node, node: Node | null): boolean {
  for (let n = node; n; n = n.parentNode) if (n === ancestor) return true;
  return false;
}

function elementById(document: Document, id: string): Element | undefined {
  const all = document.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) {
    const element = all[i]!;
    if (element.getAttribute('Id') === id || element.getAttribute('ID') === id || element.getAttribute('id') === id) return element;
  }
  return undefined;
}

/**
 * Whether a reference's transforms leave out what we insert under `parent`: an XPath filter dropping
 * every ds:Signature (when we insert a bare ds:Signature), or every (or its own) UBLDocumentSignatures
 * (when we insert into one). Other transforms than these, enveloped and C14N make it no.
 */
function excludesInsertion(reference: Element, signature: Element, placement: Placement): boolean {
  let excluded = false;
  for (const transform of Array.from(reference.getElementsByTagNameNS(DSIG_NS, 'Transform'))) {
    const algorithm = transform.getAttribute('Algorithm') ?? '';
    if (algorithm === XPATH_TRANSFORM) {
      const xpathElement = transform.getElementsByTagNameNS(DSIG_NS, 'XPath')[0];
      const expression = (xpathElement?.textContent ?? '').replace(/\s+/g, '');
      const bound = (prefix: string | undefined, namespace: string) => prefix !== undefined && xpathElement?.lookupNamespaceURI(prefix) === namespace;
      const apex = (node: Node | null): Element | undefined => {
        for (let n = node; n; n = n.parentNode) if (n.nodeType === 1 && (n as Element).namespaceURI === SIG_NS && (n as Element).localName === 'UBLDocumentSignatures') return n as Element;
        return undefined;
      };
      const insideApex = apex(placement.parent) !== undefined;
      let match: RegExpExecArray | null;
      if ((match = /^not\(ancestor-or-self::([\w.-]+):Signature\)$/.exec(expression)) && bound(match[1], DSIG_NS)) excluded ||= !placement.ubl;
      else if (expression === EXCLUDE_UBL_SIGNATURES.replace(/\s+/g, '')) excluded ||= insideApex;
      else if ((match = /^count\(ancestor-or-self::([\w.-]+):UBLDocumentSignatures\)=0$/.exec(expression)) && bound(match[1], SIG_NS)) excluded ||= insideApex;
      else if (
        (match = /^count\(ancestor-or-self::([\w.-]+):UBLDocumentSignatures\|here\(\)\/ancestor::\1:UBLDocumentSignatures\[1\]\)>count\(ancestor-or-self::\1:UBLDocumentSignatures\)$/.exec(
          expression,
        )) &&
        bound(match[1], SIG_NS)
      ) {
        excluded ||= insideApex && apex(placement.parent) === apex(signature);
      } else return false;
    } else if (!/(enveloped-signature|c14n)/.test(algorithm)) return false;
  }
  return excluded;
}

/** Refuses (DOCUMENT_LOCKED) when a signature already in the document would not survive ours. */
function checkSignaturesKeepValid(document: Document, placement: Placement): void {
  const signatures = Array.from(document.getElementsByTagNameNS(DSIG_NS, 'Signature'));
  for (const signature of signatures) {
    const signedInfo = childElement(signature, DSIG_NS, 'SignedInfo');
    for (let node = signedInfo?.firstChild ?? null; node; node = node.nextSibling) {
      if (node.nodeType !== 1 || (node as Element).localName !== 'Reference') continue;
      const reference = node as Element;
      const uri = reference.getAttribute('URI') ?? '';
      let covers: boolean;
      if (uri === '' || uri === '#xpointer(/)') covers = true;
      else if (uri.startsWith('#')) {
        const id = /^#xpointer\(id\(['"](.*)['"]\)\)$/.exec(uri)?.[1] ?? uri.slice(1);
        const target = elementById(document, id);
        covers = target !== undefined && isAncestorOrSelf(target, placement.parent);
      } else covers = false; // a detached reference: another file
      if (covers && !excludesInsertion(reference, signature, placement)) {
        throw new CasTokenError(
          'DOCUMENT_LOCKED',
          'This XML already carries a signature that covers the whole document: another signature would make it invalid. Sign a copy without that signature, or sign the file as CAdES (.p7s).',
        );
      }
    }
  }
}

interface PreparedXml {
  /** Output text, the signature to be put between the two. */
  placement: Placement;
  /** The document as validators will see it once signed, the signature's place empty (entities expanded). */
  document: Document;
  bom: boolean;
}

function prepareXml(xml: Uint8Array | string): PreparedXml {
  if (xml.length > XADES_MAX_BYTES) {
    throw new CasTokenError('MESSAGE_TOO_LARGE', `XML documents over ${XADES_MAX_BYTES / 1024 / 1024} MB cannot be signed as XAdES; sign it as CAdES (.p7s) instead.`);
  }
  const bom = typeof xml !== 'string' && xml[0] === 0xef && xml[1] === 0xbb && xml[2] === 0xbf;
  const text = typeof xml === 'string' ? xml : decodeXml(xml);
  const scanned = scanXml(text);
  const entities = internalEntities(text, scanned.doctype);
  const document = parseXml(expandEntities(text, scanned, entities));
  if (document.documentElement.namespaceURI === DSIG_NS) throw new CasTokenError('INVALID_ARGUMENT', 'This XML is itself a signature, not a document to sign.');
  const placement = placeSignature(text, document, spansByElement(document, scanned));
  checkSignaturesKeepValid(document, placement);
  // The document as it will be parsed once signed (less the signature): with the UBL scaffolding.
  const scaffold = placement.scaffold;
  if (scaffold) {
    const imported = document.importNode(parseXml(scaffold.markup).documentElement, true);
    if (scaffold.indent) scaffold.parent.insertBefore(document.createTextNode(scaffold.indent), scaffold.before);
    scaffold.parent.insertBefore(imported, scaffold.before);
  }
  return { placement, document, bom };
}

/**
 * Checks an XML document before anyone is asked for a PIN: its size (MESSAGE_TOO_LARGE over
 * XADES_MAX_BYTES), that it is well-formed (INVALID_ARGUMENT), and that a signature already in it
 * would stay valid beside a new one (DOCUMENT_LOCKED). signXades runs the same checks.
 */
export function checkXmlForSigning(xml: Uint8Array | string): void {
  ensureEngine(); // the XML DOM (xmldom where the platform has no DOMParser, as in a service worker)
  prepareXml(xml);
}

/** xades:SigningCertificate (v1): the certificate's SHA-256 and its issuer (RFC 4514) and serial (decimal). */
interface SigningCertificateV1 {
  digest: Uint8Array;
  issuerName: string;
  serialNumber: string;
}

async function signingCertificateV1(der: Uint8Array, certificate: pkijs.Certificate): Promise<SigningCertificateV1> {
  return {
    digest: new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', der.slice())),
    issuerName: nameForRfc4514(nameFromAsn1(certificate.issuer.toSchema())),
    serialNumber: serialForms(new Uint8Array(certificate.serialNumber.valueBlock.valueHexView)).serialNumberDecimal,
  };
}

/** xadesjs's signature, made to sign the document validators will see: exclusive C14N, the filters, B-B's DataObjectFormat. */
class DocumentSignature extends xadesjs.SignedXml {
  constructor(
    /** The document (less the signature's place) to canonicalise and hash, or its digest already computed (streamed). */
    private readonly documentToDigest: Document | Uint8Array,
    private readonly ubl: boolean,
    private readonly hash: HashAlgorithm,
    /** For UBL 2.1, whose XAdES schema predates SigningCertificateV2. */
    private readonly signingCertificate?: SigningCertificateV1,
  ) {
    super();
  }

  get documentReferenceId(): string {
    return `${this.XmlSignature.Id}-document`;
  }

  protected override async ApplySignOptions(signature: Parameters<xadesjs.SignedXml['ApplySignOptions']>[0], algorithm: Algorithm, key: CryptoKey, options: xadesjs.OptionsXAdES): Promise<void> {
    await super.ApplySignOptions(signature, algorithm, key, options);
    signature.SignedInfo.CanonicalizationMethod.Algorithm = EXC_C14N;
    const references = signature.SignedInfo.References;
    // xadesjs's own SignedProperties reference (no transforms: inclusive C14N) gives way to ours.
    for (let i = references.Count - 1; i >= 0; i--) {
      const reference = references.Item(i)!;
      if (reference.Type === XADES_SIGNED_PROPERTIES && !reference.Transforms?.Count) references.RemoveAt(i);
    }
    if (this.signingCertificate) {
      const cert = new xadesjs.xml.Cert();
      cert.CertDigest.DigestMethod.Algorithm = 'http://www.w3.org/2001/04/xmlenc#sha256';
      cert.CertDigest.DigestValue = this.signingCertificate.digest;
      cert.IssuerSerial.X509IssuerName = this.signingCertificate.issuerName;
      cert.IssuerSerial.X509SerialNumber = this.signingCertificate.serialNumber;
      this.SignedProperties.SignedSignatureProperties.SigningCertificate.Add(cert);
    }
    const format = new xadesjs.xml.DataObjectFormat();
    format.ObjectReference = `#${this.documentReferenceId}`;
    format.MimeType = 'text/xml';
    this.SignedProperties.SignedDataObjectProperties.DataObjectFormats.Add(format);
  }

  /** The document reference: exclusive C14N of the whole document (PIs outside the root included) without the filtered-out signatures. */
  protected override async DigestReference(
    source: Parameters<xadesjs.SignedXml['DigestReference']>[0],
    reference: Parameters<xadesjs.SignedXml['DigestReference']>[1],
    checkHmac: boolean,
  ): Promise<Uint8Array> {
    if (reference.Uri !== '') return super.DigestReference(source, reference, checkHmac);
    if (this.documentToDigest instanceof Uint8Array) return this.documentToDigest;
    const document = this.documentToDigest;
    const [namespace, localName] = this.ubl ? [SIG_NS, 'UBLDocumentSignatures'] : [DSIG_NS, 'Signature'];
    for (const excluded of Array.from(document.getElementsByTagNameNS(namespace, localName))) excluded.parentNode?.removeChild(excluded);
    // Our canonicaliser (the streamed signing's), not xadesjs's: that one writes xmlns="" where the
    // parent did not render a default namespace (libxml2 and the spec do not), a digest xmlsec1 rejects.
    const pieces: string[] = [];
    canonicalizeDocument(document, new ExclusiveCanonicalizer((text) => pieces.push(text)));
    const canonical = new TextEncoder().encode(pieces.join(''));
    return new Uint8Array(await globalThis.crypto.subtle.digest(this.hash, canonical));
  }
}

export async function signXades(xml: Uint8Array | string, signer: Signer, options: XadesOptions = {}): Promise<Uint8Array> {
  checkFormatForCertificate('xades', signer.certificate); // GOST keys: CAdES only
  ensureEngine();
  const prepared = prepareXml(xml);
  const { placement } = prepared;
  const signature = await signatureMarkup(prepared.document, placement.ubl, signer, options);
  const text = placement.before + signature + placement.after;
  // The output is UTF-8 whatever the input was: say so in the declaration (outside what is signed).
  const declaration = /^\s*<\?xml[^?]*\?>/.exec(text);
  const withDeclaration = typeof xml === 'string' || !declaration ? text : text.replace(declaration[0], declaration[0].replace(/encoding\s*=\s*(["'])[^"']*\1/, 'encoding="UTF-8"'));
  return new TextEncoder().encode((prepared.bom ? '\uFEFF' : '') + withDeclaration);
}

/**
 * The ds:Signature (XAdES-BES) over a document: `document` is the document as validators will see it
 * once signed (the signature's place empty), or the digest of its canonical form (exclusive C14N, the
 * signatures filtered out) computed by the caller, as the streamed signing of large files does.
 */
export async function signatureMarkup(document: Document | Uint8Array, ubl: boolean, signer: Signer, options: XadesOptions = {}): Promise<string> {
  checkFormatForCertificate('xades', signer.certificate); // GOST keys: CAdES only
  ensureEngine();
  const hash = options.hashAlgorithm ?? 'SHA-256';
  const certificate = pkijs.Certificate.fromBER(signer.certificate.slice().buffer as ArrayBuffer);
  const scheme = signer.scheme ?? schemeForCertificate(certificate);
  const algorithm =
    scheme === 'ecdsa'
      ? { name: 'ECDSA', hash: { name: hash } }
      : scheme === 'rsa-pss'
        ? { name: 'RSA-PSS', hash: { name: hash }, saltLength: DIGEST_LENGTHS[hash] }
        : { name: 'RSASSA-PKCS1-v1_5', hash: { name: hash } };
  const key = {
    type: 'private',
    extractable: false,
    usages: ['sign'],
    algorithm,
    curveSize: curveSize(certificate),
    [TOKEN_SIGNER]: signer,
  } as unknown as TokenKey;
  // UBL 2.1 bundles the XAdES schema of 2010, without SigningCertificateV2: schema-valid invoices carry SigningCertificate.
  const v1 = ubl ? await signingCertificateV1(signer.certificate, certificate) : undefined;
  const signedXml = new DocumentSignature(document, ubl, hash, v1);
  const certificateBase64 = base64(signer.certificate);
  const signatureId = signedXml.XmlSignature.Id;
  // xadesjs digests only this stand-in; DocumentSignature digests the real document itself.
  const standIn = xadesjs.Parse('<document/>');
  await signedXml.Sign(algorithm as unknown as Algorithm, key, standIn, {
    references: [
      {
        id: signedXml.documentReferenceId,
        uri: '',
        hash,
        transforms: ['enveloped', { name: 'xpath', selector: ubl ? EXCLUDE_UBL_SIGNATURES : EXCLUDE_SIGNATURES }, 'exc-c14n'],
      },
      { uri: `#xades-${signatureId}`, type: XADES_SIGNED_PROPERTIES, hash, transforms: ['exc-c14n'] },
    ],
    x509: [certificateBase64, ...(signer.certificateChain ?? []).map(base64)],
    ...(v1 ? {} : { signingCertificateV2: certificateBase64 }),
    signingTime: { value: options.signingTime ?? new Date() },
  } as unknown as Parameters<typeof signedXml.Sign>[3]);
  return new (globalThis.XMLSerializer ?? xmldom.XMLSerializer)().serializeToString(signedXml.GetXml()! as never);
}
