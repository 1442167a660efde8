/**
 * Documents signed in the extension under ONE PIN: the formats are built here (documents never cross
 * native messaging), every digest goes to the host in one `sign` request. A failure in one document
 * names it and does not lose the others; a wrong PIN keeps the PIN window open for another try.
 * The PIN window shows each document by its content (see shown-document.ts): the type read from the
 * bytes, the SHA-256, a cleaned name, and a preview of the bytes themselves.
 */
import regularFontUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { defaultFormatForName, signedFileName } from '../../../shared/protocol/page-messages.js';
import type { DocumentFormat, PageBatchItem, SignedNameLanguage } from '../../../shared/protocol/page-messages.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { createBatchSigner } from '../../../shared/signature/batch-signer.js';
import { checkFormatForCertificate, checkXmlForSigning, hashForCertificate, openPdfForSigning, signDocument, resolveVisiblePlacement } from '../../../shared/signature/index.js';
import type { DocMdpPermissions, SignatureLanguage, VisiblePlacement } from '../../../shared/signature/index.js';
import { nativeHost } from '../host-connection.js';
import { withPin } from '../prompt-windows.js';
import type { PromptRequester } from '../prompt-windows.js';
import { shownDocument } from './shown-document.js';
import { chooseSigningCertificate, pinPromptBase } from './token-choice.js';
import { base64ToBytes, bytesToBase64 } from '../../../shared/encoding/base64.js';

export interface DocumentToSign {
  name: string;
  data: Uint8Array;
  format?: DocumentFormat;
  /** PAdES: a visible signature box (the font is added here). */
  visible?: VisiblePlacement;
  certify?: DocMdpPermissions;
  /** CAdES: the content inside the signature. */
  attached?: boolean;
}

export interface SignDocumentsRequest extends PromptRequester {
  /** Who asks, as the PIN window shows it: a page's origin, or the extension's own Sign files page. */
  origin: string;
  /** A web page asked (its origin is then logged by the host, and an authentication key is refused). */
  fromPage?: boolean;
  documents: DocumentToSign[];
  certificate?: string;
  hashAlgorithm?: HashAlgorithm;
  /** `name`: the document just finished (the Sign files page shows "5/14 — factura-3.pdf"). */
  onProgress?: (progress: { done: number; total: number; stage: string; name?: string }) => void;
  /** Each document built and waiting for its signature, as it happens (the Sign files page names it). */
  onDocumentPrepared?: (progress: { prepared: number; total: number; name: string }) => void;
  /** The language of the signed copies' names (factura-semnat.pdf, -signed, -подписан). Default: English. */
  namesLanguage?: SignedNameLanguage;
}

async function visibleSignatureFont(): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(regularFontUrl)).arrayBuffer());
}

/** The browser's language, when it is one the signature box speaks. */
export function uiSignatureLanguage(): SignatureLanguage {
  const language = chrome.i18n.getUILanguage().slice(0, 2).toLowerCase();
  return language === 'ro' || language === 'ru' ? language : 'en';
}

