/**
 * Large signed XML (over XML_VERIFY_MAX_BYTES, whose DOM would cost tens of times the file): read with
 * a SAX parser instead. Each ds:Signature (not nested in another) is cut out with the namespaces in
 * scope where it stands, into a small document of its own that the usual checks read (SignedInfo,
 * SignedProperties, signature value, certificates). The reference to the whole document (URI="") is
 * digested from the stream by the same exclusive canonicaliser the signing uses, for the transforms
 * enveloped signatures carry: enveloped-signature, optionally our XPath filter (every ds:Signature, or
 * every UBL signature apex), then exclusive C14N. Other transforms there are reported unsupported.
 */
import { CasTokenError } from '../protocol/cas-token-error.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { nodeHash } from '../signature/signer.js';
import { XmlByteStream } from '../signature/xml-byte-stream.js';
import { ExclusiveCanonicalizer } from '../signature/xml-canonical-stream.js';
import type { CanonicalTag } from '../signature/xml-canonical-stream.js';

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const SIG_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CommonSignatureComponents-2';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const XPATH = 'http://www.w3.org/TR/1999/REC-xpath-19991116';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const DIGESTS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'SHA-1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'SHA-256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'SHA-384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'SHA-512',
};

/** A reference as xadesjs reads it (the parts used here). */
export interface StreamedReference {
  Uri?: string;
  DigestMethod: { Algorithm: string };
  Transforms?: { GetIterator(): Iterable<{ Algorithm: string; XPath?: string; Prefixes?: unknown }> };
}

export interface LargeXml {
  /** Each signature as a small document: `<root xmlns…>` + the signature's own text + `</root>`. */
  signatures: string[];
  /** The digest of the whole document's reference, or undefined for transforms this path does not compute. */
  documentDigest(reference: StreamedReference): Promise<Uint8Array | undefined>;
}

type Exclusion = 'signatures' | 'ubl';

function excludedBy(exclusion: Exclusion): (uri: string, local: string) => boolean {
  return exclusion === 'ubl' ? (uri, local) => uri === SIG_NS && local === 'UBLDocumentSignatures' : (uri, local) => uri === DSIG_NS && local === 'Signature';
}

/** What the reference's transforms leave out of the document, when this path can compute it. */
function exclusionOf(reference: StreamedReference, signatureCount: number): Exclusion | undefined {
  const transforms = reference.Transforms ? [...reference.Transforms.GetIterator()] : [];
  const algorithms = transforms.map((transform) => transform.Algorithm);
  const last = transforms.at(-1);
  if (algorithms[0] !== ENVELOPED || last?.Algorithm !== EXC_C14N) return undefined;
  const prefixes = last.Prefixes as { length?: number } | string | undefined;
  if (prefixes && (typeof prefixes === 'string' ? prefixes.trim() : prefixes.length)) return undefined; // InclusiveNamespaces
  if (transforms.length === 2) return signatureCount === 1 ? 'signatures' : undefined; // enveloped alone: this signature only
  if (transforms.length !== 3 || transforms[1]!.Algorithm !== XPATH) return undefined;
  const expression = (transforms[1]!.XPath ?? '').replace(/\s+/g, '');
  if (/^not\(ancestor-or-self::[\w.-]+:Signature\)$/.test(expression)) return 'signatures';
  if (expression === `count(ancestor-or-self::*[local-name()='UBLDocumentSignatures'andnamespace-uri()='${SIG_NS}'])=0`) return 'ubl';
  if (/^count\(ancestor-or-self::[\w.-]+:UBLDocumentSignatures\)=0$/.test(expression)) return 'ubl';
  return undefined;
}

async function canonicalDigest(xml: Uint8Array, exclusion: Exclusion, hashAlgorithm: string): Promise<Uint8Array> {
  const hash = nodeHash(hashAlgorithm as HashAlgorithm) as unknown as { update(text: string, encoding: 'utf8'): unknown; digest(): Uint8Array } | undefined;
  const pieces: string[] = [];
  let pending = '';
  const write = (text: string): void => {
    pending += text;
    if (pending.length < 65536) return;
    if (hash) hash.update(pending, 'utf8');
    else pieces.push(pending);
    pending = '';
  };
  const stream = new XmlByteStream();
  new ExclusiveCanonicalizer(write, excludedBy(exclusion)).attach(stream.parser);
  for (let at = 0; at < xml.length; at += 1024 * 1024) stream.write(xml.subarray(at, at + 1024 * 1024));
  stream.close();
  if (hash) {
    hash.update(pending, 'utf8');
    return new Uint8Array(hash.digest());
  }
  // A browser: one buffer for crypto.subtle (still far less than a DOM).
  pieces.push(pending);
  return new Uint8Array(await globalThis.crypto.subtle.digest(hashAlgorithm, new TextEncoder().encode(pieces.join(''))));
}

/** One pass: the signatures cut out with their namespaces. SIGNED_FILE_DAMAGED for XML that is not well-formed. */
export function readLargeXml(xml: Uint8Array): LargeXml {
  const stream = new XmlByteStream();
  const { parser } = stream;
  const scopes: Map<string, string>[] = [new Map()];
  let rootName = '';
  let depth = 0;
  let signatureDepth = 0;
  const spans: { start: number; end: number; scope: Map<string, string> }[] = [];
  parser.on('opentag', (node) => {
    const tag = node as CanonicalTag & { ns: Record<string, string> };
    depth++;
    if (depth === 1) rootName = tag.name;
    const declared = Object.entries(tag.ns);
    scopes.push(declared.length > 0 ? new Map([...scopes[scopes.length - 1]!, ...declared]) : scopes[scopes.length - 1]!);
    if (signatureDepth === 0 && tag.uri === DSIG_NS && tag.local === 'Signature') {
      signatureDepth = depth;
      // The last `<` before the start tag's end is its own (attribute values hold no `<`); asked for signatures only: it costs a count of the chunk's bytes.
      spans.push({ start: stream.tagStartOffset(), end: -1, scope: scopes[scopes.length - 2]! });
    }
  });
  parser.on('closetag', () => {
    if (signatureDepth === depth) {
      spans[spans.length - 1]!.end = stream.byteOffset(parser.position);
      signatureDepth = 0;
    }
    scopes.pop();
    depth--;
  });
  try {
    for (let at = 0; at < xml.length; at += 1024 * 1024) stream.write(xml.subarray(at, at + 1024 * 1024));
    stream.close();
  } catch (error) {
    throw new CasTokenError('SIGNED_FILE_DAMAGED', `This XML is not well-formed${error instanceof Error ? ` (${error.message})` : ''}: its signatures cannot be read.`);
  }
  const decoder = new TextDecoder();
  const signatures = spans.map(({ start: from, end, scope }) => {
    const declarations = [...scope].map(([prefix, uri]) => (prefix ? ` xmlns:${prefix}="${uri.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"` : ` xmlns="${uri}"`)).join('');
    return `<${rootName}${declarations}>${decoder.decode(xml.subarray(from, end))}</${rootName}>`;
  });
  const digests = new Map<string, Promise<Uint8Array>>();
  return {
    signatures,
    async documentDigest(reference) {
      const exclusion = exclusionOf(reference, spans.length);
      const hashAlgorithm = DIGESTS[reference.DigestMethod.Algorithm];
      if (!exclusion || !hashAlgorithm) return undefined;
      const key = `${exclusion} ${hashAlgorithm}`;
      if (!digests.has(key)) digests.set(key, canonicalDigest(xml, exclusion, hashAlgorithm));
      return digests.get(key)!;
    },
  };
}
