/**
 * Messages between the extension's own pages and the background: `runtime.sendMessage` from the popup,
 * the prompt windows, the Renew, Verify and Sign files pages (validated on arrival by the action router,
 * answered `{ ok: true, result }` or `{ ok: false, error }`), the Sign files page's port (`sign-files`),
 * and the background's word to the prompt window on screen (`prompt-waiting`).
 */
import { z } from 'zod';
import { providerProfileSchema } from '../registration-request/provider-profile.js';
import type { ErrorPayload } from './cas-token-error.js';
import { base64Schema } from './encoded-strings.js';
import { GOST_PARAMSET_NAMES } from './gost-algorithms.js';
import {
  MAX_ID_LENGTH,
  MAX_IMPORTED_CERTIFICATE_CHARS,
  MAX_LABEL_LENGTH,
  MAX_ORIGIN_LENGTH,
  MAX_PIN_LENGTH,
  MAX_PROMPT_DOCUMENT_INDEX,
  MAX_REQUEST_TEMPLATE_CHARS,
  MAX_TYPED_SUBJECT_LENGTH,
  MAX_CERTIFICATE_CHOICE_HEX_CHARS,
  MAX_SIGN_FILES_DOCUMENTS,
  PROMPT_DOCUMENT_CHUNK_BYTES,
} from './limits.js';
import { DOCUMENT_FORMATS, signatureCornerSchema, visibleSignatureSchema } from './page-messages.js';
import type { DocumentFormat } from './page-messages.js';
import { HASH_ALGORITHMS, KEY_TYPES } from './token-types.js';

/** A certificate on a token: the token's serial number and the certificate's CKA_ID (lower-case hex). */
const certificateRef = z.object({ tokenSerial: z.string().max(MAX_LABEL_LENGTH), id: z.string().regex(/^[0-9a-f]{0,256}$/) }).strict();
export type CertificateRef = z.infer<typeof certificateRef>;
/**
 * The values of a certificate that is not on a token: one the user picked as a file in an extension
 * page (popup), or a signer's certificate on the Verify page. Exactly what Fill form writes, each in
 * the form `describeCertificate` gives it; the frames that receive them are still chosen by their
 * own origins in the background.
 */
const certificateValues = z
  .object({
    serialNumber: z.string().regex(/^[0-9A-F]{1,256}$/),
    serialNumberWindows: z
      .string()
      .max(1024)
      .regex(/^[0-9a-f]{2}( [0-9a-f]{2})*$/),
    serialNumberDecimal: z.string().regex(/^[0-9]{1,700}$/),
    issuer: z.string().min(1).max(4096),
    issuerRfc4514: z.string().min(1).max(4096),
    notBefore: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    notAfter: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    email: z.string().max(320).optional(),
  })
  .strict();
export type CertificateValues = z.infer<typeof certificateValues>;
/** What Fill form takes its values from: a certificate on the token (looked up there again), or a certificate's values. */
export type FillSource = CertificateRef | { values: CertificateValues };

/** The values Fill form needs from a certificate's details (a file's, a signer's). */
export function certificateValuesOf(details: CertificateValues): CertificateValues {
  const { serialNumber, serialNumberWindows, serialNumberDecimal, issuer, issuerRfc4514, notBefore, notAfter, email } = details;
  return { serialNumber, serialNumberWindows, serialNumberDecimal, issuer, issuerRfc4514, notBefore, notAfter, ...(email !== undefined ? { email } : {}) };
}

/** Background → the prompt window on screen (a runtime message): how many prompts wait behind it now. */
export const promptWaitingMessageSchema = z.object({ type: z.literal('prompt-waiting'), promptId: z.string().max(MAX_ID_LENGTH), waiting: z.number().int().min(0) }).strict();
export type PromptWaitingMessage = z.infer<typeof promptWaitingMessageSchema>;

export const extensionMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status') }).strict(),
  z.object({ type: z.literal('certificates') }).strict(),
  z
    .object({
      type: z.literal('fill-form'),
      tabId: z.number().int().min(0),
      certificate: z.union([certificateRef, z.object({ values: certificateValues }).strict()]),
      /** Default: the top frame's origin. A list: frames of these origins only (the ones the user agreed to). */
      origins: z.union([z.literal('same-as-top'), z.array(z.string().max(MAX_ORIGIN_LENGTH)).min(1).max(100)]).optional(),
      /** Fill only while the tab's top frame still has this origin. */
      topOrigin: z.string().max(MAX_ORIGIN_LENGTH).optional(),
    })
    .strict(),
  z.object({ type: z.literal('undo-fill'), tabId: z.number().int().min(0) }).strict(),
  z.object({ type: z.literal('prompt-answer'), promptId: z.string().max(MAX_ID_LENGTH), answer: z.unknown() }).strict(),
  z.object({ type: z.literal('prompt-details'), promptId: z.string().max(MAX_ID_LENGTH) }).strict(),
  /** A piece of a document the PIN window previews (its bytes stay in the extension). */
  z.object({ type: z.literal('prompt-document'), promptId: z.string().max(MAX_ID_LENGTH), index: z.number().int().min(0).max(MAX_PROMPT_DOCUMENT_INDEX), offset: z.number().int().min(0) }).strict(),
  z
    .object({
      type: z.literal('generate-request'),
      keyType: z.enum(KEY_TYPES),
      /** GOST keys: the parameter set (default TC26 A). */
      gostParamset: z.enum(GOST_PARAMSET_NAMES).optional(),
      /** Copy this certificate's subject, or use the typed subject (SIUI form). */
      certificate: certificateRef.optional(),
      subject: z.string().max(MAX_TYPED_SUBJECT_LENGTH).optional(),
      /** Typed in the extension's own Renew page; passed to the host once, never kept. */
      pin: z.string().max(MAX_PIN_LENGTH).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('registration-request'),
      profile: providerProfileSchema,
      certificate: certificateRef,
      template: base64Schema(MAX_REQUEST_TEMPLATE_CHARS).optional(),
      sign: z.boolean(),
      /** The signature shown in this corner of the request's last page (signed requests only). */
      visibleCorner: signatureCornerSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('import-certificate'), file: base64Schema(MAX_IMPORTED_CERTIFICATE_CHARS), includeChain: z.boolean(), pin: z.string().max(MAX_PIN_LENGTH).optional() }).strict(),
]);
export type ExtensionMessage = z.infer<typeof extensionMessageSchema>;

