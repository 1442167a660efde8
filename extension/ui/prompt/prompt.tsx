/**
 * The extension-owned window that asks the user: allow a site (consent), allow it bare digests (digest
 * consent, with a plain warning), or type the PIN for a signing that shows who asks, with which
 * certificate, and what is signed: each document by its content (a rendered first page for a PDF, the
 * text of XML, size, type read from the bytes, SHA-256), or every bare digest with the warning that
 * their content cannot be shown. The PIN goes to the background in one message and is cleared from
 * the field at once; a wrong PIN shows the attempts left and lets the user try again. A PIN-pad token
 * gets no PIN field.
 *
 * The site, the certificate and the count stay pinned at the top and the PIN with its buttons at the
 * bottom: only the list and the content between them scroll, so focus never moves them out of view.
 * No button is a default; a consent window (and a PIN-pad window, which has no field to type in)
 * ignores input for the first second it shows, and a consent is given by a click, not by a stray key.
 *
 * data-testid: prompt-origin, prompt-waiting, consent-allow, consent-deny, consent-digests-warning, pin-input, pin-submit,
 * pin-cancel, pin-error, pin-documents, pin-document-name, pin-document-sha256, pin-preview, pin-preview-page, pin-preview-text,
 * pin-digests, pin-digests-warning, pin-confirm, pin-pad, pin-count, qualified-badge.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatFormDate } from '../../../shared/certificate/validity-dates.js';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import { promptWaitingMessageSchema } from '../../../shared/protocol/extension-messages.js';
import type { PinOutcome, PromptDocument, PromptView } from '../../background/prompt-windows.js';
import { askBackground } from '../../common/ask-background.js';
import { ErrorText, errorSummary } from '../error-text.js';
import { formatCount, formatSize, plural, t } from '../../common/i18n.js';
import type { MessageKey } from '../../common/i18n.js';
import { documentFormatName } from '../document-format-name.js';
import { DocumentPreview } from './document-preview.js';

/** Under the 30 s after which Chromium stops an idle extension service worker. */
const KEEP_ALIVE_MS = 20_000;
/** Input is ignored this long after the window shows (a key pressed for something else lands nowhere). */
export const INPUT_DELAY_MS = 1000;

/** What a certification (DocMDP) allows afterwards, by its /P. */
const CERTIFY_TEXT = { 1: 'pinCertify1', 2: 'pinCertify2', 3: 'pinCertify3' } as const;

export const TYPE_TEXT: Record<PromptDocument['type'], MessageKey> = {
  pdf: 'pinTypePdf',
  xml: 'pinTypeXml',
  text: 'pinTypeText',
  binary: 'pinTypeBinary',
  empty: 'pinTypeEmpty',
};

/** True once the window has been on screen (visible) for INPUT_DELAY_MS. */
function useInputReady(active: boolean): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!active) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      if (document.visibilityState !== 'visible' || timer !== undefined) return;
      timer = setTimeout(() => setReady(true), INPUT_DELAY_MS);
    };
    arm();
    document.addEventListener('visibilitychange', arm);
    return () => {
      document.removeEventListener('visibilitychange', arm);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [active]);
  return ready;
}

