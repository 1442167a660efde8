/**
 * The content of one document in the PIN window, read from the bytes that will be signed (kept in
 * the background, fetched in pieces): a PDF's first page drawn by pdf.js, the text of XML or of a text
 * file, or — for anything else — the plain statement that it cannot be shown, with its SHA-256 above.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PromptDocument } from '../../background/prompt-windows.js';
import { askBackground } from '../../common/ask-background.js';
import { base64ToBytes } from '../../../shared/encoding/base64.js';
import { formatCount, formatSize, t } from '../../common/i18n.js';
import { documentText, TEXT_SHOWN_MAX } from './document-text.js';

/** The document's bytes, in the background's pieces. */
async function fetchDocument(promptId: string, index: number): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let offset = 0;
  let total = Infinity;
  while (offset < total) {
    const chunk = await askBackground<{ data: string; total: number }>({ type: 'prompt-document', promptId, index, offset });
    total = chunk.total;
    const bytes = base64ToBytes(chunk.data);
    if (bytes.length === 0) break;
    pieces.push(bytes);
    offset += bytes.length;
  }
  const all = new Uint8Array(offset);
  let at = 0;
  for (const piece of pieces) {
    all.set(piece, at);
    at += piece.length;
  }
  return all;
}

type Shown = { state: 'loading' } | { state: 'pdf'; pages: number } | { state: 'text'; text: string; truncated: boolean; size: number } | { state: 'none' } | { state: 'failed' };

export function DocumentPreview({ promptId, index, document }: { promptId: string; index: number; document: PromptDocument }) {
  const [shown, setShown] = useState<Shown>({ state: 'loading' });
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    if (document.type === 'binary' || document.type === 'empty') {
      setShown({ state: 'none' });
      return undefined;
    }
    void (async () => {
      try {
        const bytes = await fetchDocument(promptId, index);
        if (!live) return;
        if (document.type === 'pdf') {
          const { renderFirstPage } = await import('./pdf-first-page.js');
          const width = Math.max(200, (box.current?.clientWidth ?? 480) - 16);
          const pages = await renderFirstPage(bytes, canvas.current!, width);
          if (live) setShown({ state: 'pdf', pages });
        } else {
          const { text, truncated } = documentText(bytes);
          if (live) setShown({ state: 'text', text, truncated, size: bytes.length });
        }
      } catch {
        if (live) setShown({ state: 'failed' });
      }
    })();
    return () => {
      live = false;
    };
  }, [promptId, index, document.type]);

  return (
    <section class="preview" data-testid="pin-preview" data-state={shown.state} ref={box}>
      <h2>{t('pinPreviewTitle', [document.name])}</h2>
      {shown.state === 'loading' && <p class="detail">{t('pinPreviewLoading')}</p>}
      {shown.state === 'failed' && <p class="notice warn">{t('pinPreviewFailed')}</p>}
      {shown.state === 'none' && <p class="notice warn">{document.type === 'empty' ? t('pinEmptyWarning') : t('pinPreviewBinary')}</p>}
      {document.type === 'pdf' && (
        <>
          <canvas ref={canvas} class="page" data-testid="pin-preview-page" hidden={shown.state !== 'pdf'} />
          {shown.state === 'pdf' && <p class="detail">{t('pinPreviewPages', [formatCount(shown.pages)])}</p>}
        </>
      )}
      {shown.state === 'text' && (
        <>
          <pre class="text" data-testid="pin-preview-text">
            {shown.text}
          </pre>
          {shown.truncated && <p class="detail">{t('pinPreviewTruncated', [formatSize(TEXT_SHOWN_MAX), formatSize(shown.size)])}</p>}
        </>
      )}
    </section>
  );
}
