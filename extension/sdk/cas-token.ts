/**
 * CAS Token page SDK. A CAS site loads `cas-token.js` (ES module) or `cas-token.global.js` (defines
 * `window.CasToken`) and calls:
 *
 *   await CasToken.status()                      → { extensionVersion, … }  (throws EXTENSION_UNAVAILABLE)
 *   await CasToken.getCertificates()             → certificates on the token, with details
 *   await CasToken.sign({ hash, hashAlgorithm }) → { signature, certificate, algorithm }
 *   await CasToken.signHashes({ hashes, hashAlgorithm }) → { signatures, … }  (≤ 1,000, one PIN)
 *   await CasToken.signDocument({ data, name, format })    → { data: Uint8Array, signedName, … }
 *   await CasToken.signDocuments([{ data, name }, …], { onProgress })  → one PIN for the batch
 *
 * hashAlgorithm: 'SHA-256' | 'SHA-384' | 'SHA-512', or for GOST R 34.10-2012 certificates
 * 'GOST3411-2012-256' | 'GOST3411-2012-512' (Streebog of the key's size; those sign CAdES documents only).
 *
 * Failures reject with a `CasTokenError` whose `code` is stable (see ERROR_CODES); those the extension
 * answers also carry `userMessage`, a sentence for the user in the page's language (Romanian, Russian,
 * else English): the `lang` of the page's <html>, or the one given to `CasToken.setLanguage('ru')`.
 * `message` is the technical detail in English, for the site's developers. The user approves
 * each site once and types the PIN in the extension's own window; this page never sees the PIN.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { ERROR_CODES } from '../../shared/protocol/error-codes.js';
import type { ErrorCode } from '../../shared/protocol/error-codes.js';
import type {
  DocumentFormat,
  PageBatchItem,
  PageCertificate,
  PageSignHashesResult,
  PageSignResult,
  PageSignedDocument,
  PageStatusResult,
  SIGNING_PURPOSES,
} from '../../shared/protocol/page-messages.js';
import type { HashAlgorithm } from '../../shared/protocol/token-types.js';
import { byteLengthOf, fromBase64, toBase64 } from './binary.js';
import type { BinaryInput } from './binary.js';
import { callExtension, checkRequestBytes, setLanguage } from './page-channel.js';
import type { CallOptions, Progress } from './page-channel.js';

export { CasTokenError, ERROR_CODES, setLanguage };
export type {
  BinaryInput,
  ErrorCode,
  HashAlgorithm,
  DocumentFormat,
  PageCertificate as Certificate,
  PageSignResult as SignResult,
  PageSignHashesResult as SignHashesResult,
  PageStatusResult as StatusResult,
  Progress,
};

export interface SignHashOptions {
  /** The digest to sign: bytes or base64. */
  hash: BinaryInput;
  hashAlgorithm: HashAlgorithm;
  /** `details.serialNumber` or `id` of a certificate from getCertificates(); default: the qualified signing one. */
  certificate?: string;
  /** `authentication`: prove who the user is with an authentication key; default `signature` (a signing key). */
  purpose?: SigningPurpose;
  /** What the digest stands for, in words (≤ 500 characters): shown as plain text, marked as what the site says. */
  description?: string;
}

export interface SignHashesOptions extends CallOptions {
  /** Up to 1,000 digests, bytes or base64, all of `hashAlgorithm`: signed in this order under one PIN. */
  hashes: BinaryInput[];
  hashAlgorithm: HashAlgorithm;
  certificate?: string;
  purpose?: SigningPurpose;
  description?: string;
}

export type SigningPurpose = (typeof SIGNING_PURPOSES)[number];

