/**
 * Messages between a web page (the page SDK) and the extension (content bridge → background).
 *
 *   page → extension   { casToken: 'request', id, action, params }          (window.postMessage)
 *   extension → page   { casToken: 'ack', id }                              at once: the extension is here
 *                      { casToken: 'progress', id, progress }               during batches
 *                      { casToken: 'result', id, ok: true, result }         the answer
 *                      { casToken: 'result', id, ok: false, error }         a stable error code
 *
 * Binary values travel as base64 strings inside the extension (runtime messaging is JSON); the SDK
 * converts to and from bytes for the page. The page's origin is never taken from a message.
 */
import { z } from 'zod';
import type { CertificateDetails } from '../certificate/certificate-details.js';
import type { ErrorPayload } from './cas-token-error.js';
import { base64ByteLength, base64Schema, hexSchema } from './encoded-strings.js';
import { MAX_CERTIFICATE_CHOICE_HEX_CHARS, MAX_DIGESTS_PER_REQUEST, MAX_ID_LENGTH, MAX_PAGE_DIGEST_BASE64_CHARS } from './limits.js';
import { DIGEST_LENGTHS, HASH_ALGORITHMS } from './token-types.js';
import type { HashAlgorithm, SignatureAlgorithmInfo } from './token-types.js';

export const PAGE_PROTOCOL_VERSION = 1;
/** The page SDK waits this long for the acknowledgement before it reports EXTENSION_UNAVAILABLE. */
export const ACK_TIMEOUT_MS = 1000;
/** Documents per batch and bytes per document the extension accepts from a page (and MAX_PAGE_REQUEST_BYTES in one request, limits.ts). */
export const MAX_DOCUMENTS_PER_BATCH = 100;
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

export const PAGE_ACTIONS = ['status', 'getCertificates', 'sign', 'signHashes', 'signDocument', 'signDocuments', 'fillForm'] as const;
export type PageAction = (typeof PAGE_ACTIONS)[number];

