/**
 * The sign-files page (the user's own files, chosen in the extension) signs through this port:
 * the same one-PIN batch as pages get, with the extension itself as the one who asks.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { z } from 'zod';
import { DOCUMENT_FORMATS, MAX_DOCUMENTS_PER_BATCH, visibleSignatureSchema } from '../../shared/protocol/page-messages.js';
import { HASH_ALGORITHMS } from '../../shared/protocol/token-types.js';
import { t } from '../ui/i18n.js';
import { signDocumentsWithPin } from './signing/sign-documents.js';
import { base64ToBytes } from '../../shared/encoding/base64.js';

const signFilesSchema = z
  .object({
    documents: z
      .array(
        z
          .object({ name: z.string().min(1).max(255), data: z.string(), format: z.enum(DOCUMENT_FORMATS), attached: z.boolean().optional(), visible: visibleSignatureSchema.optional() })
          .strict(),
      )
      .min(1)
      .max(MAX_DOCUMENTS_PER_BATCH),
    certificate: z.string().max(128).optional(),
    hashAlgorithm: z.enum(HASH_ALGORITHMS).optional(),
    /** The language of the signed copies' names: the page's. */
    namesLanguage: z.enum(['ro', 'en', 'ru']).optional(),
  })
  .strict();

export function handleSignFilesPort(port: chrome.runtime.Port): void {
  const gone = new AbortController();
  port.onDisconnect.addListener(() => gone.abort()); // the page was closed: withdraw its PIN window
  const post = (message: object): void => {
    if (gone.signal.aborted) return;
    port.postMessage(message);
  };
  port.onMessage.addListener((message: unknown) => {
    const parsed = signFilesSchema.safeParse(message);
    if (!parsed.success) {
      port.postMessage({ type: 'result', ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Invalid sign-files request.' } });
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
