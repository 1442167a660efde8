/**
 * Sign files: add several (drag and drop or the picker), see the list, choose the format per file
 * (PDF → PAdES, XML → XAdES, others → CAdES by default), then ONE PIN for the whole batch, a progress
 * bar, each result downloadable and all as one ZIP. A failed file is named; the others are kept.
 *
 * data-testid: file-input, file-row, format-select, sign-all, progress, result-row, download, download-zip.
 */
import { zipSync } from 'fflate';
import { useState } from 'preact/hooks';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import { defaultFormatForName } from '../../../shared/protocol/page-messages.js';
import type { DocumentFormat, PageBatchItem } from '../../../shared/protocol/page-messages.js';
import { ErrorNotice, ErrorText, isCancelled } from '../error-text.js';
import { formatSize, plural, t } from '../i18n.js';
import { base64ToBytes, bytesToBase64 } from '../../../shared/encoding/base64.js';
import { saveFile } from '../save-file.js';

interface ChosenFile {
  file: File;
  format: DocumentFormat;
  /** CAdES with the file inside (.sig), what Russian systems exchange. */
  attached?: boolean;
}

const base64Of = async (file: File): Promise<string> => bytesToBase64(new Uint8Array(await file.arrayBuffer()));

export function SignFiles() {
  const [files, setFiles] = useState<ChosenFile[]>([]);
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [results, setResults] = useState<PageBatchItem[] | undefined>();
  const [error, setError] = useState<ErrorPayload | undefined>();
  const [busy, setBusy] = useState(false);

  const add = (list: FileList | null): void => {
    if (!list) return;
    setFiles((current) => [...current, ...Array.from(list).map((file) => ({ file, format: defaultFormatForName(file.name) }))]);
    setResults(undefined);
  };

  async function signAll(): Promise<void> {
    setBusy(true);
    setError(undefined);
    setResults(undefined);
    setProgress({ done: 0, total: files.length });
    const documents = await Promise.all(files.map(async ({ file, format, attached }) => ({ name: file.name, format, data: await base64Of(file), ...(attached ? { attached: true } : {}) })));
    const port = chrome.runtime.connect({ name: 'sign-files' });
    port.onMessage.addListener((message: { type: string; progress?: { done: number; total: number }; ok?: boolean; items?: PageBatchItem[]; error?: ErrorPayload }) => {
      if (message.type === 'progress' && message.progress) setProgress(message.progress);
      if (message.type === 'result') {
        if (message.ok) setResults(message.items);
        else setError(message.error);
        setBusy(false);
        port.disconnect();
      }
    });
    port.postMessage({ documents });
  }

  const signed = (results ?? []).filter((r): r is Extract<PageBatchItem, { ok: true }> => r.ok);
  return (
    <main
      style="max-width: 760px"
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        add(event.dataTransfer?.files ?? null);
      }}
    >
      <h1>{t('signFilesTitle')}</h1>
      <p>{t('signFilesExplanation')}</p>
      <input type="file" multiple data-testid="file-input" onChange={(event) => add((event.target as HTMLInputElement).files)} />
      {files.length > 0 && (
        <table class="list">
          <tbody>
            {files.map((chosen, index) => (
              <tr key={index} data-testid="file-row">
                <td>{chosen.file.name}</td>
                <td class="size">{formatSize(chosen.file.size)}</td>
                <td>
                  <select
                    data-testid="format-select"
                    value={chosen.attached ? 'cades-attached' : chosen.format}
                    onChange={(event) => {
                      const value = (event.target as HTMLSelectElement).value;
                      const attached = value === 'cades-attached';
                      const format = (attached ? 'cades' : value) as DocumentFormat;
                      setFiles((current) => current.map((f, i) => (i === index ? { ...f, format, attached } : f)));
                    }}
                  >
                    <option value="pades">PAdES (PDF)</option>
                    <option value="xades">XAdES (XML)</option>
                    <option value="cades">CAdES (.p7s)</option>
                    <option value="cades-attached">{t('signFilesCadesAttached')}</option>
                  </select>
                </td>
                <td>
                  <button type="button" disabled={busy} onClick={() => setFiles((current) => current.filter((_, i) => i !== index))}>
                    {t('remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="actions">
        <button type="button" class="primary" data-testid="sign-all" disabled={busy || files.length === 0} onClick={() => void signAll()}>
          {plural('signAll', files.length)}
        </button>
      </div>
      {progress && busy && <progress data-testid="progress" max={progress.total} value={progress.done} />}
      {error && <ErrorNotice error={error} testId="sign-files-error" />}
      {results && (
        <>
          <h2>{t('results')}</h2>
          <table class="list">
            <tbody>
              {results.map((item, index) => (
                <tr key={index} data-testid="result-row" data-ok={String(item.ok)}>
                  <td>{item.name}</td>
                  <td>
                    {item.ok ? (
                      <button type="button" data-testid="download" onClick={() => saveFile(item.signedName, base64ToBytes(item.data))}>
                        {item.signedName}
                      </button>
                    ) : (
                      <span class={`notice ${isCancelled(item.error) ? 'cancelled' : 'bad'}`}>
                        <ErrorText error={item.error} />
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {signed.length > 1 && (
            <div class="actions">
              <button type="button" data-testid="download-zip" onClick={() => saveFile('semnate.zip', zipSync(Object.fromEntries(signed.map((s) => [s.signedName, base64ToBytes(s.data)]))), 'application/zip')}>
                {t('downloadZip')}
              </button>
            </div>
          )}
        </>
      )}
    </main>
  );
}