export interface DocumentInput {
  data: BinaryInput;
  name: string;
  /** Default by name: .pdf → pades, .xml → xades, anything else → cades. */
  format?: DocumentFormat;
  /**
   * PAdES: a visible signature box on page `page` (1-based, -1 the last; default 1 for a rect, the last
   * for a corner): `rect` in PDF points [x1, y1, x2, y2], or a `corner`; `text` instead of "Semnat digital
   * de NAME / Data: …", whose labels are in `language` (default: the browser's language).
   */
  visible?: { page?: number; rect?: [number, number, number, number]; corner?: 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left'; text?: string; language?: 'ro' | 'en' | 'ru' };
  /** PAdES: certify the document (only its first signature): 1 no changes after, 2 forms and signatures, 3 also annotations. */
  certify?: 1 | 2 | 3;
  /** CAdES: the content inside the signature (`.sig`, as Russian systems exchange it) instead of a detached `.p7s`. */
  attached?: boolean;
}

export interface SignedDocument {
  name: string;
  format: DocumentFormat;
  signedName: string;
  /** The signed PDF / XML, or the CAdES signature (.p7s detached, .sig with the content inside). */
  data: Uint8Array;
}

export type BatchItem = ({ ok: true } & SignedDocument) | { ok: false; name: string; error: CasTokenError };

export interface BatchOptions extends CallOptions {
  certificate?: string;
  hashAlgorithm?: HashAlgorithm;
}

export function status(): Promise<PageStatusResult> {
  return callExtension<PageStatusResult>('status', {});
}

export function getCertificates(): Promise<PageCertificate[]> {
  return callExtension<PageCertificate[]>('getCertificates', {});
}

export async function sign(options: SignHashOptions): Promise<PageSignResult> {
  const params = {
    hash: await toBase64(options.hash),
    hashAlgorithm: options.hashAlgorithm,
    ...(options.certificate ? { certificate: options.certificate } : {}),
    ...(options.purpose ? { purpose: options.purpose } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
  };
  return callExtension<PageSignResult>('sign', params);
}

/** Many digests under one PIN, e.g. for a server that assembles the signatures itself. */
export async function signHashes(options: SignHashesOptions): Promise<PageSignHashesResult> {
  const params = {
    hashes: await Promise.all(options.hashes.map(toBase64)),
    hashAlgorithm: options.hashAlgorithm,
    ...(options.certificate ? { certificate: options.certificate } : {}),
    ...(options.purpose ? { purpose: options.purpose } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
  };
  return callExtension<PageSignHashesResult>('signHashes', params, options);
}

async function documentParams(input: DocumentInput) {
  return {
    name: input.name,
    data: await toBase64(input.data),
    ...(input.format ? { format: input.format } : {}),
    ...(input.visible ? { visible: input.visible } : {}),
    ...(input.certify ? { certify: input.certify } : {}),
    ...(input.attached ? { attached: true } : {}),
  };
}

function signedFromPage(signed: PageSignedDocument): SignedDocument {
  return { name: signed.name, format: signed.format, signedName: signed.signedName, data: fromBase64(signed.data) };
}

export async function signDocument(input: DocumentInput & { certificate?: string; hashAlgorithm?: HashAlgorithm }): Promise<SignedDocument> {
  checkRequestBytes(byteLengthOf(input.data));
  const params = {
    document: await documentParams(input),
    ...(input.certificate ? { certificate: input.certificate } : {}),
    ...(input.hashAlgorithm ? { hashAlgorithm: input.hashAlgorithm } : {}),
  };
  return signedFromPage(await callExtension<PageSignedDocument>('signDocument', params));
}

/** Asks the extension to fill this page's certificate fields from the token's certificate: in this page and its frames of the same origin, never another site's frames. */
export function fillForm(options: { certificate?: string } = {}): Promise<{ filled: number; fields: { concept: string; label: string; value: string }[] }> {
  return callExtension('fillForm', options.certificate ? { certificate: options.certificate } : {});
}

/** Several documents under one PIN. A failure in one names it and does not lose the others. */
export async function signDocuments(inputs: DocumentInput[], options: BatchOptions = {}): Promise<BatchItem[]> {
  checkRequestBytes(inputs.reduce((sum, input) => sum + byteLengthOf(input.data), 0));
  const params = {
    documents: await Promise.all(inputs.map(documentParams)),
    ...(options.certificate ? { certificate: options.certificate } : {}),
    ...(options.hashAlgorithm ? { hashAlgorithm: options.hashAlgorithm } : {}),
  };
  const items = await callExtension<PageBatchItem[]>('signDocuments', params, options);
  return items.map((item) => (item.ok ? { ok: true as const, ...signedFromPage(item) } : { ok: false as const, name: item.name, error: CasTokenError.fromPayload(item.error) }));
}
