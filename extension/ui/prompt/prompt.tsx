/**
 * The extension-owned window that asks the user: allow a site (consent), or type the PIN for a signing
 * that shows who asks, with which certificate, and what is signed. The PIN goes to the background in
 * one message and is cleared from the field at once; a wrong PIN shows the attempts left and lets the
 * user try again. A PIN-pad token gets no PIN field.
 *
 * When more prompts wait behind this one (a site asking many signatures at once), it says how many.
 *
 * data-testid: prompt-origin, prompt-waiting, consent-allow, consent-deny, pin-input, pin-submit, pin-cancel, pin-error,
 * pin-documents, pin-digest, pin-digests, pin-pad.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatFormDate } from '../../../shared/certificate/validity-dates.js';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import { isPromptWaitingMessage } from '../../background/prompt-waiting-message.js';
import type { PinOutcome, PromptView } from '../../background/prompt-windows.js';
import { askBackground } from '../../background/messages.js';
import { ErrorText, errorSummary } from '../error-text.js';
import { t } from '../i18n.js';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Under the 30 s after which Chromium stops an idle extension service worker. */
const KEEP_ALIVE_MS = 20_000;

/** What a certification (DocMDP) allows afterwards, by its /P. */
const CERTIFY_TEXT = { 1: 'pinCertify1', 2: 'pinCertify2', 3: 'pinCertify3' } as const;

/** A wrong PIN with the attempts left, or any other error as the user's language says it. */
function pinErrorText(error: ErrorPayload) {
  if (error.code !== 'PIN_INCORRECT') return <ErrorText error={error} />;
  if (error.finalTry) return t('pinWrongFinalTry');
  if (error.attemptsLeft !== undefined) return t('pinWrongAttemptsLeft', [String(error.attemptsLeft)]);
  return t('pinWrong');
}

export function Prompt({ promptId }: { promptId: string }) {
  const [details, setDetails] = useState<PromptView | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [error, setError] = useState<ErrorPayload | undefined>();
  const [busy, setBusy] = useState(false);
  const pinField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    askBackground<PromptView>({ type: 'prompt-details', promptId }).then(setDetails, (e: Error) => setFailure(e.message));
    // The background says when more requests queue up behind this window, or leave.
    const onWaiting = (message: unknown): void => {
      if (!isPromptWaitingMessage(message) || message.promptId !== promptId) return;
      setDetails((current) => (current ? { ...current, waiting: message.waiting } : current));
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
    pinField.current?.focus();
  }, [details, error]);

  async function answer(value: unknown): Promise<void> {
    setBusy(true);
    try {
      const outcome = await askBackground<PinOutcome>({ type: 'prompt-answer', promptId, answer: value });
      if (!outcome.done) setError(outcome.error);
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (failure) return <main><p class="notice bad">{failure}</p></main>;
  if (!details) return <main><p>{t('loading')}</p></main>;
  const waiting = details.waiting > 0 && (
    <p class="notice" data-testid="prompt-waiting" role="status">
      {t('promptWaiting', [String(details.waiting)])}
    </p>
  );

  if (details.kind === 'consent') {
    return (
      <main>
        <h1>{t('consentTitle')}</h1>
        <p>{t('consentQuestion')}</p>
        <p class="notice mono" data-testid="prompt-origin">{details.origin}</p>
        <p>{t('consentExplanation')}</p>
        {waiting}
        <div class="actions">
          <button type="button" class="primary" data-testid="consent-allow" autoFocus onClick={() => void answer('allow')}>
            {t('allow')}
          </button>
          <button type="button" data-testid="consent-deny" onClick={() => void answer('deny')}>
            {t('deny')}
          </button>
        </div>
      </main>
    );
  }

  const pinPad = details.token.protectedAuthenticationPath;
  const submit = (event: Event): void => {
    event.preventDefault();
    const pin = pinField.current?.value ?? '';
    if (pinField.current) pinField.current.value = '';
    void answer(pinPad ? {} : { pin });
  };
  return (
    <main>
      <h1>{t('pinTitle')}</h1>
      <p>{t('pinWhoAsks')}</p>
      <p class="notice mono" data-testid="prompt-origin">{details.origin}</p>
      <dl class="details">
        <dt>{t('certificate')}</dt>
        <dd>{details.certificate.subject}</dd>
        <dd />
        <dt>{t('issuer')}</dt>
        <dd>{details.certificate.issuer}</dd>
        <dd />
        <dt>{t('serialNumber')}</dt>
        <dd class="mono">{details.certificate.serialNumber}</dd>
        <dd />
        <dt>{t('validTo')}</dt>
        <dd>{formatFormDate(details.certificate.notAfter, 'DD.MM.YYYY')}</dd>
        <dd />
        <dt>{t('token')}</dt>
        <dd>{details.token.label}</dd>
        <dd />
      </dl>
      {details.documents && (
        <>
          <h2>{t('pinWhatIsSigned', [String(details.documents.filter((d) => !d.refused).length)])}</h2>
          <table class="list" data-testid="pin-documents">
            <tbody>
              {details.documents.map((d, i) => (
                <tr key={i} class={d.refused ? 'refused' : undefined} data-refused={d.refused ? 'true' : undefined}>
                  <td>
                    <span class="name">{d.name}</span>
                    {d.refused && <div class="detail">{t('pinDocumentRefused', [errorSummary(d.refused) ?? d.refused.message])}</div>}
                  </td>
                  <td class="size">{size(d.size)}</td>
                  <td>
                    {d.format.toUpperCase()}
                    {d.certify && <div class="detail" data-testid="pin-certify">{t(CERTIFY_TEXT[d.certify])}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {details.digest && (
        <>
          <h2>{t('pinDigest', [details.digest.algorithm])}</h2>
          <p class="mono" data-testid="pin-digest">{details.digest.hex}</p>
        </>
      )}
      {details.digests && (
        <>
          <h2>{t('pinDigests', [String(details.digests.count), details.digests.algorithm])}</h2>
          <ul class="mono" data-testid="pin-digests">
            {details.digests.first.map((hex, index) => (
              <li key={index}>{hex}</li>
            ))}
          </ul>
          {details.digests.count > details.digests.first.length && <p>{t('pinDigestsMore', [String(details.digests.count - details.digests.first.length)])}</p>}
        </>
      )}
      {waiting}
      {(details.token.pinFinalTry || details.token.pinCountLow) && !error && <p class="notice warn">{details.token.pinFinalTry ? t('pinWrongFinalTry') : t('pinCountLow')}</p>}
      {error && (
        <p class="notice bad" data-testid="pin-error" role="alert">
          {pinErrorText(error)}
        </p>
      )}
      <form onSubmit={submit}>
        {pinPad ? (
          <p class="notice" data-testid="pin-pad">{t('pinPad')}</p>
        ) : (
          <label class="field">
            {t('pinLabel')}
            <input ref={pinField} type="password" autoComplete="off" data-testid="pin-input" disabled={busy} autoFocus />
          </label>
        )}
        <div class="actions">
          <button type="submit" class="primary" data-testid="pin-submit" disabled={busy}>
            {busy ? t('signing') : t('sign')}
          </button>
          <button type="button" data-testid="pin-cancel" onClick={() => void answer('cancel')}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </main>
  );
}
