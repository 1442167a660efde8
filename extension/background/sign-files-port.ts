/**
 * The sign-files page (the user's own files, chosen in the extension) signs through this port: the
 * same one-PIN batch as pages get, with the extension itself as the one who asks, streamed. The page
 * describes the batch; the files reach the background handed over to its service worker
 * (handed-over-files.ts) or, in Firefox, each by a `blob:` URL over the chosen file; the background
 * reads them when it can take them (a few at a time: no copy through messages, no base64), and
 * each signed file goes back as soon as it is ready, so neither side holds the batch in memory. The PIN window shows the SHA-256 of
 * the bytes that arrived, the ones signed; its preview reads the file again from the page, and a preview
 * whose bytes are not those (the file changed since) is refused.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { signFilesPageMessageSchema } from '../../shared/protocol/extension-messages.js';
import type { SignFilesPageMessage, SignFilesReply } from '../../shared/protocol/extension-messages.js';
import { MAX_SIGN_FILES_DOCUMENTS } from '../../shared/protocol/limits.js';
import { MAX_DOCUMENT_BYTES } from '../../shared/protocol/page-messages.js';
import { bytesToHex } from '../../shared/encoding/hex.js';
import { formatCount, t } from '../common/i18n.js';
import type { PromptDocumentPieces } from './prompt-windows.js';
import { signDocumentStream } from './signing/sign-documents.js';
import type { DocumentSource } from './signing/sign-documents.js';
import { base64ToBytes, bytesToBase64 } from '../../shared/encoding/base64.js';
import { claimHandedOverFiles } from './handed-over-files.js';

type Start = Extract<SignFilesPageMessage, { type: 'sign-files' }>;

const unreadable = (): CasTokenError => new CasTokenError('INVALID_ARGUMENT', 'The file could not be read: it was moved, changed or deleted after it was chosen.');
const changed = (): CasTokenError => new CasTokenError('INVALID_ARGUMENT', 'The file changed after it was read: this is not the content that will be signed.');
const tooLarge = (): CasTokenError =>
  new CasTokenError('INVALID_ARGUMENT', `The file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB: sign it with the cas-token command instead.`, {
    userMessage: t('signFilesTooLargeToSign', [formatCount(MAX_DOCUMENT_BYTES / 1024 / 1024)]),
  });
const pageGone = (): CasTokenError => new CasTokenError('USER_CANCELLED', 'The Sign files page was closed.');

interface Waiting {
  resolve(bytes: Uint8Array): void;
  reject(error: unknown): void;
}

export function handleSignFilesPort(port: chrome.runtime.Port): void {
  const gone = new AbortController();
  const pieces = new Map<number, Waiting & { index: number; length: number }>();
  let nextPiece = 0;
  let started = false;
  port.onDisconnect.addListener(() => {
    gone.abort(); // the page was closed: withdraw its PIN window
    for (const waiting of pieces.values()) waiting.reject(pageGone());
    pieces.clear();
  });
  const post = (message: SignFilesReply): void => {
    if (gone.signal.aborted) return;
    port.postMessage(message);
  };

  /** The bytes of a file handed over to the service worker, read now. */
  const readHandedOver = async (file: File | undefined): Promise<Uint8Array> => {
    if (gone.signal.aborted) throw pageGone();
    if (!file) throw unreadable();
    if (file.size > MAX_DOCUMENT_BYTES) throw tooLarge();
    try {
      return new Uint8Array(await file.arrayBuffer());
    } catch {
      throw gone.signal.aborted ? pageGone() : unreadable(); // moved, changed or deleted since it was chosen
    }
  };
  /** The bytes of the page's file behind `url` (a `blob:` URL of the extension's own origin), read now. */
  const readFile = async (url: string | undefined): Promise<Uint8Array> => {
    if (gone.signal.aborted) throw pageGone();
    if (!url?.startsWith(`blob:${self.location.origin}/`)) throw unreadable();
    let bytes: ArrayBuffer;
    try {
      const response = await fetch(url, { signal: gone.signal });
      if (Number(response.headers.get('content-length') ?? 0) > MAX_DOCUMENT_BYTES) throw tooLarge();
      bytes = await response.arrayBuffer();
    } catch (error) {
      if (gone.signal.aborted) throw pageGone();
      throw error instanceof CasTokenError ? error : unreadable();
    }
    if (bytes.byteLength > MAX_DOCUMENT_BYTES) throw tooLarge();
    return new Uint8Array(bytes);
  };
  const readPiece = (index: number, offset: number, length: number): Promise<Uint8Array> =>
    new Promise((resolve, reject) => {
      if (gone.signal.aborted) return reject(pageGone());
      const piece = nextPiece++;
      pieces.set(piece, { index, length, resolve, reject });
      post({ type: 'read-piece', index, piece, offset, length });
    });

  /** The PIN window's preview, read from the page piece by piece; read whole, it must be the bytes whose SHA-256 the window shows. */
  const preview = (index: number, shown: { size: number; sha256: string }): PromptDocumentPieces => {
    let seen: Uint8Array[] = [];
    let seenBytes = 0;
    return {
      size: shown.size,
      async read(offset, length) {
        const bytes = await readPiece(index, offset, length);
        if (offset === 0) [seen, seenBytes] = [[], 0];
        if (offset !== seenBytes) return bytes; // not read from the start: nothing to compare
        seen.push(bytes);
        seenBytes += bytes.length;
        if (seenBytes >= shown.size) {
          const whole = new Uint8Array(seenBytes);
          let at = 0;
          for (const part of seen) {
            whole.set(part, at);
            at += part.length;
          }
          [seen, seenBytes] = [[], 0];
          const sha256 = bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', whole)));
          if (sha256 !== shown.sha256) throw changed();
        }
        return bytes;
      },
    };
  };

  const run = (start: Start): void => {
    const handedOver = start.files ? claimHandedOverFiles(start.files) : undefined;
    const source: DocumentSource = {
      documents: start.documents.map((d) => ({
        name: d.name,
        format: d.format,
        size: d.size,
        ...(d.attached ? { attached: true } : {}),
        ...(d.visible && d.format === 'pades' ? { visible: d.visible } : {}),
      })),
      read: async (index) => (handedOver ? readHandedOver((await handedOver)?.[index]) : readFile(start.documents[index]!.url)),
      preview,
    };
    signDocumentStream({
      origin: t('signFilesOrigin'),
      source,
      openPinWindowAtOnce: true,
      ...(start.namesLanguage ? { namesLanguage: start.namesLanguage } : {}),
      ...(start.certificate ? { certificate: start.certificate } : {}),
      ...(start.hashAlgorithm ? { hashAlgorithm: start.hashAlgorithm } : {}),
      onRead: ({ done, total, name }) => post({ type: 'progress', progress: { done, total, stage: 'reading', name } }),
      onWaitingForPin: () => post({ type: 'progress', progress: { done: 0, total: start.documents.length, stage: 'pin' } }),
      onProgress: ({ done, total, name }) => {
        if (done > 0) post({ type: 'progress', progress: { done, total, stage: 'signing', ...(name ? { name } : {}) } });
      },
      onSigned: ({ index, name, format, signedName, output }) =>
        post({
          type: 'signed',
          index,
          name,
          format,
          signedName,
          ...('data' in output
            ? { data: bytesToBase64(output.data) }
            : { ...(output.before ? { before: bytesToBase64(output.before) } : {}), appended: bytesToBase64(output.appended), originalLength: output.originalLength }),
        }),
      signal: gone.signal,
    }).then(
      (outcomes) => {
        outcomes.forEach((outcome, index) => {
          if (!outcome.ok) post({ type: 'failed', index, name: outcome.name, error: outcome.error });
        });
        const signed = outcomes.filter((o) => o.ok).length;
        post({ type: 'result', ok: true, signed, failed: outcomes.length - signed });
      },
      (error: unknown) => post({ type: 'result', ok: false, error: CasTokenError.toSafePayload(error) }),
    );
  };

  port.onMessage.addListener((message: unknown) => {
    const parsed = signFilesPageMessageSchema.safeParse(message);
    if (!parsed.success) {
      if (!started) post({ type: 'result', ok: false, error: { code: 'INVALID_ARGUMENT', message: `Invalid sign-files request (at most ${MAX_SIGN_FILES_DOCUMENTS} files).` } });
      return;
    }
    const data = parsed.data;
    if (data.type === 'sign-files') {
      if (started) return; // one batch per port
      started = true;
      run(data);
      return;
    }
    const waiting = pieces.get(data.piece);
    if (!waiting || waiting.index !== data.index) return; // not asked for: ignored
    pieces.delete(data.piece);
    if (data.type === 'unreadable') return waiting.reject(unreadable());
    const bytes = base64ToBytes(data.data);
    // A piece is exactly what was asked, or the file is not the one read before.
    if (bytes.length !== waiting.length) return waiting.reject(changed());
    waiting.resolve(bytes);
  });
}
