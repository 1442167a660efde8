/**
 * The CMS SignedData both CAdES and PAdES produce: detached (or, for CAdES, attached: the content
 * inside), signed attributes contentType, messageDigest, (signingTime), signingCertificateV2; the
 * signature over the DER of the signed attributes comes from the Signer (the token). Attributes are
 * DER-sorted (SET OF), as verifiers re-encode them before checking.
 *
 * GOST R 34.10-2012 keys: pkijs only assembles the structures here (it has no GOST crypto, and none is
 * asked of it): the Streebog digests come from digestOf, the AlgorithmIdentifiers are written as
 * OpenSSL's gost engine writes them (digest OID + NULL; signature: the key OID + NULL), and the
 * signature is the token's s||r as it is.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { digestAlgorithmIdentifier, schemeForCertificate, signatureAlgorithmIdentifier } from './signature-algorithms.js';
import { digestOf } from './signer.js';
import { OIDS } from '../protocol/oids.js';
import type { Signer, SignerScheme } from './signer.js';

const OID = OIDS;

export interface CmsSignatureOptions {
  hashAlgorithm?: HashAlgorithm;
  /** Absent = no signingTime attribute (PAdES baseline puts the time in the signature dictionary). */
  signingTime?: Date;
  /** The content itself, to carry inside the SignedData (attached); absent = detached. */
  attachedContent?: Uint8Array;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

