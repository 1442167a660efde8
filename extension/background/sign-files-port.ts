/**
 * The sign-files page (the user's own files, chosen in the extension) signs through this port:
 * the same one-PIN batch as pages get, with the extension itself as the one who asks.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { signFilesRequestSchema } from '../../shared/protocol/extension-messages.js';
import type { SignFilesReply } from '../../shared/protocol/extension-messages.js';
import { t } from '../common/i18n.js';
import { signDocumentsWithPin } from './signing/sign-documents.js';
import { base64ToBytes } from '../../shared/encoding/base64.js';

export function handleSignFilesPort(port: chrome.runtime.Port): void {
  const gone = new AbortController();
  port.onDisconnect.addListener(() => gone.abort()); // the page was closed: withdraw its PIN window
  const post = (message: SignFilesReply): void => {
    if (gone.signal.aborted) return;
    port.postMessage(message);
  };
  port.onMessage.addListener((message: unknown) => {
    const parsed = signFilesRequestSchema.safeParse(message);
    if (!parsed.success) {
      post({ type: 'result', ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Invalid sign-files request.' } });
      return;
    }
    const { documents, certificate, hashAlgorithm, namesLanguage } = parsed.data;
    signDocumentsWithPin({
      origin: t('signFilesOrigin'),
      documents: documents.map((d) => ({
        name: d.name,
        format: d.format,
        data: base64ToBytes(d.data),
        ...(d.attached ? { attached: true } : {}),
        ...(d.visible && d.format === 'pades' ? { visible: d.visible } : {}),
      })),
      ...(namesLanguage ? { namesLanguage } : {}),
      ...(certificate ? { certificate } : {}),
      ...(hashAlgorithm ? { hashAlgorithm } : {}),
      onProgress: (progress) => post({ type: 'progress', progress }),
      onDocumentPrepared: ({ prepared, total, name }) => post({ type: 'progress', progress: { done: prepared, total, name, stage: 'preparing' } }),
      signal: gone.signal,
    }).then(
      (items) => post({ type: 'result', ok: true, items }),
      (error: unknown) => post({ type: 'result', ok: false, error: CasTokenError.toSafePayload(error) }),
    );
  });
}
