/**
 * Sign files: the certificate that will sign is shown first (chosen among several); files are dropped
 * on a drop zone (or picked), each with its format in words ("PDF semnat (PAdES)"); an optional visible
 * signature box on PDFs (corner, page, the language of its text); then ONE PIN for the whole batch in
 * the PIN window. The batch is streamed over the `sign-files` port: the page describes the files, each
 * with a `blob:` URL over it that the background reads when it can take it (a couple at a time), and
 * each signed file comes back as soon as it is ready, kept as a Blob over the chosen file and what goes around it (a PDF's
 * appended signature section, an attached CAdES's DER before and after the content) or its own bytes: the page never holds
 * the batch in memory. Before the PIN "Reading 5/14 — factura-5.pdf";
 * after it "5/14 — factura-3.pdf"; at the end "14/14 semnate, 0 eșuate" and
 * one "Salvează toate" (a folder the user picks where the browser can, else one ZIP in the downloads
 * folder), saying where the files go; signed copies are named in the user's language (-semnat).
 * A failed file is named with its reason; the others are kept.
 *
 * data-testid: signing-certificate, certificate-select, drop-zone, file-input, file-row, format-select,
 * visible-toggle, visible-corner, visible-page, visible-language, sign-all, progress, progress-text,
 * save-folder, save-folder-chosen, save-folder-forget (a folder chosen before signing: each file saved
 * into it as soon as it is signed), summary, save-all, save-where, saved, result-row, download, download-zip,
 * verify-files (opens the Verify page).
 */
import { Zip, ZipDeflate } from 'fflate';
import type { VNode } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import type { SignFilesHandOver, SignFilesPageMessage, SignFilesReply } from '../../../shared/protocol/extension-messages.js';
import { chooseDefaultCertificate } from '../../../shared/certificate/default-certificate.js';
import { formatFormDate } from '../../../shared/certificate/validity-dates.js';
import { defaultFormatForName, freeFileName } from '../../../shared/protocol/signed-file-names.js';
import type { DocumentFormat } from '../../../shared/protocol/page-messages.js';
import type { TokenCertificate } from '../../../shared/protocol/token-types.js';
import type { SignatureCorner } from '../../../shared/signature/visible-signature.js';
import { askBackground } from '../../common/ask-background.js';
import { CornerSelect } from '../corner-select.js';
import { folderWriter } from './folder-writer.js';
import { ErrorNotice, ErrorText, isCancelled } from '../error-text.js';
import type { ShownError } from '../error-text.js';
import { formatCount, formatSize, plural, t } from '../../common/i18n.js';
import { MAX_SIGN_FILES_DOCUMENTS, XADES_MAX_BYTES } from '../../../shared/protocol/limits.js';
import { MAX_DOCUMENT_BYTES } from '../../../shared/protocol/page-messages.js';
import { base64ToBytes, bytesToBase64 } from '../../../shared/encoding/base64.js';

interface ChosenFile {
  file: File;
  format: DocumentFormat;
  /** CAdES with the file inside (.sig), what Russian systems exchange. */
  attached?: boolean;
}

type Language = 'ro' | 'en' | 'ru';
type Corner = SignatureCorner;
/** A signed file: the chosen file and its appended signature section (a PDF: nothing copied into memory), or its own bytes. */
interface SignedItem {
  ok: true;
  name: string;
  signedName: string;
  parts: BlobPart[];
}
/** A failure: the background's error (a sentence for its code), or one of the page's own sentences. */
type ResultItem = SignedItem | { ok: false; name: string; error: ShownError };
type Progress = Extract<SignFilesReply, { type: 'progress' }>['progress'];

/** Each language named in itself. */
const LANGUAGES: [Language, string][] = [
  ['ro', 'Română'],
  ['en', 'English'],
  ['ru', 'Русский'],
];

/** How often what arrives during a batch is shown. */
const SHOW_EVERY_MS = 100;