export const DOCUMENT_FORMATS = ['pades', 'cades', 'xades'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/**
 * Bare digests are signed either as a signature on a document the site holds (default), or to prove
 * who the user is (`authentication`: only an authentication key answers, see certificate-purpose.ts).
 */
export const SIGNING_PURPOSES = ['signature', 'authentication'] as const;

/** What a site may say about the digests it sends (shown as plain text, marked as the site's words). */
export const MAX_DESCRIPTION_LENGTH = 500;

const digestBase64 = base64Schema(MAX_PAGE_DIGEST_BASE64_CHARS);
/** A certificate chosen by the page: its serial number (hex) or CKA_ID, as getCertificates returned it. */
const certificateChoice = hexSchema(MAX_CERTIFICATE_CHOICE_HEX_CHARS, 1, 'must be a certificate serialNumber or id (hex)');

function checkDigestLength(hash: string, hashAlgorithm: HashAlgorithm, path: (string | number)[], context: z.RefinementCtx): void {
  const bytes = base64ByteLength(hash);
  const expected = DIGEST_LENGTHS[hashAlgorithm];
  if (hash.length % 4 !== 0 || bytes !== expected) context.addIssue({ code: 'custom', path, message: `a ${hashAlgorithm} hash has ${expected} bytes, not ${bytes}` });
}

/** A corner of the page for a visible signature box of the default size. */
export const signatureCornerSchema = z.enum(['bottom-right', 'bottom-left', 'top-right', 'top-left']);

/** A visible signature box: a rectangle [x1, y1, x2, y2] in points or a named corner, on `page` (1-based; -1 the last). */
export const visibleSignatureSchema = z
  .object({
    page: z
      .number()
      .int()
      .min(-100000)
      .max(100000)
      .refine((n) => n !== 0, 'pages are numbered from 1 (or -1 for the last)')
      .optional(),
    rect: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
    corner: signatureCornerSchema.optional(),
    text: z.string().max(500).optional(),
    /** The language of the box's labels ("Semnat digital de" / "Digitally signed by" / "Подписано…"). */
    language: z.enum(['ro', 'en', 'ru']).optional(),
  })
  .strict()
  .refine((v) => v.rect !== undefined || v.corner !== undefined, 'a visible signature needs rect or corner');

export const pageDocumentSchema = z
  .object({
    name: z.string().min(1).max(255),
    data: base64Schema(Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 4),
    format: z.enum(DOCUMENT_FORMATS).optional(),
    visible: visibleSignatureSchema.optional(),
    /** PAdES: certify (DocMDP): 1 no changes allowed after, 2 forms and signatures, 3 also annotations. */
    certify: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    /** CAdES: the content inside the signature (a `.sig`) instead of a detached `.p7s`. */
    attached: z.boolean().optional(),
  })
  .strict();
export type PageDocument = z.infer<typeof pageDocumentSchema>;

export const pageParamsSchemas = {
  status: z.object({}).strict(),
  getCertificates: z.object({}).strict(),
  sign: z
    .object({
      hash: digestBase64,
      hashAlgorithm: z.enum(HASH_ALGORITHMS),
      certificate: certificateChoice.optional(),
      purpose: z.enum(SIGNING_PURPOSES).optional(),
      description: z.string().max(MAX_DESCRIPTION_LENGTH).optional(),
    })
    .strict()
    .superRefine(({ hash, hashAlgorithm }, context) => checkDigestLength(hash, hashAlgorithm, ['hash'], context)),
  /** Many digests under one PIN (a server that assembles the signatures itself, as EU DSS does). */
  signHashes: z
    .object({
      hashes: z.array(digestBase64).min(1).max(MAX_DIGESTS_PER_REQUEST),
      hashAlgorithm: z.enum(HASH_ALGORITHMS),
      certificate: certificateChoice.optional(),
      purpose: z.enum(SIGNING_PURPOSES).optional(),
      description: z.string().max(MAX_DESCRIPTION_LENGTH).optional(),
    })
    .strict()
    .superRefine(({ hashes, hashAlgorithm }, context) => hashes.forEach((hash, index) => checkDigestLength(hash, hashAlgorithm, ['hashes', index], context))),
  signDocument: z.object({ document: pageDocumentSchema, certificate: certificateChoice.optional(), hashAlgorithm: z.enum(HASH_ALGORITHMS).optional() }).strict(),
  signDocuments: z
    .object({
      documents: z.array(pageDocumentSchema).min(1).max(MAX_DOCUMENTS_PER_BATCH),
      certificate: certificateChoice.optional(),
      hashAlgorithm: z.enum(HASH_ALGORITHMS).optional(),
    })
    .strict(),
  /** The site asks the extension to fill its own form (this tab, the frames of the site's own origin) from the token's certificate. */
  fillForm: z.object({ certificate: certificateChoice.optional() }).strict(),
} satisfies Record<PageAction, z.ZodType>;

export type PageParams = { [A in PageAction]: z.infer<(typeof pageParamsSchemas)[A]> };

/** A language tag as a page gives it (`ro`, `ru-RU`, `en_GB`). */
export const PAGE_LANGUAGE = z
  .string()
  .max(35)
  .regex(/^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/);

export const pageRequestSchema = z
  .object({
    casToken: z.literal('request'),
    protocol: z.literal(PAGE_PROTOCOL_VERSION),
    id: z.string().min(1).max(MAX_ID_LENGTH),
    action: z.enum(PAGE_ACTIONS),
    params: z.unknown(),
    /** The page's language (BCP 47, its `lang` or the SDK's setLanguage()): errors carry a `userMessage` in it. */
    lang: PAGE_LANGUAGE.optional(),
  })
  .strict();
export type PageRequest = z.infer<typeof pageRequestSchema>;

/**
 * Whether a message is a page request of another version of the page protocol (an old page SDK): the
 * envelope, without our `protocol`. The background answers it VERSION_MISMATCH, not INVALID_ARGUMENT.
 */
export function isOtherPageProtocol(message: unknown): boolean {
  if (!message || typeof message !== 'object') return false;
  const { casToken, protocol } = message as { casToken?: unknown; protocol?: unknown };
  return casToken === 'request' && protocol !== PAGE_PROTOCOL_VERSION;
}

/**
 * What the content bridge sends the background for one page request: the request as the page posted
 * it, and whether the page had the user's transient activation (a click, a key) when it posted it —
 * read by the bridge from the browser, never from the page's message. A site's first consent window
 * opens only after a user gesture.
 */
export interface BridgedPageRequest {
  casToken: 'bridged';
  request: unknown;
  userGesture: boolean;
}

export interface PageStatusResult {
  extensionVersion: string;
  protocol: number;
  /** Only for an allowed origin: the host and what it sees. */
  host?: { version: string; available: boolean };
  tokens?: number;
}

export interface PageCertificate {
  /** DER, base64. */
  certificate: string;
  id: string;
  token: string;
  details: CertificateDetails;
}

export interface PageSignResult {
  /** Base64. RSA: PKCS#1 v1.5 / PSS; EC: DER ECDSA-Sig-Value. */
  signature: string;
  /** EC only: IEEE P1363 r||s, base64 (what WebCrypto verify wants). */
  signatureRaw?: string;
  certificate: string;
  algorithm: SignatureAlgorithmInfo;
  hashAlgorithm: HashAlgorithm;
}

/** signHashes: one signature per hash, in the order given. */
export interface PageSignHashesResult {
  /** Base64, as in PageSignResult. */
  signatures: string[];
  /** EC only: IEEE P1363 r||s, base64. */
  signaturesRaw?: string[];
  certificate: string;
  algorithm: SignatureAlgorithmInfo;
  hashAlgorithm: HashAlgorithm;
}

export interface PageSignedDocument {
  name: string;
  format: DocumentFormat;
  /** The signed file (PAdES/XAdES) or the detached signature (CAdES `.p7s`), base64. */
  data: string;
  /** The file name to save it under (`.p7s` appended for CAdES). */
  signedName: string;
}

export type PageBatchItem = ({ ok: true } & PageSignedDocument) | { ok: false; name: string; error: ErrorPayload };

export interface PageResults {
  status: PageStatusResult;
  getCertificates: PageCertificate[];
  sign: PageSignResult;
  signHashes: PageSignHashesResult;
  signDocument: PageSignedDocument;
  signDocuments: PageBatchItem[];
  fillForm: { filled: number; fields: { concept: string; label: string; value: string }[] };
}

export type PageReply =
  | { casToken: 'ack'; id: string }
  | { casToken: 'progress'; id: string; progress: { done: number; total: number; stage?: string } }
  | { casToken: 'result'; id: string; ok: true; result: unknown }
  | { casToken: 'result'; id: string; ok: false; error: ErrorPayload };