export async function signDocumentsWithPin(request: SignDocumentsRequest): Promise<PageBatchItem[]> {
  const choice = await chooseSigningCertificate(request.certificate, request.fromPage ? 'signature' : undefined);
  const { certificate } = choice;
  const certificateDer = base64ToBytes(certificate.certificate);
  // SHA-256 unless asked otherwise; a GOST R 34.10-2012 key signs the Streebog of its size (a SHA-2
  // digest asked for one, or a GOST 2001 key, is refused here, before any PIN window).
  const hashAlgorithm = hashForCertificate(certificateDer, request.hashAlgorithm);
  const all = request.documents.map((d) => ({ ...d, format: d.format ?? defaultFormatForName(d.name) }));
  // PDFs that cannot take a signature (unreadable, damaged, encrypted, certified against changes) and
  // XML that cannot (not well-formed, too large, already signed in a way a new signature would break) fail now,
  // before anyone types a PIN for them; so do PAdES and XAdES with a GOST key (FORMAT_NOT_SUPPORTED: CAdES only).
  // When none is left, no PIN window opens at all.
  const refusals = await Promise.all(
    all.map((d) => {
      try {
        checkFormatForCertificate(d.format, certificateDer);
        if (d.attached && d.format !== 'cades') throw new CasTokenError('INVALID_ARGUMENT', 'Only CAdES signatures can carry the document inside (attached).');
      } catch (error) {
        return CasTokenError.toSafePayload(error);
      }
      if (d.format === 'pades') {
        // A visible box that does not fit its page is refused here too, before the PIN.
        return openPdfForSigning(d.data, d.certify ? { certify: d.certify } : {})
          .then((pdf) => {
            if (d.visible) resolveVisiblePlacement(d.visible, pdf.getPageCount(), (index) => pdf.getPage(index).getCropBox());
            return undefined;
          })
          .catch(CasTokenError.toSafePayload);
      }
      if (d.format === 'xades') {
        try {
          checkXmlForSigning(d.data);
        } catch (error) {
          return CasTokenError.toSafePayload(error);
        }
      }
      return undefined;
    }),
  );
  const refused = (index: number): PageBatchItem => ({ ok: false, name: all[index]!.name, error: refusals[index]! });
  const documents = all.filter((_, index) => refusals[index] === undefined);
  if (documents.length === 0) return all.map((_, index) => refused(index));
  const total = documents.length;
  // The visible boxes are written in DejaVu Sans (ă â î ș ț, Cyrillic), their labels in the browser's language unless asked.
  const font = documents.some((d) => d.visible && d.format === 'pades') ? await visibleSignatureFont() : undefined;
  const shown = await Promise.all(all.map((d) => shownDocument(d.name, d.data)));
  const signed = await withPin(
    {
      ...pinPromptBase(request.origin, choice),
      // Every document, the refused ones with why they will not be signed.
      documents: all.map((d, index) => ({
        ...shown[index]!,
        format: d.format,
        ...(d.certify && d.format === 'pades' ? { certify: d.certify } : {}),
        ...(refusals[index] ? { refused: refusals[index] } : {}),
      })),
    },
    async (pin) => {
      request.onProgress?.({ done: 0, total, stage: 'signing' });
      const batch = createBatchSigner({
        certificate: certificateDer,
        // The CA certificates the token (or the trust folder) has: verifiers build the path offline.
        ...(certificate.chain ? { certificateChain: certificate.chain.map(base64ToBytes) } : {}),
        expected: total,
        signDigests: async (digests, hash) => {
          const signed = await nativeHost.request(
            'sign',
            {
              token: { module: certificate.token.module, serial: certificate.token.serial },
              certificate: { id: certificate.id },
              hashAlgorithm: hash,
              digests: digests.map(bytesToBase64),
              ...(pin !== undefined ? { pin } : {}),
              ...(request.fromPage ? { origin: request.origin, content: 'documents' as const } : {}),
            },
            { timeoutMs: 10 * 60_000 },
          );
          return signed.signatures.map(base64ToBytes);
        },
      });
      let finished = 0;
      let prepared = 0;
      const results = await Promise.allSettled(
        documents.map(async (document) => {
          try {
            return await batch.forOneDocument((signer) =>
              signDocument(
                document.format,
                document.data,
                {
                  ...signer,
                  // The document is built and asks for its signature: the page can name it ("5/14 — factura-3.pdf").
                  signDigest: (digest, hash) => {
                    prepared += 1;
                    request.onDocumentPrepared?.({ prepared, total, name: document.name });
                    return signer.signDigest(digest, hash);
                  },
                },
                {
                  hashAlgorithm,
                  ...(document.visible && font ? { visible: { language: uiSignatureLanguage(), ...document.visible, font } } : {}),
                  ...(document.certify ? { certify: document.certify } : {}),
                  ...(document.attached ? { attached: true } : {}),
                  name: certificate.details.subjectCommonName ?? '',
                },
              ),
            );
          } finally {
            finished += 1;
            request.onProgress?.({ done: finished, total, stage: 'signing', name: document.name });
          }
        }),
      );
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failures.length === total) {
        const first = failures[0]!.reason;
        // A PIN or token problem concerns the whole batch: the PIN window shows it (and lets the user retry a wrong PIN).
        if (first instanceof CasTokenError && !['INVALID_ARGUMENT', 'INTERNAL_ERROR', 'DOCUMENT_LOCKED'].includes(first.code)) throw first;
      }
      return results.map((result, index): PageBatchItem => {
        const document = documents[index]!;
        if (result.status === 'fulfilled') {
          return {
            ok: true,
            name: document.name,
            format: document.format,
            data: bytesToBase64(result.value),
            signedName: signedFileName(document.name, document.format, document.attached ?? false, request.namesLanguage),
          };
        }
        return { ok: false, name: document.name, error: CasTokenError.toSafePayload(result.reason) };
      });
    },
    {
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.owner !== undefined ? { owner: request.owner } : {}),
      content: all.map((d) => d.data),
    },
  );
  let next = 0;
  return all.map((_, index) => (refusals[index] === undefined ? signed[next++]! : refused(index)));
}