function uiLanguage(): Language {
  const language = chrome.i18n.getUILanguage().slice(0, 2).toLowerCase();
  return language === 'ro' || language === 'ru' ? language : 'en';
}

const base64Of = async (blob: Blob): Promise<string> => bytesToBase64(new Uint8Array(await blob.arrayBuffer()));
const certificateKey = (c: TokenCertificate): string => `${c.token.serial}/${c.id}`;

/** The File System Access folder picker (Chromium); absent in Firefox. */
type DirectoryPicker = (options?: { mode?: 'readwrite'; id?: string }) => Promise<FileSystemDirectoryHandle>;
const directoryPicker = (): DirectoryPicker | undefined => (window as unknown as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;

/** A signed file as one Blob (built when it is saved or downloaded, not as it arrives). */
const blobOf = (item: SignedItem): Blob => new Blob(item.parts, { type: item.signedName.toLowerCase().endsWith('.pdf') ? 'application/pdf' : '' });

/** Offers a signed file as a download. */
function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * One ZIP of the signed files, streamed: each file read in pieces and deflated at level 0 (stored
 * blocks: PDFs are compressed already; deflate, not "stored", because every unzip tool reads a deflated
 * entry whose sizes follow its data), the ZIP's pieces handed to Blobs as they come, so the batch is
 * never whole in memory. Names met twice get " (2)".
 */
async function zipOf(files: SignedItem[]): Promise<Blob> {
  const parts: Blob[] = [];
  let failure: unknown;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else parts.push(new Blob([chunk.slice().buffer as ArrayBuffer]));
  });
  const taken = new Set<string>();
  for (const item of files) {
    const name = freeFileName(item.signedName, (candidate) => taken.has(candidate));
    taken.add(name);
    const entry = new ZipDeflate(name, { level: 0 });
    zip.add(entry);
    const reader = blobOf(item).stream().getReader();
    for (let piece = await reader.read(); ; piece = await reader.read()) {
      if (piece.done) {
        entry.push(new Uint8Array(0), true);
        break;
      }
      entry.push(piece.value);
    }
  }
  zip.end();
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return new Blob(parts, { type: 'application/zip' });
}

/** The signed file the background sent: whole, or around the chosen file's own bytes (a PDF's appended section; an attached CAdES's DER before and after). */
function signedParts(file: File, message: Extract<SignFilesReply, { type: 'signed' }>): BlobPart[] | undefined {
  if ('data' in message) return [base64ToBytes(message.data) as Uint8Array<ArrayBuffer>];
  if (file.size !== message.originalLength) return undefined;
  return [...(message.before ? [base64ToBytes(message.before) as Uint8Array<ArrayBuffer>] : []), file, base64ToBytes(message.appended) as Uint8Array<ArrayBuffer>];
}

/** Why a chosen file cannot be signed here, from its size and format alone: said on its row before signing (the background says it again as its result). */
function sizeProblem({ file, format }: ChosenFile): string | undefined {
  const megabytes = (bytes: number): string => formatCount(bytes / 1024 / 1024);
  if (file.size > MAX_DOCUMENT_BYTES) return t('signFilesTooLargeToSign', [megabytes(MAX_DOCUMENT_BYTES)]);
  if (format === 'xades' && file.size > XADES_MAX_BYTES) return t('signFilesXmlTooLargeForXades', [megabytes(XADES_MAX_BYTES)]);
  return undefined;
}

/** What the progress line says. */
function progressText(progress: Progress | undefined): string {
  if (!progress || progress.stage === 'pin') return t('signFilesWaitingPin');
  if (progress.stage === 'reading') return t('signFilesReading', [String(progress.done), String(progress.total), progress.name ?? '']);
  return `${progress.done}/${progress.total}${progress.name ? ` — ${progress.name}` : ''}`;
}