export type ExtensionReply<T = unknown> = { ok: true; result: T } | { ok: false; error: ErrorPayload };

/**
 * The Sign files page ↔ background, over its `sign-files` port: the user's own files under one PIN,
 * streamed. The page describes the batch (`sign-files`: names, sizes, formats: no bytes). The files
 * themselves reach the background either handed to its service worker (Chromium: the page posts the
 * File objects to it, `SignFilesHandOver`, and names that hand-over in `files`), or, where the
 * background is no service worker (Firefox), as a `blob:` URL of the page's own origin per file. The
 * background reads each file when it can take it, a few at a time (documentsReadAhead; a file
 * moved, changed or deleted since it was chosen cannot be read: it is refused). The PIN window lists every file with the
 * SHA-256 of the bytes read (the bytes signed), and previews the one the user selects through
 * `read-piece` (answered `piece`, or `unreadable`). Each signed file comes back as soon as it is ready
 * (`signed`), then the failures, then `result`.
 */
const signFilesDocumentSchema = z
  .object({
    name: z.string().min(1).max(255),
    /** The file's size as the page sees it (shown for a file that cannot be read). */
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    format: z.enum(DOCUMENT_FORMATS),
    attached: z.boolean().optional(),
    visible: visibleSignatureSchema.optional(),
    /** Without a hand-over: the chosen file, as a `blob:` URL of the extension's own origin (the background checks the origin). */
    url: z
      .string()
      .max(200)
      .regex(/^blob:(?:chrome|moz)-extension:\/\/[A-Za-z0-9-]+\/[0-9A-Fa-f-]+$/)
      .optional(),
  })
  .strict();

/** A hand-over's name: a random UUID the page made. */
const handOverId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

const fileIndex = z
  .number()
  .int()
  .min(0)
  .max(MAX_SIGN_FILES_DOCUMENTS - 1);

export const signFilesPageMessageSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('sign-files'),
      documents: z.array(signFilesDocumentSchema).min(1).max(MAX_SIGN_FILES_DOCUMENTS),
      certificate: z.string().max(MAX_CERTIFICATE_CHOICE_HEX_CHARS).optional(),
      hashAlgorithm: z.enum(HASH_ALGORITHMS).optional(),
      /** The language of the signed copies' names: the page's. */
      namesLanguage: z.enum(['ro', 'en', 'ru']).optional(),
      /** The files were handed to the service worker under this id, in the documents' order. */
      files: handOverId.optional(),
    })
    .strict()
    .refine((batch) => batch.files !== undefined || batch.documents.every((d) => d.url !== undefined), 'Each file needs its blob: URL, or the batch a hand-over.'),
  /** The page could not read a piece of that file. */
  z.object({ type: z.literal('unreadable'), index: fileIndex, piece: z.number().int().min(0) }).strict(),
  /** A piece of a file for the PIN window's preview, answering `read-piece` `piece`. */
  z.object({ type: z.literal('piece'), index: fileIndex, piece: z.number().int().min(0), data: base64Schema(Math.ceil((PROMPT_DOCUMENT_CHUNK_BYTES * 4) / 3) + 4) }).strict(),
]);
export type SignFilesPageMessage = z.infer<typeof signFilesPageMessageSchema>;

/**
 * The Sign files page → the extension's service worker (`navigator.serviceWorker.controller.postMessage`):
 * the chosen File objects themselves (structured clone: a reference to the file on disk, no bytes
 * copied), read there as fast as the page reads them. Taken only from the extension's own pages.
 */
export const signFilesHandOverSchema = z
  .object({
    type: z.literal('sign-files-hand-over'),
    id: handOverId,
    files: z
      .array(z.custom<File>((value) => typeof File !== 'undefined' && value instanceof File))
      .min(1)
      .max(MAX_SIGN_FILES_DOCUMENTS),
  })
  .strict();
export type SignFilesHandOver = z.infer<typeof signFilesHandOverSchema>;
export type SignFilesDocument = z.infer<typeof signFilesDocumentSchema>;

/**
 * A signed file as it comes back: whole, or around the file's own bytes (which never travel back): (PAdES)
 * the section to append, the signature in it; (attached CAdES) the signature's DER before the content and after it.
 */
export type SignedFileOutput = { data: string } | { before?: string; appended: string; originalLength: number };

/** Background → the Sign files page, over the same port. */
export type SignFilesReply =
  | { type: 'read-piece'; index: number; piece: number; offset: number; length: number }
  | { type: 'progress'; progress: { done: number; total: number; stage: 'reading' | 'pin' | 'signing'; name?: string } }
  | ({ type: 'signed'; index: number; name: string; format: DocumentFormat; signedName: string } & SignedFileOutput)
  | { type: 'failed'; index: number; name: string; error: ErrorPayload }
  | { type: 'result'; ok: true; signed: number; failed: number }
  | { type: 'result'; ok: false; error: ErrorPayload };