/** `preparing`: opened while the documents are still read (a Sign files batch): say so until they are shown. */
export function Prompt({ promptId, preparing = false }: { promptId: string; preparing?: boolean }) {
  const [details, setDetails] = useState<PromptView | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [error, setError] = useState<ErrorPayload | undefined>();
  /** Failed attempts in this window: each new one is numbered and timed, so it never looks like the last. */
  const [failures, setFailures] = useState<{ count: number; at: string }>({ count: 0, at: '' });
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState(0);
  const [confirmed, setConfirmed] = useState(false);
  const pinField = useRef<HTMLInputElement>(null);
  const ready = useInputReady(details !== undefined);

  useEffect(() => {
    askBackground<PromptView>({ type: 'prompt-details', promptId }).then(setDetails, (e: Error) => setFailure(e.message));
    // The background says when more requests queue up behind this window, or leave.
    const onWaiting = (message: unknown): void => {
      const waiting = promptWaitingMessageSchema.safeParse(message);
      if (!waiting.success || waiting.data.promptId !== promptId) return;
      setDetails((current) => (current ? { ...current, waiting: waiting.data.waiting } : current));
    };
    chrome.runtime.onMessage.addListener(onWaiting);
    // While the user looks for the PIN, ask again every 20 s: each message is an event that keeps the
    // background (an MV3 service worker, stopped after 30 s without events) and so this request alive;
    // should the request be gone all the same, the window says so instead of taking a PIN for nothing.
    const keepAlive = setInterval(() => {
      askBackground<PromptView>({ type: 'prompt-details', promptId }).then(
        (view) => setDetails((current) => (current ? { ...current, waiting: view.waiting } : view)),
        (e: Error) => setFailure(e.message),
      );
    }, KEEP_ALIVE_MS);
    return () => {
      chrome.runtime.onMessage.removeListener(onWaiting);
      clearInterval(keepAlive);
    };
  }, [promptId]);
  useEffect(() => {
    pinField.current?.focus({ preventScroll: true });
  }, [details, error]);

  async function answer(value: unknown): Promise<void> {
    setBusy(true);
    try {
      const outcome = await askBackground<PinOutcome>({ type: 'prompt-answer', promptId, answer: value });
      if (!outcome.done) {
        setError(outcome.error);
        setFailures((previous) => ({ count: previous.count + 1, at: new Date().toLocaleTimeString() }));
      }
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  // The documents' rows built again only when they or the selection change: a batch lists hundreds,
  // and the window renders again when the PIN is sent or more requests queue up.
  const shownDocuments = details && details.kind !== 'consent' ? details.documents : undefined;
  const documentsTable = useMemo(
    () =>
      shownDocuments && (
        <div class="documents-scroll">
          <table class="list documents" data-testid="pin-documents">
            <tbody>
              {shownDocuments.map((d, i) => (
                <tr key={i} class={`${d.refused ? 'refused' : ''} ${i === selected ? 'selected' : ''}`} data-refused={d.refused ? 'true' : undefined}>
                  <td>
                    <button type="button" class="link name" data-testid="pin-document-name" title={t('pinShowContent')} onClick={() => setSelected(i)}>
                      {d.name}
                    </button>
                    {/* A document whose bytes could not be had (refused before it was read) has no digest to show. */}
                    {d.sha256 && (
                      <div class="detail mono" data-testid="pin-document-sha256">
                        SHA-256 {d.sha256}
                      </div>
                    )}
                    {d.typeMismatch && <div class="detail warn">{t('pinTypeMismatch', [t(TYPE_TEXT[d.type])])}</div>}
                    {d.type === 'empty' && <div class="detail warn">{t('pinEmptyWarning')}</div>}
                    {d.refused && (
                      <div class="detail bad">
                        {t('pinDocumentRefused', [errorSummary(d.refused)])}
                        <details class="error-detail">
                          <summary>{t('errorDetails')}</summary>
                          <span class="detail mono">{d.refused.message}</span>
                        </details>
                      </div>
                    )}
                  </td>
                  <td class="size">{formatSize(d.size)}</td>
                  <td class="type">
                    {t(TYPE_TEXT[d.type])} → {documentFormatName(d.format)}
                    {d.certify && (
                      <div class="detail" data-testid="pin-certify">
                        {t(CERTIFY_TEXT[d.certify])}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ),
    [shownDocuments, selected],
  );

  // The request is gone (its page closed, answered, the background restarted): said in the user's language, the background's English folded.
  if (failure)
    return (
      <main>
        <div class="notice bad" data-testid="prompt-failure" role="alert">
          <span class="summary">{t('promptGone')}</span>
          <details class="error-detail">
            <summary>{t('errorDetails')}</summary>
            <span class="detail mono">{failure}</span>
          </details>
        </div>
      </main>
    );
  if (!details)
    return (
      <main>
        {preparing && <h1>{t('pinTitle')}</h1>}
        <p data-testid="prompt-preparing">{t(preparing ? 'pinPreparing' : 'loading')}</p>
      </main>
    );
  const waiting = details.waiting > 0 && (
    <p class="notice" data-testid="prompt-waiting" role="status">
      {plural('promptWaiting', details.waiting)}
    </p>
  );

  if (details.kind === 'consent') {
    const digests = details.scope === 'digests';
    // Only a pointer click answers (event.detail counts clicks; a key press on a button has 0).
    const onClick = (value: 'allow' | 'deny') => (event: MouseEvent) => {
      if (!ready || event.detail < 1) return;
      void answer(value);
    };
    return (
      <main class="prompt-layout">
        <div class="prompt-scroll">
          <h1>{t(digests ? 'consentDigestsTitle' : 'consentTitle')}</h1>
          <p>{t(digests ? 'consentDigestsQuestion' : 'consentQuestion')}</p>
          <p class="notice mono origin" data-testid="prompt-origin">
            {details.origin}
          </p>
          {digests ? (
            <p class="notice warn" data-testid="consent-digests-warning">
              {t('consentDigestsWarning')}
            </p>
          ) : (
            <p>{t('consentExplanation')}</p>
          )}
          {waiting}
        </div>
        <div class="prompt-pinned-bottom">
          <p class="hint">{t('consentClickNeeded')}</p>
          <div class="actions">
            <button type="button" data-testid="consent-allow" disabled={!ready || busy} onClick={onClick('allow')}>
              {t('allow')}
            </button>
            <button type="button" data-testid="consent-deny" disabled={!ready || busy} onClick={onClick('deny')}>
              {t('deny')}
            </button>
          </div>
        </div>
      </main>
    );
  }

  const pinPad = details.token.protectedAuthenticationPath;
  const needsConfirm = details.digests?.confirm === true;
  // Without a PIN field (a PIN pad), a stray Enter would start the signing: wait the input delay there too.
  const canSubmit = (ready || !pinPad) && !busy && (!needsConfirm || confirmed);
  const submit = (event: Event): void => {
    event.preventDefault();
    if (!canSubmit) return;
    const pin = pinField.current?.value ?? '';
    if (pinField.current) pinField.current.value = '';
    void answer(pinPad ? {} : { pin });
  };
  const documents = details.documents ?? [];
  const toSign = documents.filter((d) => !d.refused).length;
  const chosen = documents[selected];
  return (
    <main class="prompt-layout">
      <header class="prompt-pinned-top">
        <h1>{t('pinTitle')}</h1>
        <dl class="details compact">
          <dt>{t('pinSite')}</dt>
          <dd class="mono origin" data-testid="prompt-origin">
            {details.origin}
          </dd>
          <dt>{t('certificate')}</dt>
          <dd>
            {details.certificate.subject}
            {details.certificate.qualified && (
              <span class="badge" data-testid="qualified-badge">
                {t('qualifiedBadge')}
              </span>
            )}
            <div class="detail">
              <span>{details.certificate.issuer}</span> · <span class="mono">{details.certificate.serialNumber}</span> ·{' '}
              <span class="nowrap">
                {t('validTo')} {formatFormDate(details.certificate.notAfter, 'DD.MM.YYYY')}
              </span>{' '}
              · <span>{details.token.label}</span>
              {details.certificate.key && (
                <>
                  {' '}
                  ·{' '}
                  <span class="nowrap" data-testid="pin-key">
                    {details.certificate.key}
                  </span>
                </>
              )}
            </div>
          </dd>
        </dl>
        {details.documents && (
          <p class="count" data-testid="pin-count">
            {t('pinDocumentsCount', [formatCount(toSign)])}
          </p>
        )}
        {details.digests && (
          <>
            <p class="count" data-testid="pin-count">
              {t('pinDigestsCount', [formatCount(details.digests.hexes.length), details.digests.algorithm])}
            </p>
            <p class="notice warn" data-testid="pin-digests-warning">
              {details.digests.purpose === 'authentication' ? t('pinAuthentication') : t('pinDigestsWarning')}
            </p>
          </>
        )}
        {waiting}
      </header>

      <div class="prompt-scroll">
        {documentsTable}
        {chosen && <DocumentPreview key={`${promptId}-${selected}`} promptId={promptId} index={selected} document={chosen} />}
        {details.digests?.description && (
          <blockquote class="site-says" data-testid="pin-site-says">
            <span class="who">{t('pinSiteSays')}</span> {details.digests.description}
          </blockquote>
        )}
        {details.digests && (
          <ol class="mono digests" data-testid="pin-digests">
            {details.digests.hexes.map((hex, index) => (
              <li key={index}>{hex}</li>
            ))}
          </ol>
        )}
      </div>

      <footer class="prompt-pinned-bottom">
        {(details.token.pinFinalTry || details.token.pinCountLow) && !error && <p class="notice warn">{details.token.pinFinalTry ? t('pinWrongFinalTry') : t('pinCountLow')}</p>}
        {error && (
          <div class="notice bad shake" key={failures.count} data-testid="pin-error" data-attempt={failures.count} role="alert">
            <ErrorText error={error} />{' '}
            <span class="detail" data-testid="pin-attempt">
              {t('pinAttemptNumber', [formatCount(failures.count), failures.at])}
            </span>
          </div>
        )}
        <form onSubmit={submit}>
          {needsConfirm && (
            <label class="confirm">
              <input type="checkbox" data-testid="pin-confirm" checked={confirmed} onChange={(e) => setConfirmed((e.currentTarget as HTMLInputElement).checked)} />
              {t('pinConfirmDigests')}
            </label>
          )}
          {pinPad ? (
            <p class="notice" data-testid="pin-pad">
              {t('pinPad')}
            </p>
          ) : (
            <label class="field">
              {t('pinLabel')}
              <input ref={pinField} type="password" autoComplete="off" data-testid="pin-input" disabled={busy} />
            </label>
          )}
          <div class="actions">
            <button type="submit" class="primary" data-testid="pin-submit" disabled={!canSubmit}>
              {busy ? t('signing') : t('sign')}
            </button>
            <button type="button" data-testid="pin-cancel" onClick={() => void answer('cancel')}>
              {t('cancel')}
            </button>
          </div>
        </form>
      </footer>
    </main>
  );
}