export function SignFiles() {
  const language = uiLanguage();
  const [certificates, setCertificates] = useState<TokenCertificate[] | undefined>();
  const [certificatesError, setCertificatesError] = useState<ErrorPayload | undefined>();
  const [chosen, setChosen] = useState<string | undefined>();
  const [files, setFiles] = useState<ChosenFile[]>([]);
  /** Files over what one PIN signs, set aside by the user for the next batch (nothing chosen is dropped). */
  const [nextBatch, setNextBatch] = useState<ChosenFile[]>([]);
  const [dragging, setDragging] = useState(false);
  const [visible, setVisible] = useState(false);
  const [corner, setCorner] = useState<Corner>('bottom-right');
  const [page, setPage] = useState<'last' | 'first'>('last');
  const [boxLanguage, setBoxLanguage] = useState<Language>(language);
  const [progress, setProgress] = useState<Progress | undefined>();
  /** Each file's result as it comes, by its place in the batch; `finished` once the batch has ended. */
  const [results, setResults] = useState<(ResultItem | undefined)[] | undefined>();
  const [finished, setFinished] = useState(false);
  const [error, setError] = useState<ErrorPayload | undefined>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | undefined>();
  /** Every signed file of the batch was written into the folder chosen before signing: saving again only makes a copy. */
  const [savedWithBatch, setSavedWithBatch] = useState(false);
  /** A folder chosen before signing: each signed file is written there as soon as it arrives. */
  const [saveFolder, setSaveFolder] = useState<FileSystemDirectoryHandle | undefined>();
  /** Writing into a folder failed: said in the user's language (the browser's own reason goes to the console). */
  const [saveFailure, setSaveFailure] = useState<ShownError | undefined>();
  const saveFailed = (folder: FileSystemDirectoryHandle, failure: unknown): void => {
    const reason = failure instanceof Error ? failure.message : String(failure);
    console.warn('Saving the signed files failed:', reason);
    setSaveFailure({ message: t('signFilesSaveFailed', [folder.name]) });
  };

  useEffect(() => {
    askBackground<TokenCertificate[]>({ type: 'certificates' }).then(
      (list) => {
        const usable = list.filter((c) => c.hasPrivateKey !== 'no');
        setCertificates(usable);
        const first = chooseDefaultCertificate(usable);
        if (first) setChosen(certificateKey(first));
      },
      (failure: ErrorPayload) => setCertificatesError(failure),
    );
  }, []);
  const certificate = certificates?.find((c) => certificateKey(c) === chosen);
  // Where the files went, said where the user looks: below a long list the notice would be out of sight.
  useEffect(() => document.querySelector('[data-testid=saved]')?.scrollIntoView({ block: 'nearest' }), [saved]);

  const add = (list: FileList | null): void => {
    if (!list || list.length === 0) return;
    setFiles((current) => [...current, ...Array.from(list).map((file) => ({ file, format: defaultFormatForName(file.name) }))]);
    setResults(undefined);
    setSaved(undefined);
    setSavedWithBatch(false);
  };

  function signAll(): void {
    setBusy(true);
    setError(undefined);
    setResults([]);
    setFinished(false);
    setSaved(undefined);
    setSavedWithBatch(false);
    setSaveFailure(undefined);
    setProgress(undefined);
    const batch = files;
    const box = visible ? { corner, page: page === 'last' ? -1 : 1, language: boxLanguage } : undefined;
    // The background reads each file when it can take it, nothing is copied here: the File objects are
    // handed to its service worker (Chromium), or (Firefox, whose background is a page) a URL over each.
    const controller = navigator.serviceWorker?.controller;
    const handOver = controller ? crypto.randomUUID() : undefined;
    if (controller && handOver) controller.postMessage({ type: 'sign-files-hand-over', id: handOver, files: batch.map(({ file }) => file) } satisfies SignFilesHandOver);
    const urls = handOver ? [] : batch.map(({ file }) => URL.createObjectURL(file));
    const port = chrome.runtime.connect({ name: 'sign-files' });
    port.onDisconnect.addListener(() => urls.forEach((url) => URL.revokeObjectURL(url)));
    const send = (message: SignFilesPageMessage): void => port.postMessage(message);
    const folder = saveFolder;
    const writer = folder ? folderWriter(folder) : undefined;
    // What arrives is shown at most every SHOW_EVERY_MS: one render per message would cost more than the signing.
    const arrivedItems: [number, ResultItem][] = [];
    let latest: Progress | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = (): void => {
      clearTimeout(timer);
      timer = undefined;
      if (latest) setProgress(latest);
      if (arrivedItems.length === 0) return;
      const items = arrivedItems.splice(0);
      setResults((current) => {
        const next = [...(current ?? [])];
        for (const [index, item] of items) next[index] = item;
        return next;
      });
    };
    const showSoon = (): void => {
      timer ??= setTimeout(show, SHOW_EVERY_MS);
    };
    const arrived = (index: number, item: ResultItem): void => {
      arrivedItems.push([index, item]);
      showSoon();
    };
    port.onMessage.addListener((message: SignFilesReply) => {
      switch (message.type) {
        case 'read-piece': {
          const file = batch[message.index]?.file;
          if (!file) return;
          base64Of(file.slice(message.offset, message.offset + message.length)).then(
            (data) => send({ type: 'piece', index: message.index, piece: message.piece, data }),
            () => send({ type: 'unreadable', index: message.index, piece: message.piece }),
          );
          return;
        }
        case 'progress':
          latest = message.progress;
          // The PIN window opens: say so at once.
          if (message.progress.stage === 'pin') show();
          else showSoon();
          return;
        case 'signed': {
          const parts = signedParts(batch[message.index]!.file, message);
          if (parts) writer?.add({ name: message.signedName, parts });
          arrived(
            message.index,
            parts
              ? { ok: true, name: message.name, signedName: message.signedName, parts }
              : { ok: false, name: message.name, error: { code: 'INVALID_ARGUMENT', message: 'The file changed after it was signed.' } },
          );
          return;
        }
        case 'failed':
          arrived(message.index, { ok: false, name: message.name, error: message.error });
          return;
        case 'result':
          // The last progress and results shown first, then the end of the batch.
          show();
          port.disconnect();
          urls.forEach((url) => URL.revokeObjectURL(url));
          // Into the folder chosen before: the batch ends when the last file is written (or writing failed: "Save all" stays).
          void (writer?.done() ?? Promise.resolve(undefined))
            .then(
              (count) => {
                if (count === undefined || count === 0) return;
                setSaved(plural('signFilesSavedFolder', count, [folder!.name]));
                setSavedWithBatch(true);
              },
              (failure: unknown) => saveFailed(folder!, failure),
            )
            .finally(() => {
              if (!message.ok) setError(message.error);
              setFinished(true);
              setBusy(false);
            });
      }
    });
    send({
      type: 'sign-files',
      documents: batch.map(({ file, format, attached }, index) => ({
        name: file.name,
        size: file.size,
        ...(handOver ? {} : { url: urls[index]! }),
        format,
        ...(attached ? { attached: true } : {}),
        ...(box && format === 'pades' ? { visible: box } : {}),
      })),
      namesLanguage: language,
      ...(certificate ? { certificate: certificate.id } : {}),
      ...(handOver ? { files: handOver } : {}),
    });
  }

  const arrivedResults = (results ?? []).filter((r): r is ResultItem => r !== undefined);
  const signed = arrivedResults.filter((r): r is SignedItem => r.ok);
  const zipName = t('signFilesZipName');
  async function saveAsZip(): Promise<void> {
    download(zipName, await zipOf(signed));
    setSaved(t('signFilesSavedZip', [zipName]));
  }
  async function chooseSaveFolder(): Promise<void> {
    try {
      setSaveFolder(await directoryPicker()!({ mode: 'readwrite', id: 'cas-token-signed' }));
    } catch {
      // the user closed the folder picker: the files are saved afterwards, as before
    }
  }
  async function saveAll(): Promise<void> {
    const picker = directoryPicker();
    if (!picker) return saveAsZip().catch((failure: unknown) => setError({ code: 'INTERNAL_ERROR', message: failure instanceof Error ? failure.message : String(failure) }));
    let folder: FileSystemDirectoryHandle;
    try {
      folder = await picker({ mode: 'readwrite', id: 'cas-token-signed' });
    } catch {
      return; // the user closed the folder picker
    }
    setSaveFailure(undefined);
    try {
      const writer = folderWriter(folder);
      for (const item of signed) writer.add({ name: item.signedName, parts: item.parts });
      setSaved(plural('signFilesSavedFolder', await writer.done(), [folder.name]));
    } catch (failure) {
      saveFailed(folder, failure);
    }
  }

  // Each result's row built once (the same vnode is not diffed again): a batch's results arrive a few at a time.
  const resultRows = useRef(new WeakMap<ResultItem, VNode>()).current;
  /** `index`: the file's place in the batch (its key). */
  const resultRow = (item: ResultItem, index: number): VNode => {
    let row = resultRows.get(item);
    if (!row) {
      row = (
        <tr key={index} data-testid="result-row" data-ok={String(item.ok)}>
          <td class="name">{item.name}</td>
          <td>
            {item.ok ? (
              <button type="button" class="link" data-testid="download" onClick={() => download(item.signedName, blobOf(item))}>
                {item.signedName}
              </button>
            ) : (
              <span class={`notice ${isCancelled(item.error) ? 'cancelled' : 'bad'}`}>
                <ErrorText error={item.error} />
              </span>
            )}
          </td>
        </tr>
      );
      resultRows.set(item, row);
    }
    return row;
  };

  // The chosen files' table, built again only when the files or `busy` change: during a batch of
  // hundreds of files the progress line and the results change many times a second, the list does not.
  const filesTable = useMemo(
    () =>
      files.length > 0 ? (
        <div class="files-scroll">
          <table class="list files">
            <tbody>
              {files.map((chosenFile, index) => {
                const problem = sizeProblem(chosenFile);
                return (
                  <tr key={index} data-testid="file-row">
                    <td class="name">
                      {chosenFile.file.name}
                      {problem && (
                        <span class="detail size-problem" data-testid="file-size-problem">
                          {problem}
                        </span>
                      )}
                    </td>
                    <td class="size">{formatSize(chosenFile.file.size)}</td>
                    <td>
                      <select
                        data-testid="format-select"
                        disabled={busy}
                        value={chosenFile.attached ? 'cades-attached' : chosenFile.format}
                        onChange={(event) => {
                          const value = (event.target as HTMLSelectElement).value;
                          const attached = value === 'cades-attached';
                          const format = (attached ? 'cades' : value) as DocumentFormat;
                          setFiles((current) => current.map((f, i) => (i === index ? { ...f, format, attached } : f)));
                        }}
                      >
                        <option value="pades">{t('signFilesFormatPades')}</option>
                        <option value="xades">{t('signFilesFormatXades')}</option>
                        <option value="cades">{t('signFilesFormatCades')}</option>
                        <option value="cades-attached">{t('signFilesCadesAttached')}</option>
                      </select>
                    </td>
                    <td>
                      <button type="button" disabled={busy} onClick={() => setFiles((current) => current.filter((_, i) => i !== index))}>
                        {t('remove')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null,
    [files, busy],
  );

  return (
    <main class="sign-files">
      <h1>{t('signFilesTitle')}</h1>
      <p>{t('signFilesExplanation')}</p>

      <section class="signing-certificate" data-testid="signing-certificate">
        <h2>{t('signFilesSignWith')}</h2>
        {!certificates && !certificatesError && <p class="hint">{t('loading')}</p>}
        {certificatesError && (
          <p class="notice bad">
            <ErrorText error={certificatesError} />
          </p>
        )}
        {certificates && certificates.length === 0 && <p class="notice warn">{t('noCertificates')}</p>}
        {certificates && certificates.length > 1 && (
          <select data-testid="certificate-select" value={chosen} disabled={busy} onChange={(event) => setChosen((event.target as HTMLSelectElement).value)}>
            {certificates.map((c) => (
              <option key={certificateKey(c)} value={certificateKey(c)}>
                {c.details.subjectCommonName ?? c.details.subject} — {c.details.serialNumber}
                {c.details.qualifiedSigning ? ` (${t('qualifiedBadge')})` : ''}
              </option>
            ))}
          </select>
        )}
        {certificate && (
          <dl class="details compact">
            <dt>{t('holder')}</dt>
            <dd>
              <strong>{certificate.details.subjectCommonName ?? certificate.details.subject}</strong>
              {certificate.details.qualifiedSigning && <span class="badge">{t('qualifiedBadge')}</span>}
            </dd>
            <dt>{t('issuer')}</dt>
            <dd>{certificate.details.issuerCommonName ?? certificate.details.issuer}</dd>
            <dt>{t('validTo')}</dt>
            <dd>{formatFormDate(certificate.details.notAfter, 'DD.MM.YYYY')}</dd>
          </dl>
        )}
      </section>

      <label
        class={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="drop-zone"
        onDragEnter={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          add(event.dataTransfer?.files ?? null);
        }}
      >
        <strong>{t('signFilesDropHere')}</strong>
        <span>{t('signFilesChooseFiles')}</span>
        <input type="file" multiple data-testid="file-input" disabled={busy} onChange={(event) => add((event.target as HTMLInputElement).files)} />
      </label>

      {filesTable}

      <fieldset class="visible-signature">
        <label>
          <input type="checkbox" data-testid="visible-toggle" checked={visible} disabled={busy} onChange={(event) => setVisible((event.target as HTMLInputElement).checked)} /> {t('signFilesVisible')}
        </label>
        {visible && (
          <div class="visible-options">
            <label>
              {t('signFilesVisiblePlace')}
              <CornerSelect testId="visible-corner" value={corner} disabled={busy} onChange={setCorner} />
            </label>
            <label>
              {t('signFilesVisiblePage')}
              <select data-testid="visible-page" value={page} disabled={busy} onChange={(event) => setPage((event.target as HTMLSelectElement).value as 'last' | 'first')}>
                <option value="last">{t('signFilesPageLast')}</option>
                <option value="first">{t('signFilesPageFirst')}</option>
              </select>
            </label>
            <label>
              {t('signFilesVisibleLanguage')}
              <select data-testid="visible-language" value={boxLanguage} disabled={busy} onChange={(event) => setBoxLanguage((event.target as HTMLSelectElement).value as Language)}>
                {LANGUAGES.map(([value, name]) => (
                  <option key={value} value={value}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
      </fieldset>

      {directoryPicker() && (
        <div class="save-folder">
          {saveFolder ? (
            <p class="hint" data-testid="save-folder-chosen">
              {t('signFilesSavingInto', [saveFolder.name])}{' '}
              <button type="button" class="link" data-testid="save-folder-forget" disabled={busy} onClick={() => setSaveFolder(undefined)}>
                {t('signFilesSaveLater')}
              </button>
            </p>
          ) : (
            <button type="button" data-testid="save-folder" disabled={busy} onClick={() => void chooseSaveFolder()}>
              {t('signFilesSaveAsSigned')}
            </button>
          )}
        </div>
      )}

      {files.length > MAX_SIGN_FILES_DOCUMENTS && !busy && (
        <div class="notice warn" data-testid="too-many-files">
          <p>{t('signFilesTooMany', [formatCount(MAX_SIGN_FILES_DOCUMENTS), formatCount(files.length)])}</p>
          <button
            type="button"
            data-testid="split-batch"
            onClick={() => {
              setNextBatch((waiting) => [...files.slice(MAX_SIGN_FILES_DOCUMENTS), ...waiting]);
              setFiles(files.slice(0, MAX_SIGN_FILES_DOCUMENTS));
            }}
          >
            {t('signFilesSplitBatch', [formatCount(MAX_SIGN_FILES_DOCUMENTS)])}
          </button>
        </div>
      )}
      {nextBatch.length > 0 && (
        <p class="hint next-batch" data-testid="next-batch-waiting">
          {t('signFilesNextBatchWaiting', [formatCount(nextBatch.length)])}{' '}
          {finished && !busy && (
            <button
              type="button"
              data-testid="next-batch"
              onClick={() => {
                setFiles(nextBatch.slice(0, MAX_SIGN_FILES_DOCUMENTS));
                setNextBatch(nextBatch.slice(MAX_SIGN_FILES_DOCUMENTS));
                setResults(undefined);
                setSaved(undefined);
                setSavedWithBatch(false);
                setFinished(false);
              }}
            >
              {t('signFilesNextBatch')}
            </button>
          )}
        </p>
      )}

      <div class="actions">
        <button type="button" class="primary" data-testid="sign-all" disabled={busy || files.length === 0 || files.length > MAX_SIGN_FILES_DOCUMENTS || !certificate} onClick={() => void signAll()}>
          {plural('signAll', files.length)}
        </button>
        <button type="button" data-testid="verify-files" onClick={() => void chrome.tabs.create({ url: chrome.runtime.getURL('extension/ui/verify/verify.html') })}>
          {t('verifyFiles')}
        </button>
      </div>

      {busy && (
        <div class="batch-progress">
          <p data-testid="progress-text" class="count">
            {progressText(progress)}
          </p>
          <progress data-testid="progress" max={progress?.total ?? files.length} value={progress?.stage === 'pin' ? 0 : (progress?.done ?? 0)} />
        </div>
      )}
      {error && <ErrorNotice error={error} testId="sign-files-error" />}
      {results && arrivedResults.length > 0 && (
        <>
          {finished && (
            <p data-testid="summary" class={`notice ${signed.length === arrivedResults.length ? 'good' : 'warn'}`}>
              {t('signFilesSummary', [String(signed.length), String(arrivedResults.length), String(arrivedResults.length - signed.length)])}
            </p>
          )}
          {finished && signed.length > 0 && (
            <div class="save-all">
              {savedWithBatch && saved && (
                <p class="notice good" data-testid="saved">
                  {saved}
                </p>
              )}
              <div class="actions">
                {/* Saved already: another copy is the exception, not the next step. */}
                <button type="button" class={savedWithBatch ? undefined : 'primary'} data-testid="save-all" onClick={() => void saveAll()}>
                  {t(savedWithBatch ? 'signFilesSaveCopy' : 'signFilesSaveAll')}
                </button>
                {directoryPicker() && signed.length > 1 && (
                  <button type="button" data-testid="download-zip" onClick={() => void saveAsZip()}>
                    {t('downloadZip')}
                  </button>
                )}
              </div>
              {!savedWithBatch && (
                <p class="hint" data-testid="save-where">
                  {directoryPicker() ? t('signFilesSaveWhereFolder') : t('signFilesSaveWhereZip', [zipName])}
                </p>
              )}
              {saveFailure && <ErrorNotice error={saveFailure} testId="save-failed" />}
              {!savedWithBatch && saved && (
                <p class="notice good" data-testid="saved">
                  {saved}
                </p>
              )}
            </div>
          )}
          <h2>{t('results')}</h2>
          <table class="list results">
            <tbody>{(results ?? []).map((item, index) => item && resultRow(item, index))}</tbody>
          </table>
        </>
      )}
    </main>
  );
}
