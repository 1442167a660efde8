/**
 * Documents signed in the extension under ONE PIN: the formats are built here (documents never cross
 * native messaging), every digest goes to the host in one `sign` request. The batch is the one the CLI
 * runs too (shared/signature/document-batch.ts): a few documents read and prepared at a time, each
 * then holding only its digest (and a PDF its appended section) until the token has signed.
 *
 * Before the PIN window opens every document has been read and prepared: what cannot be signed (an
 * unreadable, damaged, encrypted or locked PDF, XML that cannot take a signature, a format the key
 * cannot make, a file that could not be read) is refused then, and the PIN window lists every document
 * by its content (see shown-document.ts): the type read from the bytes, the SHA-256 of the very bytes
 * that are signed, a cleaned name, a preview, the refused ones with why. When none is left, no PIN
 * window opens at all. A failure in one document names it and does not lose the others; a wrong PIN
 * keeps the PIN window open for another try.
 *
 * The bytes come from a DocumentSource: in memory (a page's request, the registration request), or
 * read when the batch can take them (the Sign files page streams the user's files through its port).
 * Each signed document is handed back as soon as it is ready.
 */
import regularFontUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import type { DocumentFormat, PageBatchItem } from '../../../shared/protocol/page-messages.js';
import { defaultFormatForName, signedFileName } from '../../../shared/protocol/signed-file-names.js';
import type { SignedNameLanguage } from '../../../shared/protocol/signed-file-names.js';
import { XADES_MAX_BYTES, documentsReadAhead } from '../../../shared/protocol/limits.js';
import { formatCount, t } from '../../common/i18n.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { createDetachedSignedData, signedDataAround } from '../../../shared/signature/cms-signed-data.js';
import { signDocumentBatch } from '../../../shared/signature/document-batch.js';
import { checkFormatForCertificate, checkXmlForSigning, hashForCertificate, signDocument } from '../../../shared/signature/index.js';
import type { DocMdpPermissions, SignatureLanguage, VisiblePlacement } from '../../../shared/signature/index.js';
import { padesContents, preparePades } from '../../../shared/signature/pades.js';
import { digestOf } from '../../../shared/signature/signer.js';
import type { Signer } from '../../../shared/signature/signer.js';
import { nativeHost } from '../host-connection.js';
import { openPinWindowEarly, withPin } from '../prompt-windows.js';
import type { PromptContent, PromptDocument, PromptRequester } from '../prompt-windows.js';
import { displayName, shownDocument } from './shown-document.js';
import { chooseSigningCertificate, pinPromptBase } from './token-choice.js';
import { base64ToBytes, bytesToBase64 } from '../../../shared/encoding/base64.js';

/** A document to sign, before its bytes are read. */
export interface DocumentDescription {
  name: string;
  format?: DocumentFormat;
  /** PAdES: a visible signature box (the font is added here). */
  visible?: VisiblePlacement;
  certify?: DocMdpPermissions;
  /** CAdES: the content inside the signature. */
  attached?: boolean;
  /** Its size as the sender knows it: what the PIN window says of a document whose bytes could not be read. */
  size?: number;
}

export interface DocumentToSign extends DocumentDescription {
  data: Uint8Array;
}

/** Where the documents' bytes come from. */
export interface DocumentSource {
  documents: DocumentDescription[];
  /** Document `index`'s bytes; rejects when they cannot be had (the document is then refused). */
  read(index: number): Promise<Uint8Array>;
  /** The PIN window's preview of document `index`, whose bytes were shown with this size and SHA-256. */
  preview(index: number, shown: { size: number; sha256: string }): PromptContent;
}

/**
 * A signed document: whole, or the document's own bytes with what goes around them: (PAdES) the section
 * appended, its signature written in; (attached CAdES) the signature's DER before the content and after it.
 */
export type SignedOutput = { data: Uint8Array } | { before?: Uint8Array; appended: Uint8Array; originalLength: number };

export interface SignedDocument {
  index: number;
  name: string;
  format: DocumentFormat;
  signedName: string;
  output: SignedOutput;
}

/** Each document's outcome, in the documents' order (the signed ones were handed to `onSigned`). */
export type DocumentOutcome = { ok: true; name: string; format: DocumentFormat; signedName: string } | { ok: false; name: string; error: ErrorPayload };