// DER written directly (tag, length, content): pkijs/asn1js would parse and re-encode the certificates
// and every structure for each signature, which costs more than the token's signature in a batch.
function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function der(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const length = contents.reduce((sum, c) => sum + c.length, 0);
  const header = [tag, ...derLength(length)];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let at = header.length;
  for (const c of contents) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * DER whose parts are not copied until the end: the structures around attached content (a file of
 * 50 MB) are written once into the output, where nesting der() calls would copy the content at each level.
 * The content may also be left out (a hole of its length): what is written is then the bytes before it
 * and after it (signedDataAround).
 */
interface DerTree {
  header: Uint8Array;
  parts: DerPart[];
  size: number;
}
/** Attached content that is not in memory: only its length counts in the DER. */
interface ContentHole {
  holeLength: number;
}
type DerPart = Uint8Array | DerTree | ContentHole;

const partSize = (part: DerPart): number => (part instanceof Uint8Array ? part.length : 'holeLength' in part ? part.holeLength : part.size);

function derTree(tag: number, ...parts: DerPart[]): DerTree {
  const length = parts.reduce((sum, part) => sum + partSize(part), 0);
  const header = Uint8Array.from([tag, ...derLength(length)]);
  return { header, parts, size: header.length + length };
}

/** The tree's bytes in order, as pieces; `hole` where the content left out goes. */
function derPieces(tree: DerTree, pieces: (Uint8Array | ContentHole)[] = []): (Uint8Array | ContentHole)[] {
  pieces.push(tree.header);
  for (const part of tree.parts) {
    if (part instanceof Uint8Array || 'holeLength' in part) pieces.push(part);
    else derPieces(part, pieces);
  }
  return pieces;
}

function joinPieces(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

function oid(dotted: string): Uint8Array {
  const [first, second, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const group = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) group.unshift(0x80 | (n & 0x7f));
    bytes.push(...group);
  }
  return der(0x06, Uint8Array.from(bytes));
}

const SEQUENCE = 0x30;
const SET = 0x31;
const berOf = (value: { toSchema(): { toBER(sizeOnly?: boolean): ArrayBuffer } }): Uint8Array => new Uint8Array(value.toSchema().toBER(false));

/**
 * The AlgorithmIdentifiers' DER, written once per algorithm rather than per signature: asn1js takes
 * ~0.1 ms to write one, twice per document of a batch (profiled: ~80 ms of a 300-PDF CLI batch).
 */
const algorithmDer = new Map<string, Uint8Array>();
function digestAlgorithmDer(hash: HashAlgorithm): Uint8Array {
  let written = algorithmDer.get(hash);
  if (!written) algorithmDer.set(hash, (written = berOf(digestAlgorithmIdentifier(hash))));
  return written;
}
function signatureAlgorithmDer(scheme: SignerScheme, hash: HashAlgorithm): Uint8Array {
  const key = `${scheme} ${hash}`;
  let written = algorithmDer.get(key);
  if (!written) algorithmDer.set(key, (written = berOf(signatureAlgorithmIdentifier(scheme, hash))));
  return written;
}

/** UTCTime as asn1js writes it: YYMMDDHHMMSSZ. */
function utcTime(date: Date): Uint8Array {
  const p = (n: number): string => String(n).padStart(2, '0');
  const text = `${p(date.getUTCFullYear() % 100)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
  return der(
    0x17,
    Uint8Array.from(text, (c) => c.charCodeAt(0)),
  );
}

/** What a certificate contributes to every signature it makes: parsed once per certificate, not per document. */
interface SignerParts {
  certificate: pkijs.Certificate;
  issuerAndSerial: Uint8Array;
  signingCertificateV2: Map<HashAlgorithm, Promise<Uint8Array>>;
}
const signerParts = new WeakMap<Uint8Array, SignerParts>();

function partsOf(der: Uint8Array): SignerParts {
  let parts = signerParts.get(der);
  if (!parts) {
    const certificate = parseCertificate(der);
    parts = { certificate, issuerAndSerial: new Uint8Array(0), signingCertificateV2: new Map() };
    parts.issuerAndSerial = derSequence(berOf(certificate.issuer), new Uint8Array(certificate.serialNumber.toBER(false)));
    signerParts.set(der, parts);
  }
  return parts;
}

const derSequence = (...contents: Uint8Array[]): Uint8Array => der(SEQUENCE, ...contents);

function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(toArrayBuffer(der));
}

/** ESS signingCertificateV2 (RFC 5035): the hash of the signing certificate and its issuer + serial. */
async function signingCertificateV2(certificate: pkijs.Certificate, der: Uint8Array, hash: HashAlgorithm): Promise<pkijs.Attribute> {
  const certHash = await digestOf(der, hash);
  const issuerSerial = new asn1js.Sequence({
    value: [new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [certificate.issuer.toSchema()] })] }), certificate.serialNumber],
  });
  const essCertId = new asn1js.Sequence({
    value: [
      ...(hash === 'SHA-256' ? [] : [digestAlgorithmIdentifier(hash).toSchema()]), // sha256 is the DEFAULT: omitted in DER
      new asn1js.OctetString({ valueHex: toArrayBuffer(certHash) }),
      issuerSerial,
    ],
  });
  return new pkijs.Attribute({ type: OID.signingCertificateV2, values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] })] });
}

function derOf(attribute: pkijs.Attribute): Uint8Array {
  return new Uint8Array(attribute.toSchema().toBER(false));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The SignedData's DER as a tree: the content inside when given (attached), none (detached). */
async function signedDataTree(contentDigest: Uint8Array, signer: Signer, options: CmsSignatureOptions, content: Uint8Array | ContentHole | undefined): Promise<DerTree> {
  const hash = options.hashAlgorithm ?? 'SHA-256';
  const parts = partsOf(signer.certificate);
  const { certificate } = parts;
  const scheme = signer.scheme ?? schemeForCertificate(certificate);
  let essAttribute = parts.signingCertificateV2.get(hash);
  if (!essAttribute) {
    essAttribute = signingCertificateV2(certificate, signer.certificate, hash).then(derOf);
    parts.signingCertificateV2.set(hash, essAttribute);
  }
  const attribute = (type: string, value: Uint8Array): Uint8Array => derSequence(oid(type), der(SET, value));
  const attributes = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, der(0x04, contentDigest)),
    ...(options.signingTime ? [attribute(OID.signingTime, utcTime(options.signingTime))] : []),
    await essAttribute,
  ].sort(compareBytes); // DER: a SET OF is sorted by its elements' encodings

  const signedAttributesDer = der(SET, ...attributes);
  const signature = await signer.signDigest(await digestOf(signedAttributesDer, hash), hash);

  const digestAlgorithm = digestAlgorithmDer(hash);
  const signerInfo = derSequence(
    der(0x02, Uint8Array.of(1)), // version 1: issuerAndSerialNumber
    parts.issuerAndSerial,
    digestAlgorithm,
    der(0xa0, ...attributes), // [0] IMPLICIT signedAttrs
    signatureAlgorithmDer(scheme, hash),
    der(0x04, signature),
  );
  const signedData = derTree(
    SEQUENCE,
    der(0x02, Uint8Array.of(1)),
    der(SET, digestAlgorithm),
    // eContent: one primitive OCTET STRING, the content's bytes as they are (so they can stay where they are).
    derTree(SEQUENCE, oid(OID.data), ...(content ? [derTree(0xa0, derTree(0x04, content))] : [])),
    der(0xa0, signer.certificate, ...(signer.certificateChain ?? [])), // [0] IMPLICIT certificates, as they are
    der(SET, signerInfo),
  );
  return derTree(SEQUENCE, oid(OID.signedData), derTree(0xa0, signedData));
}

/** CMS SignedData (DER) over content whose digest is `contentDigest`: detached unless `attachedContent`. */
export async function createDetachedSignedData(contentDigest: Uint8Array, signer: Signer, options: CmsSignatureOptions = {}): Promise<Uint8Array> {
  const tree = await signedDataTree(contentDigest, signer, options, options.attachedContent);
  return joinPieces(derPieces(tree) as Uint8Array[]); // the one copy of attached content
}

/**
 * An attached SignedData (the content inside) without its content in memory: the bytes that come
 * before the content and those after it. The signature is `before`, the content's own bytes as they
 * are, then `after` — written around a file read in pieces, or handed back as a Blob over the file.
 */
export async function signedDataAround(
  contentDigest: Uint8Array,
  contentLength: number,
  signer: Signer,
  options: Omit<CmsSignatureOptions, 'attachedContent'> = {},
): Promise<{ before: Uint8Array; after: Uint8Array }> {
  const pieces = derPieces(await signedDataTree(contentDigest, signer, options, { holeLength: contentLength }));
  const hole = pieces.findIndex((piece) => !(piece instanceof Uint8Array));
  return { before: joinPieces(pieces.slice(0, hole) as Uint8Array[]), after: joinPieces(pieces.slice(hole + 1) as Uint8Array[]) };
}