interface SigningRequest extends PromptRequester {
  /** Who asks, as the PIN window shows it: a page's origin, or the extension's own Sign files page. */
  origin: string;
  /** A web page asked (its origin is then logged by the host, and an authentication key is refused). */
  fromPage?: boolean;
  certificate?: string;
  hashAlgorithm?: HashAlgorithm;
  /** After the PIN: `name` is the document just finished (the Sign files page shows "5/14 — factura-3.pdf"). */
  onProgress?: (progress: { done: number; total: number; stage: string; name?: string }) => void;
  /** The language of the signed copies' names (factura-semnat.pdf, -signed, -подписан). Default: English. */
  namesLanguage?: SignedNameLanguage;
  /** Open the PIN window at once, saying it prepares the documents, instead of once they are prepared (the Sign files page's batches). */
  openPinWindowAtOnce?: boolean;
}

export interface SignDocumentsRequest extends SigningRequest {
  documents: DocumentToSign[];
}

export interface SignStreamRequest extends SigningRequest {
  source: DocumentSource;
  /** Before the PIN: each document read and prepared (or refused), as it happens. */
  onRead?: (progress: { done: number; total: number; name: string }) => void;
  /** Every document prepared: the PIN window is opening. */
  onWaitingForPin?: () => void;
  /** Each signed document, as soon as it is ready; the batch keeps nothing of it afterwards. */
  onSigned: (signed: SignedDocument) => void;
}

async function visibleSignatureFont(): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(regularFontUrl)).arrayBuffer());
}

/** The browser's language, when it is one the signature box speaks. */
export function uiSignatureLanguage(): SignatureLanguage {
  const language = chrome.i18n.getUILanguage().slice(0, 2).toLowerCase();
  return language === 'ro' || language === 'ru' ? language : 'en';
}

/** Failures that are the document's own; any other failure of every document is the batch's (PIN, token, cancel). */
const DOCUMENT_FAILURES = ['INVALID_ARGUMENT', 'INTERNAL_ERROR', 'DOCUMENT_LOCKED'];

/** Signs the source's documents under one PIN, handing each back as it is ready. */
export async function signDocumentStream(request: SignStreamRequest): Promise<DocumentOutcome[]> {
  const choice = await chooseSigningCertificate(request.certificate, request.fromPage ? 'signature' : undefined);
  const { certificate } = choice;
  const certificateDer = base64ToBytes(certificate.certificate);
  // SHA-256 unless asked otherwise; a GOST R 34.10-2012 key signs the Streebog of its size (a SHA-2
  // digest asked for one, or a GOST 2001 key, is refused here, before any PIN window).
  const hashAlgorithm = hashForCertificate(certificateDer, request.hashAlgorithm);
  const { source } = request;
  const all = source.documents.map((d) => ({ ...d, format: d.format ?? defaultFormatForName(d.name) }));
  const count = all.length;
  // The visible boxes are written in DejaVu Sans (ă â î ș ț, Cyrillic), their labels in the browser's language unless asked.
  let font: Promise<Uint8Array> | undefined;
  const signerName = certificate.details.subjectCommonName ?? '';

  // What the PIN window says of each document, filled as each is read; why the refused ones will not be signed.
  const rows: (Omit<PromptDocument, 'format' | 'certify' | 'refused'> | undefined)[] = new Array(count);
  const refusals: (ErrorPayload | undefined)[] = new Array(count);
  const askedFor: boolean[] = new Array(count).fill(false);
  let read = 0;
  let finished = 0;
  const signable = (): number => count - refusals.filter(Boolean).length;
  const rowOf = (index: number): PromptDocument => {
    const d = all[index]!;
    return {
      ...(rows[index] ?? { name: displayName(d.name), size: d.size ?? 0, type: 'binary', sha256: '' }),
      format: d.format,
      ...(d.certify && d.format === 'pades' ? { certify: d.certify } : {}),
      ...(refusals[index] ? { refused: refusals[index] } : {}),
    };
  };

  const build = async (index: number, signer: Signer): Promise<SignedOutput> => {
    const d = all[index]!;
    let data: Uint8Array | undefined = await source.read(index);
    rows[index] = await shownDocument(d.name, data);
    checkFormatForCertificate(d.format, certificateDer);
    if (d.attached && d.format !== 'cades') throw new CasTokenError('INVALID_ARGUMENT', 'Only CAdES signatures can carry the document inside (attached).');
    if (d.format === 'pades') {
      const visible = d.visible ? { language: uiSignatureLanguage(), ...d.visible, font: await (font ??= visibleSignatureFont()) } : undefined;
      const prepared = await preparePades(data, signer, {
        hashAlgorithm,
        name: signerName,
        ...(visible ? { visible } : {}),
        ...(d.certify ? { certify: d.certify } : {}),
      });
      data = undefined; // from here the document is its section and digest
      const contents = await padesContents(prepared, signer);
      prepared.section.set(contents, prepared.contentsAt + 1 - prepared.originalLength);
      return { appended: prepared.section, originalLength: prepared.originalLength };
    }
    if (d.format === 'cades') {
      const digest = await digestOf(data, hashAlgorithm);
      const originalLength = data.length;
      data = undefined; // a detached signature needs only the digest; an attached one goes around the document's own bytes
      if (!d.attached) return { data: await createDetachedSignedData(digest, signer, { hashAlgorithm, signingTime: new Date() }) };
      const { before, after } = await signedDataAround(digest, originalLength, signer, { hashAlgorithm, signingTime: new Date() });
      return { before, appended: after, originalLength };
    }
    if (d.format === 'xades') {
      try {
        checkXmlForSigning(data);
      } catch (error) {
        // The user's own file (not a web page's): what to do instead, in their language.
        if (request.fromPage || !(error instanceof CasTokenError) || error.code !== 'MESSAGE_TOO_LARGE') throw error;
        throw new CasTokenError(error.code, error.message, { userMessage: t('signFilesXmlTooLargeForXades', [formatCount(XADES_MAX_BYTES / 1024 / 1024)]) });
      }
    }
    return { data: await signDocument(d.format, data, signer, { hashAlgorithm, name: signerName }) };
  };

  let batchError: unknown;
  /** The token's work for the digests every document asked for, with the PIN the user typed. */
  const signWithPin = async (pin: string | undefined, digests: Uint8Array[], hash: HashAlgorithm, deliver: (from: number, signatures: Uint8Array[]) => void): Promise<Uint8Array[]> => {
    request.onProgress?.({ done: 0, total: signable(), stage: 'signing' });
    const signed = await nativeHost.request(
      'sign',
      {
        token: { module: certificate.token.module, serial: certificate.token.serial },
        certificate: { id: certificate.id },
        hashAlgorithm: hash,
        digests: digests.map(bytesToBase64),
        ...(pin !== undefined ? { pin } : {}),
        ...(request.fromPage ? { origin: request.origin, content: 'documents' as const } : {}),
        stream: true,
      },
      {
        timeoutMs: 10 * 60_000,
        // The signatures as the token makes them: the first documents are finished (and saved) while it signs the rest.
        onProgress: (done, _total, signatures) => {
          if (signatures && signatures.length > 0) deliver(done - signatures.length, signatures.map(base64ToBytes));
        },
      },
    );
    return signed.signatures.map(base64ToBytes);
  };
  const requester = { ...(request.signal ? { signal: request.signal } : {}), ...(request.owner !== undefined ? { owner: request.owner } : {}) };
  // What the PIN window shows once every document is prepared: every document, the refused ones with why they will not be signed.
  const pinDetails = () => ({ ...pinPromptBase(request.origin, choice), documents: all.map((_, index) => rowOf(index)) });
  const previews = (): PromptContent[] =>
    all.map((_, index) => {
      const row = rowOf(index);
      return source.preview(index, { size: row.size, sha256: row.sha256 });
    });
  // A batch of the user's files: the PIN window opens at once, saying it prepares them, while they are read.
  let asked: { digests: Uint8Array[]; hash: HashAlgorithm; deliver: (from: number, signatures: Uint8Array[]) => void } | undefined;
  const early = request.openPinWindowAtOnce
    ? openPinWindowEarly<Uint8Array[]>({ ...pinPromptBase(request.origin, choice), documents: [] }, (pin) => signWithPin(pin, asked!.digests, asked!.hash, asked!.deliver), requester)
    : undefined;
  let windowClosed: unknown;
  early?.result.catch((error: unknown) => (windowClosed ??= error));

  const results = await signDocumentBatch<void>({
    certificate: certificateDer,
    // The CA certificates the token (or the trust folder) has: verifiers build the path offline.
    ...(certificate.chain ? { certificateChain: certificate.chain.map(base64ToBytes) } : {}),
    count,
    concurrency: documentsReadAhead(Math.max(0, ...all.map((d) => d.size ?? 0))),
    // Called once, when every document has asked for its signature or was refused.
    signDigests: async (digests, hash, deliver) => {
      request.onWaitingForPin?.();
      try {
        if (early) {
          if (asked) throw new CasTokenError('INTERNAL_ERROR', 'A batch asks the token once.');
          asked = { digests, hash, deliver };
          early.show(pinDetails(), previews());
          return await early.result;
        }
        return await withPin(pinDetails(), (pin) => signWithPin(pin, digests, hash, deliver), { ...requester, content: previews() });
      } catch (error) {
        batchError = error;
        throw error;
      }
    },
    sign: async (index, signer) => {
      if (windowClosed) throw windowClosed; // the user closed the PIN window while the files were read
      const d = all[index]!;
      const asking: Signer = {
        ...signer,
        signDigest: (digest: Uint8Array, hash: HashAlgorithm) => {
          askedFor[index] = true;
          read += 1;
          request.onRead?.({ done: read, total: count, name: d.name });
          return signer.signDigest(digest, hash);
        },
      };
      let output: SignedOutput;
      try {
        output = await build(index, asking);
      } catch (error) {
        if (!askedFor[index]) {
          // Refused before the PIN: the PIN window will say why.
          refusals[index] = CasTokenError.toSafePayload(error);
          read += 1;
          request.onRead?.({ done: read, total: count, name: d.name });
        }
        throw error;
      }
      request.onSigned({ index, name: d.name, format: d.format, signedName: signedFileName(d.name, d.format, d.attached ?? false, request.namesLanguage), output });
    },
    onSettled: (index) => {
      if (!askedFor[index]) return;
      finished += 1;
      request.onProgress?.({ done: finished, total: signable(), stage: 'signing', name: all[index]!.name });
    },
  });

  // No document asked for a signature: the early window closes without asking for a PIN.
  if (early && !asked) early.withdraw(windowClosed ?? new CasTokenError('INVALID_ARGUMENT', 'No file could be signed.'));
  // Closed before any PIN: the user cancelled the batch (nothing was signed).
  if (windowClosed instanceof CasTokenError && windowClosed.code === 'USER_CANCELLED' && !asked) throw windowClosed;
  const signedOnes = results.filter((_, index) => askedFor[index]);
  // A PIN or token problem concerns the whole batch: the PIN window showed it (and let the user retry a wrong PIN).
  if (signedOnes.length > 0 && signedOnes.every((r) => r.status === 'rejected')) {
    const first = batchError ?? (signedOnes[0] as PromiseRejectedResult).reason;
    if (first instanceof CasTokenError && !DOCUMENT_FAILURES.includes(first.code)) throw first;
  }
  return results.map((result, index): DocumentOutcome => {
    const d = all[index]!;
    if (result.status === 'fulfilled') return { ok: true, name: d.name, format: d.format, signedName: signedFileName(d.name, d.format, d.attached ?? false, request.namesLanguage) };
    return { ok: false, name: d.name, error: refusals[index] ?? CasTokenError.toSafePayload(result.reason) };
  });
}

/** Documents already in memory (a page's request, the registration request): the signed files come back whole. */
export async function signDocumentsWithPin(request: SignDocumentsRequest): Promise<PageBatchItem[]> {
  const { documents, ...rest } = request;
  const outputs: Uint8Array[] = new Array(documents.length);
  const outcomes = await signDocumentStream({
    ...rest,
    source: {
      documents,
      read: async (index) => documents[index]!.data,
      preview: (index) => documents[index]!.data,
    },
    onSigned: ({ index, output }) => {
      if ('data' in output) {
        outputs[index] = output.data;
        return;
      }
      const before = output.before ?? new Uint8Array(0);
      const whole = new Uint8Array(before.length + output.originalLength + output.appended.length);
      whole.set(before, 0);
      whole.set(documents[index]!.data.subarray(0, output.originalLength), before.length);
      whole.set(output.appended, before.length + output.originalLength);
      outputs[index] = whole;
    },
  });
  return outcomes.map((outcome, index): PageBatchItem => (outcome.ok ? { ...outcome, data: bytesToBase64(outputs[index]!) } : outcome));
}
